"""The demo account's `emr` resources: a risky and a safe example."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.world import DemoWorld, Seeder

STEP = {
    "Name": "report",
    "ActionOnFailure": "TERMINATE_CLUSTER",
    "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", "report.py"]},
}


def run_cluster(world: DemoWorld, region: str, name: str, *, keep_alive: bool) -> None:
    """A cluster in the demo subnet of AZ a; one that is not kept alive runs a step and ends."""
    steps: dict[str, Any] = {} if keep_alive else {"Steps": [STEP]}
    world.client("emr", region).run_job_flow(
        Name=name,
        ReleaseLabel="emr-7.1.0",
        Instances={
            "MasterInstanceType": "m5.xlarge",
            "SlaveInstanceType": "m5.xlarge",
            "InstanceCount": 3,
            "KeepJobFlowAliveWhenNoSteps": keep_alive,
            "Ec2SubnetId": world.subnets(region)[0],
        },
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
        Tags=[{"Key": "team", "Value": "analytics"}],
        **steps,
    )


def seed(world: DemoWorld, region: str) -> None:
    run_cluster(world, region, "warehouse-long-running", keep_alive=True)
    run_cluster(world, region, "nightly-report-transient", keep_alive=False)


SEEDER = Seeder(check="emr", seed=seed)

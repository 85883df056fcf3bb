"""EMR: the rule on DescribeCluster records, and collection on moto across pages."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import emr
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto


def cluster(state: str, *, auto_terminate: bool, **fields: Any) -> dict[str, Any]:
    """A DescribeCluster record in us-east-1b."""
    return {
        "Id": "j-2AXXXXXXGAPLF",
        "Name": "etl",
        "ClusterArn": f"arn:aws:elasticmapreduce:us-east-1:{ACCOUNT_ID}:cluster/j-2AXXXXXXGAPLF",
        "Status": {"State": state},
        "Ec2InstanceAttributes": {"Ec2SubnetId": "subnet-1", "Ec2AvailabilityZone": "us-east-1b"},
        "ReleaseLabel": "emr-7.1.0",
        "AutoTerminate": auto_terminate,
        "Tags": [{"Key": "team", "Value": "data"}],
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (
            cluster("WAITING", auto_terminate=False),
            True,
            "Long-running cluster (WAITING) runs in one AZ, us-east-1b, and does not "
            "auto-terminate",
        ),
        (cluster("RUNNING", auto_terminate=False), True, "Long-running cluster (RUNNING)"),
        (cluster("STARTING", auto_terminate=False), True, "(STARTING)"),
        (cluster("BOOTSTRAPPING", auto_terminate=False), True, "(BOOTSTRAPPING)"),
        (
            cluster("RUNNING", auto_terminate=True),
            False,
            "Cluster (RUNNING) runs in us-east-1b and terminates when its steps finish",
        ),
    ],
)
def test_emr_rule(record: dict[str, Any], risk: bool, message: str) -> None:
    [result] = emr.assess([record])
    assert result.risk == risk
    assert message in result.message
    assert result.availability_zones == ("us-east-1b",)
    assert (result.resource_arn, result.resource_name, result.resource_id) == (
        record["ClusterArn"],
        "etl",
        "j-2AXXXXXXGAPLF",
    )
    assert (result.engine, result.tags) == ("emr-7.1.0", (("team", "data"),))


def test_a_cluster_whose_az_is_not_reported_says_so() -> None:
    [result] = emr.assess([cluster("WAITING", auto_terminate=False, Ec2InstanceAttributes={})])
    assert "an AZ the API does not report" in result.message
    assert result.availability_zones == ()


@pytest.mark.parametrize("state", ["TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS"])
def test_clusters_going_away_give_no_finding(state: str) -> None:
    assert emr.assess([cluster(state, auto_terminate=False)]) == []


REGION = "eu-west-1"
STEP = {"Name": "s", "ActionOnFailure": "CONTINUE", "HadoopJarStep": {"Jar": "x.jar"}}


def run_cluster(boto: Boto, name: str, *, keep_alive: bool, zone: str = "a") -> str:
    steps: dict[str, Any] = {} if keep_alive else {"Steps": [STEP]}
    job: str = boto("emr", REGION).run_job_flow(
        Name=name,
        ReleaseLabel="emr-7.1.0",
        Instances={
            "MasterInstanceType": "m5.xlarge",
            "InstanceCount": 1,
            "KeepJobFlowAliveWhenNoSteps": keep_alive,
            "Placement": {"AvailabilityZone": f"{REGION}{zone}"},
        },
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
        **steps,
    )["JobFlowId"]
    return job


def test_emr_collection_on_moto_follows_every_page(boto: Boto, run_cli: RunCli) -> None:
    # moto lists 50 clusters a page.
    for i in range(50):
        run_cluster(boto, f"long-{i:02d}", keep_alive=True, zone="ab"[i % 2])
    transient = run_cluster(boto, "transient", keep_alive=False, zone="c")
    ended = run_cluster(boto, "ended", keep_alive=True)
    boto("emr", REGION).terminate_job_flows(JobFlowIds=[ended])

    run = run_cli("scan", "-r", REGION, "-s", "emr")
    assert run.code == 0, run.stderr
    assert run.verdicts == {**{f"long-{i:02d}": True for i in range(50)}, "transient": False}
    finding = run.finding("transient")
    assert finding["resource_id"] == transient
    # moto's EMR takes the region from the URL, which names none here: its ARNs say us-east-1.
    assert finding["resource_arn"].endswith(f":{ACCOUNT_ID}:cluster/{transient}")
    assert f"runs in {REGION}c" in finding["message"]
    assert f"one AZ, {REGION}b," in run.finding("long-01")["message"]

"""The demo account's `emr` resources: a risky and a safe example.

moto's EMR keeps every cluster in us-east-1 when its endpoint URL names no region, as the demo's
does, so EMR is served from the stand-in.
"""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler, StandinError
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed


def cluster_record(region: str, number: int, name: str, *, auto_terminate: bool) -> dict[str, Any]:
    """A DescribeCluster record of a cluster waiting for steps in the region's AZ a."""
    cluster_id = f"j-{region.replace('-', '').upper()}{number}"
    return {
        "Id": cluster_id,
        "Name": name,
        "ClusterArn": f"arn:aws:elasticmapreduce:{region}:{ACCOUNT_ID}:cluster/{cluster_id}",
        "Status": {"State": "WAITING"},
        "Ec2InstanceAttributes": {"Ec2AvailabilityZone": f"{region}a"},
        "ReleaseLabel": "emr-7.1.0",
        "AutoTerminate": auto_terminate,
        "Tags": [{"Key": "team", "Value": "analytics"}],
        "NormalizedInstanceHours": 0,
    }


def seed(world: DemoWorld, region: str) -> None:
    for number, (name, auto_terminate) in enumerate(
        (("warehouse-long-running", False), ("nightly-report-transient", True)), start=1
    ):
        world.records("emr", region).append(
            cluster_record(region, number, name, auto_terminate=auto_terminate)
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    def describe(params: dict[str, Any], region: str) -> dict[str, Any]:
        for cluster in world.records("emr", region):
            if cluster["Id"] == params.get("ClusterId"):
                return {"Cluster": cluster}
        raise StandinError(
            "InvalidRequestException", f"Cluster id {params.get('ClusterId')} is not valid."
        )

    return {
        "emr": {
            "ListClusters": listed(world, "emr", "ListClusters"),
            "DescribeCluster": describe,
        },
    }


SEEDER = Seeder(check="emr", seed=seed, standins=standins)

"""Amazon MSK: the rule on ListClustersV2 records, and collection through a stand-in (moto's
clusters never leave CREATING, which the check skips)."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import msk
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin

REGION = "eu-west-1"
ZONES = {"subnet-a": "us-east-1a", "subnet-b": "us-east-1b", "subnet-c": "us-east-1c"}


def provisioned(subnets: list[str], name: str = "events", **fields: Any) -> dict[str, Any]:
    return {
        "ClusterArn": f"arn:aws:kafka:us-east-1:111122223333:cluster/{name}/abc-1",
        "ClusterName": name,
        "ClusterType": "PROVISIONED",
        "State": "ACTIVE",
        "Provisioned": {"BrokerNodeGroupInfo": {"ClientSubnets": subnets}},
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "risk", "zones", "text"),
    [
        (
            provisioned(["subnet-a", "subnet-b"]),
            True,
            ("us-east-1a", "us-east-1b"),
            "Brokers in 2 AZ(s): us-east-1a, us-east-1b; with replication factor 3",
        ),
        (
            provisioned(["subnet-a", "subnet-b", "subnet-c"]),
            False,
            ("us-east-1a", "us-east-1b", "us-east-1c"),
            "Brokers in 3 AZ(s)",
        ),
        (
            provisioned(["subnet-a", "subnet-b", "subnet-x"]),
            False,
            ("us-east-1a", "us-east-1b"),
            "not found in the region: subnet-x",
        ),
        (
            provisioned(["subnet-a", "subnet-b"], State="UPDATING"),
            True,
            ("us-east-1a", "us-east-1b"),
            "2 AZ(s)",
        ),
        (
            {
                "ClusterArn": "arn:aws:kafka:us-east-1:1:cluster/s/abc-2",
                "ClusterName": "s",
                "ClusterType": "SERVERLESS",
                "State": "ACTIVE",
                "Serverless": {},
            },
            False,
            (),
            "Serverless cluster",
        ),
    ],
)
def test_cluster_rule(
    record: dict[str, Any], risk: bool, zones: tuple[str, ...], text: str
) -> None:
    [result] = msk.assess([record], ZONES)
    assert (result.risk, result.availability_zones) == (risk, zones)
    assert text in result.message
    assert result.resource_id == record["ClusterArn"].rpartition("/")[2]


@pytest.mark.parametrize("state", ["CREATING", "DELETING", "FAILED"])
def test_clusters_being_created_deleted_or_failed_are_not_judged(state: str) -> None:
    assert msk.assess([provisioned(["subnet-a"], State=state)], ZONES) == []


def test_collection_follows_every_page(boto: Boto, run_cli: RunCli, standin: StartStandin) -> None:
    subnets = make_subnets(boto, REGION)  # AZs a, a, b
    clusters = [provisioned(subnets, name=f"c-{i}") for i in range(3)]
    clusters.append(provisioned(subnets, name="new", State="CREATING"))
    server = standin(
        "kafka", {"ListClustersV2": paged("kafka", "ListClustersV2", lambda p, r: clusters, 2)}
    )
    run = run_cli("scan", "-r", REGION, "-s", "msk")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"c-0": True, "c-1": True, "c-2": True}
    assert "Brokers in 2 AZ(s): eu-west-1a, eu-west-1b" in run.finding("c-0")["message"]
    assert [p.get("NextToken") for _, _, p in server.requests] == [None, "2"]

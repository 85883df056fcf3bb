"""Redshift: the rule on DescribeClusters records, and collection through the CLI.

moto (5.2.x) omits ``MultiAZ`` from DescribeClusters, so every moto cluster is judged not
Multi-AZ (absent counts as not enabled); the stand-in serves the field.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import redshift
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.standins import serve_standin


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws-cn:{service}:cn-north-1:111122223333:{resource}"


def cluster(**fields: Any) -> dict[str, Any]:
    return {"ClusterIdentifier": "warehouse", "AvailabilityZone": "cn-north-1a", **fields}


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (cluster(), True, "Cluster has Multi-AZ not reported (AZs: cn-north-1a)"),
        (cluster(MultiAZ="Disabled"), True, "Cluster has Multi-AZ disabled"),
        (
            cluster(MultiAZ="Enabled", MultiAZSecondary={"AvailabilityZone": "cn-north-1b"}),
            False,
            "Cluster has Multi-AZ enabled (AZs: cn-north-1a, cn-north-1b)",
        ),
        (cluster(MultiAZ="enabled"), False, "Cluster has Multi-AZ enabled"),
        (cluster(MultiAZ="ENABLED"), False, "Cluster has Multi-AZ enabled"),
        (cluster(MultiAZ="yes"), True, "Multi-AZ 'yes' (not Enabled)"),
        (
            cluster(MultiAZ="Disabled", AvailabilityZoneRelocationStatus="enabled"),
            True,
            "Cluster has Multi-AZ disabled (AZs: cn-north-1a); AZ relocation enabled: the cluster "
            "can be moved to another AZ, not run in two",
        ),
    ],
)
def test_clusters(record: dict[str, Any], risk: bool, text: str) -> None:
    [result] = redshift.assess([record], arn_of)
    assert result.risk is risk
    assert text in result.message
    assert result.resource_arn == "arn:aws-cn:redshift:cn-north-1:111122223333:cluster:warehouse"


@pytest.mark.parametrize("status", ["deleting", "final-snapshot"])
def test_clusters_being_deleted_give_no_finding(status: str) -> None:
    assert redshift.assess([cluster(ClusterStatus=status)], arn_of) == []


REGION = "eu-west-1"


def test_cluster_without_multi_az_on_moto(boto: Boto, run_cli: RunCli) -> None:
    boto("redshift", REGION).create_cluster(
        ClusterIdentifier="warehouse",
        NodeType="ra3.xlplus",
        MasterUsername="admin",
        MasterUserPassword="Password1",
        ClusterType="single-node",
        AvailabilityZone=f"{REGION}b",
    )
    run = run_cli("scan", "-r", REGION, "-s", "redshift")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"warehouse": True}
    finding = run.finding("warehouse")
    assert finding["resource_arn"] == f"arn:aws:redshift:{REGION}:{ACCOUNT_ID}:cluster:warehouse"
    assert "Multi-AZ not reported (AZs: eu-west-1b)" in finding["message"]


def test_multi_az_over_several_pages(run_cli: RunCli) -> None:
    clusters = [
        {
            "ClusterIdentifier": f"dw-{i}",
            "AvailabilityZone": f"{REGION}a",
            "MultiAZ": ["Enabled", "Disabled"][i % 2],
            "MultiAZSecondary": {"AvailabilityZone": f"{REGION}c"} if i % 2 == 0 else {},
        }
        for i in range(5)
    ]
    handlers = {"DescribeClusters": paged("redshift", "DescribeClusters", lambda p, r: clusters, 2)}
    with serve_standin("redshift", handlers) as server:
        run = run_cli("scan", "-r", REGION, "-s", "redshift")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"dw-{i}": i % 2 == 1 for i in range(5)}
    assert "Multi-AZ enabled (AZs: eu-west-1a, eu-west-1c)" in run.finding("dw-4")["message"]
    assert [p.get("Marker") for _, _, p in server.requests] == [None, "2", "4"]

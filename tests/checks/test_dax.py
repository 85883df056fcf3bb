"""DAX: the rule on DescribeClusters records, and collection through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import dax
from resiliency_analyser.demo.seeders.dax import dax_cluster
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.standins import StartStandin


def cluster(name: str, zones: str, **fields: Any) -> dict[str, Any]:
    """A cluster with one node per letter of ``zones`` (AZ suffixes in us-east-1)."""
    return {**dax_cluster(name, "us-east-1", zones), **fields}


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (cluster("one", "a"), True, "DAX cluster with 1 node(s) in 1 AZ(s): us-east-1a"),
        (cluster("same", "aaa"), True, "DAX cluster with 3 node(s) in 1 AZ(s): us-east-1a"),
        (
            cluster("spread", "abc"),
            False,
            "DAX cluster with 3 node(s) in 3 AZ(s): us-east-1a, us-east-1b, us-east-1c",
        ),
        (
            cluster("pair", "ab"),
            False,
            "DAX cluster with 2 node(s) in 2 AZ(s): us-east-1a, us-east-1b",
        ),
        (
            cluster("new", "", TotalNodes=3, Status="creating"),
            True,
            "DAX cluster with no nodes listed yet (3 planned, status creating)",
        ),
        (
            {"ClusterName": "bare", "ClusterArn": "arn:aws:dax:us-east-1:1:cache/bare"},
            True,
            "DAX cluster with no nodes listed yet (0 planned, status unknown)",
        ),
    ],
)
def test_dax_rule(record: dict[str, Any], risk: bool, message: str) -> None:
    [result] = dax.assess([record])
    assert (result.risk, result.message) == (risk, message)
    assert result.resource_arn == record["ClusterArn"]
    assert result.availability_zones == tuple(
        sorted({n["AvailabilityZone"] for n in record.get("Nodes", [])})
    )


def test_dax_collection_on_moto_reports_a_cluster_without_nodes(
    boto: Boto, run_cli: RunCli
) -> None:
    role = boto("iam").create_role(RoleName="dax", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    boto("dax", "eu-west-1").create_cluster(
        ClusterName="sessions", NodeType="dax.t3.small", ReplicationFactor=3, IamRoleArn=role
    )
    run = run_cli("scan", "-r", "eu-west-1", "-s", "dax")
    assert run.code == 0, run.stderr
    [finding] = run.findings
    assert finding["resource_arn"] == f"arn:aws:dax:eu-west-1:{ACCOUNT_ID}:cache/sessions"
    assert finding["potential_single_az_risk"] == "True"
    assert "no nodes listed yet (3 planned" in finding["message"]


def test_dax_collection_follows_every_page(run_cli: RunCli, standin: StartStandin) -> None:
    clusters = [cluster("orders", "abc"), cluster("carts", "bb"), cluster("users", "c")]
    server = standin(
        "dax", {"DescribeClusters": paged("dax", "DescribeClusters", lambda p, r: clusters, 2)}
    )
    run = run_cli("scan", "-r", "us-east-1", "-s", "dax")
    assert run.code == 0, run.stderr
    got = {f["resource_name"]: f["potential_single_az_risk"] for f in run.findings}
    assert got == {"orders": "False", "carts": "True", "users": "True"}
    tokens = [params.get("NextToken") for _, _, params in server.requests]
    assert tokens == [None, "2"]

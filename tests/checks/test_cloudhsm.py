"""CloudHSM v2: the rule on DescribeClusters records, and collection through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import cloudhsm
from resiliency_analyser.demo.seeders.cloudhsm import hsm_cluster
from resiliency_analyser.demo.standin import paged
from resiliency_analyser.model.findings import AccountInfo
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.standins import StartStandin

ACCOUNT = AccountInfo(account_id=ACCOUNT_ID)


def cluster(cluster_id: str, zones: str) -> dict[str, Any]:
    """A cluster with one HSM per letter of ``zones`` (AZ suffixes in us-east-1)."""
    return hsm_cluster(cluster_id, "us-east-1", zones)


def with_states(record: dict[str, Any], *states: str) -> dict[str, Any]:
    hsms = [{**h, "State": state} for h, state in zip(record["Hsms"], states, strict=True)]
    return {**record, "Hsms": hsms}


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (cluster("cluster-empty", ""), False, "Cluster has no HSM: nothing to fail over yet"),
        (cluster("cluster-one", "b"), True, "Cluster has a single active HSM (us-east-1b)"),
        (
            cluster("cluster-same", "aa"),
            True,
            "Cluster has 2 active HSMs in 1 AZ(s): us-east-1a",
        ),
        (
            cluster("cluster-spread", "abb"),
            False,
            "Cluster has 3 active HSMs in 2 AZ(s): us-east-1a, us-east-1b",
        ),
        (
            with_states(cluster("cluster-degraded", "ab"), "ACTIVE", "DEGRADED"),
            True,
            "Cluster has a single active HSM (us-east-1a); not counted: hsm-graded1 (DEGRADED)",
        ),
        (
            with_states(cluster("cluster-starting", "ab"), "CREATE_IN_PROGRESS", "DELETED"),
            True,
            "Cluster has no active HSM; not counted: hsm-arting0 (CREATE_IN_PROGRESS), "
            "hsm-arting1 (DELETED)",
        ),
    ],
)
def test_cloudhsm_rule(record: dict[str, Any], risk: bool, message: str) -> None:
    [result] = cloudhsm.assess([record], ACCOUNT, "us-east-1")
    assert (result.risk, result.message) == (risk, message)
    cluster_id = record["ClusterId"]
    assert result.resource_arn == f"arn:aws:cloudhsm:us-east-1:{ACCOUNT_ID}:cluster/{cluster_id}"
    assert (result.resource_name, result.engine) == (cluster_id, "hsm2m.medium")


@pytest.mark.parametrize("state", ["DELETE_IN_PROGRESS", "DELETED"])
def test_cloudhsm_clusters_being_deleted_give_no_finding(state: str) -> None:
    record = {**cluster("cluster-going", "a"), "State": state}
    assert cloudhsm.assess([record], ACCOUNT, "us-east-1") == []


def test_cloudhsm_collection_on_moto_reports_a_cluster_without_hsms(
    boto: Boto, run_cli: RunCli
) -> None:
    ec2 = boto("ec2", "us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.0.0/24", AvailabilityZone="us-east-1a")
    created = boto("cloudhsmv2").create_cluster(
        HsmType="hsm1.medium", SubnetIds=[subnet["Subnet"]["SubnetId"]]
    )
    run = run_cli("scan", "-r", "us-east-1", "-s", "cloudhsm")
    assert run.code == 0, run.stderr
    [finding] = run.findings
    assert finding["service"] == "cloudhsm"
    assert finding["resource_id"] == created["Cluster"]["ClusterId"]
    assert (finding["potential_single_az_risk"], finding["message"]) == (
        "False",
        "Cluster has no HSM: nothing to fail over yet",
    )


def test_cloudhsm_collection_follows_every_page(run_cli: RunCli, standin: StartStandin) -> None:
    clusters = [cluster("cluster-a", "ab"), cluster("cluster-b", "c"), cluster("cluster-c", "")]
    server = standin(
        "cloudhsmv2",
        {"DescribeClusters": paged("cloudhsmv2", "DescribeClusters", lambda p, r: clusters, 1)},
    )
    run = run_cli("scan", "-r", "us-east-1", "-s", "cloudhsm")
    assert run.code == 0, run.stderr
    got = {f["resource_name"]: f["potential_single_az_risk"] for f in run.findings}
    assert got == {"cluster-a": "False", "cluster-b": "True", "cluster-c": "False"}
    assert {f["service"] for f in run.findings} == {"cloudhsm"}
    assert [params.get("NextToken") for _, _, params in server.requests] == [None, "1", "2"]

"""EKS: the rules on DescribeNodegroup / DescribeFargateProfile records, and collection through
moto and a paging stand-in."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import eks
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin

ZONES = {"subnet-a1": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b": "us-east-1b"}
PREFIX = f"arn:aws:eks:us-east-1:{ACCOUNT_ID}"


def node_group(subnets: list[str], desired: int, **fields: Any) -> dict[str, Any]:
    return {
        "nodegroupName": "apps",
        "nodegroupArn": f"{PREFIX}:nodegroup/prod/apps/1",
        "clusterName": "prod",
        "status": "ACTIVE",
        "capacityType": "SPOT",
        "subnets": subnets,
        "scalingConfig": {"minSize": 1, "maxSize": 4, "desiredSize": desired},
        "tags": {"team": "shop"},
        **fields,
    }


def profile(subnets: list[str], **fields: Any) -> dict[str, Any]:
    return {
        "fargateProfileName": "jobs",
        "fargateProfileArn": f"{PREFIX}:fargateprofile/prod/jobs/1",
        "clusterName": "prod",
        "status": "ACTIVE",
        "subnets": subnets,
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "check_id", "risk", "message"),
    [
        (
            node_group(["subnet-a1", "subnet-b"], 2),
            "eks.nodegroup_zones",
            False,
            "Node group of cluster prod has subnets in 2 AZ(s): us-east-1a, us-east-1b; "
            "desired size 2",
        ),
        (
            node_group(["subnet-a1", "subnet-a2"], 3),
            "eks.nodegroup_zones",
            True,
            "Node group of cluster prod has subnets in 1 AZ(s): us-east-1a; desired size 3",
        ),
        (
            node_group(["subnet-a1", "subnet-b"], 1),
            "eks.nodegroup_single_node",
            True,
            "desired size 1: an AZ failure leaves the group without nodes until a replacement "
            "launches",
        ),
        (
            node_group(["subnet-a1", "subnet-gone"], 2, status="DEGRADED"),
            "eks.nodegroup_zones",
            True,
            "subnets in 1 AZ(s): us-east-1a (subnets not found: subnet-gone)",
        ),
    ],
)
def test_node_group_rules(record: dict[str, Any], check_id: str, risk: bool, message: str) -> None:
    [result] = eks.assess([record], [], ZONES)
    assert (result.check_id, result.risk) == (check_id, risk)
    assert message in result.message
    assert (result.resource_arn, result.resource_name) == (record["nodegroupArn"], "apps")
    assert (result.engine, result.tags) == ("SPOT", (("team", "shop"),))


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (
            profile(["subnet-a1", "subnet-b"]),
            False,
            "Fargate profile of cluster prod has subnets in 2 AZ(s): us-east-1a, us-east-1b",
        ),
        (
            profile(["subnet-a1", "subnet-a2"]),
            True,
            "Fargate profile of cluster prod has subnets in 1 AZ(s): us-east-1a",
        ),
        (profile([]), True, "Fargate profile of cluster prod has subnets in 0 AZ(s): none"),
    ],
)
def test_fargate_profile_rule(record: dict[str, Any], risk: bool, message: str) -> None:
    [result] = eks.assess([], [record], ZONES)
    assert (result.check_id, result.risk, result.message) == (
        "eks.fargate_profile_zones",
        risk,
        message,
    )
    assert result.resource_name == "jobs"


@pytest.mark.parametrize("status", sorted(eks.SKIPPED_STATES))
def test_node_groups_and_profiles_being_created_deleted_or_failed_give_no_finding(
    status: str,
) -> None:
    records = (
        [node_group(["subnet-a1"], 1, status=status)],
        [profile(["subnet-a1"], status=status)],
    )
    assert eks.assess(*records, ZONES) == []


REGION = "eu-west-1"
ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/eks"


def test_node_groups_and_profiles_are_judged_on_moto(boto: Boto, run_cli: RunCli) -> None:
    a1, a2, b = make_subnets(boto, REGION)
    client = boto("eks", REGION)
    for cluster in ("prod", "test"):
        client.create_cluster(name=cluster, roleArn=ROLE, resourcesVpcConfig={"subnetIds": [a1, b]})
    for cluster, name, subnets, desired in (
        ("prod", "one-az", [a1, a2], 2),
        ("prod", "spread", [a1, b], 2),
        ("test", "single", [a1, b], 1),
    ):
        client.create_nodegroup(
            clusterName=cluster,
            nodegroupName=name,
            subnets=subnets,
            nodeRole=ROLE,
            scalingConfig={"minSize": 1, "maxSize": 2, "desiredSize": desired},
        )
    for name, subnets in (("fargate-one-az", [a1]), ("fargate-spread", [a2, b])):
        client.create_fargate_profile(
            clusterName="test",
            fargateProfileName=name,
            podExecutionRoleArn=ROLE,
            subnets=subnets,
            selectors=[{"namespace": name}],
        )

    run = run_cli("scan", "-r", REGION, "-s", "eks")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        "one-az": True,
        "spread": False,
        "single": True,
        "fargate-one-az": True,
        "fargate-spread": False,
    }
    assert run.finding("single")["message"].startswith(
        f"Node group of cluster test has subnets in 2 AZ(s): {REGION}a, {REGION}b; desired size 1"
    )
    assert run.finding("one-az")["resource_arn"].startswith(
        f"arn:aws:eks:{REGION}:{ACCOUNT_ID}:nodegroup/prod/one-az/"
    )
    assert run.pair_results == {("eks", REGION): "Success"}


def test_every_page_of_every_listing_is_read(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    a, _, b = make_subnets(boto, REGION)
    clusters = ["c0", "c1", "c2"]
    groups = {c: [f"{c}-ng{i}" for i in range(3)] for c in clusters}
    profiles = {c: [f"{c}-fp{i}" for i in range(3)] for c in clusters}

    def described_group(params: dict[str, Any], region: str) -> dict[str, Any]:
        name = params["nodegroupName"]
        record = node_group([a, b][: 1 + int(name[-1]) % 2], 2, nodegroupName=name)
        return {"nodegroup": {**record, "clusterName": params["clusterName"]}}

    def described_profile(params: dict[str, Any], region: str) -> dict[str, Any]:
        name = params["fargateProfileName"]
        record = profile([a, b], fargateProfileName=name, clusterName=params["clusterName"])
        return {"fargateProfile": record}

    server = standin(
        "eks",
        {
            "ListClusters": paged("eks", "ListClusters", lambda p, r: clusters, 2),
            "ListNodegroups": paged(
                "eks", "ListNodegroups", lambda p, r: groups[p["clusterName"]], 2
            ),
            "ListFargateProfiles": paged(
                "eks", "ListFargateProfiles", lambda p, r: profiles[p["clusterName"]], 2
            ),
            "DescribeNodegroup": described_group,
            "DescribeFargateProfile": described_profile,
        },
    )
    run = run_cli("scan", "-r", REGION, "-s", "eks")
    assert run.code == 0, run.stderr
    expected = {f"{c}-ng{i}": i % 2 == 0 for c in clusters for i in range(3)}
    expected.update({f"{c}-fp{i}": False for c in clusters for i in range(3)})
    assert run.verdicts == expected
    listings = sorted(
        (op, p.get("clusterName", ""), p.get("nextToken") or "")
        for _, op, p in server.requests
        if op.startswith("List")
    )
    assert listings == sorted(
        [("ListClusters", "", ""), ("ListClusters", "", "2")]
        + [
            (op, c, token)
            for op in ("ListNodegroups", "ListFargateProfiles")
            for c in clusters
            for token in ("", "2")
        ]
    )

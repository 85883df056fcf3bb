"""EKS: the rules on DescribeNodegroup / DescribeFargateProfile records, and collection through
moto and a paging stand-in."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import eks
from resiliency_analyser.checks.api import CheckOptions, Severity
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import AMI, make_subnets
from tests.support.standins import StartStandin

ZONES = {
    "subnet-a1": "us-east-1a",
    "subnet-a2": "us-east-1a",
    "subnet-b": "us-east-1b",
    "subnet-c": "us-east-1c",
}
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


def per_zone(name: str, subnet: str, cluster: str = "prod", **fields: Any) -> dict[str, Any]:
    """A managed node group of 2 nodes in one subnet, running on Auto Scaling group ``asg-<name>``."""
    return node_group(
        [subnet],
        2,
        nodegroupName=name,
        nodegroupArn=f"{PREFIX}:nodegroup/{cluster}/{name}/1",
        clusterName=cluster,
        resources={"autoScalingGroups": [{"name": f"asg-{name}"}]},
        **fields,
    )


def auto_scaling_group(name: str, zones: str, **tags: str) -> dict[str, Any]:
    """A DescribeAutoScalingGroups record with one in-service instance per AZ letter."""
    return {
        "AutoScalingGroupName": name,
        "AutoScalingGroupARN": f"arn:aws:autoscaling:us-east-1:{ACCOUNT_ID}:autoScalingGroup:1:"
        f"autoScalingGroupName/{name}",
        "DesiredCapacity": len(zones),
        "VPCZoneIdentifier": ",".join(f"subnet-{z}" for z in zones),
        "Instances": [
            {
                "InstanceId": f"i-{name}-{i}",
                "AvailabilityZone": f"us-east-1{z}",
                "LifecycleState": "InService",
            }
            for i, z in enumerate(zones)
        ],
        "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
    }


def nodes_of(*groups: tuple[str, str]) -> list[dict[str, Any]]:
    """Managed node groups' Auto Scaling groups: (node group name, its nodes' AZ letters)."""
    return [
        auto_scaling_group(f"asg-{name}", zones, **{"eks:nodegroup-name": name})
        for name, zones in groups
    ]


PINNED = "pods pinned to this node group by labels or taints lose their nodes with"
THREE_AZS = [
    per_zone("apps-a", "subnet-a1"),
    per_zone("apps-b", "subnet-b"),
    per_zone("apps-c", "subnet-c"),
]


@pytest.mark.parametrize(
    ("groups", "asgs", "keys", "expected"),
    [
        # Three node groups in three AZs (the EKS user guide's layout): no risk, siblings named.
        (
            THREE_AZS,
            nodes_of(("apps-a", "aa"), ("apps-b", "bb"), ("apps-c", "cc")),
            (),
            {
                "apps-a": (
                    False,
                    "not a risk: its peers by EKS cluster prod, node group apps-b (us-east-1b), "
                    f"node group apps-c (us-east-1c), cover us-east-1a, us-east-1b, us-east-1c; "
                    f"{PINNED} us-east-1a",
                ),
                "apps-b": (False, "node group apps-a (us-east-1a), node group apps-c (us-east-1c)"),
                "apps-c": (False, "node group apps-a (us-east-1a), node group apps-b (us-east-1b)"),
            },
        ),
        # Three node groups whose subnets all lie in one AZ: a peer group in one AZ, each a risk.
        (
            [per_zone("x", "subnet-a1"), per_zone("y", "subnet-a2")],
            nodes_of(("x", "aa"), ("y", "aa")),
            (),
            {
                "x": (
                    True,
                    "its peers by EKS cluster prod, node group y (us-east-1a), sit in us-east-1a "
                    "too: the group is single-AZ",
                ),
                "y": (True, "node group x (us-east-1a), sit in us-east-1a too"),
            },
        ),
        # Subnets in three AZs, every node in one: where the nodes run is what counts.
        (
            [
                node_group(
                    ["subnet-a1", "subnet-b", "subnet-c"],
                    3,
                    resources={"autoScalingGroups": [{"name": "asg-apps"}]},
                )
            ],
            nodes_of(("apps", "aaa")),
            (),
            {
                "apps": (
                    True,
                    "Node group of cluster prod has subnets in 3 AZ(s): us-east-1a, us-east-1b, "
                    "us-east-1c; its 3 node(s) run in 1 AZ(s): us-east-1a",
                )
            },
        ),
        # A self-managed group of the cluster runs in another AZ.
        (
            [per_zone("apps", "subnet-a1")],
            [auto_scaling_group("self-b", "b", **{"kubernetes.io/cluster/prod": "owned"})],
            (),
            {
                "apps": (
                    False,
                    "its peers by EKS cluster prod, self-managed group self-b (us-east-1b)",
                )
            },
        ),
        # ... but not a group of another cluster.
        (
            [per_zone("apps", "subnet-a1")],
            [auto_scaling_group("other-b", "b", **{"eks:cluster-name": "test"})],
            (),
            {"apps": (True, "Node group of cluster prod has subnets in 1 AZ(s): us-east-1a")},
        ),
        # Peers by workload tag, across clusters, only when the tag is a workload tag.
        (
            [
                per_zone("blue", "subnet-a1", tags={"App": "shop"}),
                per_zone("green", "subnet-b", cluster="prod-2", tags={"App": "shop"}),
            ],
            [],
            ("App",),
            {
                "blue": (False, "its peers by tag App=shop, node group green (us-east-1b)"),
                "green": (False, "node group blue (us-east-1a)"),
            },
        ),
        (
            [
                per_zone("blue", "subnet-a1", tags={"App": "shop"}),
                per_zone("green", "subnet-b", cluster="prod-2", tags={"App": "shop"}),
            ],
            [],
            (),
            {"blue": (True, "subnets in 1 AZ(s)"), "green": (True, "subnets in 1 AZ(s)")},
        ),
        # One node over two AZs, alone: a self-healing singleton, a low risk.
        (
            [node_group(["subnet-a1", "subnet-b"], 1)],
            [],
            (),
            {"apps": (True, "desired size 1: an AZ failure leaves the group without nodes")},
        ),
    ],
)
def test_node_capacity_is_judged_per_cluster(
    groups: list[dict[str, Any]],
    asgs: list[dict[str, Any]],
    keys: tuple[str, ...],
    expected: dict[str, tuple[bool, str]],
) -> None:
    found = eks.assess(groups, [], ZONES, asgs, CheckOptions(peer_tags=keys))
    assert {a.resource_name: a.risk for a in found} == {n: r for n, (r, _) in expected.items()}
    for result in found:
        assert expected[result.resource_name][1] in result.message, result.message


def test_a_single_node_group_is_a_low_risk() -> None:
    assert eks.CHECK.guidance["eks.nodegroup_single_node"].severity is Severity.LOW
    [result] = eks.assess([node_group(["subnet-a1", "subnet-b"], 1)], [], ZONES)
    assert result.check_id == "eks.nodegroup_single_node"


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
    """Node groups judged per cluster, where their Auto Scaling groups' instances run."""
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
    # "spread" has subnets in two AZs, but its Auto Scaling group runs both nodes in AZ a.
    [spread_asg] = client.describe_nodegroup(clusterName="prod", nodegroupName="spread")[
        "nodegroup"
    ]["resources"]["autoScalingGroups"]
    autoscaling = boto("autoscaling", REGION)
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="lc", ImageId=AMI, InstanceType="t3.micro"
    )
    for name, subnet, tags in (
        (spread_asg["name"], a1, {"eks:nodegroup-name": "spread", "eks:cluster-name": "prod"}),
        ("test-self-managed", b, {"kubernetes.io/cluster/test": "owned"}),
    ):
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName=name,
            LaunchConfigurationName="lc",
            MinSize=0,
            MaxSize=2,
            DesiredCapacity=2 if name != "test-self-managed" else 1,
            VPCZoneIdentifier=subnet,
            Tags=[{"Key": k, "Value": v, "PropagateAtLaunch": True} for k, v in tags.items()],
        )

    run = run_cli("scan", "-r", REGION, "-s", "eks")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        "one-az": True,
        "spread": True,
        "single": False,
        "fargate-one-az": True,
        "fargate-spread": False,
    }
    assert f"its 2 node(s) run in 1 AZ(s): {REGION}a" in run.finding("spread")["message"]
    assert (
        f"its peers by EKS cluster prod, node group spread ({REGION}a), sit in {REGION}a too"
        in run.finding("one-az")["message"]
    )
    assert run.finding("single")["message"].startswith(
        f"Node group of cluster test has subnets in 2 AZ(s): {REGION}a, {REGION}b; desired size 1"
    )
    assert (
        "not a risk: its peers by EKS cluster test, self-managed group test-self-managed "
        f"({REGION}b), cover {REGION}a, {REGION}b" in run.finding("single")["message"]
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
        name, cluster = params["nodegroupName"], params["clusterName"]
        record = node_group(
            [a, b][: 1 + int(name[-1]) % 2],
            2,
            nodegroupName=name,
            nodegroupArn=f"{PREFIX}:nodegroup/{cluster}/{name}/1",
        )
        return {"nodegroup": {**record, "clusterName": cluster}}

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
    # Node groups 0 and 2 sit in one AZ, but node group 1 of their cluster spans two.
    expected = {f"{c}-ng{i}": False for c in clusters for i in range(3)}
    expected.update({f"{c}-fp{i}": False for c in clusters for i in range(3)})
    assert run.verdicts == expected
    assert (
        f"its peers by EKS cluster c2, node group c2-ng1 ({REGION}a, {REGION}b), node group "
        in (run.finding("c2-ng0")["message"])
    )
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

"""Auto Scaling groups: the rules on DescribeAutoScalingGroups records, and collection through
moto and a paging stand-in."""

from __future__ import annotations

import json
from typing import Any

import pytest

from resiliency_analyser.checks import autoscaling
from resiliency_analyser.checks.api import CheckOptions, RootCause, Severity
from resiliency_analyser.checks.autoscaling import BEANSTALK_TAG
from resiliency_analyser.checks.lookups import Environment
from resiliency_analyser.checks.peers import PEER_GROUP_TAG
from resiliency_analyser.demo.seeders.beanstalk import (
    beanstalk_handlers,
    environment_record,
    environment_resources,
)
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import AMI, launch_instance, make_subnets
from tests.support.standins import StartStandin

ZONES = {"subnet-a1": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b": "us-east-1b"}
ARN = "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:1:autoScalingGroupName/web"


def group(subnets: str, desired: int, instances: str = "", **fields: Any) -> dict[str, Any]:
    """A group over ``subnets`` (comma-separated) with one InService instance per AZ letter."""
    return {
        "AutoScalingGroupName": "web",
        "AutoScalingGroupARN": ARN,
        "DesiredCapacity": desired,
        "MinSize": 0,
        "MaxSize": 4,
        "VPCZoneIdentifier": subnets,
        "AvailabilityZones": ["us-east-1a", "us-east-1b"],
        "Instances": [
            {
                "InstanceId": f"i-{i}",
                "AvailabilityZone": f"us-east-1{z}",
                "LifecycleState": "InService",
            }
            for i, z in enumerate(instances)
        ],
        "Tags": [{"ResourceId": "web", "Key": "team", "Value": "shop", "PropagateAtLaunch": True}],
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "check_id", "risk", "message"),
    [
        (
            group("subnet-a1,subnet-b", 2, "ab"),
            "autoscaling.group_zones",
            False,
            "Launches in 2 AZ(s): us-east-1a, us-east-1b; 2 of 2 desired instance(s) in service, "
            "in us-east-1a, us-east-1b; desired capacity 2",
        ),
        (
            group("subnet-a1,subnet-a2", 2, "aa"),
            "autoscaling.group_zones",
            True,
            "Launches in 1 AZ(s): us-east-1a; 2 of 2 desired instance(s) in service, in us-east-1a",
        ),
        (
            group("subnet-a1,subnet-b", 3, "aa"),
            "autoscaling.instance_zones",
            True,
            "2 of 3 desired instance(s) in service, in us-east-1a; desired capacity 3",
        ),
        (
            group("subnet-a1,subnet-b", 1, "a"),
            "autoscaling.single_instance",
            True,
            "desired capacity 1: an AZ failure stops the workload until a replacement launches",
        ),
        (
            group("subnet-a1,subnet-b", 0),
            "autoscaling.group_zones",
            False,
            "Launches in 2 AZ(s): us-east-1a, us-east-1b; no instances desired; desired capacity 0",
        ),
        (
            # Instances still launching (none InService) are no evidence of one AZ.
            group("subnet-a1,subnet-b", 2),
            "autoscaling.group_zones",
            False,
            "0 of 2 desired instance(s) in service, in none",
        ),
        (
            group("", 2, "ab", AvailabilityZones=["us-east-1a"]),
            "autoscaling.group_zones",
            True,
            "Launches in 1 AZ(s): us-east-1a;",
        ),
        (
            group("subnet-a1, subnet-gone", 2, "ab"),
            "autoscaling.group_zones",
            True,
            "Launches in 1 AZ(s): us-east-1a (subnets not found: subnet-gone)",
        ),
    ],
)
def test_auto_scaling_group_rules(
    record: dict[str, Any], check_id: str, risk: bool, message: str
) -> None:
    [result] = autoscaling.assess([record], ZONES)
    assert (result.check_id, result.risk) == (check_id, risk)
    assert message in result.message
    assert (result.resource_arn, result.resource_name) == (ARN, "web")
    assert result.tags == (("team", "shop"),)


TG = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/kafka/1"


def member(name: str, subnet: str, zones: str, **fields: Any) -> dict[str, Any]:
    """A group of ``name`` over one subnet, with an in-service instance per AZ letter."""
    return group(
        subnet,
        len(zones),
        zones,
        AutoScalingGroupName=name,
        AutoScalingGroupARN=f"{ARN[: ARN.rindex('/') + 1]}{name}",
        **fields,
    )


def tagged(**tags: str) -> list[dict[str, Any]]:
    return [{"Key": k, "Value": v, "PropagateAtLaunch": True} for k, v in tags.items()]


@pytest.mark.parametrize(
    ("groups", "keys", "expected"),
    [
        # Two per-AZ groups behind one target group: the workload survives either AZ.
        (
            [
                member("kafka-a", "subnet-a1", "a", TargetGroupARNs=[TG]),
                member("kafka-b", "subnet-b", "b", TargetGroupARNs=[TG]),
            ],
            (),
            {
                "kafka-a": (
                    False,
                    "autoscaling.group_zones",
                    "Launches in 1 AZ(s): us-east-1a; 1 of 1 desired instance(s) in service, in "
                    "us-east-1a; desired capacity 1: an AZ failure stops the workload until a "
                    "replacement launches; not a risk: its peers by target group kafka, kafka-b "
                    "(us-east-1b), cover us-east-1a, us-east-1b",
                ),
                "kafka-b": (False, "autoscaling.group_zones", "kafka-a (us-east-1a), cover"),
            },
        ),
        # The same groups, both in AZ a: the peer group is single-AZ, a risk once per member.
        (
            [
                member("kafka-a", "subnet-a1", "aa", TargetGroupARNs=[TG]),
                member("kafka-a2", "subnet-a2", "aa", TargetGroupARNs=[TG]),
            ],
            (),
            {
                "kafka-a": (
                    True,
                    "autoscaling.group_zones",
                    "its peers by target group kafka, kafka-a2 (us-east-1a), sit in us-east-1a "
                    "too: the group is single-AZ",
                ),
                "kafka-a2": (True, "autoscaling.group_zones", "kafka-a (us-east-1a), sit in"),
            },
        ),
        (
            [
                member("web-a", "subnet-a1", "aa", LoadBalancerNames=["legacy"]),
                member("web-b", "subnet-b", "bb", LoadBalancerNames=["legacy"]),
            ],
            (),
            {
                "web-a": (False, "autoscaling.group_zones", "by Classic Load Balancer legacy"),
                "web-b": (False, "autoscaling.group_zones", "by Classic Load Balancer legacy"),
            },
        ),
        # Self-managed EKS nodes: a managed node group's group of the cluster is a peer.
        (
            [
                member(
                    "self-a",
                    "subnet-a1",
                    "aa",
                    Tags=tagged(**{"kubernetes.io/cluster/prod": "owned"}),
                ),
                member(
                    "managed-b",
                    "subnet-b",
                    "bb",
                    Tags=tagged(**{"eks:cluster-name": "prod", "eks:nodegroup-name": "ng"}),
                ),
            ],
            (),
            {"self-a": (False, "autoscaling.group_zones", "by EKS cluster prod, managed-b")},
        ),
        # Shared workload tag values, only when the tag is a workload tag.
        (
            [
                member("zk-a", "subnet-a1", "a", Tags=tagged(Role="zookeeper")),
                member("zk-b", "subnet-b", "b", Tags=tagged(Role="zookeeper")),
                member("other-b", "subnet-b", "b", Tags=tagged(Role="kafka")),
            ],
            ("Role",),
            {
                "zk-a": (False, "autoscaling.group_zones", "by tag Role=zookeeper, zk-b"),
                "zk-b": (False, "autoscaling.group_zones", "by tag Role=zookeeper, zk-a"),
                "other-b": (True, "autoscaling.group_zones", "Launches in 1 AZ(s): us-east-1b;"),
            },
        ),
        (
            [
                member("zk-a", "subnet-a1", "a", Tags=tagged(Role="zookeeper")),
                member("zk-b", "subnet-b", "b", Tags=tagged(Role="zookeeper")),
            ],
            (),
            {
                "zk-a": (True, "autoscaling.group_zones", "Launches in 1 AZ(s)"),
                "zk-b": (True, "autoscaling.group_zones", "Launches in 1 AZ(s)"),
            },
        ),
        (
            [
                member("zk-a", "subnet-a1", "a", Tags=tagged(**{PEER_GROUP_TAG: "zk"})),
                member("zk-b", "subnet-b", "b", Tags=tagged(**{PEER_GROUP_TAG: "zk"})),
            ],
            (),
            {
                "zk-a": (False, "autoscaling.group_zones", f"by tag {PEER_GROUP_TAG}=zk, zk-b"),
                "zk-b": (False, "autoscaling.group_zones", f"by tag {PEER_GROUP_TAG}=zk, zk-a"),
            },
        ),
        # A desired-1 group over several AZs is a self-healing singleton: low.
        (
            [group("subnet-a1,subnet-b", 1, "a")],
            (),
            {"web": (True, "autoscaling.single_instance", "desired capacity 1")},
        ),
    ],
)
def test_peer_groups(
    groups: list[dict[str, Any]], keys: tuple[str, ...], expected: dict[str, tuple[bool, str, str]]
) -> None:
    found = autoscaling.assess(groups, ZONES, CheckOptions(peer_tags=keys))
    assert {a.resource_name: (a.risk, a.check_id) for a in found} == {
        name: (risk, check_id) for name, (risk, check_id, _) in expected.items()
    }
    for result in found:
        assert expected[result.resource_name][2] in result.message, result.message


def test_a_single_instance_group_over_several_zones_is_a_low_risk() -> None:
    assert autoscaling.CHECK.guidance["autoscaling.single_instance"].severity is Severity.LOW
    assert autoscaling.CHECK.guidance["autoscaling.group_zones"].severity is Severity.MEDIUM


def beanstalk_environment(name: str, *, load_balanced: bool, **fields: Any) -> Environment:
    return Environment(
        environment_record("us-east-1", name, f"e-{name}", **fields),
        environment_resources(name, ["i-0"], load_balanced=load_balanced),
    )


def beanstalk_group(name: str, desired: int = 1) -> dict[str, Any]:
    return member(
        f"awseb-{name}-AutoScalingGroup",
        "subnet-a1,subnet-b",
        "a" * desired,
        Tags=tagged(**{BEANSTALK_TAG: f"e-{name}", "elasticbeanstalk:environment-name": name}),
    )


@pytest.mark.parametrize(
    ("environment", "risk", "root"),
    [
        # A single-instance Beanstalk environment: one risk, on the environment.
        (beanstalk_environment("shop", load_balanced=False), False, True),
        # A load-balanced one: its group is judged on its own (here: instances in one AZ).
        (beanstalk_environment("shop", load_balanced=True), True, False),
        # A worker environment is not judged by beanstalk, so it is no root cause.
        (
            beanstalk_environment("shop", load_balanced=False, Tier={"Name": "Worker"}),
            True,
            False,
        ),
    ],
)
def test_a_single_instance_beanstalk_environments_group_goes_down_with_it(
    environment: Environment, risk: bool, root: bool
) -> None:
    desired = 1 if root else 2
    [result] = autoscaling.assess(
        [beanstalk_group("shop", desired)], ZONES, environments=[environment]
    )
    assert result.risk is risk
    if root:
        assert result.root_cause == RootCause(
            check_id="beanstalk.environment_load_balanced",
            resource_arn=environment.environment["EnvironmentArn"],
        )
        assert result.message.endswith(
            "desired capacity 1: an AZ failure stops the workload until a replacement launches; "
            "it goes down with its single-instance Elastic Beanstalk environment shop "
            "(beanstalk.environment_load_balanced), the root cause"
        )
    else:
        assert result.root_cause is None


def test_groups_being_deleted_or_of_eks_node_groups_give_no_finding() -> None:
    deleting = group("subnet-a1", 1, "a", Status="Delete in progress")
    node_group = group("subnet-a1", 1, "a")
    node_group["Tags"] = [{"Key": "eks:nodegroup-name", "Value": "ng", "ResourceId": "web"}]
    assert autoscaling.assess([deleting, node_group], ZONES) == []


def test_availability_zones_are_where_the_group_launches_and_runs() -> None:
    [result] = autoscaling.assess([group("subnet-b", 2, "ab")], ZONES)
    assert result.availability_zones == ("us-east-1a", "us-east-1b")


REGION = "eu-west-1"


def test_groups_are_judged_on_moto(boto: Boto, run_cli: RunCli) -> None:
    a1, a2, b = make_subnets(boto, REGION)
    client = boto("autoscaling", REGION)
    client.create_launch_configuration(
        LaunchConfigurationName="lc", ImageId=AMI, InstanceType="t3.micro"
    )
    vpc = boto("ec2", REGION).describe_subnets(SubnetIds=[a1])["Subnets"][0]["VpcId"]
    target_group = boto("elbv2", REGION).create_target_group(
        Name="kafka", Protocol="TCP", Port=9092, VpcId=vpc
    )["TargetGroups"][0]["TargetGroupArn"]
    for name, subnets, desired, fields in (
        ("one-az", [a1, a2], 0, {}),
        ("single", [a1, b], 1, {}),
        ("spread", [a1, b], 0, {}),
        ("node-group", [a1], 1, {"Tags": tagged(**{"eks:nodegroup-name": "ng"})}),
        ("kafka-a", [a1], 0, {"TargetGroupARNs": [target_group]}),
        ("kafka-b", [b], 0, {"TargetGroupARNs": [target_group]}),
        ("zk-a", [a1], 0, {"Tags": tagged(Role="zookeeper")}),
        ("zk-b", [b], 0, {"Tags": tagged(Role="zookeeper")}),
    ):
        client.create_auto_scaling_group(
            AutoScalingGroupName=name,
            LaunchConfigurationName="lc",
            MinSize=0,
            MaxSize=2,
            DesiredCapacity=desired,
            VPCZoneIdentifier=",".join(subnets),
            **fields,
        )
    spread = [launch_instance(boto, REGION, s) for s in (a1, b)]
    client.attach_instances(AutoScalingGroupName="spread", InstanceIds=spread)

    run = run_cli("scan", "-r", REGION, "-s", "autoscaling", "--peer-tag", "Role")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        "one-az": True,
        "single": True,
        "spread": False,
        "kafka-a": False,
        "kafka-b": False,
        "zk-a": False,
        "zk-b": False,
    }
    assert run.finding("kafka-a")["message"].endswith(
        f"not a risk: its peers by target group kafka, kafka-b ({REGION}b), cover {REGION}a, "
        f"{REGION}b"
    )
    assert f"its peers by tag Role=zookeeper, zk-a ({REGION}a)" in run.finding("zk-b")["message"]
    without = run_cli("scan", "-r", REGION, "-s", "autoscaling", "--truncate-output")
    assert without.verdicts["zk-a"] is True, "peers by tag only for a --peer-tag"
    assert run.finding("one-az")["message"].startswith(f"Launches in 1 AZ(s): {REGION}a;")
    assert (
        f"2 of 2 desired instance(s) in service, in {REGION}a, {REGION}b"
        in run.finding("spread")["message"]
    )
    assert run.pair_results == {("autoscaling", REGION): "Success"}


def test_every_page_of_groups_is_read(boto: Boto, run_cli: RunCli, standin: StartStandin) -> None:
    a, _, b = make_subnets(boto, REGION)
    groups = [
        {**group(",".join([a, b][: 1 + i % 2]), 0), "AutoScalingGroupName": f"group-{i}"}
        for i in range(5)
    ]
    server = standin(
        "autoscaling",
        {
            "DescribeAutoScalingGroups": paged(
                "autoscaling", "DescribeAutoScalingGroups", lambda p, r: groups, 2
            )
        },
    )
    run = run_cli("scan", "-r", REGION, "-s", "autoscaling")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"group-{i}": i % 2 == 0 for i in range(5)}
    tokens = [p.get("NextToken") for _, op, p in server.requests]
    assert tokens == [None, "2", "4"]


def test_a_beanstalk_environments_group_is_linked_through_the_shared_listing(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    """Elastic Beanstalk from its stand-in (moto lacks DescribeEnvironmentResources), the
    groups from moto; the environments are read once for both checks."""
    a, _, b = make_subnets(boto, REGION)
    client = boto("autoscaling", REGION)
    client.create_launch_configuration(
        LaunchConfigurationName="lc", ImageId=AMI, InstanceType="t3.micro"
    )
    environments = [
        environment_record(REGION, name, f"e-{name}") for name in ("single", "balanced")
    ]
    for name, desired in (("single", 1), ("balanced", 1), ("plain", 1)):
        client.create_auto_scaling_group(
            AutoScalingGroupName=f"awseb-{name}-AutoScalingGroup",
            LaunchConfigurationName="lc",
            MinSize=0,
            MaxSize=2,
            DesiredCapacity=desired,
            VPCZoneIdentifier=f"{a},{b}",
            Tags=tagged(**{BEANSTALK_TAG: f"e-{name}"}) if name != "plain" else [],
        )
    resources = {
        f"e-{name}": environment_resources(name, [], load_balanced=name == "balanced")
        for name in ("single", "balanced")
    }
    server = standin(
        "elasticbeanstalk", beanstalk_handlers(lambda r: environments, resources.get, 1)
    )
    run = run_cli("scan", "-r", REGION, "-s", "autoscaling,beanstalk", "--stdout", "jsonl")
    assert run.code == 0, run.stderr
    found = {f["resource_name"]: f for f in map(json.loads, run.stdout.splitlines())}
    assert {n: f["potential_single_az_risk"] for n, f in found.items()} == {
        "single": True,
        "balanced": False,
        "awseb-single-AutoScalingGroup": False,
        "awseb-balanced-AutoScalingGroup": True,
        "awseb-plain-AutoScalingGroup": True,
    }
    assert found["awseb-single-AutoScalingGroup"]["root_cause"] == {
        "check_id": "beanstalk.environment_load_balanced",
        "resource_arn": found["single"]["resource_arn"],
    }
    listings = [p.get("NextToken") for _, op, p in server.requests if op == "DescribeEnvironments"]
    assert listings == [None, "1"], "listed once, for both checks"

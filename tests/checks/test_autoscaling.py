"""Auto Scaling groups: the rules on DescribeAutoScalingGroups records, and collection through
moto and a paging stand-in."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import autoscaling
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
    for name, subnets, desired, tags in (
        ("one-az", [a1, a2], 0, {}),
        ("single", [a1, b], 1, {}),
        ("spread", [a1, b], 0, {}),
        ("node-group", [a1], 1, {"eks:nodegroup-name": "ng"}),
    ):
        client.create_auto_scaling_group(
            AutoScalingGroupName=name,
            LaunchConfigurationName="lc",
            MinSize=0,
            MaxSize=2,
            DesiredCapacity=desired,
            VPCZoneIdentifier=",".join(subnets),
            Tags=[{"Key": k, "Value": v, "PropagateAtLaunch": True} for k, v in tags.items()],
        )
    spread = [launch_instance(boto, REGION, s) for s in (a1, b)]
    client.attach_instances(AutoScalingGroupName="spread", InstanceIds=spread)

    run = run_cli("scan", "-r", REGION, "-s", "autoscaling")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"one-az": True, "single": True, "spread": False}
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

"""Standalone EC2 instances: the rule on DescribeInstances records and load-balancer
registrations, and collection through moto and a paging stand-in."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import ec2
from resiliency_analyser.checks.api import CheckOptions
from resiliency_analyser.checks.lookups import TargetRecords
from resiliency_analyser.checks.peers import PEER_GROUP_TAG
from resiliency_analyser.demo.standin import paged
from tests.checks.test_elb import target_description
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import AMI, classic_load_balancer, launch_instance, make_subnets
from tests.support.standins import StartStandin, region_zone_listing

GROUP = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/1"
HEALTHY = {"State": "healthy"}


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws:{service}:us-east-1:111122223333:{resource}"


IPV4 = {"a": "10.0.0.10", "b": "10.0.1.10", "c": "10.0.2.10"}
IPV6 = {"a": "2001:db8:a::10", "b": "2001:db8:b::10", "c": "2001:db8:c::10"}


def instance(instance_id: str, zone: str, **fields: Any) -> dict[str, Any]:
    return {
        "InstanceId": instance_id,
        "InstanceType": "t3.micro",
        "State": {"Name": "running"},
        "Placement": {"AvailabilityZone": f"us-east-1{zone}"},
        "VpcId": "vpc-1",
        "PrivateIpAddress": IPV4[zone],
        "NetworkInterfaces": [
            {
                "PrivateIpAddresses": [{"PrivateIpAddress": IPV4[zone]}],
                "Ipv6Addresses": [{"Ipv6Address": IPV6[zone]}],
            }
        ],
        "Tags": [{"Key": "Name", "Value": instance_id}],
        **fields,
    }


SUBJECT = instance("i-a", "a")
PEER_B = instance("i-b", "b")
PEER_A = instance("i-a2", "a")


def in_group(kind: str, *targets: tuple[str, dict[str, str]], vpc: str = "vpc-1") -> TargetRecords:
    return TargetRecords(
        target_groups=[
            {
                "TargetGroupArn": GROUP,
                "TargetGroupName": "web",
                "TargetType": kind,
                "VpcId": vpc,
                "LoadBalancerArns": ["arn:lb"],
            }
        ],
        target_health={
            GROUP: [
                {"Target": target_description(t), "TargetHealth": health} for t, health in targets
            ]
        },
        instances=[SUBJECT, PEER_A, PEER_B],
        subnets=[
            {
                "SubnetId": f"s-{zone}",
                "VpcId": "vpc-1",
                "AvailabilityZone": f"us-east-1{zone}",
                "CidrBlock": f"10.0.{i}.0/24",
                "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": f"2001:db8:{zone}::/64"}],
            }
            for i, zone in enumerate("ab")
        ],
    )


def in_classic(*states: tuple[str, str]) -> TargetRecords:
    return TargetRecords(
        classic_health={"legacy": [{"InstanceId": i, "State": s} for i, s in states]},
        instances=[SUBJECT, PEER_A, PEER_B],
    )


@pytest.mark.parametrize(
    ("records", "risk", "message"),
    [
        (
            TargetRecords(),
            True,
            "Standalone instance in us-east-1a, in no load balancer target group or Classic Load "
            "Balancer",
        ),
        (
            in_group("instance", ("i-a", {"State": "unhealthy"}), ("i-b", HEALTHY)),
            False,
            "Standalone instance in us-east-1a, registered in target group web with healthy "
            "targets in us-east-1b",
        ),
        (
            in_group("instance", ("i-a", HEALTHY), ("i-a2", HEALTHY)),
            True,
            "Standalone instance in us-east-1a; no healthy target in another AZ shares its target "
            "group web",
        ),
        (
            in_group("instance", ("i-a", HEALTHY), ("i-b", {"State": "unhealthy"})),
            True,
            "no healthy target in another AZ shares its target group web",
        ),
        (
            in_group("instance", ("i-b", HEALTHY)),
            True,
            "in no load balancer target group or Classic Load Balancer",
        ),
        (
            # Registered by its address; the other address lies in subnet s-b's CIDR.
            in_group("ip", ("10.0.0.10", HEALTHY), ("10.0.1.99", HEALTHY)),
            False,
            "registered in target group web with healthy targets in us-east-1b",
        ),
        (
            in_group("ip", ("2001:db8:a::10", HEALTHY), ("2001:db8:b::99", HEALTHY)),
            False,
            "healthy targets in us-east-1b",
        ),
        (
            in_group("ip", ("10.0.0.10", HEALTHY), ("10.0.1.99", HEALTHY), vpc="vpc-2"),
            True,
            "in no load balancer target group or Classic Load Balancer",
        ),
        (
            # An address outside the VPC, registered with AZ all, serves from every AZ.
            in_group("ip", ("10.0.0.10", HEALTHY), ("192.168.0.1@all", HEALTHY)),
            False,
            "registered in target group web with healthy targets outside the VPC (AZ all)",
        ),
        (
            in_classic(("i-a", "OutOfService"), ("i-b", "InService")),
            False,
            "registered in Classic Load Balancer legacy with healthy targets in us-east-1b",
        ),
        (
            in_classic(("i-a", "InService"), ("i-b", "OutOfService")),
            True,
            "no healthy target in another AZ shares its Classic Load Balancer legacy",
        ),
    ],
)
def test_standalone_instance_rule(records: TargetRecords, risk: bool, message: str) -> None:
    [result] = ec2.assess([SUBJECT], records, arn_of)
    assert (result.check_id, result.risk) == ("ec2.standalone_instance", risk)
    assert message in result.message
    assert result.resource_arn == "arn:aws:ec2:us-east-1:111122223333:instance/i-a"
    assert (result.resource_name, result.resource_id, result.engine) == ("i-a", "i-a", "t3.micro")
    assert result.availability_zones == ("us-east-1a",)
    assert result.tags == (("Name", "i-a"),)


@pytest.mark.parametrize("tag", sorted(ec2.MANAGED_BY))
def test_instances_a_service_manages_give_no_finding(tag: str) -> None:
    managed = instance("i-m", "a", Tags=[{"Key": tag, "Value": "x"}])
    assert ec2.assess([managed], TargetRecords(), arn_of) == []


def domain_controller(instance_id: str, zone: str, **tags: str) -> dict[str, Any]:
    return instance(
        instance_id,
        zone,
        Tags=[
            {"Key": "Name", "Value": instance_id},
            *({"Key": k, "Value": v} for k, v in tags.items()),
        ],
    )


THREE_TAGGED = [
    domain_controller("dc-1", "a", Role="ad"),
    domain_controller("dc-2", "b", Role="ad"),
    domain_controller("dc-3", "c", Role="ad"),
]


@pytest.mark.parametrize(
    ("instances", "keys", "expected"),
    [
        # Three tagged domain controllers in three AZs: peers by the workload tag.
        (
            THREE_TAGGED,
            ("Role",),
            {
                "dc-1": (
                    False,
                    "Standalone instance in us-east-1a, in no load balancer target group or "
                    "Classic Load Balancer; not a risk: its peers by tag Role=ad, dc-2 "
                    "(us-east-1b), dc-3 (us-east-1c), cover us-east-1a, us-east-1b, us-east-1c",
                ),
                "dc-2": (False, "its peers by tag Role=ad, dc-1 (us-east-1a), dc-3 (us-east-1c)"),
                "dc-3": (False, "its peers by tag Role=ad, dc-1 (us-east-1a), dc-2 (us-east-1b)"),
            },
        ),
        # The same without the tag named: three risks.
        (
            THREE_TAGGED,
            (),
            {f"dc-{i}": (True, "in no load balancer target group") for i in (1, 2, 3)},
        ),
        # Tagged peers all in one AZ: still a risk each, naming the group.
        (
            [domain_controller("dc-1", "a", Role="ad"), domain_controller("dc-2", "a", Role="ad")],
            ("Role",),
            {
                "dc-1": (
                    True,
                    "its peers by tag Role=ad, dc-2 (us-east-1a), sit in us-east-1a too: the "
                    "group is single-AZ",
                ),
                "dc-2": (True, "dc-1 (us-east-1a), sit in us-east-1a too"),
            },
        ),
        # Another value of the tag is another group; the always-read tag needs no option.
        (
            [
                domain_controller("dc-1", "a", Role="ad"),
                domain_controller("web-1", "b", Role="web"),
                domain_controller("x-1", "a", **{PEER_GROUP_TAG: "x"}),
                domain_controller("x-2", "b", **{PEER_GROUP_TAG: "x"}),
            ],
            ("Role",),
            {
                "dc-1": (True, "in no load balancer"),
                "web-1": (True, "in no load balancer"),
                "x-1": (False, f"its peers by tag {PEER_GROUP_TAG}=x, x-2 (us-east-1b)"),
                "x-2": (False, f"its peers by tag {PEER_GROUP_TAG}=x, x-1 (us-east-1a)"),
            },
        ),
        # An instance a service manages is not judged here, yet it is a peer.
        (
            [
                domain_controller("dc-1", "a", Role="ad"),
                domain_controller("dc-asg", "b", Role="ad", **{"aws:autoscaling:groupName": "g"}),
            ],
            ("Role",),
            {"dc-1": (False, "its peers by tag Role=ad, dc-asg (us-east-1b)")},
        ),
    ],
)
def test_peers_by_workload_tag(
    instances: list[dict[str, Any]], keys: tuple[str, ...], expected: dict[str, tuple[bool, str]]
) -> None:
    found = ec2.assess(instances, TargetRecords(), arn_of, CheckOptions(peer_tags=keys))
    assert {a.resource_name: a.risk for a in found} == {n: r for n, (r, _) in expected.items()}
    for result in found:
        assert expected[result.resource_name][1] in result.message, result.message
        assert result.check_id == "ec2.standalone_instance"


def test_a_load_balancer_pairing_comes_before_peers() -> None:
    records = in_group("instance", ("i-a", HEALTHY), ("i-b", HEALTHY))
    tagged = instance("i-a", "a", Tags=[{"Key": PEER_GROUP_TAG, "Value": "x"}])
    [result] = ec2.assess([tagged, instance("i-b", "b")], records, arn_of)[:1]
    assert not result.risk
    assert "registered in target group web" in result.message


@pytest.mark.parametrize("operated", [True, False])
def test_instances_an_operator_manages_are_judged_by_their_service(operated: bool) -> None:
    node = instance("i-auto", "a", Operator={"Managed": operated, "Principal": "eks.amazonaws.com"})
    assert len(ec2.assess([node], TargetRecords(), arn_of)) == (0 if operated else 1)


def test_instances_not_running_give_no_finding() -> None:
    stopped = instance("i-s", "a", State={"Name": "stopped"})
    assert ec2.assess([stopped], TargetRecords(), arn_of) == []


REGION = "eu-west-1"


def test_standalone_instances_are_judged_on_moto(boto: Boto, run_cli: RunCli) -> None:
    a, _, b = make_subnets(boto, REGION)
    lone = launch_instance(boto, REGION, a, Name="lone")
    pair = [
        launch_instance(boto, REGION, a, Name="pair-a"),
        launch_instance(boto, REGION, b, Name="pair-b"),
    ]
    launch_instance(
        boto, REGION, a, **{"Name": "karpenter-node", "karpenter.sh/nodepool": "default"}
    )
    stopped = launch_instance(boto, REGION, a, Name="stopped")
    boto("ec2", REGION).stop_instances(InstanceIds=[stopped])
    autoscaling = boto("autoscaling", REGION)
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="lc", ImageId=AMI, InstanceType="t3.micro"
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="group",
        LaunchConfigurationName="lc",
        MinSize=1,
        MaxSize=1,
        VPCZoneIdentifier=a,
    )
    classic_load_balancer(boto, REGION, "pairing", [a, b], pair)

    run = run_cli("scan", "-r", REGION, "-s", "ec2")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"lone": True, "pair-a": False, "pair-b": False}
    assert run.finding("lone")["resource_arn"] == (
        f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:instance/{lone}"
    )
    assert run.finding("pair-a")["message"] == (
        f"Standalone instance in {REGION}a, registered in Classic Load Balancer pairing with "
        f"healthy targets in {REGION}b"
    )
    assert run.pair_results == {("ec2", REGION): "Success"}


def test_peers_by_workload_tag_on_moto(boto: Boto, run_cli: RunCli) -> None:
    a, _, b = make_subnets(boto, REGION)
    for name, subnet in (("dc-1", a), ("dc-2", b), ("solo-1", a)):
        launch_instance(boto, REGION, subnet, Name=name, Role=name.split("-")[0])
    run = run_cli("scan", "-r", REGION, "-s", "ec2", "--peer-tag", "Role", "--peer-tag", "Team")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"dc-1": False, "dc-2": False, "solo-1": True}
    assert run.finding("dc-2")["message"] == (
        f"Standalone instance in {REGION}b, in no load balancer target group or Classic Load "
        f"Balancer; not a risk: its peers by tag Role=dc, dc-1 ({REGION}a), cover {REGION}a, "
        f"{REGION}b"
    )


def filtered(records: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    """The reservations whose instances match the request's ``instance-state-name`` filter."""
    assert params["Filter.1.Name"] == "instance-state-name"
    wanted = params["Filter.1.Value.1"]
    return [r for r in records if r["Instances"][0]["State"]["Name"] == wanted]


def test_every_page_of_instances_is_read(run_cli: RunCli, standin: StartStandin) -> None:
    reservations = [
        {
            "ReservationId": f"r-{i}",
            "Instances": [
                instance(f"i-{i}", "ab"[i % 2], State={"Name": "stopped" if i == 4 else "running"})
            ],
        }
        for i in range(6)
    ]
    # An EKS Auto Mode node: its operator is on the wire as <operator><managed>true</managed>.
    reservations.append(
        {
            "ReservationId": "r-auto",
            "Instances": [
                instance(
                    "i-auto", "a", Operator={"Managed": True, "Principal": "eks.amazonaws.com"}
                )
            ],
        }
    )
    server = standin(
        "ec2",
        {
            "DescribeRegions": lambda params, region: {"Regions": [{"RegionName": REGION}]},
            "DescribeAvailabilityZones": region_zone_listing(REGION),
            "DescribeInstances": paged(
                "ec2", "DescribeInstances", lambda p, r: filtered(reservations, p), 2
            ),
        },
    )
    run = run_cli("scan", "-r", REGION, "-s", "ec2")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"i-{i}": True for i in (0, 1, 2, 3, 5)}
    tokens = [p.get("NextToken") for _, op, p in server.requests if op == "DescribeInstances"]
    assert tokens == [None, "2", "4"]

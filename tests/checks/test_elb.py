"""Load balancers: the rules on DescribeLoadBalancers / DescribeTargetHealth records, and
collection through moto and, for pages moto does not make, stand-ins."""

from __future__ import annotations

import json
from typing import Any

import pytest

from resiliency_analyser.checks import elb
from resiliency_analyser.checks.api import DEFAULT_OPTIONS, RootCause
from resiliency_analyser.checks.lookups import JudgedService, TargetRecords
from resiliency_analyser.demo.seeders.ecs import service_record, task_records
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import AMI, classic_load_balancer, launch_instance, make_subnets
from tests.support.standins import StartStandin

LB = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188"
VPC = "vpc-1"
SUBNETS: list[dict[str, Any]] = [
    {
        "SubnetId": "subnet-a",
        "VpcId": VPC,
        "AvailabilityZone": "us-east-1a",
        "CidrBlock": "10.0.0.0/24",
    },
    {
        "SubnetId": "subnet-b",
        "VpcId": VPC,
        "AvailabilityZone": "us-east-1b",
        "CidrBlock": "10.0.1.0/24",
        "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2001:db8:1::/64"}],
    },
    # The same CIDR in another VPC: an address means something only within its own VPC.
    {
        "SubnetId": "subnet-x",
        "VpcId": "vpc-2",
        "AvailabilityZone": "us-east-1c",
        "CidrBlock": "10.0.0.0/24",
    },
]
INSTANCES = [
    {"InstanceId": "i-a", "Placement": {"AvailabilityZone": "us-east-1a"}},
    {"InstanceId": "i-a2", "Placement": {"AvailabilityZone": "us-east-1a"}},
    {"InstanceId": "i-b", "Placement": {"AvailabilityZone": "us-east-1b"}},
]
HEALTHY = {"State": "healthy"}
UNHEALTHY = {"State": "unhealthy", "Reason": "Target.FailedHealthChecks"}
NO_HEALTH_CHECK = {"State": "unavailable", "Reason": "Target.HealthCheckDisabled"}


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws:{service}:us-east-1:111122223333:{resource}"


def balancer(zones: str, kind: str = "application", state: str = "active") -> dict[str, Any]:
    return {
        "LoadBalancerArn": LB,
        "LoadBalancerName": "web",
        "Type": kind,
        "State": {"Code": state},
        "VpcId": VPC,
        "AvailabilityZones": [
            {"ZoneName": f"us-east-1{z}", "SubnetId": f"subnet-{z}"} for z in zones
        ],
    }


def group_arn(name: str) -> str:
    return f"arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/{name}/1"


def targets(*groups: tuple[str, str, list[tuple[str, dict[str, str]]]]) -> TargetRecords:
    """Records of target groups (name, target type, targets with their health and, for IP
    targets, ``"ip@zone"`` to give the AZ they were registered with) the load balancer
    forwards to."""
    return TargetRecords(
        target_groups=[
            {
                "TargetGroupArn": group_arn(name),
                "TargetGroupName": name,
                "TargetType": kind,
                "VpcId": VPC,
                "LoadBalancerArns": [LB],
            }
            for name, kind, _ in groups
        ],
        target_health={
            group_arn(name): [
                {"Target": target_description(t), "TargetHealth": h} for t, h in found
            ]
            for name, _, found in groups
        },
        instances=INSTANCES,
        subnets=SUBNETS,
    )


def target_description(target: str) -> dict[str, Any]:
    address, _, zone = target.partition("@")
    return {"Id": address, "Port": 80, **({"AvailabilityZone": zone} if zone else {})}


def group(name: str, kind: str, *found: tuple[str, dict[str, str]]) -> TargetRecords:
    """Records of one target group the load balancer forwards to, with its targets' health."""
    return targets((name, kind, list(found)))


@pytest.mark.parametrize(
    ("record", "records", "risk", "message"),
    [
        (
            balancer("a", "network"),
            TargetRecords(),
            True,
            "Network Load Balancer enabled in 1 AZ(s): us-east-1a; forwards to no target group",
        ),
        (
            balancer("ab"),
            targets(("web", "instance", []), ("api", "instance", [])),
            False,
            "Application Load Balancer enabled in 2 AZ(s): us-east-1a, us-east-1b; forwards to "
            "2 target group(s), each judged on its own: api, web",
        ),
        (
            balancer("a", "network", state="active_impaired"),
            group("tg", "instance", ("i-a", HEALTHY)),
            True,
            "enabled in 1 AZ(s): us-east-1a; forwards to 1 target group(s)",
        ),
    ],
)
def test_load_balancer_zone_rule(
    record: dict[str, Any], records: TargetRecords, risk: bool, message: str
) -> None:
    [result] = [
        a for a in elb.assess([record], [], {}, records, {}, arn_of) if a.resource_arn == LB
    ]
    assert (result.check_id, result.risk) == ("elb.load_balancer_zones", risk)
    assert message in result.message
    assert (result.resource_name, result.resource_id) == ("web", "app/web/50dc6c495c0c9188")
    assert result.engine == record["Type"]
    assert result.availability_zones == tuple(
        sorted(z["ZoneName"] for z in record["AvailabilityZones"])
    )


LAMBDA = "arn:aws:lambda:us-east-1:111122223333:function:f"


@pytest.mark.parametrize(
    ("records", "verdicts"),
    [
        (
            group("tg", "instance", ("i-a", HEALTHY), ("i-b", HEALTHY)),
            {"tg": (False, "2 healthy target(s) in 2 AZ(s): us-east-1a, us-east-1b")},
        ),
        (
            group("tg", "instance", ("i-a", HEALTHY), ("i-a2", HEALTHY), ("i-b", UNHEALTHY)),
            {"tg": (True, "2 healthy target(s) in 1 AZ(s): us-east-1a")},
        ),
        (
            group("tg", "instance", ("i-a", UNHEALTHY), ("i-b", {"State": "draining"})),
            {"tg": (False, "no healthy targets")},
        ),
        # Two single-AZ target groups on one ALB: each path dies with its AZ, twice a risk.
        (
            targets(
                ("api", "instance", [("i-a", HEALTHY), ("i-a2", HEALTHY)]),
                ("web", "instance", [("i-b", HEALTHY)]),
            ),
            {
                "api": (True, "2 healthy target(s) in 1 AZ(s): us-east-1a"),
                "web": (True, "1 healthy target(s) in 1 AZ(s): us-east-1b"),
            },
        ),
        # One Lambda target group does not pass the load balancer's other target groups.
        (
            targets(
                ("fn", "lambda", [(LAMBDA, NO_HEALTH_CHECK)]),
                ("web", "instance", [("i-a", HEALTHY)]),
            ),
            {
                "fn": (False, "its healthy targets are a Lambda function, which span AZs"),
                "web": (True, "1 healthy target(s) in 1 AZ(s): us-east-1a"),
            },
        ),
        (
            group(
                "alb",
                "alb",
                ("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1", HEALTHY),
            ),
            {"alb": (False, "its healthy targets are an Application Load Balancer")},
        ),
        (
            group("ips", "ip", ("10.0.0.7", HEALTHY), ("2001:db8:1::9", HEALTHY)),
            {"ips": (False, "2 healthy target(s) in 2 AZ(s): us-east-1a, us-east-1b")},
        ),
        # An NLB's IP targets outside the VPC, registered with AZ all: not zonal, not "0 AZs".
        (
            group("far", "ip", ("192.168.4.4@all", HEALTHY), ("192.168.4.5@all", HEALTHY)),
            {
                "far": (
                    False,
                    "2 healthy target(s) outside the VPC, registered with AZ all: in no AZ, "
                    "reached from each AZ the load balancer is enabled in",
                )
            },
        ),
        (
            group("mixed", "ip", ("10.0.0.7", HEALTHY), ("192.168.4.4@all", HEALTHY)),
            {
                "mixed": (
                    False,
                    "1 healthy target(s) in 1 AZ(s): us-east-1a; 1 healthy target(s) outside the "
                    "VPC, registered with AZ all",
                )
            },
        ),
        # Outside the VPC but registered with one AZ: reached through that AZ's node only.
        (
            group("routed", "ip", ("192.168.4.4@us-east-1b", HEALTHY), ("10.0.1.9", HEALTHY)),
            {"routed": (True, "2 healthy target(s) in 1 AZ(s): us-east-1b")},
        ),
        (
            group("ips", "ip", ("10.0.0.7", HEALTHY), ("192.168.4.4", HEALTHY)),
            {
                "ips": (
                    True,
                    "2 healthy target(s) in 1 AZ(s): us-east-1a; AZ unknown for 192.168.4.4",
                )
            },
        ),
        (
            group(
                "many",
                "ip",
                ("10.0.0.7", HEALTHY),
                *((f"192.168.9.{i}", HEALTHY) for i in range(7)),
            ),
            {
                "many": (
                    True,
                    "8 healthy target(s) in 1 AZ(s): us-east-1a; AZ unknown for 192.168.9.0, "
                    "192.168.9.1, 192.168.9.2, 192.168.9.3, 192.168.9.4 and 2 more",
                )
            },
        ),
        (
            group("gone", "instance", ("i-terminated", HEALTHY)),
            {"gone": (True, "1 healthy target(s) in 0 AZ(s): none; AZ unknown for i-terminated")},
        ),
    ],
)
def test_each_target_group_is_judged_on_its_own(
    records: TargetRecords, verdicts: dict[str, tuple[bool, str]]
) -> None:
    found = elb.assess([balancer("ab")], [], {}, records, {}, arn_of)
    groups = {a.resource_name: a for a in found if a.resource_arn != LB}
    assert {name: a.risk for name, a in groups.items()} == {
        name: risk for name, (risk, _) in verdicts.items()
    }
    for name, (_, text) in verdicts.items():
        assert groups[name].message.startswith(
            f"Target group of Application Load Balancer web: {text}"
        ), groups[name].message
    for name, result in groups.items():
        assert result.check_id == "elb.target_group_zones"
        assert (result.resource_arn, result.resource_id) == (
            group_arn(name),
            f"targetgroup/{name}/1",
        )
        assert result.engine == next(
            g["TargetType"] for g in records.target_groups if g["TargetGroupName"] == name
        )


ASG_PREFIX = "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:1:autoScalingGroupName/"
SUBNET_ZONES_ALL = {"subnet-a": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b": "us-east-1b"}


def filler(name: str, subnet: str, zones: str, **fields: Any) -> dict[str, Any]:
    """An Auto Scaling group over one subnet, an in-service instance per AZ letter."""
    return {
        "AutoScalingGroupName": name,
        "AutoScalingGroupARN": ASG_PREFIX + name,
        "DesiredCapacity": len(zones),
        "VPCZoneIdentifier": subnet,
        "Instances": [
            {
                "InstanceId": f"i-{z}",
                "AvailabilityZone": f"us-east-1{z}",
                "LifecycleState": "InService",
            }
            for z in zones
        ],
        **fields,
    }


def ecs_service(name: str, subnets: list[str], zones: str, **fields: Any) -> JudgedService:
    record = service_record("us-east-1", "shop", name, len(zones), subnets, **fields)
    return JudgedService(record, task_records(record, zones))


ONE_AZ_TARGETS = group("web", "instance", ("i-a", HEALTHY), ("i-a2", HEALTHY))


@pytest.mark.parametrize(
    ("fillers", "root", "text"),
    [
        # A single-AZ Auto Scaling group behind an ALB: one risk, on the group.
        (
            elb.Fillers([filler("web-asg", "subnet-a", "aa", TargetGroupARNs=[group_arn("web")])]),
            ("autoscaling.group_zones", ASG_PREFIX + "web-asg"),
            "; it goes down with its Auto Scaling group web-asg (autoscaling.group_zones), the "
            "root cause",
        ),
        # A single-AZ ECS service registering its tasks with the target group.
        (
            elb.Fillers(
                services=[
                    ecs_service(
                        "api",
                        ["subnet-a", "subnet-a2"],
                        "aa",
                        loadBalancers=[{"targetGroupArn": group_arn("web"), "containerPort": 80}],
                    )
                ]
            ),
            ("ecs.service_subnet_zones", "arn:aws:ecs:us-east-1:123456789012:service/shop/api"),
            "; it goes down with its ECS service shop/api (ecs.service_subnet_zones)",
        ),
        # A group that is no risk (its peer runs in AZ b) leaves the target group's risk its own.
        (
            elb.Fillers(
                [
                    filler("web-a", "subnet-a", "aa", TargetGroupARNs=[group_arn("web")]),
                    filler(
                        "web-b",
                        "subnet-b",
                        "",
                        TargetGroupARNs=[group_arn("web")],
                        DesiredCapacity=0,
                    ),
                ]
            ),
            None,
            "",
        ),
        (elb.Fillers([filler("other", "subnet-a", "aa", TargetGroupARNs=["arn:other"])]), None, ""),
        (
            elb.Fillers(services=[ecs_service("api", ["subnet-a", "subnet-b"], "ab")]),
            None,
            "",
        ),
    ],
)
def test_a_target_group_goes_down_with_what_fills_it(
    fillers: elb.Fillers, root: tuple[str, str] | None, text: str
) -> None:
    found = elb.assess(
        [balancer("ab")], [], {}, ONE_AZ_TARGETS, SUBNET_ZONES_ALL, arn_of, DEFAULT_OPTIONS, fillers
    )
    [result] = [a for a in found if a.resource_name == "web" and a.resource_arn != LB]
    assert result.check_id == "elb.target_group_zones"
    if root is None:
        assert (result.risk, result.root_cause) == (True, None)
        assert "goes down with" not in result.message
    else:
        assert not result.risk
        assert result.root_cause == RootCause(check_id=root[0], resource_arn=root[1])
        assert result.message.startswith(
            "Target group of Application Load Balancer web: 2 healthy target(s) in 1 AZ(s): "
            f"us-east-1a{text}"
        )


def test_a_classic_load_balancer_goes_down_with_its_group_unless_at_risk_itself() -> None:
    group_record = filler("legacy-asg", "subnet-a", "aa", LoadBalancerNames=["legacy"])
    records = registered(("i-a", "InService"), ("i-a2", "InService"))
    attributes = {"legacy": cross_zone(True)}
    fillers = elb.Fillers([group_record])
    [spread] = elb.assess(
        [],
        [classic(["us-east-1a", "us-east-1b"])],
        attributes,
        records,
        {},
        arn_of,
        DEFAULT_OPTIONS,
        fillers,
    )
    assert (spread.risk, spread.check_id) == (False, "elb.classic_instance_zones")
    assert spread.root_cause == RootCause(
        check_id="autoscaling.group_zones", resource_arn=ASG_PREFIX + "legacy-asg"
    )
    [one_az] = elb.assess(
        [], [classic(["us-east-1a"])], attributes, records, {}, arn_of, DEFAULT_OPTIONS, fillers
    )
    assert (one_az.risk, one_az.check_id, one_az.root_cause) == (True, "elb.classic_zones", None)
    assert "it goes down with its Auto Scaling group legacy-asg" in one_az.message


def test_an_nlb_with_targets_outside_the_vpc_is_not_zonal() -> None:
    """IP targets registered with AZ ``all`` are in no AZ: not "0 AZs", and not a risk."""
    records = group("on-premises", "ip", ("192.168.4.4@all", HEALTHY), ("192.168.4.5@all", HEALTHY))
    found = elb.assess([balancer("ab", "network")], [], {}, records, {}, arn_of)
    assert [(a.resource_name, a.risk) for a in found] == [("web", False), ("on-premises", False)]
    assert found[1].message == (
        "Target group of Network Load Balancer web: 2 healthy target(s) outside the VPC, "
        "registered with AZ all: in no AZ, reached from each AZ the load balancer is enabled in"
    )
    assert found[1].availability_zones == ()


def test_target_groups_no_judged_load_balancer_forwards_to_give_no_finding() -> None:
    records = group("tg", "instance", ("i-a", HEALTHY))
    assert [a.resource_arn for a in elb.assess([], [], {}, records, {}, arn_of)] == []
    provisioning = balancer("ab", state="provisioning")
    assert elb.assess([provisioning], [], {}, records, {}, arn_of) == []


@pytest.mark.parametrize("state", ["provisioning", "failed"])
def test_load_balancers_being_created_or_failed_give_no_finding(state: str) -> None:
    records = group("tg", "instance", ("i-a", HEALTHY))
    assert elb.assess([balancer("a", state=state)], [], {}, records, {}, arn_of) == []


def classic(zones: list[str], subnets: list[str] | None = None) -> dict[str, Any]:
    return {
        "LoadBalancerName": "legacy",
        "AvailabilityZones": zones,
        "Subnets": subnets or [],
        "Instances": [{"InstanceId": i["InstanceId"]} for i in INSTANCES],
    }


def cross_zone(enabled: bool) -> dict[str, Any]:
    return {"LoadBalancerAttributes": {"CrossZoneLoadBalancing": {"Enabled": enabled}}}


def registered(*states: tuple[str, str]) -> TargetRecords:
    return TargetRecords(
        classic_health={"legacy": [{"InstanceId": i, "State": s} for i, s in states]},
        instances=INSTANCES,
    )


SUBNET_ZONES = {"subnet-a": "us-east-1a", "subnet-b": "us-east-1b"}
BOTH = (("i-a", "InService"), ("i-b", "InService"))


@pytest.mark.parametrize(
    ("record", "attributes", "records", "check_id", "risk", "message"),
    [
        (
            classic(["us-east-1a", "us-east-1b"]),
            cross_zone(True),
            registered(*BOTH),
            "elb.classic_zones",
            False,
            "Classic Load Balancer enabled in 2 AZ(s): us-east-1a, us-east-1b; 2 healthy "
            "target(s) in 2 AZ(s): us-east-1a, us-east-1b (2 registered instance(s)); cross-zone "
            "load balancing on",
        ),
        (
            classic(["us-east-1a", "us-east-1b"]),
            cross_zone(False),
            registered(*BOTH),
            "elb.classic_cross_zone",
            True,
            "cross-zone load balancing off: each AZ's node serves only that AZ's instances",
        ),
        (
            classic(["us-east-1a", "us-east-1b"]),
            {},
            registered(("i-a", "InService"), ("i-b", "OutOfService")),
            "elb.classic_instance_zones",
            True,
            "1 healthy target(s) in 1 AZ(s): us-east-1a (2 registered instance(s)); cross-zone load "
            "balancing off",
        ),
        (
            # A VPC load balancer whose record lists no AZs is placed by its subnets.
            classic([], ["subnet-a", "subnet-b"]),
            cross_zone(True),
            registered(*BOTH),
            "elb.classic_zones",
            False,
            "enabled in 2 AZ(s): us-east-1a, us-east-1b",
        ),
        (
            classic(["us-east-1a"]),
            cross_zone(False),
            registered(("i-b", "OutOfService")),
            "elb.classic_zones",
            True,
            "enabled in 1 AZ(s): us-east-1a; no healthy targets (1 registered instance(s)); "
            "cross-zone load balancing off",
        ),
    ],
)
def test_classic_load_balancer_rules(
    record: dict[str, Any],
    attributes: dict[str, Any],
    records: TargetRecords,
    check_id: str,
    risk: bool,
    message: str,
) -> None:
    [result] = elb.assess([], [record], {"legacy": attributes}, records, SUBNET_ZONES, arn_of)
    assert (result.check_id, result.risk) == (check_id, risk)
    assert message in result.message
    assert result.resource_arn == arn_of("elasticloadbalancing", "loadbalancer/legacy")
    assert (result.resource_name, result.engine) == ("legacy", "classic")


REGION = "eu-west-1"


def forwarding(boto: Boto, name: str, subnets: list[str], kind: str, targets: list[str]) -> None:
    """A load balancer forwarding to one target group of ``targets``."""
    elbv2 = boto("elbv2", REGION)
    lb_type, protocol = ("network", "TCP") if kind == "ip" else ("application", "HTTP")
    arn = elbv2.create_load_balancer(Name=name, Subnets=subnets, Type=lb_type)["LoadBalancers"][0][
        "LoadBalancerArn"
    ]
    vpc = boto("ec2", REGION).describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    group_arn = elbv2.create_target_group(
        Name=f"{name}-tg", Protocol=protocol, Port=80, VpcId=vpc, TargetType=kind
    )["TargetGroups"][0]["TargetGroupArn"]
    if targets:
        elbv2.register_targets(TargetGroupArn=group_arn, Targets=[{"Id": t} for t in targets])
    elbv2.create_listener(
        LoadBalancerArn=arn,
        Protocol=protocol,
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group_arn}],
    )


def test_load_balancers_are_judged_on_moto(boto: Boto, run_cli: RunCli) -> None:
    a1, a2, b = make_subnets(boto, REGION)  # AZs a, a, b
    in_a, in_b = launch_instance(boto, REGION, a1), launch_instance(boto, REGION, b)
    forwarding(boto, "spread", [a1, b], "instance", [in_a, in_b])
    forwarding(boto, "targets-one-az", [a1, b], "instance", [in_a])
    forwarding(boto, "two-subnets-one-az", [a1, a2], "ip", ["10.9.0.10", "10.9.2.10"])
    forwarding(boto, "idle", [a1, b], "instance", [])
    classic_load_balancer(boto, REGION, "classic", [a1, b], [in_a, in_b])

    run = run_cli("scan", "-r", REGION, "-s", "elb")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        "spread": False,
        "spread-tg": False,
        "targets-one-az": False,
        "targets-one-az-tg": True,
        "two-subnets-one-az": True,
        "two-subnets-one-az-tg": False,
        "idle": False,
        "idle-tg": False,
        "classic": True,
    }
    assert run.finding("spread-tg")["message"] == (
        "Target group of Application Load Balancer spread: 2 healthy target(s) in 2 AZ(s): "
        "eu-west-1a, eu-west-1b"
    )
    assert (
        "1 healthy target(s) in 1 AZ(s): eu-west-1a" in run.finding("targets-one-az-tg")["message"]
    )
    # Two subnets in one AZ are one AZ; the IP targets are placed by their subnets' CIDRs.
    assert run.finding("two-subnets-one-az")["message"] == (
        "Network Load Balancer enabled in 1 AZ(s): eu-west-1a; forwards to 1 target group(s), "
        "each judged on its own: two-subnets-one-az-tg"
    )
    assert (
        "2 healthy target(s) in 2 AZ(s): eu-west-1a, eu-west-1b"
        in (run.finding("two-subnets-one-az-tg")["message"])
    )
    assert "no healthy targets" in run.finding("idle-tg")["message"]
    assert run.finding("idle-tg")["resource_arn"].startswith(
        f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT_ID}:targetgroup/idle-tg/"
    )
    assert "cross-zone load balancing off" in run.finding("classic")["message"]
    assert run.finding("classic")["resource_arn"] == (
        f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT_ID}:loadbalancer/classic"
    )
    assert run.pair_results == {("elb", REGION): "Success"}


def test_a_target_group_filled_by_a_single_az_group_goes_down_with_it_on_moto(
    boto: Boto, run_cli: RunCli
) -> None:
    a1, _, b = make_subnets(boto, REGION)
    elbv2 = boto("elbv2", REGION)
    balancer = elbv2.create_load_balancer(Name="shop", Subnets=[a1, b])["LoadBalancers"][0]
    vpc = balancer["VpcId"]
    target_group = elbv2.create_target_group(Name="shop-tg", Protocol="HTTP", Port=80, VpcId=vpc)[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    elbv2.create_listener(
        LoadBalancerArn=balancer["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group}],
    )
    autoscaling = boto("autoscaling", REGION)
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="lc", ImageId=AMI, InstanceType="t3.micro"
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="shop-asg",
        LaunchConfigurationName="lc",
        MinSize=2,
        MaxSize=2,
        DesiredCapacity=2,
        VPCZoneIdentifier=a1,
        TargetGroupARNs=[target_group],
    )
    run = run_cli("scan", "-r", REGION, "-s", "elb,autoscaling", "--stdout", "jsonl")
    assert run.code == 0, run.stderr
    found = {f["resource_name"]: f for f in map(json.loads, run.stdout.splitlines())}
    asg, tg = found["shop-asg"], found["shop-tg"]
    assert (asg["potential_single_az_risk"], asg["root_cause"]) == (True, None)
    assert tg["potential_single_az_risk"] is False, "one failure, one risk"
    assert tg["root_cause"] == {
        "check_id": "autoscaling.group_zones",
        "resource_arn": asg["resource_arn"],
    }
    assert tg["message"] == (
        f"Target group of Application Load Balancer shop: 2 healthy target(s) in 1 AZ(s): "
        f"{REGION}a; it goes down with its Auto Scaling group shop-asg (autoscaling.group_zones), "
        "the root cause"
    )


def test_every_page_is_read_and_registrations_are_read_once_for_elb_and_ec2(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    """Stand-ins page every listing two records at a time (moto returns every target group on
    one page); the instances stay in moto."""
    a, _, b = make_subnets(boto, REGION)
    in_a, in_b = launch_instance(boto, REGION, a), launch_instance(boto, REGION, b)
    prefix = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT_ID}"
    balancers: list[dict[str, Any]] = [
        {
            "LoadBalancerArn": f"{prefix}:loadbalancer/net/lb-{i}/{i}",
            "LoadBalancerName": f"lb-{i}",
            "Type": "network",
            "State": {"Code": "active"},
            "AvailabilityZones": [{"ZoneName": f"{REGION}a"}, {"ZoneName": f"{REGION}b"}],
        }
        for i in range(3)
    ]
    groups: list[dict[str, Any]] = [
        {
            "TargetGroupArn": f"{prefix}:targetgroup/tg-{i}/{i}",
            "TargetGroupName": f"tg-{i}",
            "TargetType": "ip" if i == 2 else "instance",
            "VpcId": "vpc-elsewhere",
            "LoadBalancerArns": [balancers[i % 3]["LoadBalancerArn"]],
        }
        for i in range(5)
    ]
    # lb-0 forwards to tg-0 and tg-3, lb-1 to tg-1 and tg-4, lb-2 to tg-2 only: two addresses
    # outside the VPC (AZ all, on the wire) and one with no healthy target.
    members = {"tg-0": [in_a], "tg-3": [in_b], "tg-1": [in_a], "tg-4": [in_a]}
    outside = [
        {
            "Target": {"Id": f"192.168.7.{i}", "Port": 80, "AvailabilityZone": "all"},
            "TargetHealth": health,
        }
        for i, health in enumerate((HEALTHY, HEALTHY, UNHEALTHY))
    ]

    def health(params: dict[str, Any], region: str) -> dict[str, Any]:
        name = params["TargetGroupArn"].split("/")[1]
        if name == "tg-2":
            return {"TargetHealthDescriptions": outside}
        return {
            "TargetHealthDescriptions": [
                {"Target": {"Id": i, "Port": 80}, "TargetHealth": HEALTHY} for i in members[name]
            ]
        }

    classics = [
        {
            "LoadBalancerName": f"clb-{i}",
            "AvailabilityZones": [f"{REGION}a", f"{REGION}b"],
            "Instances": [{"InstanceId": in_a}, {"InstanceId": in_b}],
        }
        for i in range(3)
    ]
    elbv2 = standin(
        "elbv2",
        {
            "DescribeLoadBalancers": paged(
                "elbv2", "DescribeLoadBalancers", lambda p, r: balancers, 2
            ),
            "DescribeTargetGroups": paged("elbv2", "DescribeTargetGroups", lambda p, r: groups, 2),
            "DescribeTargetHealth": health,
        },
    )
    classic = standin(
        "elb",
        {
            "DescribeLoadBalancers": paged(
                "elb", "DescribeLoadBalancers", lambda p, r: classics, 2
            ),
            "DescribeInstanceHealth": lambda p, r: {
                "InstanceStates": [
                    {"InstanceId": in_a, "State": "InService"},
                    {
                        "InstanceId": in_b,
                        "State": "InService"
                        if p["LoadBalancerName"] != "clb-1"
                        else "OutOfService",
                    },
                ]
            },
            "DescribeLoadBalancerAttributes": lambda p, r: cross_zone(True),
        },
    )

    run = run_cli("scan", "-r", REGION, "-s", "elb,ec2")
    assert run.code == 0, run.stderr
    verdicts = {
        f["resource_name"]: f["potential_single_az_risk"] == "True"
        for f in run.findings
        if f["service"] == "elb"
    }
    assert verdicts == {
        **{f"lb-{i}": False for i in range(3)},
        **{f"tg-{i}": i != 2 for i in range(5)},
        "clb-0": False,
        "clb-1": True,
        "clb-2": False,
    }
    assert run.finding("tg-2")["message"] == (
        "Target group of Network Load Balancer lb-2: 2 healthy target(s) outside the VPC, "
        "registered with AZ all: in no AZ, reached from each AZ the load balancer is enabled in"
    )
    asked = [(op, p.get("Marker")) for _, op, p in elbv2.requests if op != "DescribeTargetHealth"]
    assert sorted(asked, key=str) == sorted(
        [
            ("DescribeLoadBalancers", None),
            ("DescribeLoadBalancers", "2"),
            ("DescribeTargetGroups", None),
            ("DescribeTargetGroups", "2"),
            ("DescribeTargetGroups", "4"),
        ],
        key=str,
    )
    described = sorted(
        p["TargetGroupArn"] for _, op, p in elbv2.requests if op == "DescribeTargetHealth"
    )
    assert described == sorted(g["TargetGroupArn"] for g in groups)
    operations = [(op, p.get("Marker", p.get("LoadBalancerName"))) for _, op, p in classic.requests]
    assert sorted(operations, key=str) == sorted(
        [("DescribeLoadBalancers", None), ("DescribeLoadBalancers", "2")]
        + [
            (op, f"clb-{i}")
            for i in range(3)
            for op in ("DescribeInstanceHealth", "DescribeLoadBalancerAttributes")
        ],
        key=str,
    )
    assert run.pair_results == {("elb", REGION): "Success", ("ec2", REGION): "Success"}

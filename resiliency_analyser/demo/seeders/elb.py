"""The demo account's `elb` resources: a risky and a safe example of each rule.

moto drops the ``AvailabilityZone`` a target was registered with from ``DescribeTargetHealth``,
so the stand-in answers it: with AZ ``all`` for the target group of addresses outside the VPC,
and as moto does for every other group.
"""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.seeders.autoscaling import auto_scaling_group, launch_configuration
from resiliency_analyser.demo.seeders.ec2 import classic_load_balancer, launch_named
from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import DemoWorld, Seeder

OUTSIDE_GROUP = "partner-ips-outside-vpc"
"""The target group of addresses outside the VPC (an on-premises service), registered with AZ
``all``."""
OUTSIDE_ADDRESSES = ("192.168.10.10", "192.168.10.11")


def target_group(elbv2: Any, vpc: str, name: str, kind: str = "instance") -> str:
    protocol = "TCP" if kind == "ip" else "HTTP"
    created = elbv2.create_target_group(
        Name=name, Protocol=protocol, Port=80, VpcId=vpc, TargetType=kind
    )
    arn: str = created["TargetGroups"][0]["TargetGroupArn"]
    return arn


def forward(elbv2: Any, vpc: str, balancer: str, group: str, instances: list[str]) -> str:
    """A target group of ``instances`` the load balancer forwards to by default; its ARN."""
    arn = target_group(elbv2, vpc, group)
    if instances:
        elbv2.register_targets(TargetGroupArn=arn, Targets=[{"Id": i} for i in instances])
    listener(elbv2, balancer, arn, "HTTP")
    return arn


def listener(elbv2: Any, balancer: str, group: str, protocol: str) -> str:
    arn: str = elbv2.create_listener(
        LoadBalancerArn=balancer,
        Protocol=protocol,
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )["Listeners"][0]["ListenerArn"]
    return arn


def demo_vpc(world: DemoWorld, region: str) -> str:
    subnets = world.client("ec2", region).describe_subnets(SubnetIds=world.subnets(region)[:1])
    vpc: str = subnets["Subnets"][0]["VpcId"]
    return vpc


def seed(world: DemoWorld, region: str) -> None:
    """An NLB in one AZ with no targets; an ALB with targets in two AZs; an ALB whose `/api` and
    default target groups each sit in one AZ (two risks); an NLB of addresses outside the VPC;
    an ALB whose target group a single-AZ Auto Scaling group fills (it goes down with the group);
    Classic Load Balancers in front of the two-AZ instances, with cross-zone load balancing on
    or off."""
    elbv2 = world.client("elbv2", region)
    subnets = world.subnets(region)
    vpc = demo_vpc(world, region)
    elbv2.create_load_balancer(Name="ingest-nlb-one-az", Subnets=subnets[:1], Type="network")
    web = [launch_named(world, region, zone, f"web-{zone}") for zone in (0, 1)]
    spread = elbv2.create_load_balancer(Name="web-alb-multi-az", Subnets=subnets[:2])
    forward(elbv2, vpc, spread["LoadBalancers"][0]["LoadBalancerArn"], "web-targets-multi-az", web)

    paths = elbv2.create_load_balancer(Name="shop-alb-paths", Subnets=subnets[:2])
    balancer = paths["LoadBalancers"][0]["LoadBalancerArn"]
    pages, api = (
        target_group(elbv2, vpc, name) for name in ("shop-pages-one-az", "shop-api-one-az")
    )
    for group, zone, name in ((pages, 1, "shop-pages-1"), (api, 0, "shop-api-0")):
        elbv2.register_targets(
            TargetGroupArn=group, Targets=[{"Id": launch_named(world, region, zone, name)}]
        )
    elbv2.create_rule(
        ListenerArn=listener(elbv2, balancer, pages, "HTTP"),
        Priority=1,
        Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": api}],
    )

    partner = elbv2.create_load_balancer(
        Name="partner-nlb-on-premises", Subnets=subnets[:2], Type="network", Scheme="internal"
    )
    outside = target_group(elbv2, vpc, OUTSIDE_GROUP, "ip")
    elbv2.register_targets(
        TargetGroupArn=outside,
        Targets=[{"Id": ip, "AvailabilityZone": "all"} for ip in OUTSIDE_ADDRESSES],
    )
    listener(elbv2, partner["LoadBalancers"][0]["LoadBalancerArn"], outside, "TCP")

    # A single-AZ Auto Scaling group fills this target group: one risk, on the group.
    reports = elbv2.create_load_balancer(Name="reports-alb", Subnets=subnets[:2])
    filled = target_group(elbv2, vpc, "reports-targets-of-one-az-asg")
    listener(elbv2, reports["LoadBalancers"][0]["LoadBalancerArn"], filled, "HTTP")
    launch_configuration(world, region, "demo-reports-launch-config")
    auto_scaling_group(
        world,
        region,
        "reports-asg-one-az",
        [0],
        2,
        TargetGroupARNs=[filled],
        LaunchConfigurationName="demo-reports-launch-config",
    )

    classic_load_balancer(world, region, "legacy-clb-cross-zone-off", web, cross_zone=False)
    classic_load_balancer(world, region, "shop-clb-cross-zone-on", web, cross_zone=True)


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    def target_health(params: dict[str, Any], region: str) -> dict[str, Any]:
        group = params["TargetGroupArn"]
        answer = world.client("elbv2", region).describe_target_health(TargetGroupArn=group)
        found: list[dict[str, Any]] = answer["TargetHealthDescriptions"]
        if f":targetgroup/{OUTSIDE_GROUP}/" in group:
            for description in found:
                description["Target"]["AvailabilityZone"] = "all"
        return {"TargetHealthDescriptions": found}

    return {"elbv2": {"DescribeTargetHealth": target_health}}


SEEDER = Seeder(check="elb", seed=seed, standins=standins)

"""The demo account's `elb` resources: a risky and a safe example of each rule."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.seeders.ec2 import classic_load_balancer, launch_named
from resiliency_analyser.demo.world import DemoWorld, Seeder


def forward(elbv2: Any, vpc: str, balancer: str, group: str, instances: list[str]) -> None:
    """A target group of ``instances`` the load balancer forwards to."""
    target_group = elbv2.create_target_group(
        Name=group, Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance"
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.register_targets(TargetGroupArn=target_group, Targets=[{"Id": i} for i in instances])
    elbv2.create_listener(
        LoadBalancerArn=balancer,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group}],
    )


def seed(world: DemoWorld, region: str) -> None:
    """An NLB in one AZ with no targets; ALBs with targets in two AZs or one; Classic Load
    Balancers in front of the two-AZ instances, with cross-zone load balancing on or off."""
    elbv2 = world.client("elbv2", region)
    subnets = world.subnets(region)
    vpc = world.client("ec2", region).describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    elbv2.create_load_balancer(Name="ingest-nlb-one-az", Subnets=subnets[:1], Type="network")
    web = [launch_named(world, region, zone, f"web-{zone}") for zone in (0, 1)]
    for name, group, instances in (
        ("web-alb-multi-az", "web-targets-multi-az", web),
        ("api-alb-targets-one-az", "api-targets-one-az", [launch_named(world, region, 0, "api-0")]),
    ):
        balancer = elbv2.create_load_balancer(Name=name, Subnets=subnets[:2])["LoadBalancers"][0]
        forward(elbv2, vpc, balancer["LoadBalancerArn"], group, instances)
    classic_load_balancer(world, region, "legacy-clb-cross-zone-off", web, cross_zone=False)
    classic_load_balancer(world, region, "shop-clb-cross-zone-on", web, cross_zone=True)


SEEDER = Seeder(check="elb", seed=seed)

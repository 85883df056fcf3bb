"""The demo account's `route53resolver` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
    ec2 = world.client("ec2", region)
    subnets = world.subnets(region)
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    group = ec2.create_security_group(
        GroupName="dns-endpoints", Description="Resolver endpoints", VpcId=vpc
    )["GroupId"]
    resolver = world.client("route53resolver", region)
    for name, direction, endpoint_subnets in (
        ("onprem-dns-inbound-one-az", "INBOUND", [subnets[0], subnets[0]]),
        ("corp-dns-outbound", "OUTBOUND", subnets[:2]),
    ):
        resolver.create_resolver_endpoint(
            CreatorRequestId=name,
            Name=name,
            SecurityGroupIds=[group],
            Direction=direction,
            IpAddresses=[{"SubnetId": s} for s in endpoint_subnets],
        )


SEEDER = Seeder(check="route53resolver", seed=seed)

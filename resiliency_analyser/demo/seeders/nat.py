"""The demo account's `nat` resources: risky and safe route tables to NAT gateways, a regional NAT
gateway, a NAT instance and an appliance's network interface.

Route tables and NAT gateways live in moto; the stand-in lists the NAT gateways with their
availability mode, which moto lacks.
"""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler, paged
from resiliency_analyser.demo.world import AMI, PAGE_SIZE, DemoWorld, Seeder

REGIONAL = "ec2/regional-nat-gateways"
"""Ids of the moto NAT gateways the stand-in lists as regional."""


def create_network(ec2: Any, cidr_prefix: str, zones: list[str]) -> tuple[str, list[str]]:
    """A VPC ``<cidr_prefix>.0.0/16`` with one /24 subnet per entry of ``zones``."""
    vpc = ec2.create_vpc(CidrBlock=f"{cidr_prefix}.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"{cidr_prefix}.{i}.0/24", AvailabilityZone=zone)[
            "Subnet"
        ]["SubnetId"]
        for i, zone in enumerate(zones)
    ]
    return vpc, subnets


def nat_gateway(world: DemoWorld, region: str, subnet: str, *, regional: bool = False) -> str:
    """A NAT gateway in moto; a regional one is created in ``subnet`` too, and the stand-in
    lists it as AWS lists a regional one: with its mode and without a subnet."""
    gateway: str = world.client("ec2", region).create_nat_gateway(
        SubnetId=subnet, ConnectivityType="private"
    )["NatGateway"]["NatGatewayId"]
    if regional:
        world.records(REGIONAL, region).append({"NatGatewayId": gateway})
    return gateway


def egress_table(
    ec2: Any, vpc: str, name: str, gateway: str, subnets: list[str], target: str = "NatGatewayId"
) -> None:
    """A route table sending ``subnets``' default route to ``gateway`` (a ``target`` field of
    CreateRoute: a NAT gateway, an instance, a network interface)."""
    table = ec2.create_route_table(
        VpcId=vpc,
        TagSpecifications=[
            {"ResourceType": "route-table", "Tags": [{"Key": "Name", "Value": name}]}
        ],
    )["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", **{target: gateway})
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)


def seed(world: DemoWorld, region: str) -> None:
    """One VPC whose subnets in a and b share the NAT gateway in a (risky) while c has its own
    (safe); another whose main route table sends both its AZs to a regional NAT gateway; a third
    whose a and b egress through a NAT instance in a (risky) and c through an appliance's network
    interface in c (safe)."""
    ec2 = world.client("ec2", region)
    zones = [f"{region}{z}" for z in "abc"]
    vpc, (a, b, c) = create_network(ec2, "10.30", zones)
    shared = nat_gateway(world, region, a)
    own = nat_gateway(world, region, c)
    egress_table(ec2, vpc, "private-egress-via-a", shared, [a, b])
    egress_table(ec2, vpc, "private-egress-c", own, [c])
    vpc, subnets = create_network(ec2, "10.31", zones[:2])
    regional = nat_gateway(world, region, subnets[0], regional=True)
    [main] = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"]
    table = main["RouteTableId"]
    ec2.create_tags(Resources=[table], Tags=[{"Key": "Name", "Value": "main-egress-regional"}])
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=regional)
    # Appliances: a NAT instance in a that b's subnet also sends its egress through (risky), and
    # an inspection appliance's network interface in c serving only c (safe).
    vpc, (a, b, c) = create_network(ec2, "10.32", zones)
    instance = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=a)["Instances"][0]
    egress_table(
        ec2, vpc, "egress-via-nat-instance-a", instance["InstanceId"], [a, b], "InstanceId"
    )
    appliance = ec2.create_network_interface(SubnetId=c)["NetworkInterface"]["NetworkInterfaceId"]
    egress_table(ec2, vpc, "egress-via-appliance-c", appliance, [c], "NetworkInterfaceId")


def as_listed(gateway: dict[str, Any], regional: set[str]) -> dict[str, Any]:
    if gateway["NatGatewayId"] not in regional:
        return {**gateway, "AvailabilityMode": "zonal"}
    spanning = {k: v for k, v in gateway.items() if k != "SubnetId"}
    return {**spanning, "AvailabilityMode": "regional"}


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    def gateways(params: dict[str, Any], region: str) -> list[dict[str, Any]]:
        regional = {r["NatGatewayId"] for r in world.records(REGIONAL, region)}
        pages = world.client("ec2", region).get_paginator("describe_nat_gateways").paginate()
        return [as_listed(g, regional) for page in pages for g in page["NatGateways"]]

    return {
        "ec2": {"DescribeNatGateways": paged("ec2", "DescribeNatGateways", gateways, PAGE_SIZE)}
    }


SEEDER = Seeder(check="nat", seed=seed, standins=standins)

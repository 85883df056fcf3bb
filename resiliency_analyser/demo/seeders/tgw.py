"""The demo account's `tgw` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
    """Two transit gateways attached to the demo VPC: one through a subnet in a, one through a
    and b."""
    ec2 = world.client("ec2", region)
    subnets = world.subnets(region)
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    for name, attached in (("shared-services-one-az", subnets[:1]), ("core-two-az", subnets[:2])):
        gateway = ec2.create_transit_gateway(Description=name)["TransitGateway"]
        attachment = ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=gateway["TransitGatewayId"], VpcId=vpc, SubnetIds=attached
        )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        # moto files an attachment's TagSpecifications under another resource type.
        ec2.create_tags(Resources=[attachment], Tags=[{"Key": "Name", "Value": name}])


SEEDER = Seeder(check="tgw", seed=seed)

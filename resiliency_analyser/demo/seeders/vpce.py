"""The demo account's `vpce` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
    ec2 = world.client("ec2", region)
    subnets = world.subnets(region)
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    for name, service, endpoint_subnets in (
        ("kms-endpoint-one-az", "kms", subnets[:1]),
        ("sqs-endpoint-two-az", "sqs", subnets[:2]),
    ):
        ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName=f"com.amazonaws.{region}.{service}",
            VpcEndpointType="Interface",
            SubnetIds=endpoint_subnets,
            TagSpecifications=[
                {"ResourceType": "vpc-endpoint", "Tags": [{"Key": "Name", "Value": name}]}
            ],
        )


SEEDER = Seeder(check="vpce", seed=seed)

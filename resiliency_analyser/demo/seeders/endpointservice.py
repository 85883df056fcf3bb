"""The demo account's `endpointservice` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
    subnets = world.subnets(region)
    elbv2, ec2 = world.client("elbv2", region), world.client("ec2", region)
    for name, balancer_subnets in (
        ("partner-api-one-az", subnets[:1]),
        ("billing-api", subnets[:2]),
    ):
        balancer = elbv2.create_load_balancer(
            Name=f"{name}-nlb", Subnets=balancer_subnets, Type="network", Scheme="internal"
        )["LoadBalancers"][0]
        ec2.create_vpc_endpoint_service_configuration(
            NetworkLoadBalancerArns=[balancer["LoadBalancerArn"]],
            AcceptanceRequired=True,
            TagSpecifications=[
                {
                    "ResourceType": "vpc-endpoint-service",
                    "Tags": [{"Key": "Name", "Value": name}],
                }
            ],
        )


SEEDER = Seeder(check="endpointservice", seed=seed)

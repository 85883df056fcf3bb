"""The demo account's `globalaccelerator` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.checks.globalaccelerator import HOME_REGION as GLOBAL_ACCELERATOR_REGION
from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, launch, listed


def seed(world: DemoWorld, region: str) -> None:
    """Accelerators from the stand-in, endpoints in moto: one AZ (an instance and an Elastic IP
    there) or two (an Application Load Balancer)."""
    ec2 = world.client("ec2", region)
    subnets = world.subnets(region)
    interface = ec2.create_network_interface(SubnetId=subnets[0])["NetworkInterface"]
    address = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=address, NetworkInterfaceId=interface["NetworkInterfaceId"])
    balancer = world.client("elbv2", region).create_load_balancer(
        Name=f"shop-{region}", Subnets=subnets[:2]
    )["LoadBalancers"][0]["LoadBalancerArn"]
    for name, endpoints in (
        (f"game-{region}-one-az", [launch(world, region, 0), address]),
        (f"shop-{region}-multi-az", [balancer]),
    ):
        accelerator = f"arn:aws:globalaccelerator::{ACCOUNT_ID}:accelerator/{name}"
        listener = f"{accelerator}/listener/0"
        world.records("globalaccelerator", GLOBAL_ACCELERATOR_REGION).append(
            {"AcceleratorArn": accelerator, "Name": name, "Enabled": True, "Status": "DEPLOYED"}
        )
        world.records("globalaccelerator/listeners", accelerator).append(
            {
                "ListenerArn": listener,
                "Protocol": "TCP",
                "PortRanges": [{"FromPort": 443, "ToPort": 443}],
            }
        )
        world.records("globalaccelerator/endpoint-groups", listener).append(
            {
                "EndpointGroupArn": f"{listener}/endpoint-group/0",
                "EndpointGroupRegion": region,
                "EndpointDescriptions": [{"EndpointId": e, "Weight": 128} for e in endpoints],
                "TrafficDialPercentage": 100.0,
            }
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    ga = "globalaccelerator"
    return {
        ga: {
            "ListAccelerators": listed(world, ga, "ListAccelerators"),
            "ListListeners": listed(
                world, ga, "ListListeners", store=f"{ga}/listeners", by="AcceleratorArn"
            ),
            "ListEndpointGroups": listed(
                world, ga, "ListEndpointGroups", store=f"{ga}/endpoint-groups", by="ListenerArn"
            ),
        },
    }


SEEDER = Seeder(check="globalaccelerator", seed=seed, standins=standins)

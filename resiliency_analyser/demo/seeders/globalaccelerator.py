"""The demo account's `globalaccelerator` resources: a risky and a safe example."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.checks.globalaccelerator import HOME_REGION as GLOBAL_ACCELERATOR_REGION
from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, launch, listed


def seed(world: DemoWorld, region: str) -> None:
    """Accelerators from the stand-in, endpoints in moto: one AZ (an instance and an Elastic IP
    there) or two (an Application Load Balancer); custom routing ones to subnets in one AZ or
    two."""
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
        group = {
            "EndpointDescriptions": [{"EndpointId": e, "Weight": 128} for e in endpoints],
            "TrafficDialPercentage": 100.0,
        }
        add_accelerator(world, region, name, group, "", {"Protocol": "TCP"})
    for name, destinations in (
        (f"voice-{region}-one-az", subnets[:1]),
        (f"match-{region}-multi-az", subnets[:2]),
    ):
        group = {
            "DestinationDescriptions": [{"FromPort": 80, "ToPort": 80, "Protocols": ["UDP"]}],
            "EndpointDescriptions": [{"EndpointId": subnet} for subnet in destinations],
        }
        add_accelerator(world, region, name, group, CUSTOM)


CUSTOM = "globalaccelerator/custom-routing"
"""The store of custom routing accelerators (their listeners and groups share the others')."""


def add_accelerator(
    world: DemoWorld,
    region: str,
    name: str,
    group: dict[str, Any],
    store: str,
    protocol: dict[str, str] | None = None,
) -> None:
    """An accelerator with one listener on port 443 and one endpoint group in ``region``."""
    accelerator = f"arn:aws:globalaccelerator::{ACCOUNT_ID}:accelerator/{name}"
    listener = f"{accelerator}/listener/0"
    world.records(store or "globalaccelerator", GLOBAL_ACCELERATOR_REGION).append(
        {"AcceleratorArn": accelerator, "Name": name, "Enabled": True, "Status": "DEPLOYED"}
    )
    world.records("globalaccelerator/listeners", accelerator).append(
        {
            "ListenerArn": listener,
            "PortRanges": [{"FromPort": 443, "ToPort": 443}],
            **(protocol or {}),
        }
    )
    world.records("globalaccelerator/endpoint-groups", listener).append(
        {
            "EndpointGroupArn": f"{listener}/endpoint-group/0",
            "EndpointGroupRegion": region,
            **group,
        }
    )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    ga = "globalaccelerator"
    handlers: dict[str, Handler] = {}
    for kind, store in (("", ga), ("CustomRouting", CUSTOM)):
        handlers |= {
            f"List{kind}Accelerators": listed(world, ga, f"List{kind}Accelerators", store=store),
            f"List{kind}Listeners": listed(
                world, ga, f"List{kind}Listeners", store=f"{ga}/listeners", by="AcceleratorArn"
            ),
            f"List{kind}EndpointGroups": listed(
                world,
                ga,
                f"List{kind}EndpointGroups",
                store=f"{ga}/endpoint-groups",
                by="ListenerArn",
            ),
        }
    return {ga: handlers}


SEEDER = Seeder(check="globalaccelerator", seed=seed, standins=standins)

"""The demo account's `dx` resources: a risky and a safe example."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.checks.lookups import DX_HOME_REGION
from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed

VIFS = "directconnect/virtual-interfaces"
"""The stand-in's store of VIFs, per region (the dxgw seeder adds its own)."""


def connections(region: str) -> list[tuple[str, str]]:
    """(connection id, location): two locations in the home region, one elsewhere."""
    locations = ("EqDC2", "CSVA1") if region == DX_HOME_REGION else ("TCSH",)
    return [(f"dxcon-{region}-{i}", location) for i, location in enumerate(locations)]


def virtual_interface(
    world: DemoWorld, region: str, name: str, on: tuple[str, str], **gateway: str
) -> dict[str, Any]:
    """Adds an available private VIF on connection ``on`` (id, location) to the region."""
    record = {
        "virtualInterfaceId": f"dxvif-{name}",
        "virtualInterfaceName": name,
        "connectionId": on[0],
        "location": on[1],
        "ownerAccount": ACCOUNT_ID,
        "virtualInterfaceType": "private",
        "virtualInterfaceState": "available",
        "region": region,
        **gateway,
    }
    world.records(VIFS, region).append(record)
    return record


def seed(world: DemoWorld, region: str) -> None:
    """From the stand-in: moto serves no virtual interfaces. The home region has connections at
    two locations (not a risk) and a virtual gateway on both (not a risk); every region has a
    virtual gateway whose VIFs share one connection (a risk), which makes a region with a
    single connection a risk too."""
    lines = connections(region)
    for connection, location in lines:
        world.records("directconnect", region).append(
            {
                "connectionId": connection,
                "connectionName": connection,
                "connectionState": "available",
                "location": location,
                "region": region,
                "bandwidth": "10Gbps",
                "ownerAccount": ACCOUNT_ID,
            }
        )
    for i in range(2):
        gateway = f"vgw-{region}-one-connection"
        virtual_interface(world, region, f"{gateway}-{i}", lines[0], virtualGatewayId=gateway)
    if len(lines) > 1:
        gateway = f"vgw-{region}-two-locations"
        for i, line in enumerate(lines):
            virtual_interface(world, region, f"{gateway}-{i}", line, virtualGatewayId=gateway)


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "directconnect": {
            "DescribeConnections": listed(world, "directconnect", "DescribeConnections"),
            "DescribeVirtualInterfaces": listed(
                world, "directconnect", "DescribeVirtualInterfaces", store=VIFS
            ),
        },
    }


SEEDER = Seeder(check="dx", seed=seed, standins=standins)

"""The demo account's `dx` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import DemoWorld, Seeder, listed


def seed(world: DemoWorld, region: str) -> None:
    """From the stand-in: moto serves no virtual interfaces. Two connections at two locations;
    a virtual gateway whose VIFs share one connection, a Direct Connect gateway whose do not."""
    connections = [f"dxcon-{region}-{i}" for i in range(2)]
    for connection, location in zip(connections, ("EqDC2", "CSVA1"), strict=True):
        world.records("directconnect", region).append(
            {
                "connectionId": connection,
                "connectionName": connection,
                "connectionState": "available",
                "location": location,
                "region": region,
                "bandwidth": "10Gbps",
            }
        )
    for vif, connection, gateway in (
        ("dxvif-a", connections[0], {"virtualGatewayId": f"vgw-{region}"}),
        ("dxvif-b", connections[0], {"virtualGatewayId": f"vgw-{region}"}),
        ("dxvif-c", connections[0], {"directConnectGatewayId": f"dxgw-{region}"}),
        ("dxvif-d", connections[1], {"directConnectGatewayId": f"dxgw-{region}"}),
    ):
        world.records("directconnect/virtual-interfaces", region).append(
            {
                "virtualInterfaceId": f"{vif}-{region}",
                "connectionId": connection,
                "virtualInterfaceType": "private",
                "virtualInterfaceState": "available",
                "region": region,
                **gateway,
            }
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "directconnect": {
            "DescribeConnections": listed(world, "directconnect", "DescribeConnections"),
            "DescribeVirtualInterfaces": listed(
                world,
                "directconnect",
                "DescribeVirtualInterfaces",
                store="directconnect/virtual-interfaces",
            ),
        },
    }


SEEDER = Seeder(check="dx", seed=seed, standins=standins)

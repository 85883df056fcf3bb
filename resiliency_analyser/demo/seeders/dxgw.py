"""The demo account's `dxgw` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.checks.lookups import DX_HOME_REGION
from resiliency_analyser.demo.seeders.dx import connections, virtual_interface
from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed

GATEWAYS = "directconnect/gateways"
ATTACHMENTS = "directconnect/attachments"
TWO_REGIONS = "gw-core-two-regions"
ONE_CONNECTION = "gw-lab-one-connection"


def attach(world: DemoWorld, region: str, gateway: str, name: str, on: tuple[str, str]) -> None:
    vif = virtual_interface(world, region, name, on, directConnectGatewayId=gateway)
    world.records(ATTACHMENTS, gateway).append(
        {
            "directConnectGatewayId": gateway,
            "virtualInterfaceId": vif["virtualInterfaceId"],
            "virtualInterfaceRegion": region,
            "virtualInterfaceOwnerAccount": ACCOUNT_ID,
            "attachmentState": "attached",
            "attachmentType": "PrivateVirtualInterface",
        }
    )


def seed(world: DemoWorld, region: str) -> None:
    """From the stand-in. One gateway reached from every region's first connection (AWS's
    recommended layout: not a risk), one whose two VIFs share the home region's first
    connection (a risk). Gateways are global: listed once, in the home region."""
    first = connections(region)[0]
    if region == DX_HOME_REGION:
        for gateway in (TWO_REGIONS, ONE_CONNECTION):
            world.records(GATEWAYS, DX_HOME_REGION).append(
                {
                    "directConnectGatewayId": gateway,
                    "directConnectGatewayName": gateway,
                    "ownerAccount": ACCOUNT_ID,
                    "directConnectGatewayState": "available",
                    "amazonSideAsn": 64512,
                }
            )
        for i in range(2):
            attach(world, region, ONE_CONNECTION, f"{ONE_CONNECTION}-{i}", first)
    attach(world, region, TWO_REGIONS, f"{TWO_REGIONS}-{region}", first)


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    dx = "directconnect"
    return {
        dx: {
            "DescribeDirectConnectGateways": listed(
                world, dx, "DescribeDirectConnectGateways", store=GATEWAYS
            ),
            "DescribeDirectConnectGatewayAttachments": listed(
                world,
                dx,
                "DescribeDirectConnectGatewayAttachments",
                store=ATTACHMENTS,
                by="directConnectGatewayId",
            ),
        },
    }


SEEDER = Seeder(check="dxgw", seed=seed, standins=standins)

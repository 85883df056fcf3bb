"""API-shaped Direct Connect records and a stand-in serving them, for the dx and dxgw tests."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler, paged
from resiliency_analyser.model.findings import AccountInfo
from tests.support.moto import ACCOUNT_ID

ACCOUNT = AccountInfo(account_id=ACCOUNT_ID)


def connection(
    connection_id: str, location: str, state: str = "available", **fields: str
) -> dict[str, Any]:
    return {
        "connectionId": connection_id,
        "connectionName": connection_id,
        "connectionState": state,
        "location": location,
        "region": "us-east-1",
        "bandwidth": "1Gbps",
        **fields,
    }


def vif(
    vif_id: str,
    connection_id: str,
    state: str = "available",
    location: str = "EqDC2",
    region: str = "us-east-1",
    **gateway: str,
) -> dict[str, Any]:
    return {
        "virtualInterfaceId": vif_id,
        "connectionId": connection_id,
        "location": location,
        "ownerAccount": ACCOUNT_ID,
        "virtualInterfaceType": "private",
        "virtualInterfaceState": state,
        "region": region,
        "virtualGatewayId": "",
        "directConnectGatewayId": "",
        **gateway,
    }


class DirectConnect:
    """Stand-in data: per-region connections and VIFs, global gateways and their attachments."""

    def __init__(self) -> None:
        self.connections: dict[str, list[dict[str, Any]]] = {}
        self.vifs: dict[str, list[dict[str, Any]]] = {}
        self.gateways: list[dict[str, Any]] = []
        self.attachments: dict[str, list[dict[str, Any]]] = {}

    def gateway(self, gateway_id: str, *vifs: dict[str, Any], state: str = "attached") -> None:
        self.gateways.append(
            {
                "directConnectGatewayId": gateway_id,
                "directConnectGatewayName": f"name-{gateway_id}",
                "ownerAccount": ACCOUNT_ID,
                "directConnectGatewayState": "available",
                "amazonSideAsn": 64512,
            }
        )
        self.attachments[gateway_id] = [
            {
                "directConnectGatewayId": gateway_id,
                "virtualInterfaceId": v["virtualInterfaceId"],
                "virtualInterfaceRegion": v["region"],
                "virtualInterfaceOwnerAccount": ACCOUNT_ID,
                "attachmentState": state,
                "attachmentType": "PrivateVirtualInterface",
            }
            for v in vifs
        ]

    def handlers(self) -> dict[str, Handler]:
        service = "directconnect"
        return {
            "DescribeConnections": paged(
                service, "DescribeConnections", lambda p, r: self.connections.get(r, []), 2
            ),
            "DescribeVirtualInterfaces": paged(
                service, "DescribeVirtualInterfaces", lambda p, r: self.vifs.get(r, []), 2
            ),
            "DescribeDirectConnectGateways": paged(
                service, "DescribeDirectConnectGateways", lambda p, r: self.gateways, 2
            ),
            "DescribeDirectConnectGatewayAttachments": paged(
                service,
                "DescribeDirectConnectGatewayAttachments",
                lambda p, r: self.attachments[p["directConnectGatewayId"]],
                1,
            ),
        }


def two_region_gateway() -> DirectConnect:
    """AWS's recommended layout: one connection at each of two locations, homed in two regions,
    both reaching one Direct Connect gateway; plus a virtual gateway on one connection."""
    data = DirectConnect()
    east = vif("dxvif-east", "dxcon-east", location="EqDC2", directConnectGatewayId="gw-1")
    west = {
        **vif("dxvif-west", "dxcon-west", location="TCSH", directConnectGatewayId="gw-1"),
        "region": "eu-west-1",
    }
    data.connections = {
        "us-east-1": [
            connection("dxcon-east", "EqDC2"),
            connection("dxcon-gone", "CSVA1", "deleted"),
            connection("dxcon-other", "CSVA1", "deleted"),
        ],
        "eu-west-1": [{**connection("dxcon-west", "TCSH"), "region": "eu-west-1"}],
    }
    vgw = [vif(f"dxvif-v{i}", "dxcon-east", virtualGatewayId="vgw-east") for i in range(2)]
    data.vifs = {"us-east-1": [east, *vgw], "eu-west-1": [west]}
    data.gateway("gw-1", east, west)
    return data

"""The demo account's `vpn` resources: a risky and a safe example.

From the stand-in: moto reports no tunnel status (`VgwTelemetry`).
"""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import DemoWorld, Seeder

VPN_CONNECTIONS = "ec2/vpn-connections"


def seed(world: DemoWorld, region: str) -> None:
    for index, (name, statuses) in enumerate(
        (("branch-office-one-tunnel", ("UP", "DOWN")), ("datacenter-two-tunnels", ("UP", "UP")))
    ):
        world.records(VPN_CONNECTIONS, region).append(
            {
                "VpnConnectionId": f"vpn-000000000000000{index}",
                "State": "available",
                "Type": "ipsec.1",
                "Category": "VPN",
                "CustomerGatewayId": f"cgw-000000000000000{index}",
                "VpnGatewayId": f"vgw-000000000000000{index}",
                "Tags": [{"Key": "Name", "Value": name}],
                "VgwTelemetry": [
                    {
                        "OutsideIpAddress": f"198.51.100.{10 * index + tunnel}",
                        "Status": status,
                        "StatusMessage": "" if status == "UP" else "IPSEC IS DOWN",
                        "AcceptedRouteCount": 1 if status == "UP" else 0,
                    }
                    for tunnel, status in enumerate(statuses)
                ],
            }
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    def connections(params: dict[str, Any], region: str) -> dict[str, Any]:
        return {"VpnConnections": world.records(VPN_CONNECTIONS, region)}

    return {"ec2": {"DescribeVpnConnections": connections}}


SEEDER = Seeder(check="vpn", seed=seed, standins=standins)

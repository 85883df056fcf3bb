"""The demo account's `clientvpn` resources: a risky and a safe example of each rule.

moto lacks Client VPN, so the stand-in serves its three listings; every other EC2 call goes on to
moto, which holds the subnets."""

from __future__ import annotations

import hashlib

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import DemoWorld, Seeder, listed


def hex_id(*parts: str) -> str:
    """17 hex digits, stable per name, like the ids EC2 gives."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:17]


VPC_CIDR = "10.20.0.0/16"
"""The demo VPC's: Client VPN adds a route to it through each associated subnet."""


def seed(world: DemoWorld, region: str) -> None:
    """Target networks in a only (risky), in a and b with every route through both (safe), and
    in a and b with the internet route through a only (risky)."""
    subnets = world.subnets(region)
    for number, (name, targets, internet) in enumerate(
        (
            ("contractors-vpn-one-az", subnets[:1], subnets[:1]),
            ("staff-vpn", subnets[:2], subnets[:2]),
            ("partners-vpn-internet-via-one-az", subnets[:2], subnets[:1]),
        ),
        start=1,
    ):
        endpoint_id = f"cvpn-endpoint-{hex_id(name, region)}"
        world.records("ec2", region).append(
            {
                "ClientVpnEndpointId": endpoint_id,
                "Description": name,
                "Status": {"Code": "available"},
                "ClientCidrBlock": f"10.{100 + number}.0.0/22",
                "Tags": [{"Key": "Name", "Value": name}],
            }
        )
        world.records("ec2-target-networks", endpoint_id).extend(
            {
                "AssociationId": f"cvpn-assoc-{hex_id(name, region, subnet)}",
                "ClientVpnEndpointId": endpoint_id,
                "TargetNetworkId": subnet,
                "Status": {"Code": "associated"},
            }
            for subnet in targets
        )
        world.records("ec2-routes", endpoint_id).extend(
            {
                "ClientVpnEndpointId": endpoint_id,
                "DestinationCidr": destination,
                "TargetSubnet": subnet,
                "Type": "Nat",
                "Origin": origin,
                "Status": {"Code": "active"},
            }
            for destination, origin, through in (
                (VPC_CIDR, "associate", targets),
                ("0.0.0.0/0", "add-route", internet),
            )
            for subnet in through
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "ec2": {
            "DescribeClientVpnEndpoints": listed(world, "ec2", "DescribeClientVpnEndpoints"),
            "DescribeClientVpnTargetNetworks": listed(
                world,
                "ec2",
                "DescribeClientVpnTargetNetworks",
                store="ec2-target-networks",
                by="ClientVpnEndpointId",
            ),
            "DescribeClientVpnRoutes": listed(
                world,
                "ec2",
                "DescribeClientVpnRoutes",
                store="ec2-routes",
                by="ClientVpnEndpointId",
            ),
        },
    }


SEEDER = Seeder(check="clientvpn", seed=seed, standins=standins)

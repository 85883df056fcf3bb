"""The demo account's `clientvpn` resources: a risky and a safe example.

moto lacks Client VPN, so the stand-in serves its two listings; every other EC2 call goes on to
moto, which holds the subnets."""

from __future__ import annotations

import hashlib

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import DemoWorld, Seeder, listed


def hex_id(*parts: str) -> str:
    """17 hex digits, stable per name, like the ids EC2 gives."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:17]


def seed(world: DemoWorld, region: str) -> None:
    subnets = world.subnets(region)
    for number, (name, targets) in enumerate(
        (("contractors-vpn-one-az", subnets[:1]), ("staff-vpn", subnets[:2])), start=1
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
        },
    }


SEEDER = Seeder(check="clientvpn", seed=seed, standins=standins)

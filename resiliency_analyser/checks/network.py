"""Per-region network listings several checks read: each is fetched once a scan and region.

Route tables, NAT gateways and VPC endpoints come from EC2; the firewalls from Network Firewall
(``ListFirewalls``, then ``DescribeFirewall`` for each, concurrently).
"""

from __future__ import annotations

import asyncio
from typing import Any

from resiliency_analyser.checks.api import Record, RegionScope

FIREWALL = "network-firewall"


async def route_tables(scope: RegionScope) -> list[dict[str, Any]]:
    return await scope.shared(
        "route_tables", lambda: scope.items("ec2", "describe_route_tables", "RouteTables")
    )


async def nat_gateways(scope: RegionScope) -> list[dict[str, Any]]:
    return await scope.shared(
        "nat_gateways", lambda: scope.items("ec2", "describe_nat_gateways", "NatGateways")
    )


async def vpc_endpoints(scope: RegionScope) -> list[dict[str, Any]]:
    return await scope.shared(
        "vpc_endpoints", lambda: scope.items("ec2", "describe_vpc_endpoints", "VpcEndpoints")
    )


async def firewalls(scope: RegionScope) -> list[Record]:
    """``DescribeFirewall``'s ``Firewall`` and ``FirewallStatus`` for every firewall."""
    return await scope.shared("firewalls", lambda: _describe_firewalls(scope))


async def _describe_firewalls(scope: RegionScope) -> list[Record]:
    listed = await scope.items(FIREWALL, "list_firewalls", "Firewalls")
    described = await asyncio.gather(*(_describe(scope, f["FirewallArn"]) for f in listed))
    return [d for d in described if d is not None]


async def _describe(scope: RegionScope, firewall_arn: str) -> Record | None:
    from botocore.exceptions import ClientError

    try:
        answer = await scope.call(FIREWALL, "describe_firewall", FirewallArn=firewall_arn)
    except ClientError as error:
        # Deleted between the listing and this call: nothing left to judge.
        if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return None
        raise
    return {key: answer[key] for key in ("Firewall", "FirewallStatus") if key in answer}

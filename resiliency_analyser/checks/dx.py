"""Direct Connect: a region's connections, and each gateway's virtual interfaces, sharing a fate."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from resiliency_analyser.checks.api import (
    AccountInfo,
    Assessment,
    Batches,
    Check,
    Guidance,
    Record,
    RegionScope,
    Severity,
    arn,
)

GONE = frozenset({"deleted", "rejected"})
PAGE_SIZE = 100  # the most Direct Connect returns per call


def live(records: Sequence[Record], state_key: str) -> list[Record]:
    return [r for r in records if r.get(state_key) not in GONE]


def assess_connections(connections: Sequence[Record], region: str) -> Assessment | None:
    """One finding for the region's connections, or none when it has none."""
    current = sorted(live(connections, "connectionState"), key=lambda c: c.get("connectionId", ""))
    if not current:
        return None
    locations = sorted({c.get("location") or "unknown location" for c in current})
    listed = ", ".join(
        f"{c.get('connectionId', '')} at {c.get('location') or 'unknown location'}" for c in current
    )
    if len(current) == 1:
        message = f"Only one connection in the region: {listed}"
    elif len(locations) == 1:
        message = f"All {len(current)} connections are at one location ({locations[0]}): {listed}"
    else:
        message = f"{len(current)} connections at {len(locations)} locations: {listed}"
    return Assessment(
        check_id="dx.region_connections",
        resource_name=f"{region} connections",
        resource_id=region,
        risk=len(current) == 1 or len(locations) == 1,
        engine="connections",
        message=message,
    )


def gateway_of(vif: Record) -> tuple[str, str] | None:
    """(kind, id) of the gateway a virtual interface attaches to; public VIFs have none."""
    if vif.get("virtualGatewayId"):
        return "virtual gateway", vif["virtualGatewayId"]
    if vif.get("directConnectGatewayId"):
        return "Direct Connect gateway", vif["directConnectGatewayId"]
    return None


def assess_gateway(
    kind: str, gateway_id: str, vifs: Sequence[Record], account: AccountInfo, region: str
) -> Assessment:
    ordered = sorted(vifs, key=lambda v: v.get("virtualInterfaceId", ""))
    connections = sorted({v.get("connectionId", "") for v in ordered})
    listed = ", ".join(
        f"{v.get('virtualInterfaceId', '')} on {v.get('connectionId', '')}" for v in ordered
    )
    if len(ordered) == 1:
        message = f"Only one virtual interface: {listed}"
    elif len(connections) == 1:
        message = (
            f"All {len(ordered)} virtual interfaces are on one connection ({connections[0]}): "
            f"{listed}"
        )
    else:
        message = f"{len(ordered)} virtual interfaces on {len(connections)} connections: {listed}"
    if kind == "Direct Connect gateway":
        # The gateway is global; this region's scan sees only the VIFs homed in the region.
        message += f" (virtual interfaces in {region})"
        gateway_arn = arn(account, "", "directconnect", f"dx-gateway/{gateway_id}")
    else:
        gateway_arn = arn(account, region, "ec2", f"vpn-gateway/{gateway_id}")
    return Assessment(
        check_id="dx.gateway_vifs",
        resource_arn=gateway_arn,
        resource_name=gateway_id,
        resource_id=gateway_id,
        risk=len(connections) < 2,
        engine=kind,
        message=message,
    )


def assess(
    connections: Sequence[Record], vifs: Sequence[Record], account: AccountInfo, region: str
) -> list[Assessment]:
    results = [a for a in [assess_connections(connections, region)] if a is not None]
    by_gateway: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for vif in live(vifs, "virtualInterfaceState"):
        if (gateway := gateway_of(vif)) is not None:
            by_gateway[gateway].append(vif)
    results.extend(
        assess_gateway(kind, gateway_id, members, account, region)
        for (kind, gateway_id), members in sorted(by_gateway.items())
    )
    return results


async def every_page(scope: RegionScope, operation: str, key: str) -> list[Record]:
    """Direct Connect listings page with ``nextToken`` but botocore has no paginator for them."""
    records: list[Record] = []
    params: dict[str, Any] = {"maxResults": PAGE_SIZE}
    while True:
        response = await scope.call("directconnect", operation, **params)
        records.extend(response.get(key, []))
        if not response.get("nextToken"):
            return records
        params["nextToken"] = response["nextToken"]


async def scan(scope: RegionScope) -> Batches:
    connections, vifs = await asyncio.gather(
        every_page(scope, "describe_connections", "connections"),
        every_page(scope, "describe_virtual_interfaces", "virtualInterfaces"),
    )
    yield assess(connections, vifs, scope.account, scope.region)


CHECK = Check(
    key="dx",
    service="AWS Direct Connect",
    rule=(
        "A region is a risk when it has only one connection or all its connections are at one "
        "location; a virtual or Direct Connect gateway is a risk when it has only one virtual "
        "interface or all its virtual interfaces are on one connection."
    ),
    actions=("directconnect:DescribeConnections", "directconnect:DescribeVirtualInterfaces"),
    scan=scan,
    guidance={
        "dx.region_connections": Guidance(
            Severity.HIGH,
            "Add a second Direct Connect connection at a different location (or a Site-to-Site VPN "
            "as backup).",
        ),
        "dx.gateway_vifs": Guidance(
            Severity.HIGH,
            "Attach a second virtual interface on a different connection (ideally another location) "
            "to the gateway.",
        ),
    },
    notes=(
        (
            "One finding per region that has connections (`resource_name` `<region> "
            "connections`, `engine` `connections`); the message lists each connection and its"
            " location."
        ),
        (
            "One finding per virtual private gateway (`resource_arn` the `vpn-gateway` ARN) "
            "and per Direct Connect gateway (the `dx-gateway` ARN) with virtual interfaces in"
            " the region; the message lists each VIF and its connection (or LAG). Public VIFs"
            " attach to no gateway and are not judged."
        ),
        "Connections and VIFs in state `deleted` or `rejected` are left out.",
        (
            "A Direct Connect gateway is global, but its VIFs are listed per region: each "
            "region's finding judges the VIFs homed there, and the message says which region "
            "that is."
        ),
        (
            "API: `DescribeConnections`, `DescribeVirtualInterfaces` (in parallel; all pages "
            "through `nextToken`, which botocore has no paginator for)."
        ),
    ),
)

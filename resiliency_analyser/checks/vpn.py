"""Site-to-Site VPN connections with fewer than two tunnels up.

AWS ends a connection's two tunnels in different AZs: with one tunnel down, the next event in
the other tunnel's AZ cuts the link.
"""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import (
    ArnOf,
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    tag_pairs,
    tag_value,
)


def in_scope(connection: Record) -> bool:
    return str(connection.get("State", "")).lower() == "available"


def tunnel_text(tunnel: Record) -> str:
    text = f"{tunnel.get('OutsideIpAddress', '?')} {tunnel.get('Status', 'unknown')}"
    detail = tunnel.get("StatusMessage")
    return f"{text} ({detail})" if detail else text


def assess_connection(connection: Record, arn_of: ArnOf) -> Assessment:
    tunnels = connection.get("VgwTelemetry") or []
    up = sum(1 for t in tunnels if t.get("Status") == "UP")
    status = ", ".join(tunnel_text(t) for t in tunnels) or "no tunnel status reported"
    gateway = connection.get("TransitGatewayId") or connection.get("VpnGatewayId") or "?"
    connection_id = connection.get("VpnConnectionId", "")
    return Assessment(
        check_id="vpn.tunnels_up",
        resource_arn=arn_of("ec2", f"vpn-connection/{connection_id}"),
        resource_name=tag_value(connection, "Name"),
        resource_id=connection_id,
        risk=up < 2,
        message=f"VPN connection to {gateway} has {up} of {len(tunnels)} tunnel(s) UP: {status}",
        tags=tag_pairs(connection.get("Tags")),
    )


def assess(connections: Sequence[Record], arn_of: ArnOf) -> list[Assessment]:
    return [assess_connection(c, arn_of) for c in connections if in_scope(c)]


async def scan(scope: RegionScope) -> Batches:
    # One call answers every connection: the API has no pages.
    yield assess(await scope.items("ec2", "describe_vpn_connections", "VpnConnections"), scope.arn)


CHECK = Check(
    key="vpn",
    service="AWS Site-to-Site VPN",
    rule="An available Site-to-Site VPN connection is a risk when fewer than 2 of its tunnels are UP.",
    actions=("ec2:DescribeVpnConnections",),
    scan=scan,
    tagged=True,
    guidance={
        "vpn.tunnels_up": Guidance(
            Severity.HIGH,
            "Bring the down tunnel up: configure both tunnels on the customer gateway device "
            "(the AWS ends sit in different AZs).",
            "AwsEc2VpnConnection",
            fails=Fails.PATH,
            fsbp=("EC2.20",),
            well_architected=("REL02-BP02",),
        ),
    },
    notes=(
        (
            "Tunnels are read from `VgwTelemetry`; the message gives each tunnel's outside "
            "address and status. Connections that are not `available` (pending, deleting, "
            "deleted) are not judged."
        ),
        (
            "AWS does not say which AZ each tunnel ends in, so `availability_zones` is empty; "
            "`resource_arn` is the connection's ARN "
            "(`arn:<partition>:ec2:<region>:<account>:vpn-connection/<id>`), `resource_name` its "
            "`Name` tag."
        ),
        "API: `DescribeVpnConnections` (one call per region: it has no pages).",
    ),
)

"""Client VPN endpoints whose associated target networks all sit in one AZ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    ArnOf,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    concurrently,
    listed_note,
    subnet_spread,
    tag_pairs,
    tag_value,
    zone_text,
)

# pending-associate: no target network yet, so no client can connect from any AZ.
NOT_SERVING = frozenset({"pending-associate", "deleting", "deleted"})


def status(record: Record) -> str:
    return str((record.get("Status") or {}).get("Code", "")).lower()


def in_scope(endpoint: Record) -> bool:
    return status(endpoint) not in NOT_SERVING


def assess_endpoint(
    endpoint: Record,
    networks: Sequence[Record],
    subnet_zones: Mapping[str, str],
    arn_of: ArnOf,
    options: CheckOptions = DEFAULT_OPTIONS,
) -> Assessment:
    associated = [n for n in networks if status(n) == "associated"]
    spread = subnet_spread((n.get("TargetNetworkId", "") for n in associated), subnet_zones)
    zones = spread.zones
    pending = (
        f"{n.get('TargetNetworkId', '?')} ({status(n)})" for n in networks if n not in associated
    )
    message = (
        f"Client VPN endpoint has {len(associated)} associated target network(s) in "
        f"{len(zones)} AZ(s): {zone_text(zones)}"
        + listed_note("not counted", pending)
        + spread.unknown_note()
        + options.shortfall(len(zones))
    )
    endpoint_id = endpoint.get("ClientVpnEndpointId", "")
    return Assessment(
        check_id="clientvpn.target_networks_multi_az",
        resource_arn=arn_of("ec2", f"client-vpn-endpoint/{endpoint_id}"),
        resource_name=tag_value(endpoint, "Name"),
        resource_id=endpoint_id,
        risk=options.too_few(len(zones)),
        message=message,
        availability_zones=zones,
        tags=tag_pairs(endpoint.get("Tags")),
    )


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("ec2", "describe_client_vpn_endpoints"):
        endpoints = [e for e in page.get("ClientVpnEndpoints", []) if in_scope(e)]
        if not endpoints:
            continue
        subnet_zones, networks = await concurrently(
            scope.subnet_zones(),
            scope.items_each(
                "ec2",
                "describe_client_vpn_target_networks",
                "ClientVpnTargetNetworks",
                "ClientVpnEndpointId",
                (e["ClientVpnEndpointId"] for e in endpoints),
            ),
        )
        yield [
            assess_endpoint(e, n, subnet_zones, scope.arn, scope.options)
            for e, n in zip(endpoints, networks, strict=True)
        ]


CHECK = Check(
    key="clientvpn",
    service="AWS Client VPN",
    rule=(
        "A Client VPN endpoint that has target networks and is not being deleted is a risk when "
        "its associated target subnets lie in fewer than 2 AZs."
    ),
    actions=(
        "ec2:DescribeClientVpnEndpoints",
        "ec2:DescribeClientVpnTargetNetworks",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "clientvpn.target_networks_multi_az": Guidance(
            Severity.HIGH,
            "Associate a target subnet in a second AZ (associate-client-vpn-target-network) so "
            "clients can still connect when one AZ fails.",
            "AwsEc2ClientVpnEndpoint",
            fails=Fails.PATH,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "Endpoints in `pending-associate` (no target network yet: nobody can connect from "
            "any AZ), `deleting` or `deleted` give no finding."
        ),
        (
            "Only `associated` target networks count; the message names the ones still "
            "associating, disassociating or failed."
        ),
        (
            "`resource_arn` is the endpoint's ARN "
            "(`arn:<partition>:ec2:<region>:<account>:client-vpn-endpoint/<id>`), "
            "`resource_name` its `Name` tag, `resource_id` its id."
        ),
        (
            "API: `DescribeClientVpnEndpoints` and `DescribeClientVpnTargetNetworks` per endpoint "
            "(all pages, concurrent), `ec2:DescribeSubnets` (once per region, shared by checks)."
        ),
    ),
)

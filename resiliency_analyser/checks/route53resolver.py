"""Route 53 Resolver endpoints whose IP addresses all sit in one AZ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
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
    zone_text,
)

GONE_STATES = frozenset({"CREATING", "DELETING"})
# Addresses being set up, torn down or that failed carry no queries.
IDLE_ADDRESS_STATES = frozenset(
    {
        "CREATING",
        "ATTACHING",
        "FAILED_CREATION",
        "DETACHING",
        "FAILED_RESOURCE_GONE",
        "DELETING",
        "DELETE_FAILED_FAS_EXPIRED",
    }
)


def in_scope(endpoint: Record) -> bool:
    return str(endpoint.get("Status", "")).upper() not in GONE_STATES


def assess_endpoint(
    endpoint: Record,
    addresses: Sequence[Record],
    subnet_zones: Mapping[str, str],
    options: CheckOptions = DEFAULT_OPTIONS,
) -> Assessment:
    serving = [a for a in addresses if str(a.get("Status", "")).upper() not in IDLE_ADDRESS_STATES]
    spread = subnet_spread((a.get("SubnetId", "") for a in serving), subnet_zones)
    zones = spread.zones
    direction = str(endpoint.get("Direction", "")).lower() or "resolver"
    idle = (
        f"{a.get('Ip', a.get('IpId', '?'))} ({a.get('Status')})"
        for a in addresses
        if a not in serving
    )
    message = (
        f"{direction.capitalize()} endpoint has {len(serving)} serving IP address(es) in "
        f"{len(zones)} AZ(s): {zone_text(zones)}"
        + listed_note("not counted (not serving)", idle)
        + spread.unknown_note()
        + options.shortfall(len(zones))
    )
    return Assessment(
        check_id="route53resolver.endpoint_multi_az",
        resource_arn=endpoint.get("Arn", ""),
        resource_name=endpoint.get("Name", ""),
        resource_id=endpoint.get("Id", ""),
        risk=options.too_few(len(zones)),
        engine=direction,
        message=message,
        availability_zones=zones,
    )


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("route53resolver", "list_resolver_endpoints"):
        endpoints = [e for e in page.get("ResolverEndpoints", []) if in_scope(e)]
        if not endpoints:
            continue
        subnet_zones, addresses = await concurrently(
            scope.subnet_zones(),
            scope.items_each(
                "route53resolver",
                "list_resolver_endpoint_ip_addresses",
                "IpAddresses",
                "ResolverEndpointId",
                (e["Id"] for e in endpoints),
            ),
        )
        yield [
            assess_endpoint(e, a, subnet_zones, scope.options)
            for e, a in zip(endpoints, addresses, strict=True)
        ]


CHECK = Check(
    key="route53resolver",
    service="Amazon Route 53 Resolver",
    rule=(
        "An inbound or outbound Resolver endpoint that is not being created or deleted is a risk "
        "when its serving IP addresses lie in fewer than 2 AZs."
    ),
    actions=(
        "route53resolver:ListResolverEndpoints",
        "route53resolver:ListResolverEndpointIpAddresses",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    counts_azs=True,
    guidance={
        "route53resolver.endpoint_multi_az": Guidance(
            Severity.HIGH,
            "Give the endpoint IP addresses in subnets of at least two AZs "
            "(associate-resolver-endpoint-ip-address); DNS for the VPC stops when its only AZ fails.",
            "Other",
            fails=Fails.PATH,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "Addresses that are being created, attached, detached or deleted, or that failed, are "
            "not counted; the message names them with their status."
        ),
        "`engine` is the endpoint's direction (`inbound` or `outbound`).",
        (
            "`resource_arn` is the endpoint's ARN, `resource_name` its name, `resource_id` its id "
            "(`rslvr-in-…` / `rslvr-out-…`)."
        ),
        (
            "API: `ListResolverEndpoints` and `ListResolverEndpointIpAddresses` per endpoint (all "
            "pages, concurrent), `ec2:DescribeSubnets` (once per region, shared by checks)."
        ),
    ),
)

"""Client VPN endpoints whose associated target networks all sit in one AZ, or with a route that
only one AZ's target subnet carries."""

from __future__ import annotations

from collections import defaultdict
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
from resiliency_analyser.checks.verdicts import Verdict, combined

# pending-associate: no target network yet, so no client can connect from any AZ.
NOT_SERVING = frozenset({"pending-associate", "deleting", "deleted"})
ROUTE_ACTIVE = "active"


def status(record: Record) -> str:
    return str((record.get("Status") or {}).get("Code", "")).lower()


def in_scope(endpoint: Record) -> bool:
    return status(endpoint) not in NOT_SERVING


def route_verdict(
    routes: Sequence[Record], subnet_zones: Mapping[str, str], options: CheckOptions
) -> Verdict:
    """Client VPN routes traffic for a destination through the target subnets its routes name:
    a destination only one AZ's subnet carries is lost to every client when that AZ fails, even
    though clients still connect through the other AZs."""
    carriers: dict[str, set[str]] = defaultdict(set)
    for route in routes:
        if status(route) == ROUTE_ACTIVE:
            carriers[str(route.get("DestinationCidr", "?"))].add(str(route.get("TargetSubnet", "")))
    zones = {d: subnet_spread(s, subnet_zones).zones for d, s in sorted(carriers.items())}
    confined = {d: z for d, z in zones.items() if options.too_few(len(z))}
    if confined:
        text = f"route(s) carried in fewer than {options.min_azs} AZs: " + "; ".join(
            f"{destination} through {zone_text(z)}" for destination, z in confined.items()
        )
    else:
        text = f"each of {len(zones)} route destination(s) carried in {options.min_azs} or more AZs"
    return Verdict("clientvpn.route_zones", bool(confined), text)


def assess_endpoint(
    endpoint: Record,
    networks: Sequence[Record],
    subnet_zones: Mapping[str, str],
    arn_of: ArnOf,
    options: CheckOptions = DEFAULT_OPTIONS,
    routes: Sequence[Record] = (),
) -> Assessment:
    """``routes``: the endpoint's DescribeClientVpnRoutes records; none, no route rule."""
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
    verdicts = [Verdict("clientvpn.target_networks_multi_az", options.too_few(len(zones)), message)]
    # Target networks in too few AZs put every route there: the routes add nothing to say.
    if not verdicts[0].risk and any(status(r) == ROUTE_ACTIVE for r in routes):
        verdicts.append(route_verdict(routes, subnet_zones, options))
    return combined(
        verdicts,
        resource_arn=arn_of("ec2", f"client-vpn-endpoint/{endpoint_id}"),
        resource_name=tag_value(endpoint, "Name"),
        resource_id=endpoint_id,
        availability_zones=zones,
        tags=tag_pairs(endpoint.get("Tags")),
    )


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("ec2", "describe_client_vpn_endpoints"):
        endpoints = [e for e in page.get("ClientVpnEndpoints", []) if in_scope(e)]
        if not endpoints:
            continue
        ids = [e["ClientVpnEndpointId"] for e in endpoints]
        subnet_zones, networks, routes = await concurrently(
            scope.subnet_zones(),
            scope.items_each(
                "ec2",
                "describe_client_vpn_target_networks",
                "ClientVpnTargetNetworks",
                "ClientVpnEndpointId",
                ids,
            ),
            scope.items_each(
                "ec2", "describe_client_vpn_routes", "Routes", "ClientVpnEndpointId", ids
            ),
        )
        yield [
            assess_endpoint(e, n, subnet_zones, scope.arn, scope.options, r)
            for e, n, r in zip(endpoints, networks, routes, strict=True)
        ]


CHECK = Check(
    key="clientvpn",
    service="AWS Client VPN",
    rule=(
        "A Client VPN endpoint that has target networks and is not being deleted is a risk when "
        "its associated target subnets lie in fewer than 2 AZs, or when a route destination is "
        "carried by target subnets in fewer than 2 AZs."
    ),
    actions=(
        "ec2:DescribeClientVpnEndpoints",
        "ec2:DescribeClientVpnTargetNetworks",
        "ec2:DescribeClientVpnRoutes",
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
        "clientvpn.route_zones": Guidance(
            Severity.HIGH,
            "Add the route for the destination through a target subnet in another AZ as well "
            "(create-client-vpn-route --target-vpc-subnet-id).",
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
            "Routes are per target subnet: Client VPN sends a destination's traffic out through "
            "the target subnets its routes name (the VPC's own route is added for each "
            "associated subnet; a route added by hand, such as `0.0.0.0/0`, names one). A "
            "destination whose `active` routes all name subnets of one AZ "
            "(`clientvpn.route_zones`) is cut off for every client when that AZ fails, although "
            "clients still connect through the others; the message names each such destination "
            "and its AZ. Routes are judged when the target networks span enough AZs (otherwise "
            "every route is confined with them)."
        ),
        (
            "One finding per endpoint, saying what each rule found; it carries the check id of "
            "the first rule that finds a risk (target networks, then routes)."
        ),
        (
            "API: `DescribeClientVpnEndpoints`, and `DescribeClientVpnTargetNetworks` and "
            "`DescribeClientVpnRoutes` per endpoint (all pages, concurrent), "
            "`ec2:DescribeSubnets` (once per region, shared by checks)."
        ),
    ),
)

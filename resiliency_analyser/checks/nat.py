"""Route tables whose default route sends subnets of several AZs through one zonal hop.

A zonal NAT gateway, Gateway Load Balancer endpoint, Network Firewall endpoint, NAT instance or
appliance network interface lives in one AZ; a route table that sends the default route of
subnets in other AZs through it cuts their egress (or inspection path) when that AZ fails.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

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
    concurrently,
    subnet_spread,
    tag_pairs,
    tag_value,
    zone_text,
    zones_by_subnet,
)
from resiliency_analyser.checks.lookups import (
    FIREWALL,
    FIREWALLS,
    NAT_GATEWAYS,
    ROUTE_TABLES,
    VPC_ENDPOINTS,
)
from resiliency_analyser.checks.placement import find_by_id, instance_zones, instances

DEFAULT_DESTINATIONS = {"DestinationCidrBlock": "0.0.0.0/0", "DestinationIpv6CidrBlock": "::/0"}
SERVING_ASSOCIATIONS = frozenset({"associated", "associating"})
FIREWALL_ENDPOINTS_IN_SERVICE = frozenset({"READY", "SCALING"})
ROUTE_TARGET_FIELDS = ("NatGatewayId", "GatewayId", "InstanceId", "NetworkInterfaceId")
"""Where a route leads, in the order AWS fills them: a route to an instance names its network
interface too, and the instance is what the route was made for."""
ZONAL_TARGETS = ("nat-", "vpce-", "i-", "eni-")
INSTANCE, INTERFACE = "i-", "eni-"


@dataclass(frozen=True)
class Target:
    """Where a default route leads: ``zone`` is None when the target spans AZs."""

    kind: str
    target_id: str
    zone: str | None


def nat_targets(gateways: Iterable[Record], subnet_zones: Mapping[str, str]) -> list[Target]:
    found = []
    for gateway in gateways:
        if gateway.get("State") != "available":
            continue
        if str(gateway.get("AvailabilityMode", "")).lower() == "regional":
            found.append(Target("regional NAT gateway", gateway["NatGatewayId"], None))
        elif gateway.get("SubnetId") in subnet_zones:
            zone = subnet_zones[gateway["SubnetId"]]
            found.append(Target("NAT gateway", gateway["NatGatewayId"], zone))
    return found


def load_balancer_endpoint_targets(
    endpoints: Iterable[Record], subnet_zones: Mapping[str, str]
) -> list[Target]:
    return [
        Target("Gateway Load Balancer endpoint", e["VpcEndpointId"], subnet_zones[subnet])
        for e in endpoints
        if e.get("VpcEndpointType") == "GatewayLoadBalancer"
        and str(e.get("State", "")).lower() == "available"
        for subnet in (e.get("SubnetIds") or [])[:1]
        if subnet in subnet_zones
    ]


def firewall_endpoint_targets(described: Iterable[Record]) -> list[Target]:
    """From ``DescribeFirewall``: the endpoint each AZ's sync state names, while in service."""
    return [
        Target("Network Firewall endpoint", attachment["EndpointId"], zone)
        for firewall in described
        for zone, state in ((firewall.get("FirewallStatus") or {}).get("SyncStates") or {}).items()
        for attachment in [state.get("Attachment") or {}]
        if attachment.get("EndpointId")
        and attachment.get("Status") in FIREWALL_ENDPOINTS_IN_SERVICE
    ]


def instance_targets(instance_records: Iterable[Record]) -> list[Target]:
    """NAT instances and appliances: an instance sits in its placement's AZ."""
    return [Target("instance", i, zone) for i, zone in instance_zones(instance_records).items()]


def interface_targets(interfaces: Iterable[Record]) -> list[Target]:
    """Appliance network interfaces (DescribeNetworkInterfaces): one sits in its subnet's AZ."""
    return [
        Target("network interface", i["NetworkInterfaceId"], i["AvailabilityZone"])
        for i in interfaces
        if i.get("NetworkInterfaceId") and i.get("AvailabilityZone")
    ]


def route_target(route: Record) -> str:
    """The zonal hop a route leads to, or '' (an internet gateway, a transit gateway, …)."""
    for field in ROUTE_TARGET_FIELDS:
        target = str(route.get(field) or "")
        if target.startswith(ZONAL_TARGETS):
            return target
    return ""


def default_route_targets(table: Record) -> list[tuple[str, str]]:
    """(destination, target id) of each active default route to a zonal hop: a NAT gateway, an
    endpoint, an instance or a network interface."""
    found: list[tuple[str, str]] = []
    for route in table.get("Routes") or []:
        if route.get("State") == "blackhole":
            continue
        target = route_target(route)
        if not target:
            continue
        found.extend(
            (destination, target)
            for field, destination in DEFAULT_DESTINATIONS.items()
            if route.get(field) == destination
        )
    return found


def explicit_subnets(table: Record) -> list[str]:
    return [
        a["SubnetId"]
        for a in table.get("Associations") or []
        if a.get("SubnetId")
        and (a.get("AssociationState") or {}).get("State", "associated") in SERVING_ASSOCIATIONS
    ]


def is_main(table: Record) -> bool:
    return any(a.get("Main") for a in table.get("Associations") or [])


def served_subnets(table: Record, unassociated: Mapping[str, Sequence[str]]) -> list[str]:
    """Its explicit associations; for a VPC's main table also every subnet of the VPC that no
    table of the region is explicitly associated with (``unassociated``, by VPC)."""
    served = set(explicit_subnets(table))
    if is_main(table):
        served.update(unassociated.get(table.get("VpcId", ""), ()))
    return sorted(served)


def route_text(destination: str, target: Target, zones: Sequence[str]) -> str:
    if target.zone is None:
        return f"{destination} goes to {target.kind} {target.target_id}, which spans AZs"
    others = sorted(set(zones) - {target.zone})
    text = f"{destination} goes to {target.kind} {target.target_id} in {target.zone}"
    if others:
        return f"{text}: subnets in {zone_text(others)} lose the path when {target.zone} fails"
    return f"{text}, the AZ of every subnet it serves"


def assess_table(
    table: Record,
    served: Sequence[str],
    routes: Sequence[tuple[str, Target]],
    subnet_zones: Mapping[str, str],
    arn_of: ArnOf,
) -> Assessment:
    placed = subnet_spread(served, subnet_zones)
    zones = placed.zones
    target_zones = {t.zone for _, t in routes if t.zone is not None}
    risk = any(t.zone is not None and set(zones) - {t.zone} for _, t in routes)
    message = (
        f"Route table serves {len(served)} subnet(s) in {zone_text(zones)}; default route "
        + "; ".join(route_text(destination, target, zones) for destination, target in routes)
        + placed.unknown_note()
    )
    table_id = table.get("RouteTableId", "")
    return Assessment(
        check_id="nat.default_route_same_az",
        resource_arn=arn_of("ec2", f"route-table/{table_id}"),
        resource_name=tag_value(table, "Name"),
        resource_id=table_id,
        risk=risk,
        message=message,
        availability_zones=tuple(sorted(set(zones) | target_zones)),
        tags=tag_pairs(table.get("Tags")),
    )


def assess(
    tables: Sequence[Record],
    subnets: Sequence[Record],
    targets: Iterable[Target],
    arn_of: ArnOf,
) -> list[Assessment]:
    """One assessment per route table with a default route to a known target that serves a
    subnet; a target not in ``targets`` (gone, failing, being created) is not judged."""
    by_id = {t.target_id: t for t in targets}
    subnet_zones = zones_by_subnet(subnets)
    associated = {s for table in tables for s in explicit_subnets(table)}
    unassociated: dict[str, list[str]] = defaultdict(list)
    for subnet in subnets:
        if subnet["SubnetId"] not in associated:
            unassociated[subnet.get("VpcId", "")].append(subnet["SubnetId"])
    found = []
    for table in tables:
        routes = [(d, by_id[t]) for d, t in default_route_targets(table) if t in by_id]
        served = served_subnets(table, unassociated) if routes else []
        if served:
            found.append(assess_table(table, served, routes, subnet_zones, arn_of))
    return found


def needs_firewalls(tables: Iterable[Record], known: Iterable[Target]) -> bool:
    """Whether a default route leads to an endpoint that is not a Gateway Load Balancer one:
    only then are the region's firewalls looked up."""
    ids = {t.target_id for t in known}
    return any(
        target.startswith("vpce-") and target not in ids
        for table in tables
        for _, target in default_route_targets(table)
    )


async def region_firewalls(scope: RegionScope) -> Sequence[Record]:
    """The firewalls ``DescribeFirewall`` answered for; one it could not describe is the
    ``networkfirewall`` check's to report, and a route to its endpoints is not judged."""
    if not await scope.offers(FIREWALL):
        return []  # no Network Firewall in the region: its endpoints cannot be route targets
    return (await scope.shared(FIREWALLS)).described


def routed_to(tables: Iterable[Record], prefix: str) -> list[str]:
    """The ids starting with ``prefix`` that a default route of ``tables`` leads to."""
    return sorted(
        {t for table in tables for _, t in default_route_targets(table) if t.startswith(prefix)}
    )


async def nothing() -> Sequence[Record]:
    return []


async def scan(scope: RegionScope) -> Batches:
    tables, gateways, endpoints, subnets = await concurrently(
        scope.shared(ROUTE_TABLES),
        scope.shared(NAT_GATEWAYS),
        scope.shared(VPC_ENDPOINTS),
        scope.subnets(),
    )
    subnet_zones = zones_by_subnet(subnets)
    targets = nat_targets(gateways, subnet_zones) + load_balancer_endpoint_targets(
        endpoints, subnet_zones
    )
    # Each is looked up only when a default route leads to one.
    instance_ids, interface_ids = routed_to(tables, INSTANCE), routed_to(tables, INTERFACE)
    firewalls, placed, interfaces = await concurrently(
        region_firewalls(scope) if needs_firewalls(tables, targets) else nothing(),
        instances(scope, instance_ids) if instance_ids else nothing(),
        find_by_id(
            scope,
            "describe_network_interfaces",
            "NetworkInterfaces",
            "network-interface-id",
            interface_ids,
        )
        if interface_ids
        else nothing(),
    )
    targets += (
        firewall_endpoint_targets(firewalls)
        + instance_targets(placed)
        + interface_targets(interfaces)
    )
    yield assess(tables, subnets, targets, scope.arn)


CHECK = Check(
    key="nat",
    service="Amazon VPC routing (NAT gateways, inspection endpoints)",
    rule=(
        "A route table with a default route (0.0.0.0/0 or ::/0) to a zonal NAT gateway, Gateway "
        "Load Balancer endpoint, Network Firewall endpoint, NAT instance or appliance network "
        "interface is a risk when a subnet it serves lies in another AZ than that target."
    ),
    actions=(
        "ec2:DescribeRouteTables",
        "ec2:DescribeNatGateways",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeSubnets",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "network-firewall:ListFirewalls",
        "network-firewall:DescribeFirewall",
    ),
    scan=scan,
    tagged=True,
    guidance={
        "nat.default_route_same_az": Guidance(
            Severity.HIGH,
            "Give each AZ its own target (a NAT gateway or endpoint there) and a route table for "
            "that AZ's subnets, or use a regional NAT gateway.",
            "AwsEc2RouteTable",
            fails=Fails.PATH,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "The subnets a route table serves are its explicit subnet associations; the VPC's "
            "main route table also serves every subnet of the VPC without one."
        ),
        (
            "A NAT gateway in regional availability mode (`AvailabilityMode` `regional`) spans "
            "AZs: not a risk. A zonal NAT gateway and a Gateway Load Balancer endpoint sit in "
            "their subnet's AZ; a Network Firewall endpoint in the AZ `DescribeFirewall` files "
            "its sync state under; a NAT instance or appliance (a route's `InstanceId`) in its "
            "placement's AZ, and a network interface (`NetworkInterfaceId`, e.g. a virtual "
            "appliance's) in its own."
        ),
        (
            "One finding per route table with a default route to such a target that serves at "
            "least one subnet. Targets that are not available (pending, deleting, failed), "
            "blackhole routes (a stopped instance's, a detached interface's), and other targets "
            "(internet gateways, transit gateways, peering connections) are not judged."
        ),
        (
            "`resource_arn` is the route table's ARN "
            "(`arn:<partition>:ec2:<region>:<account>:route-table/<id>`), `resource_name` its "
            "`Name` tag; `availability_zones` holds the AZs of the subnets it serves and of its "
            "targets."
        ),
        (
            "API: `DescribeRouteTables`, `DescribeNatGateways`, `DescribeVpcEndpoints` and "
            "`DescribeSubnets` (all pages, each once per region, shared by checks); "
            "`network-firewall` `ListFirewalls` and `DescribeFirewall` only when a default route "
            "leads to an endpoint that is not a Gateway Load Balancer endpoint (shared with the "
            "`networkfirewall` check); `ec2:DescribeInstances` and `DescribeNetworkInterfaces` "
            "(ids in filters, 200 per call) only for the instances and interfaces default routes "
            "lead to."
        ),
    ),
)

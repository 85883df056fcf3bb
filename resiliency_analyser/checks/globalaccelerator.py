"""Global Accelerator accelerators with a listener whose endpoints all sit in one AZ.

The API lives in us-west-2 and accelerators are global, so the check runs once, there; each
standard endpoint is located through EC2 or Elastic Load Balancing, and each custom routing
destination subnet through EC2, in its endpoint group's region.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    concurrently,
    zone_text,
)
from resiliency_analyser.checks.lookups import LOAD_BALANCERS
from resiliency_analyser.checks.placement import find_by_id, instance_zones, instances

HOME_REGION = "us-west-2"


def endpoint_kind(endpoint_id: str) -> str:
    if endpoint_id.startswith("i-"):
        return "instance"
    if endpoint_id.startswith("eipalloc-"):
        return "elastic-ip"
    if ":elasticloadbalancing:" in endpoint_id:
        return "load-balancer"
    return "unknown"


@dataclass(frozen=True)
class EndpointPlaces:
    """Where endpoints sit, from the EC2 and ELB records found for them."""

    instances: Mapping[str, str]
    load_balancers: Mapping[str, tuple[str, ...]]
    addresses: Mapping[str, str]
    """Elastic IP allocation id -> the network interface it is associated with."""
    interfaces: Mapping[str, str]

    @classmethod
    def of(
        cls,
        instance_records: Sequence[Record] = (),
        load_balancers: Sequence[Record] = (),
        addresses: Sequence[Record] = (),
        interfaces: Sequence[Record] = (),
    ) -> EndpointPlaces:
        return cls(
            instances=instance_zones(instance_records),
            load_balancers={
                lb["LoadBalancerArn"]: tuple(
                    z["ZoneName"] for z in lb.get("AvailabilityZones", []) if z.get("ZoneName")
                )
                for lb in load_balancers
            },
            addresses={
                a["AllocationId"]: a["NetworkInterfaceId"]
                for a in addresses
                if a.get("AllocationId") and a.get("NetworkInterfaceId")
            },
            interfaces={
                n["NetworkInterfaceId"]: n["AvailabilityZone"]
                for n in interfaces
                if n.get("AvailabilityZone")
            },
        )

    def zones(self, endpoint_id: str) -> tuple[str, ...]:
        """The endpoint's AZs; empty when it could not be found."""
        kind = endpoint_kind(endpoint_id)
        if kind == "instance" and endpoint_id in self.instances:
            return (self.instances[endpoint_id],)
        if kind == "load-balancer":
            return self.load_balancers.get(endpoint_id, ())
        interface = self.addresses.get(endpoint_id, "")
        if kind == "elastic-ip" and interface in self.interfaces:
            return (self.interfaces[interface],)
        return ()


Listener = tuple[Record, Sequence[Record]]
"""A listener and its endpoint groups."""
ZonesOf = Callable[[str], tuple[str, ...]]
"""Endpoint id -> its AZs; empty when it could not be found."""


def port_text(listener: Record) -> str:
    ranges = [
        str(r.get("FromPort"))
        if r.get("FromPort") == r.get("ToPort")
        else f"{r.get('FromPort')}-{r.get('ToPort')}"
        for r in listener.get("PortRanges") or []
    ]
    return ",".join(ranges) or "no ports"


def listener_label(listener: Record) -> str:
    """How a message names a listener: protocol and ports (custom routing has no protocol)."""
    protocol = listener.get("Protocol")
    return f"{protocol} {port_text(listener)}" if protocol else f"ports {port_text(listener)}"


@dataclass(frozen=True)
class ListenerVerdict:
    label: str
    risk: bool
    serves: bool
    """Whether any endpoint receives traffic: a listener without one cannot fail over either."""
    message: str
    zones: tuple[str, ...]


def judge_listener(listener: Listener, zones_of: ZonesOf) -> ListenerVerdict:
    """One listener on its own endpoint groups; endpoints of weight 0 get no traffic."""
    record, groups = listener
    endpoints = [
        (group.get("EndpointGroupRegion", ""), endpoint.get("EndpointId", ""))
        for group in groups
        for endpoint in group.get("EndpointDescriptions") or []
        if endpoint.get("Weight") != 0
    ]
    idle = sorted(
        endpoint.get("EndpointId", "")
        for group in groups
        for endpoint in group.get("EndpointDescriptions") or []
        if endpoint.get("Weight") == 0
    )
    regions = sorted({region for region, _ in endpoints})
    zones = sorted({zone for _, e in endpoints for zone in zones_of(e)})
    unknown = sorted({e for _, e in endpoints if not zones_of(e)})
    label = listener_label(record)
    if not endpoints:
        text = f"no endpoint receiving traffic ({len(groups)} endpoint group(s))"
    elif len(regions) >= 2:
        text = (
            f"{len(endpoints)} endpoints in {len(regions)} regions ({', '.join(regions)}); "
            f"AZs: {zone_text(zones)}"
        )
    else:
        text = (
            f"{len(endpoints)} endpoint(s) in {regions[0]}, in {len(zones)} AZ(s): "
            f"{zone_text(zones)}"
        )
    if unknown:
        text += f"; AZ unknown (not found) for {', '.join(unknown)}"
    if idle:
        text += f"; weight 0, so no traffic: {', '.join(idle)}"
    return ListenerVerdict(
        label=label,
        risk=bool(endpoints) and len(regions) < 2 and len(zones) < 2,
        serves=bool(endpoints),
        message=f"listener {label}: {text}",
        zones=tuple(zones),
    )


def assess_accelerator(
    accelerator: Record, listeners: Sequence[Listener], zones_of: ZonesOf, check_id: str
) -> Assessment:
    """A risk when any listener is: other listeners' endpoint groups are no redundancy."""
    verdicts = [judge_listener(listener, zones_of) for listener in listeners]
    enabled = accelerator.get("Enabled") is not False
    at_fault = [v for v in verdicts if v.risk] if enabled else []
    if not enabled:
        message = "Accelerator is disabled: it carries no traffic"
    elif not any(v.serves for v in verdicts):
        message = f"Accelerator has no endpoint receiving traffic ({len(listeners)} listener(s))"
    else:
        shown = at_fault or verdicts
        message = "; ".join(v.message for v in shown)
        message = message[0].upper() + message[1:]
    accelerator_arn = accelerator.get("AcceleratorArn", "")
    return Assessment(
        check_id=check_id,
        resource_arn=accelerator_arn,
        resource_name=accelerator.get("Name", ""),
        resource_id=accelerator_arn.rpartition("/")[2],
        risk=bool(at_fault),
        message=message,
        availability_zones=tuple(sorted({z for v in verdicts for z in v.zones})),
    )


def assess(
    accelerators: Sequence[tuple[Record, Sequence[Listener]]], places: EndpointPlaces
) -> list[Assessment]:
    """Each standard accelerator with its listeners, each with its endpoint groups."""
    return [
        assess_accelerator(a, listeners, places.zones, "globalaccelerator.endpoint_zones")
        for a, listeners in accelerators
    ]


def assess_custom_routing(
    accelerators: Sequence[tuple[Record, Sequence[Listener]]], subnet_zones: Mapping[str, str]
) -> list[Assessment]:
    """Each custom routing accelerator: its endpoints are destination subnets."""

    def zones_of(subnet: str) -> tuple[str, ...]:
        return (subnet_zones[subnet],) if subnet in subnet_zones else ()

    return [
        assess_accelerator(a, listeners, zones_of, "globalaccelerator.custom_routing_zones")
        for a, listeners in accelerators
    ]


async def listeners_of(scope: RegionScope, accelerator_arn: str, kind: str = "") -> list[Listener]:
    """An accelerator's listeners, each with its endpoint groups; ``kind`` is ``custom_routing_``
    for custom routing accelerators."""
    listeners = await scope.items(
        "globalaccelerator",
        f"list_{kind}listeners",
        "Listeners",
        AcceleratorArn=accelerator_arn,
    )
    groups = await concurrently(
        *(
            scope.items(
                "globalaccelerator",
                f"list_{kind}endpoint_groups",
                "EndpointGroups",
                ListenerArn=listener["ListenerArn"],
            )
            for listener in listeners
        )
    )
    return list(zip(listeners, groups, strict=True))


async def accelerators_of(
    scope: RegionScope, kind: str = ""
) -> list[tuple[Record, list[Listener]]]:
    accelerators = await scope.items(
        "globalaccelerator", f"list_{kind}accelerators", "Accelerators"
    )
    listeners = await concurrently(
        *(listeners_of(scope, a["AcceleratorArn"], kind) for a in accelerators)
    )
    return list(zip(accelerators, listeners, strict=True))


def endpoints_by_region(
    listed: Sequence[tuple[Record, Sequence[Listener]]],
) -> dict[str, list[str]]:
    by_region: dict[str, list[str]] = defaultdict(list)
    for _, listeners in listed:
        for _, groups in listeners:
            for group in groups:
                for endpoint in group.get("EndpointDescriptions") or []:
                    by_region[group["EndpointGroupRegion"]].append(endpoint["EndpointId"])
    return by_region


async def subnet_places(
    scope: RegionScope, by_region: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """Subnet id -> AZ for custom routing destinations, looked up in each one's region."""
    found = await concurrently(
        *(
            find_by_id(scope.in_region(region), "describe_subnets", "Subnets", "subnet-id", ids)
            for region, ids in by_region.items()
        )
    )
    return {s["SubnetId"]: s["AvailabilityZone"] for subnets in found for s in subnets}


async def region_load_balancers(scope: RegionScope, endpoint_ids: Sequence[str]) -> list[Record]:
    # The whole region is listed (shared with the elb check): asking by ARN fails the call if
    # one endpoint's load balancer is gone.
    if not any(endpoint_kind(e) == "load-balancer" for e in endpoint_ids):
        return []
    return [*await scope.shared(LOAD_BALANCERS)]


async def region_interfaces(
    scope: RegionScope, endpoint_ids: Sequence[str]
) -> tuple[list[Record], list[Record]]:
    """Elastic IP endpoints and the network interfaces they are associated with."""
    allocations = [e for e in endpoint_ids if endpoint_kind(e) == "elastic-ip"]
    addresses = await find_by_id(
        scope, "describe_addresses", "Addresses", "allocation-id", allocations
    )
    attached = [a["NetworkInterfaceId"] for a in addresses if a.get("NetworkInterfaceId")]
    interfaces = await find_by_id(
        scope,
        "describe_network_interfaces",
        "NetworkInterfaces",
        "network-interface-id",
        attached,
    )
    return addresses, interfaces


async def region_records(
    scope: RegionScope, region: str, endpoint_ids: Sequence[str]
) -> tuple[list[Record], list[Record], list[Record], list[Record]]:
    """Instances, load balancers, Elastic IPs and network interfaces behind one region's endpoints."""
    instance_ids = [e for e in endpoint_ids if endpoint_kind(e) == "instance"]
    there = scope.in_region(region)
    found, load_balancers, (addresses, interfaces) = await concurrently(
        instances(there, instance_ids),
        region_load_balancers(there, endpoint_ids),
        region_interfaces(there, endpoint_ids),
    )
    return found, load_balancers, addresses, interfaces


async def locate(scope: RegionScope, by_region: Mapping[str, Sequence[str]]) -> EndpointPlaces:
    """Looks every endpoint up in its group's region, all regions and kinds at once."""
    found = await concurrently(
        *(region_records(scope, region, ids) for region, ids in by_region.items())
    )
    return EndpointPlaces.of(
        *(list(chain.from_iterable(kind)) for kind in zip(*found, strict=True))
    )


async def scan(scope: RegionScope) -> Batches:
    standard, custom = await concurrently(
        accelerators_of(scope), accelerators_of(scope, "custom_routing_")
    )
    places, subnet_zones = await concurrently(
        locate(scope, endpoints_by_region(standard)),
        subnet_places(scope, endpoints_by_region(custom)),
    )
    yield [*assess(standard, places), *assess_custom_routing(custom, subnet_zones)]


CHECK = Check(
    key="globalaccelerator",
    service="AWS Global Accelerator",
    rule=(
        "An enabled accelerator is a risk when one of its listeners has all its endpoints that "
        "receive traffic (weight above 0) in one AZ of one region; for custom routing "
        "accelerators the endpoints are destination subnets."
    ),
    actions=(
        "globalaccelerator:ListAccelerators",
        "globalaccelerator:ListListeners",
        "globalaccelerator:ListEndpointGroups",
        "globalaccelerator:ListCustomRoutingAccelerators",
        "globalaccelerator:ListCustomRoutingListeners",
        "globalaccelerator:ListCustomRoutingEndpointGroups",
        "ec2:DescribeInstances",
        "elasticloadbalancing:DescribeLoadBalancers",
        "ec2:DescribeAddresses",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    home_region=HOME_REGION,
    guidance={
        "globalaccelerator.endpoint_zones": Guidance(
            Severity.MEDIUM,
            "Give the listener endpoints in another AZ (or an endpoint group in another region) "
            "so traffic has somewhere to go.",
            "Other",
            fails=Fails.CAPACITY,
            well_architected=("REL02-BP01", "REL10-BP01"),
        ),
        "globalaccelerator.custom_routing_zones": Guidance(
            Severity.MEDIUM,
            "Add destination subnets in another AZ (or an endpoint group in another region) to "
            "the custom routing listener.",
            "Other",
            fails=Fails.CAPACITY,
            well_architected=("REL02-BP01", "REL10-BP01"),
        ),
    },
    notes=(
        (
            "Global: the API lives in us-west-2, so the check runs once per scan there "
            "whatever `--regions` says, and its findings carry region `us-west-2`."
        ),
        (
            "Each listener is judged on its own endpoint groups: the endpoint groups of other "
            "listeners never count as its redundancy. One finding per accelerator, a risk when "
            "any listener is; the message names each listener at fault by protocol and ports "
            "(every listener when none is)."
        ),
        (
            "An endpoint of `Weight` 0 receives no failover traffic: it counts as no region "
            "and no AZ, and the message names it. A listener with no endpoint receiving "
            "traffic is not a risk; a disabled accelerator (`Enabled` false) is not a risk "
            "and its message says it is disabled."
        ),
        (
            "Standard endpoints are located in their endpoint group's region: EC2 instances "
            "through `ec2:DescribeInstances` (every instance of every reservation); "
            "Application and Network Load Balancers through the load balancer's AZs; Elastic "
            "IPs through the network interface they are associated with (`DescribeAddresses`, "
            "`DescribeNetworkInterfaces`). An endpoint that cannot be found (a terminated "
            "instance, a deleted load balancer, an unassociated Elastic IP) is named in the "
            "message and counts as no AZ."
        ),
        (
            "Custom routing accelerators (`globalaccelerator.custom_routing_zones`): the "
            "endpoints are subnets, located with `ec2:DescribeSubnets` in their endpoint "
            "group's region; a listener whose destination subnets all lie in one AZ of one "
            "region is a risk."
        ),
        (
            "API: `ListAccelerators`, `ListListeners`, `ListEndpointGroups` and their "
            "`ListCustomRouting*` counterparts (all pages, listeners and groups in parallel); "
            "per endpoint region, in parallel: `ec2:DescribeInstances`, "
            "`elasticloadbalancing:DescribeLoadBalancers` (all pages), `ec2:DescribeAddresses`,"
            " `ec2:DescribeNetworkInterfaces`, `ec2:DescribeSubnets` (ids in filters: ids that "
            "no longer exist do not fail the call)."
        ),
    ),
)

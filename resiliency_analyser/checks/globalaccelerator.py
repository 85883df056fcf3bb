"""Standard Global Accelerator accelerators whose endpoints all sit in one AZ.

The API lives in us-west-2 and accelerators are global, so the check runs once, there; each
endpoint is located through EC2 or Elastic Load Balancing in its endpoint group's region.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Guidance,
    Record,
    RegionScope,
    Severity,
    zone_text,
)
from resiliency_analyser.checks.placement import find_by_id, instance_zones, instances

if TYPE_CHECKING:
    from resiliency_analyser.aws.clients import AwsClients

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


def assess_accelerator(
    accelerator: Record, groups: Sequence[Record], places: EndpointPlaces
) -> Assessment:
    endpoints = [
        (group.get("EndpointGroupRegion", ""), endpoint.get("EndpointId", ""))
        for group in groups
        for endpoint in group.get("EndpointDescriptions") or []
    ]
    regions = sorted({region for region, _ in endpoints})
    zones = sorted({zone for _, e in endpoints for zone in places.zones(e)})
    unknown = sorted({e for _, e in endpoints if not places.zones(e)})
    if not endpoints:
        message = f"Accelerator has no endpoints ({len(groups)} endpoint group(s))"
    elif len(regions) >= 2:
        message = (
            f"{len(endpoints)} endpoints in {len(regions)} regions ({', '.join(regions)}); "
            f"AZs: {zone_text(zones)}"
        )
    else:
        message = (
            f"{len(endpoints)} endpoint(s) in {regions[0]}, in {len(zones)} AZ(s): "
            f"{zone_text(zones)}"
        )
    if unknown:
        message += f"; AZ unknown (not found) for {', '.join(unknown)}"
    accelerator_arn = accelerator.get("AcceleratorArn", "")
    return Assessment(
        check_id="globalaccelerator.endpoint_zones",
        resource_arn=accelerator_arn,
        resource_name=accelerator.get("Name", ""),
        resource_id=accelerator_arn.rpartition("/")[2],
        risk=bool(endpoints) and len(regions) < 2 and len(zones) < 2,
        message=message,
        availability_zones=tuple(zones),
    )


def assess(
    accelerators: Sequence[tuple[Record, Sequence[Record]]], places: EndpointPlaces
) -> list[Assessment]:
    """Each accelerator with its endpoint groups (of every listener)."""
    return [assess_accelerator(a, groups, places) for a, groups in accelerators]


async def endpoint_groups(scope: RegionScope, accelerator_arn: str) -> list[Record]:
    listeners = await scope.items(
        "globalaccelerator", "list_listeners", "Listeners", AcceleratorArn=accelerator_arn
    )
    groups = await asyncio.gather(
        *(
            scope.items(
                "globalaccelerator",
                "list_endpoint_groups",
                "EndpointGroups",
                ListenerArn=listener["ListenerArn"],
            )
            for listener in listeners
        )
    )
    return [group for listener_groups in groups for group in listener_groups]


async def region_load_balancers(
    clients: AwsClients, region: str, endpoint_ids: Sequence[str]
) -> list[Record]:
    # The whole region is listed: asking by ARN fails the call if one endpoint's LB is gone.
    if not any(endpoint_kind(e) == "load-balancer" for e in endpoint_ids):
        return []
    listed = await clients.items("elbv2", region, "describe_load_balancers", "LoadBalancers")
    return [*listed]


async def region_interfaces(
    clients: AwsClients, region: str, endpoint_ids: Sequence[str]
) -> tuple[list[Record], list[Record]]:
    """Elastic IP endpoints and the network interfaces they are associated with."""
    allocations = [e for e in endpoint_ids if endpoint_kind(e) == "elastic-ip"]
    addresses = await find_by_id(
        clients, region, "describe_addresses", "Addresses", "allocation-id", allocations
    )
    attached = [a["NetworkInterfaceId"] for a in addresses if a.get("NetworkInterfaceId")]
    interfaces = await find_by_id(
        clients,
        region,
        "describe_network_interfaces",
        "NetworkInterfaces",
        "network-interface-id",
        attached,
    )
    return addresses, interfaces


async def region_records(
    clients: AwsClients, region: str, endpoint_ids: Sequence[str]
) -> tuple[list[Record], list[Record], list[Record], list[Record]]:
    """Instances, load balancers, Elastic IPs and network interfaces behind one region's endpoints."""
    instance_ids = [e for e in endpoint_ids if endpoint_kind(e) == "instance"]
    found, load_balancers, (addresses, interfaces) = await asyncio.gather(
        instances(clients, region, instance_ids),
        region_load_balancers(clients, region, endpoint_ids),
        region_interfaces(clients, region, endpoint_ids),
    )
    return found, load_balancers, addresses, interfaces


async def locate(clients: AwsClients, groups: Sequence[Record]) -> EndpointPlaces:
    """Looks every endpoint up in its group's region, all regions and kinds at once."""
    by_region: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        for endpoint in group.get("EndpointDescriptions") or []:
            by_region[group["EndpointGroupRegion"]].append(endpoint["EndpointId"])
    found = await asyncio.gather(
        *(region_records(clients, region, ids) for region, ids in by_region.items())
    )
    return EndpointPlaces.of(
        *(list(chain.from_iterable(kind)) for kind in zip(*found, strict=True))
    )


async def scan(scope: RegionScope) -> Batches:
    accelerators = await scope.items("globalaccelerator", "list_accelerators", "Accelerators")
    groups = await asyncio.gather(
        *(endpoint_groups(scope, a["AcceleratorArn"]) for a in accelerators)
    )
    places = await locate(scope.clients, [g for gs in groups for g in gs])
    yield assess(list(zip(accelerators, groups, strict=True)), places)


CHECK = Check(
    key="globalaccelerator",
    service="AWS Global Accelerator",
    rule=(
        "A standard accelerator is a risk when all its endpoints sit in one AZ; endpoint groups "
        "in 2 or more regions are not a risk, and an accelerator without endpoints gets a "
        "finding that is not a risk."
    ),
    actions=(
        "globalaccelerator:ListAccelerators",
        "globalaccelerator:ListListeners",
        "globalaccelerator:ListEndpointGroups",
        "ec2:DescribeInstances",
        "elasticloadbalancing:DescribeLoadBalancers",
        "ec2:DescribeAddresses",
        "ec2:DescribeNetworkInterfaces",
    ),
    scan=scan,
    home_region=HOME_REGION,
    guidance={
        "globalaccelerator.endpoint_zones": Guidance(
            Severity.HIGH,
            "Add endpoints in another AZ (or an endpoint group in another region) so traffic has "
            "somewhere to go.",
        ),
    },
    notes=(
        (
            "Global: the API lives in us-west-2, so the check runs once per scan there "
            "whatever `--regions` says, and its findings carry region `us-west-2`."
        ),
        (
            "Every listener's endpoint groups are read. Each endpoint is located in its "
            "endpoint group's region: EC2 instances through `ec2:DescribeInstances` (every "
            "instance of every reservation); Application and Network Load Balancers through "
            "the load balancer's AZs; Elastic IPs through the network interface they are "
            "associated with (`DescribeAddresses`, `DescribeNetworkInterfaces`)."
        ),
        (
            "Regions count only endpoint groups that have endpoints. An endpoint that cannot "
            "be found (a terminated instance, a deleted load balancer, an unassociated "
            "Elastic IP) is named in the message and counts as no AZ. Custom routing "
            "accelerators are not covered."
        ),
        (
            "API: `ListAccelerators`, `ListListeners`, `ListEndpointGroups` (all pages, "
            "listeners and groups in parallel); per endpoint region, in parallel: "
            "`ec2:DescribeInstances`, `elasticloadbalancing:DescribeLoadBalancers` (all "
            "pages), `ec2:DescribeAddresses`, `ec2:DescribeNetworkInterfaces` (ids in "
            "filters: ids that no longer exist do not fail the call)."
        ),
    ),
)

"""VPC endpoints in subnets (Interface, Resource, Service network) whose network interfaces all sit
in one AZ."""

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
    tag_pairs,
    tag_value,
    zone_text,
)
from resiliency_analyser.checks.lookups import VPC_ENDPOINTS

GONE_STATES = frozenset({"deleted", "deleting", "rejected", "failed", "expired"})
IN_SUBNETS = frozenset({"Interface", "Resource", "ServiceNetwork"})
"""Endpoint types with a network interface in each of their subnets (Resource and
ServiceNetwork are VPC Lattice's)."""


def in_scope(endpoint: Record) -> bool:
    return (
        endpoint.get("VpcEndpointType") in IN_SUBNETS
        and str(endpoint.get("State", "")).lower() not in GONE_STATES
    )


def target(endpoint: Record) -> str:
    """What the endpoint reaches: a service, a Lattice resource configuration or network."""
    return str(
        endpoint.get("ServiceName")
        or endpoint.get("ResourceConfigurationArn")
        or endpoint.get("ServiceNetworkArn")
        or "?"
    )


def assess_endpoint(
    endpoint: Record,
    subnet_zones: Mapping[str, str],
    arn_of: ArnOf,
    options: CheckOptions = DEFAULT_OPTIONS,
) -> Assessment:
    # An endpoint has one network interface per subnet and at most one subnet per AZ, so each
    # subnet is a distinct AZ even when the subnet lookup cannot name it.
    subnets = sorted(set(endpoint.get("SubnetIds") or []))
    zones = sorted({subnet_zones[s] for s in subnets if s in subnet_zones})
    unknown = [s for s in subnets if s not in subnet_zones]
    message = (
        f"{endpoint.get('VpcEndpointType')} endpoint for {target(endpoint)} has network "
        f"interfaces in {len(subnets)} AZ(s): {zone_text(zones)}"
    )
    if unknown:
        message += f"; subnets not found in the region: {', '.join(unknown)}"
    message += options.shortfall(len(subnets))
    endpoint_id = endpoint.get("VpcEndpointId", "")
    return Assessment(
        check_id="vpce.interface_multi_az",
        resource_arn=arn_of("ec2", f"vpc-endpoint/{endpoint_id}"),
        resource_name=tag_value(endpoint, "Name"),
        resource_id=endpoint_id,
        risk=options.too_few(len(subnets)),
        message=message,
        availability_zones=tuple(zones),
        tags=tag_pairs(endpoint.get("Tags")),
    )


def assess(
    endpoints: Sequence[Record],
    subnet_zones: Mapping[str, str],
    arn_of: ArnOf,
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    return [assess_endpoint(e, subnet_zones, arn_of, options) for e in endpoints if in_scope(e)]


async def scan(scope: RegionScope) -> Batches:
    endpoints = await scope.shared(VPC_ENDPOINTS)
    subnet_zones = await scope.subnet_zones() if any(map(in_scope, endpoints)) else {}
    yield assess(endpoints, subnet_zones, scope.arn, scope.options)


CHECK = Check(
    key="vpce",
    service="Amazon VPC endpoints",
    rule=(
        "An Interface, Resource or ServiceNetwork VPC endpoint that is not deleted, deleting, "
        "rejected, failed or expired is a risk when its network interfaces lie in fewer than 2 "
        "AZs."
    ),
    actions=("ec2:DescribeVpcEndpoints", "ec2:DescribeSubnets"),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "vpce.interface_multi_az": Guidance(
            Severity.HIGH,
            "Add subnets in at least two AZs to the endpoint (modify-vpc-endpoint --add-subnet-ids).",
            "Other",
            fails=Fails.PATH,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "Endpoints of type `Interface`, and VPC Lattice's `Resource` and `ServiceNetwork` "
            "(they sit in subnets the same way); Gateway and Gateway Load Balancer endpoints are "
            "not judged. The message names the endpoint type and its service, resource "
            "configuration or service network."
        ),
        (
            "AWS allows one endpoint subnet per AZ, so each subnet is one AZ; subnets are "
            "resolved to AZs for the message, and a subnet the lookup cannot find is named "
            "there (and still counts as an AZ)."
        ),
        (
            "`resource_arn` is the endpoint's ARN "
            "(`arn:<partition>:ec2:<region>:<account>:vpc-endpoint/<id>`), `resource_name` "
            "its `Name` tag, `resource_id` its id."
        ),
        (
            "API: `DescribeVpcEndpoints` (all pages) and `ec2:DescribeSubnets`, each once per"
            " region, shared by checks."
        ),
    ),
)

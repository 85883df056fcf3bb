"""OpenSearch and Elasticsearch domains that one AZ failure would take down."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Guidance,
    Record,
    RegionScope,
    Severity,
    chunks,
    zone_text,
)

DESCRIBE_BATCH = 5  # DescribeDomains rejects more than five names per call


def domain_zones(domain: Record, subnet_zones: Mapping[str, str]) -> list[str]:
    vpc = domain.get("VPCOptions") or {}
    zones: list[str] = vpc.get("AvailabilityZones") or [
        subnet_zones[s] for s in vpc.get("SubnetIds", []) if s in subnet_zones
    ]
    return sorted(set(zones))


def assess_domain(domain: Record, subnet_zones: Mapping[str, str]) -> Assessment:
    config = domain.get("ClusterConfig") or {}
    nodes = int(config.get("InstanceCount", 0))
    zone_aware = bool(config.get("ZoneAwarenessEnabled"))
    in_vpc = bool((domain.get("VPCOptions") or {}).get("SubnetIds"))
    zones = domain_zones(domain, subnet_zones)
    reasons = []
    if nodes <= 1:
        reasons.append(f"{nodes} data node")
    if not zone_aware:
        reasons.append("zone awareness disabled")
    if in_vpc and len(zones) < 2:
        reasons.append(f"VPC subnets in one AZ ({zone_text(zones)})")
    if zone_aware:
        az_count = (config.get("ZoneAwarenessConfig") or {}).get("AvailabilityZoneCount", 2)
        layout = f"zone awareness across {az_count} AZs"
    else:
        layout = "no zone awareness"
    where = f"VPC AZs: {zone_text(zones)}" if in_vpc else "public endpoint"
    if reasons:
        message = f"Single-AZ domain: {'; '.join(reasons)} ({where})"
    else:
        message = f"Multi-AZ domain: {nodes} data nodes, {layout} ({where})"
    return Assessment(
        check_id="opensearch.domain_multi_az",
        resource_arn=domain.get("ARN", ""),
        resource_name=domain.get("DomainName", ""),
        resource_id=domain.get("DomainId", ""),
        risk=bool(reasons),
        engine=domain.get("EngineVersion", ""),
        message=message,
        availability_zones=tuple(zones),
    )


def assess(domains: Sequence[Record], subnet_zones: Mapping[str, str]) -> list[Assessment]:
    return [assess_domain(d, subnet_zones) for d in domains]


def needs_subnet_lookup(domains: Sequence[Record]) -> bool:
    return any(
        (d.get("VPCOptions") or {}).get("SubnetIds")
        and not (d.get("VPCOptions") or {}).get("AvailabilityZones")
        for d in domains
    )


async def describe(scope: RegionScope, names: list[str]) -> Sequence[Record]:
    response = await scope.call("opensearch", "describe_domains", DomainNames=names)
    statuses: Sequence[Record] = response.get("DomainStatusList", [])
    return statuses


async def scan(scope: RegionScope) -> Batches:
    listing = await scope.call("opensearch", "list_domain_names")
    names = [d["DomainName"] for d in listing.get("DomainNames", [])]
    batches = chunks(names, DESCRIBE_BATCH)
    for described in asyncio.as_completed([describe(scope, b) for b in batches]):
        domains = await described
        subnet_zones = await scope.subnet_zones() if needs_subnet_lookup(domains) else {}
        yield assess(domains, subnet_zones)


CHECK = Check(
    key="opensearch",
    service="Amazon OpenSearch Service",
    rule=(
        "A domain is a risk when it has one data node, zone awareness is off, or (VPC domains) "
        "its subnets lie in one AZ."
    ),
    actions=("es:ListDomainNames", "es:DescribeDomains", "ec2:DescribeSubnets"),
    scan=scan,
    guidance={
        "opensearch.domain_multi_az": Guidance(
            Severity.HIGH,
            "Enable zone awareness across 2 or 3 AZs with data nodes in each (VPC domains: one "
            "subnet per AZ).",
        ),
    },
    notes=(
        (
            "Covers OpenSearch and legacy Elasticsearch domains. Public domains (no VPC) are "
            "judged on node count and zone awareness."
        ),
        "`engine` is the engine version (`OpenSearch_2.11`, `Elasticsearch_7.10`).",
        ("API: `ListDomainNames`, then `DescribeDomains` five names per call, calls in parallel."),
    ),
)

"""OpenSearch and Elasticsearch domains, and OpenSearch Serverless collections, that one AZ
failure would take down."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    Outage,
    Record,
    RegionScope,
    Severity,
    chunks,
    concurrently,
    zone_text,
)
from resiliency_analyser.checks.lookups import OPENSEARCH_DOMAINS

COLLECTION_BATCH = 100  # BatchGetCollection takes at most 100 ids
QUORUM = 3
"""Dedicated masters, data nodes and AZs a domain needs to survive losing any one AZ."""
COLLECTION_GONE = frozenset({"DELETING", "FAILED"})


def domain_zones(domain: Record, subnet_zones: Mapping[str, str]) -> list[str]:
    vpc = domain.get("VPCOptions") or {}
    zones: list[str] = vpc.get("AvailabilityZones") or [
        subnet_zones[s] for s in vpc.get("SubnetIds", []) if s in subnet_zones
    ]
    return sorted(set(zones))


def two_zone_case(masters: int) -> str:
    """Why a domain zone-aware over two AZs goes down with one of them."""
    if not masters:
        return (
            "zone awareness over 2 AZs without dedicated master nodes: AWS documents downtime "
            "when one of the two AZs fails"
        )
    return (
        f"zone awareness over 2 AZs with {masters} dedicated master nodes split between them: "
        "losing the AZ holding the majority stops the cluster (a 50/50 chance)"
    )


def assess_domain(domain: Record, subnet_zones: Mapping[str, str]) -> Assessment:
    config = domain.get("ClusterConfig") or {}
    nodes = int(config.get("InstanceCount", 0))
    zone_aware = bool(config.get("ZoneAwarenessEnabled"))
    az_count = int((config.get("ZoneAwarenessConfig") or {}).get("AvailabilityZoneCount", 2))
    masters = (
        int(config.get("DedicatedMasterCount", 0)) if config.get("DedicatedMasterEnabled") else 0
    )
    standby = bool(config.get("MultiAZWithStandbyEnabled"))
    in_vpc = bool((domain.get("VPCOptions") or {}).get("SubnetIds"))
    zones = domain_zones(domain, subnet_zones)
    wanted = az_count if zone_aware else 2
    problems = []
    if nodes <= 1:
        problems.append(f"{nodes} data node")
    if not zone_aware:
        problems.append("zone awareness disabled")
    elif az_count >= QUORUM and 1 < nodes < QUORUM:
        problems.append(f"{nodes} data nodes for {az_count} AZs")
    if in_vpc and len(zones) < wanted:
        problems.append(
            f"VPC subnets in {len(zones)} AZ(s) ({zone_text(zones)}), fewer than {wanted}"
        )
    if config.get("DedicatedMasterEnabled") and masters < QUORUM:
        problems.append(f"{masters} dedicated master node(s): the master quorum dies with one")
    layout = f"zone awareness across {az_count} AZs" if zone_aware else "no zone awareness"
    master_text = f"{masters} dedicated masters" if masters else "no dedicated masters"
    where = f"VPC AZs: {zone_text(zones)}" if in_vpc else "public endpoint"
    check_id, risk = "opensearch.domain_multi_az", True
    if standby:
        message, risk = f"Multi-AZ with Standby: {nodes} data nodes, {master_text} ({where})", False
    elif problems:
        message = f"Single-AZ domain: {'; '.join(problems)} ({where})"
    elif az_count < QUORUM:
        check_id = "opensearch.domain_two_az"
        message = f"Two-AZ domain: {nodes} data nodes, {two_zone_case(masters)} ({where})"
    else:
        message = f"Multi-AZ domain: {nodes} data nodes, {layout}, {master_text} ({where})"
        risk = False
    return Assessment(
        check_id=check_id,
        resource_arn=domain.get("ARN", ""),
        resource_name=domain.get("DomainName", ""),
        resource_id=domain.get("DomainId", ""),
        risk=risk,
        engine=domain.get("EngineVersion", ""),
        message=message,
        availability_zones=tuple(zones),
    )


def assess(domains: Sequence[Record], subnet_zones: Mapping[str, str]) -> list[Assessment]:
    """Domains marked ``Deleted``, or ``Deleting``, are going away and give no finding."""
    return [
        assess_domain(d, subnet_zones)
        for d in domains
        if not d.get("Deleted") and d.get("DomainProcessingStatus") != "Deleting"
    ]


def assess_collection(collection: Record) -> Assessment:
    standby = collection.get("standbyReplicas") or "not reported"
    if standby == "ENABLED":
        message = "Serverless collection with standby replicas in another AZ"
    else:
        message = f"Serverless collection with standby replicas {standby}: it runs in one AZ"
    return Assessment(
        check_id="opensearch.collection_standby",
        resource_arn=collection.get("arn", ""),
        resource_name=collection.get("name", ""),
        resource_id=collection.get("id", ""),
        risk=standby == "DISABLED",
        engine=collection.get("type", ""),
        message=message,
    )


def assess_collections(collections: Sequence[Record]) -> list[Assessment]:
    """Collections being deleted, or failed, carry no traffic and give no finding."""
    return [assess_collection(c) for c in collections if c.get("status") not in COLLECTION_GONE]


def needs_subnet_lookup(domains: Sequence[Record]) -> bool:
    return any(
        (d.get("VPCOptions") or {}).get("SubnetIds")
        and not (d.get("VPCOptions") or {}).get("AvailabilityZones")
        for d in domains
    )


async def collections(scope: RegionScope) -> list[Record]:
    """Every serverless collection of the region; none where the service is not offered."""
    if not await scope.offers("opensearchserverless"):
        return []
    ids: list[str] = []
    # ListCollections pages with nextToken, and botocore has no paginator for it.
    async for page in scope.token_pages("opensearchserverless", "list_collections", "nextToken"):
        ids.extend(c["id"] for c in page.get("collectionSummaries", []) if c.get("id"))
    details = await concurrently(
        *(
            scope.call("opensearchserverless", "batch_get_collection", ids=batch)
            for batch in chunks(ids, COLLECTION_BATCH)
        )
    )
    return [c for response in details for c in response.get("collectionDetails", [])]


async def scan(scope: RegionScope) -> Batches:
    found, serverless = await concurrently(scope.shared(OPENSEARCH_DOMAINS), collections(scope))
    subnet_zones = await scope.subnet_zones() if needs_subnet_lookup(found) else {}
    yield [*assess(found, subnet_zones), *assess_collections(serverless)]


CHECK = Check(
    key="opensearch",
    service="Amazon OpenSearch Service",
    rule=(
        "A domain is a risk unless it has Multi-AZ with Standby, or zone awareness over 3 AZs "
        "with at least 3 data nodes, no dedicated masters or at least 3, and (VPC domains) "
        "subnets in every zone; over 2 AZs it is a risk of its own; a serverless collection is "
        "a risk when its standby replicas are disabled."
    ),
    actions=(
        "es:ListDomainNames",
        "es:DescribeDomains",
        "ec2:DescribeSubnets",
        "aoss:ListCollections",
        "aoss:BatchGetCollection",
    ),
    scan=scan,
    guidance={
        "opensearch.domain_multi_az": Guidance(
            Severity.HIGH,
            "Enable Multi-AZ with Standby, or zone awareness over 3 AZs with 3 or more data nodes "
            "and 3 dedicated masters (VPC domains: one subnet per AZ).",
            "AwsOpenSearchServiceDomain",
            fails=Fails.DATA,
            fsbp=("Opensearch.6", "ES.6", "ES.7"),
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
        "opensearch.domain_two_az": Guidance(
            Severity.MEDIUM,
            "Move the domain to 3 AZs (Multi-AZ with Standby, or zone awareness over 3 AZs with 3 "
            "dedicated masters) so losing one AZ keeps a quorum.",
            "AwsOpenSearchServiceDomain",
            fails=Fails.DATA,
            outage=Outage.PARTIAL,
            well_architected=("REL10-BP01",),
        ),
        "opensearch.collection_standby": Guidance(
            Severity.HIGH,
            "Recreate the collection with standby replicas enabled (they cannot be turned on "
            "later) so it runs in more than one AZ.",
            "Other",
            fails=Fails.DATA,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
    },
    notes=(
        (
            "Covers OpenSearch and legacy Elasticsearch domains. Public domains (no VPC) are "
            "judged on nodes, masters and zone awareness. Domains marked `Deleted` (or "
            "`DomainProcessingStatus` `Deleting`) give no finding."
        ),
        (
            "`opensearch.domain_multi_az`: one data node, zone awareness off, fewer than 3 data "
            "nodes over 3 AZs, VPC subnets in fewer AZs than the zone count, or dedicated "
            "masters enabled with fewer than 3 (the master quorum dies with one node). A domain "
            "with Multi-AZ with Standby (`MultiAZWithStandbyEnabled`) is not a risk."
        ),
        (
            "`opensearch.domain_two_az` (medium): zone aware over 2 AZs and otherwise sound. "
            "Without dedicated masters AWS documents downtime when one of the two AZs fails; "
            "with 3 masters split 2+1, losing the AZ with two stops the cluster (a 50/50 "
            "chance). The message says which case applies."
        ),
        (
            "`opensearch.collection_standby`: OpenSearch Serverless collections whose "
            "`standbyReplicas` is `DISABLED`; `engine` is the collection type. Collections "
            "`DELETING` or `FAILED` give no finding; regions without OpenSearch Serverless "
            "are skipped for collections."
        ),
        "`engine` is the engine version for domains (`OpenSearch_2.11`, `Elasticsearch_7.10`).",
        (
            "API: `ListDomainNames`, then `DescribeDomains` five names per call, calls in "
            "parallel (once per region, shared with `balance`); `aoss:ListCollections` (every page through `nextToken`, which botocore "
            "has no paginator for) and `aoss:BatchGetCollection` 100 ids per call, alongside."
        ),
    ),
)

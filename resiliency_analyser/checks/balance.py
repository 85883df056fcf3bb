"""Can the other AZs carry the load (N-1)? Spread and headroom of Auto Scaling groups, EKS node
groups, ECS services and load balancers' target groups; ElastiCache shard primaries and
OpenSearch data nodes per AZ; whether a lost AZ's capacity can be refilled elsewhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from resiliency_analyser.checks import autoscaling, ecs, eks, elasticache, elb, opensearch
from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Lookup,
    Outage,
    Record,
    RegionScope,
    RootCause,
    Severity,
    chunks,
    concurrently,
    tag_pairs,
    tag_value,
    zones_by_subnet,
)
from resiliency_analyser.checks.capacity import (
    Spread,
    counts_text,
    empty_zones,
    imbalance,
    label,
    percent,
    spread_of,
)
from resiliency_analyser.checks.ecs import ecs_tags
from resiliency_analyser.checks.eks import tag_map_pairs
from resiliency_analyser.checks.fleets import (
    ASG_IDS,
    ASG_TYPES,
    ECS_IDS,
    ECS_REBALANCING,
    NODE_GROUP_IDS,
    NODE_GROUP_TYPES,
    Fleet,
    Judged,
    asg_fleet,
    judged_auto_scaling_group,
    judged_node_group,
    judged_service,
    node_group_fleet,
)
from resiliency_analyser.checks.lookups import (
    AUTO_SCALING_GROUPS,
    CROSS_ZONE_KINDS,
    ECS_SERVICES,
    EKS_NODE_GROUPS,
    ELASTICACHE_REPLICATION_GROUPS,
    LOAD_BALANCER_TARGETS,
    LOAD_BALANCERS,
    OPENSEARCH_DOMAINS,
    SUBNETS,
    TARGET_GROUP_ATTRIBUTES,
    ZONAL_BALANCER_ATTRIBUTES,
    ZONE_IDS,
    Attributes,
    JudgedService,
    TargetRecords,
)
from resiliency_analyser.checks.peers import PeerGroups, workload_tags
from resiliency_analyser.checks.targets import TargetGroup, Targets
from resiliency_analyser.checks.verdicts import Root, Verdict, combined, goes_down_with

T = TypeVar("T")

# Target groups: healthy targets per AZ their load balancers are enabled in.
TARGET_GROUP_IMBALANCE = "balance.target_group_imbalance"
TARGET_GROUP_EMPTY_ZONE = "balance.target_group_empty_zone"
TARGET_GROUP_CROSS_ZONE = "balance.target_group_cross_zone"
CROSS_ZONE = "load_balancing.cross_zone.enabled"
FROM_BALANCER = "use_load_balancer_configuration"


def enabled_zones(balancers: Sequence[Record]) -> set[str]:
    return {
        z["ZoneName"]
        for b in balancers
        for z in b.get("AvailabilityZones") or []
        if "ZoneName" in z
    }


def cross_zone(
    group: TargetGroup,
    balancer: Record,
    balancer_attributes: Attributes,
    group_attributes: Attributes,
) -> tuple[bool, str]:
    """Whether the load balancer's nodes send this group's traffic across AZs, and which
    attribute says so: the target group's own, unless it defers to the load balancer's (off by
    default on Network and Gateway Load Balancers)."""
    own = group_attributes.get(group.arn, {}).get(CROSS_ZONE, FROM_BALANCER)
    if own in ("true", "false"):
        return own == "true", "the target group's attribute"
    value = balancer_attributes.get(balancer.get("LoadBalancerArn", ""), {}).get(CROSS_ZONE)
    return value == "true", "its load balancer's attribute" + ("" if value else ", by default")


def uneven_without_cross_zone(
    spread: Spread,
    group: TargetGroup,
    balancers: Sequence[Record],
    balancer_attributes: Attributes,
    group_attributes: Attributes,
    zone_ids: Mapping[str, str],
) -> Verdict | None:
    """A Network or Gateway Load Balancer that keeps each AZ's traffic in that AZ, over targets
    spread unevenly: every AZ's node takes an equal share of clients, so the AZ with the fewest
    targets loads each of them most, and losing an AZ shifts its clients onto uneven AZs."""
    zonal = [b for b in balancers if b.get("Type") in CROSS_ZONE_KINDS]
    if not zonal:
        return None
    on, source = cross_zone(group, zonal[0], balancer_attributes, group_attributes)
    if on:
        return Verdict(TARGET_GROUP_CROSS_ZONE, False, f"cross-zone load balancing on ({source})")
    state = (
        f"cross-zone load balancing off ({source}): each AZ's node sends only to its own AZ's "
        "targets"
    )
    # An AZ without a healthy target leaves DNS: its clients spread over the others evenly.
    serving = {z: spread.counts[z] for z in spread.occupied}
    fewest = min(serving, key=lambda z: serving[z])
    most = max(serving, key=lambda z: serving[z])
    if serving[fewest] == serving[most]:
        return Verdict(TARGET_GROUP_CROSS_ZONE, False, state + ", and every AZ has as many")
    return Verdict(
        TARGET_GROUP_CROSS_ZONE,
        True,
        f"{state}, and they are uneven: each of the {serving[fewest]} in "
        f"{label(fewest, zone_ids)} carries {serving[most] / serving[fewest]:.3g} times the "
        f"load of each of the {serving[most]} in {label(most, zone_ids)}",
    )


def assess_target_group(
    group: TargetGroup,
    balancers: Sequence[Record],
    balancer_attributes: Attributes,
    group_attributes: Attributes,
    zone_ids: Mapping[str, str],
    root: Root | None,
) -> Assessment | None:
    """Healthy targets per AZ its load balancers are enabled in. A group of Lambda functions,
    ALBs or addresses outside the VPC spans AZs by itself: no finding."""
    healthy = [r for r in group.registrations if r.healthy]
    if any(not r.zonal for r in healthy):
        return None
    zones = enabled_zones(balancers)
    spread = spread_of(zones, ((r.zone, 1) for r in healthy if r.zone in zones), "healthy target")
    served = ", ".join(sorted(elb.balancer_kind(b) for b in balancers))
    verdicts = [
        Verdict(
            TARGET_GROUP_IMBALANCE,
            False,
            f"target group of {served}, over {spread.zones} enabled AZ(s), "
            f"{counts_text(spread, zone_ids)}",
        )
    ]
    if not spread.total:
        verdicts.append(Verdict(TARGET_GROUP_IMBALANCE, False, "no healthy target yet"))
    elif len(spread.occupied) < 2:
        verdicts.append(
            Verdict(TARGET_GROUP_IMBALANCE, False, "healthy targets in one AZ: `elb` judges that")
        )
    else:
        verdicts += [
            goes_down_with(imbalance(spread, TARGET_GROUP_IMBALANCE, zone_ids), root),
            goes_down_with(empty_zones(spread, TARGET_GROUP_EMPTY_ZONE, zone_ids), root),
        ]
        uneven = uneven_without_cross_zone(
            spread, group, balancers, balancer_attributes, group_attributes, zone_ids
        )
        verdicts += [uneven] if uneven else []
    return combined(
        verdicts,
        resource_arn=group.arn,
        resource_name=group.name,
        resource_id=group.arn.rpartition(":")[2],
        engine=group.kind,
        availability_zones=spread.where,
    )


# ElastiCache: where each shard's primary is.
PRIMARIES = "balance.replication_group_primaries"
IS_MASTER = "IsMaster"
"""ElastiCache's per-node metric: 1 on a shard's primary, 0 on its replicas."""
NodeKey = tuple[str, str]
"""(cache cluster id, cache node id) of a replication group's member."""


def member_key(member: Record) -> NodeKey:
    return (str(member.get("CacheClusterId", "")), str(member.get("CacheNodeId") or "0001"))


def needs_roles(group: Record) -> bool:
    """A cluster-mode group of several shards whose members carry no ``CurrentRole`` (AWS
    documents it for cluster mode disabled only)."""
    return sharded(group) and not any(
        m.get("CurrentRole")
        for g in group.get("NodeGroups") or []
        for m in g.get("NodeGroupMembers") or []
    )


def sharded(group: Record) -> bool:
    return (
        bool(group.get("ClusterEnabled"))
        and len(group.get("NodeGroups") or []) >= 2
        and group.get("Status") not in elasticache.GONE_STATES
    )


def primary_of(shard: Record, roles: Mapping[NodeKey, bool]) -> Record | None:
    for member in shard.get("NodeGroupMembers") or []:
        if member.get("CurrentRole") == "primary" or roles.get(member_key(member)):
            return dict(member)
    return None


def assess_replication_group(
    group: Record, roles: Mapping[NodeKey, bool], zone_ids: Mapping[str, str]
) -> Assessment:
    """Every shard's primary in one AZ: losing it fails every shard over at once, and writes to
    all of them stop until replicas are promoted. ``roles``: what ``IsMaster`` says of members
    whose record names no role."""
    shards = group.get("NodeGroups") or []
    members = [m for s in shards for m in s.get("NodeGroupMembers") or []]
    primaries = [primary_of(s, roles) for s in shards]
    known = [p for p in primaries if p is not None]
    spread = spread_of(
        (m.get("PreferredAvailabilityZone", "") for m in members),
        ((p.get("PreferredAvailabilityZone", ""), 1) for p in known),
        "primary node",
    )
    layout = f"cluster mode enabled, {len(shards)} shards, {counts_text(spread, zone_ids)}"
    if len(known) < len(shards):
        verdict = Verdict(
            PRIMARIES,
            False,
            f"{layout}; the primaries of {len(shards) - len(known)} shard(s) are not known: "
            f"their members name no role, and their {IS_MASTER} metric has no recent datapoint",
        )
    elif len(spread.occupied) == 1 and spread.zones > 1:
        verdict = Verdict(
            PRIMARIES,
            True,
            f"{layout}; every primary in {label(spread.occupied[0], zone_ids)}: losing it fails "
            "over every shard at once, and writes stop on all of them until replicas are promoted",
        )
    else:
        verdict = Verdict(PRIMARIES, False, layout)
    return combined(
        [verdict],
        resource_arn=group.get("ARN", ""),
        resource_name=group.get("ReplicationGroupId", ""),
        engine=group.get("Engine", ""),
        availability_zones=tuple(sorted(spread.counts)),
    )


# OpenSearch: data nodes per AZ.
DATA_NODES = "balance.domain_data_nodes"
STANDBY_ZONES = 3
"""Multi-AZ with Standby always uses 3 AZs."""


def domain_zone_count(config: Record) -> int:
    if config.get("MultiAZWithStandbyEnabled"):
        return STANDBY_ZONES
    if not config.get("ZoneAwarenessEnabled"):
        return 1
    return int((config.get("ZoneAwarenessConfig") or {}).get("AvailabilityZoneCount") or 2)


def nodes_per_zone(nodes: int, zones: int) -> list[int]:
    """How OpenSearch spreads ``nodes`` over ``zones``: as evenly as it can."""
    each, extra = divmod(nodes, zones)
    return [each + 1] * extra + [each] * (zones - extra)


def node_layout(kind: str, nodes: int, zones: int) -> tuple[bool, str]:
    """Whether ``nodes`` of ``kind`` spread evenly over ``zones``, and how, for people."""
    counts = nodes_per_zone(nodes, zones)
    if nodes % zones == 0:
        return False, f"{nodes} {kind} node(s), {counts[0]} per AZ"
    held = counts[0] / nodes
    return True, (
        f"{nodes} {kind} node(s) over {zones} AZs, not a multiple: "
        f"{', '.join(map(str, counts))} per AZ, so losing an AZ of {counts[0]} takes "
        f"{percent(held)} % of them, more than 1/{zones}"
    )


def assess_domain(
    domain: Record, subnet_zones: Mapping[str, str], zone_ids: Mapping[str, str]
) -> Assessment | None:
    """A zone-aware domain whose data (or UltraWarm) node count is not a multiple of its AZ
    count. A domain without zone awareness is `opensearch`'s risk: no finding."""
    config = domain.get("ClusterConfig") or {}
    zones = domain_zone_count(config)
    if zones < 2 or domain.get("Deleted") or domain.get("DomainProcessingStatus") == "Deleting":
        return None
    named = sorted(label(z, zone_ids) for z in opensearch.domain_zones(domain, subnet_zones))
    where = f"AZs {', '.join(named)}" if len(named) == zones else f"{zones} AZs"
    kinds = [("data", int(config.get("InstanceCount") or 0))]
    if config.get("WarmEnabled"):
        kinds.append(("UltraWarm", int(config.get("WarmCount") or 0)))
    judged = [node_layout(kind, count, zones) for kind, count in kinds if count]
    text = f"zone awareness over {where} (OpenSearch does not say which holds more); " + "; ".join(
        t for _, t in judged
    )
    return combined(
        [Verdict(DATA_NODES, any(r for r, _ in judged), text)],
        resource_arn=domain.get("ARN", ""),
        resource_name=domain.get("DomainName", ""),
        resource_id=domain.get("DomainId", ""),
        engine=domain.get("EngineVersion", ""),
        availability_zones=tuple(opensearch.domain_zones(domain, subnet_zones)),
    )


@dataclass(frozen=True)
class Records:
    """Everything `balance` judges in one region, as the shared lookups hold it."""

    auto_scaling_groups: Sequence[Record] = ()
    node_groups: Sequence[Record] = ()
    services: Sequence[JudgedService] = ()
    balancers: Sequence[Record] = ()
    targets: TargetRecords = field(default_factory=TargetRecords)
    balancer_attributes: Attributes = field(default_factory=dict)
    target_group_attributes: Attributes = field(default_factory=dict)
    replication_groups: Sequence[Record] = ()
    roles: Mapping[NodeKey, bool] = field(default_factory=dict)
    """Cache node -> whether its ``IsMaster`` metric says it is a shard's primary."""
    domains: Sequence[Record] = ()
    subnets: Sequence[Record] = ()
    zone_ids: Mapping[str, str] = field(default_factory=dict)
    """AZ name -> AZ ID: messages name AZs by ID."""


def finding(judged: Judged, **fields: Any) -> Assessment:
    return combined(judged.verdicts, availability_zones=judged.zones, **fields)


def risky(judged: Judged, check_id: str) -> bool:
    return any(v.risk and v.check_id == check_id for v in judged.verdicts)


@dataclass(frozen=True)
class Region:
    """What every fleet's rules read besides its own records: subnets, by id and as AZs, the AZ
    IDs of messages, and the run's workload tags."""

    subnet_zones: Mapping[str, str]
    subnets: Mapping[str, Record]
    zone_ids: Mapping[str, str]
    keys: Sequence[str]

    @classmethod
    def of(cls, records: Records, options: CheckOptions) -> Region:
        return cls(
            zones_by_subnet(records.subnets),
            {s["SubnetId"]: s for s in records.subnets},
            records.zone_ids,
            workload_tags(options),
        )


Found = tuple[list[Assessment], dict[str, Root]]
"""Findings, and target group ARN -> the imbalanced group or service that fills it."""


def fills(
    roots: dict[str, Root],
    judged: Judged,
    imbalance_id: str,
    filler: Assessment,
    who: str,
    target_groups: Sequence[str],
) -> None:
    """A group or service imbalanced by its own rule is what the imbalance of the target groups
    it fills goes down with (the first such filler of each)."""
    if not risky(judged, imbalance_id):
        return
    root = Root(RootCause(check_id=imbalance_id, resource_arn=filler.resource_arn), who)
    for arn in target_groups:
        roots.setdefault(arn, root)


def assess_groups(
    live: Sequence[Record], fleets: Mapping[str, Fleet], region: Region, options: CheckOptions
) -> Found:
    peers = PeerGroups(
        (autoscaling.as_peer(g, region.subnet_zones, region.keys) for g in live), options
    )
    found: list[Assessment] = []
    roots: dict[str, Root] = {}
    for group in filter(autoscaling.in_scope, live):
        judged = judged_auto_scaling_group(
            group, fleets, peers, region.subnet_zones, region.subnets, region.zone_ids, region.keys
        )
        assessment = finding(
            judged,
            resource_arn=group.get("AutoScalingGroupARN", ""),
            resource_name=group.get("AutoScalingGroupName", ""),
            tags=tag_pairs(group.get("Tags")),
        )
        found.append(assessment)
        fills(
            roots,
            judged,
            ASG_IDS.imbalance,
            assessment,
            f"its Auto Scaling group {assessment.resource_name}",
            group.get("TargetGroupARNs") or [],
        )
    return found, roots


def assess_node_groups(
    node_groups: Sequence[Record],
    live: Sequence[Record],
    nodes: eks.Nodes,
    fleets: Mapping[str, Fleet],
    region: Region,
    options: CheckOptions,
) -> list[Assessment]:
    """Node groups, whose peers are the cluster's other node groups and self-managed groups."""
    own = {
        g.get("nodegroupArn", ""): eks.node_group_peer(g, region.subnet_zones, nodes, region.keys)
        for g in node_groups
    }
    self_managed = [g for g in live if not tag_value(g, autoscaling.EKS_NODE_GROUP_TAG)]
    peers = PeerGroups(
        [
            *own.values(),
            *(eks.self_managed_peer(g, region.subnet_zones, region.keys) for g in self_managed),
        ],
        options,
    )
    return [
        finding(
            judged_node_group(
                group,
                fleets,
                peers,
                own[group.get("nodegroupArn", "")],
                region.subnets,
                region.zone_ids,
            ),
            resource_arn=group.get("nodegroupArn", ""),
            resource_name=group.get("nodegroupName", ""),
            engine=group.get("capacityType", ""),
            tags=tag_map_pairs(group.get("tags")),
        )
        for group in node_groups
    ]


def assess_services(services: Sequence[JudgedService], region: Region) -> Found:
    found: list[Assessment] = []
    roots: dict[str, Root] = {}
    for listed in services:
        service = listed.service
        if not ecs.in_scope(service):
            continue
        judged = judged_service(
            service,
            listed.tasks,
            region.subnet_zones,
            region.subnets,
            region.zone_ids,
        )
        cluster = str(service.get("clusterArn", "")).rpartition("/")[2]
        name = service.get("serviceName", "")
        assessment = finding(
            judged,
            resource_arn=service.get("serviceArn", ""),
            resource_name=name,
            resource_id=f"{cluster}/{name}",
            engine=service.get("launchType", ""),
            tags=ecs_tags(service.get("tags")),
        )
        found.append(assessment)
        fills(
            roots,
            judged,
            ECS_IDS.imbalance,
            assessment,
            f"its ECS service {assessment.resource_id}",
            [
                b["targetGroupArn"]
                for b in service.get("loadBalancers") or []
                if b.get("targetGroupArn")
            ],
        )
    return found, roots


def assess_fleets(records: Records, options: CheckOptions) -> Found:
    """Auto Scaling groups, node groups and ECS services; and, for each target group one of them
    fills while imbalanced, that filler: the target group's imbalance is its."""
    region = Region.of(records, options)
    live = autoscaling.live(records.auto_scaling_groups)
    nodes = eks.Nodes({g.get("AutoScalingGroupName", ""): g for g in live})
    node_groups = [g for g in records.node_groups if eks.in_scope(g)]
    fleets = {g.get("AutoScalingGroupARN", ""): asg_fleet(g, region.subnet_zones) for g in live}
    fleets.update(
        {
            g.get("nodegroupArn", ""): node_group_fleet(g, nodes, region.subnet_zones)
            for g in node_groups
        }
    )
    groups, group_roots = assess_groups(live, fleets, region, options)
    services, service_roots = assess_services(records.services, region)
    return (
        [
            *groups,
            *assess_node_groups(node_groups, live, nodes, fleets, region, options),
            *services,
        ],
        {**service_roots, **group_roots},
    )


def assess(records: Records, options: CheckOptions = DEFAULT_OPTIONS) -> list[Assessment]:
    """Every group, service, target group, cluster-mode replication group and zone-aware domain
    of ``records``; ``options``: the workload tags and AZs peer groups need."""
    found, roots = assess_fleets(records, options)
    judged = {b.get("LoadBalancerArn", ""): b for b in records.balancers if elb.in_scope(b)}
    for group in Targets(records.targets).target_groups():
        balancers = [judged[b] for b in group.balancers if b in judged]
        if not balancers:
            continue
        assessment = assess_target_group(
            group,
            balancers,
            records.balancer_attributes,
            records.target_group_attributes,
            records.zone_ids,
            roots.get(group.arn),
        )
        found += [assessment] if assessment else []
    found += [
        assess_replication_group(g, records.roles, records.zone_ids)
        for g in records.replication_groups
        if sharded(g)
    ]
    subnet_zones = zones_by_subnet(records.subnets)
    for domain in records.domains:
        assessment = assess_domain(domain, subnet_zones, records.zone_ids)
        found += [assessment] if assessment else []
    return found


# Collection: every listing is another check's too (shared lookups), read where AWS offers it.
ROLE_WINDOW = timedelta(minutes=15)
"""How far back ``IsMaster`` is read: ElastiCache publishes it every minute."""
METRICS_PER_CALL = 500  # GetMetricData takes at most 500 queries


async def where_offered(scope: RegionScope, service: str, lookup: Lookup[list[T]]) -> list[T]:
    """A listing, or none where AWS does not offer ``service`` in the region: one of the
    services `balance` reads missing there does not end the pair."""
    return await scope.shared(lookup) if await scope.offers(service) else []


def role_query(index: int, key: NodeKey) -> dict[str, Any]:
    cluster, node = key
    return {
        "Id": f"node{index}",
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/ElastiCache",
                "MetricName": IS_MASTER,
                "Dimensions": [
                    {"Name": "CacheClusterId", "Value": cluster},
                    {"Name": "CacheNodeId", "Value": node},
                ],
            },
            "Period": 60,
            "Stat": "Maximum",
        },
        "ReturnData": True,
    }


async def role_batch(
    scope: RegionScope, keys: Sequence[NodeKey], start: datetime, end: datetime
) -> dict[NodeKey, bool]:
    """``IsMaster`` of these nodes: their latest datapoint in the window, where there is one."""
    queries = [role_query(i, key) for i, key in enumerate(keys)]
    latest: dict[str, float] = {}
    async for page in scope.pages(
        "cloudwatch",
        "get_metric_data",
        MetricDataQueries=queries,
        StartTime=start,
        EndTime=end,
        ScanBy="TimestampDescending",
    ):
        for result in page.get("MetricDataResults", []):
            if result.get("Values") and result["Id"] not in latest:
                latest[result["Id"]] = float(result["Values"][0])
    return {
        key: latest[query["Id"]] >= 1
        for key, query in zip(keys, queries, strict=True)
        if query["Id"] in latest
    }


async def member_roles(scope: RegionScope, groups: Sequence[Record]) -> dict[NodeKey, bool]:
    """What ``IsMaster`` says of the members of cluster-mode groups whose records name no role."""
    keys = sorted(
        {
            member_key(m)
            for g in groups
            if needs_roles(g)
            for shard in g.get("NodeGroups") or []
            for m in shard.get("NodeGroupMembers") or []
        }
    )
    if not keys:
        return {}
    end = datetime.now(UTC)
    found = await concurrently(
        *(
            role_batch(scope, batch, end - ROLE_WINDOW, end)
            for batch in chunks(keys, METRICS_PER_CALL)
        )
    )
    return {key: primary for batch in found for key, primary in batch.items()}


async def target_records(scope: RegionScope, balancers: Sequence[Record]) -> TargetRecords:
    active = any(map(elb.in_scope, balancers))
    return await scope.shared(LOAD_BALANCER_TARGETS) if active else TargetRecords()


async def cross_zone_attributes(
    scope: RegionScope, balancers: Sequence[Record]
) -> tuple[Attributes, Attributes]:
    """The attributes saying whether cross-zone load balancing is on, where it can be off."""
    if not any(elb.in_scope(b) and b.get("Type") in CROSS_ZONE_KINDS for b in balancers):
        return {}, {}
    return await concurrently(
        scope.shared(ZONAL_BALANCER_ATTRIBUTES), scope.shared(TARGET_GROUP_ATTRIBUTES)
    )


async def load_balancing(
    scope: RegionScope,
) -> tuple[Sequence[Record], TargetRecords, Attributes, Attributes]:
    balancers = await where_offered(scope, "elbv2", LOAD_BALANCERS)
    targets, (attributes, group_attributes) = await concurrently(
        target_records(scope, balancers), cross_zone_attributes(scope, balancers)
    )
    return balancers, targets, attributes, group_attributes


async def caches(scope: RegionScope) -> tuple[list[dict[str, Any]], dict[NodeKey, bool]]:
    groups = await where_offered(scope, "elasticache", ELASTICACHE_REPLICATION_GROUPS)
    return groups, await member_roles(scope, groups)


async def scan(scope: RegionScope) -> Batches:
    (groups, node_groups, services), (balancing, cached, domains) = await concurrently(
        concurrently(
            where_offered(scope, "autoscaling", AUTO_SCALING_GROUPS),
            where_offered(scope, "eks", EKS_NODE_GROUPS),
            where_offered(scope, "ecs", ECS_SERVICES),
        ),
        concurrently(
            load_balancing(scope),
            caches(scope),
            where_offered(scope, "opensearch", OPENSEARCH_DOMAINS),
        ),
    )
    balancers, targets, attributes, group_attributes = balancing
    replication_groups, roles = cached
    subnets, zone_ids = await concurrently(scope.shared(SUBNETS), scope.shared(ZONE_IDS))
    yield assess(
        Records(
            auto_scaling_groups=groups,
            node_groups=node_groups,
            services=services,
            balancers=balancers,
            targets=targets,
            balancer_attributes=attributes,
            target_group_attributes=group_attributes,
            replication_groups=replication_groups,
            roles=roles,
            domains=domains,
            subnets=subnets,
            zone_ids=zone_ids,
        ),
        scope.options,
    )


ASG_TYPE = "AwsAutoScalingAutoScalingGroup"


def low(
    remediation: str, resource_type: str, *practices: str, fsbp: tuple[str, ...] = ()
) -> Guidance:
    return Guidance(
        Severity.LOW,
        remediation,
        resource_type,
        # What an N-1 risk loses: capacity, part of it, while the rest keeps serving.
        fails=Fails.CAPACITY,
        outage=Outage.PARTIAL,
        fsbp=fsbp,
        well_architected=practices,
    )


CHECK = Check(
    key="balance",
    service="N-1 capacity (Auto Scaling, EKS, ECS, Elastic Load Balancing, ElastiCache, OpenSearch)",
    rule=(
        "An Auto Scaling group, EKS managed node group, ECS service or load balancer target group "
        "running in 2 or more AZs is a risk when one AZ holds more than 50 % of its capacity over 3 "
        "or more AZs (more than 66 % over 2), when an AZ its load balancer is enabled in has no "
        "healthy target, when losing its largest AZ leaves less than its minimum size (half the "
        "desired count of an ECS service) or its maximum size cannot hold desired x N/(N-1), when "
        "it has one instance type or its subnets lack the free addresses to relaunch a lost AZ's "
        "capacity, or when a Network or Gateway Load Balancer without cross-zone load balancing "
        "has uneven targets; an ECS service without AZ rebalancing or AZ-first placement, a "
        "cluster-mode ElastiCache group with every shard's primary in one AZ and an OpenSearch "
        "domain whose node count is not a multiple of its AZ count are risks too; all at low "
        "severity."
    ),
    actions=(
        "autoscaling:DescribeAutoScalingGroups",
        "eks:ListClusters",
        "eks:ListNodegroups",
        "eks:DescribeNodegroup",
        "ecs:ListClusters",
        "ecs:ListServices",
        "ecs:DescribeServices",
        "ecs:ListTasks",
        "ecs:DescribeTasks",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "ec2:DescribeInstances",
        "ec2:DescribeSubnets",
        "ec2:DescribeAvailabilityZones",
        "elasticache:DescribeReplicationGroups",
        "cloudwatch:GetMetricData",
        "es:ListDomainNames",
        "es:DescribeDomains",
    ),
    scan=scan,
    tagged=True,
    guidance={
        ASG_IDS.imbalance: low(
            "Rebalance the group over its AZs: leave AZRebalance running, keep its capacity "
            "distribution balanced, and use instance types every AZ offers.",
            ASG_TYPE,
            "REL10-BP01",
            "REL11-BP05",
        ),
        ASG_IDS.headroom: low(
            "Size the group for N-1: enough instances that losing an AZ keeps its minimum, and a "
            "maximum of at least desired x N/(N-1).",
            ASG_TYPE,
            "REL11-BP05",
            "REL01-BP06",
        ),
        ASG_TYPES: low(
            "Give the group a mixed instances policy of several instance types (or attribute-based "
            "selection), so other AZs can relaunch a lost AZ's capacity.",
            ASG_TYPE,
            "REL11-BP05",
            fsbp=("AutoScaling.6",),
        ),
        ASG_IDS.addresses: low(
            "Give the group larger or more subnets in each AZ, so the others hold the addresses "
            "to relaunch a lost AZ's instances.",
            ASG_TYPE,
            "REL02-BP03",
            "REL11-BP05",
        ),
        NODE_GROUP_IDS.imbalance: low(
            "Rebalance the node group's nodes over its AZs (its Auto Scaling group's AZRebalance, "
            "instance types offered in every AZ), or run one node group per AZ.",
            "Other",
            "REL10-BP01",
            "REL11-BP05",
        ),
        NODE_GROUP_IDS.headroom: low(
            "Size the node group for N-1: a minimum size that losing an AZ keeps, and a maximum "
            "size of at least desired x N/(N-1).",
            "Other",
            "REL11-BP05",
            "REL01-BP06",
        ),
        NODE_GROUP_TYPES: low(
            "Create the node group with several instance types (they cannot be changed later), "
            "so other AZs can relaunch a lost AZ's nodes.",
            "Other",
            "REL11-BP05",
        ),
        NODE_GROUP_IDS.addresses: low(
            "Give the node group larger subnets in each AZ (nodes and their pods take addresses), "
            "or a secondary CIDR for pods.",
            "Other",
            "REL02-BP03",
            "REL11-BP05",
        ),
        ECS_IDS.imbalance: low(
            "Spread the tasks: turn on AZ rebalancing (update-service "
            "--availability-zone-rebalancing ENABLED) with subnets or instances in every AZ.",
            "AwsEcsService",
            "REL10-BP01",
            "REL11-BP05",
        ),
        ECS_IDS.headroom: low(
            "Run enough tasks, over 3 AZs, that losing the AZ with the most keeps at least half of "
            "the desired count.",
            "AwsEcsService",
            "REL11-BP05",
        ),
        ECS_REBALANCING: low(
            "Turn on AZ rebalancing (update-service --availability-zone-rebalancing ENABLED), or "
            "put spread on attribute:ecs.availability-zone first among the placement strategies.",
            "AwsEcsService",
            "REL11-BP03",
            "REL11-BP05",
        ),
        ECS_IDS.addresses: low(
            "Give the service larger or more subnets in each AZ, so a lost AZ's tasks find "
            "addresses in the others.",
            "AwsEcsService",
            "REL02-BP03",
            "REL11-BP05",
        ),
        TARGET_GROUP_IMBALANCE: low(
            "Register as many healthy targets in each AZ the load balancer is enabled in (spread "
            "the Auto Scaling group or ECS service that fills it).",
            "Other",
            "REL10-BP01",
            "REL11-BP05",
        ),
        TARGET_GROUP_EMPTY_ZONE: low(
            "Register healthy targets in every AZ the load balancer is enabled in, or remove the "
            "AZs it serves no target in.",
            "Other",
            "REL10-BP01",
            "REL11-BP05",
        ),
        TARGET_GROUP_CROSS_ZONE: low(
            "Register as many targets in each AZ, or turn on cross-zone load balancing "
            "(load_balancing.cross_zone.enabled) on the target group or load balancer.",
            "Other",
            "REL11-BP05",
        ),
        PRIMARIES: Guidance(
            Severity.LOW,
            "Spread the shards' primaries over AZs: fail over some shards (test-failover) so a "
            "replica in another AZ becomes their primary.",
            "Other",
            fails=Fails.CAPACITY,
            outage=Outage.SELF_HEALING,
            well_architected=("REL10-BP01", "REL11-BP05"),
        ),
        DATA_NODES: low(
            "Make the domain's data (and UltraWarm) node count a multiple of its AZ count, so each "
            "AZ holds an equal share.",
            "AwsOpenSearchServiceDomain",
            "REL10-BP01",
            "REL11-BP05",
        ),
    },
    notes=(
        (
            'The question after "is it multi-AZ?": when one AZ fails, can the others carry the '
            "load? Static stability (Well-Architected REL11-BP05; AWS Builders' Library, "
            '"Static stability using Availability Zones") means the AZs left keep serving '
            "without first launching anything. These rules read configuration and what runs, "
            "never load metrics, so a risk here is degraded capacity, not an outage: every id "
            "is `low`, as the single-AZ checks rate capacity that already sits in one AZ "
            "(`autoscaling.instance_zones`, `ecs.service_task_zones`), of which these are the "
            "milder cases. One finding per Auto Scaling group (not an EKS managed node group's: "
            "that is judged as its node group), EKS managed node group, active `REPLICA` ECS "
            "service, target group an active Application, Network or Gateway Load Balancer "
            "forwards to, cluster-mode ElastiCache replication group of 2 or more shards, and "
            "zone-aware OpenSearch domain. It says what each rule found and carries the check id "
            "of the first that finds a risk, or the resource's imbalance id when none does. "
            "Every message gives the per-AZ counts by AZ ID (`use1-az4 3, use1-az6 1`), the "
            "name that means the same zone in every account."
        ),
        (
            "**Imbalance** (`*_imbalance`): one AZ holds more than 50 % of the group's capacity "
            "when it can run in 3 or more AZs, or more than 66 % over 2, unless its most and "
            "least populated AZs differ by 1 or less (the best 3 can do over 2 AZs is 2 and 1). "
            "These are the thresholds and the exclusion of AWS Trusted Advisor's \"ELB Target "
            'Imbalance" check (fault tolerance, `b92b83d667`). Capacity is counted over every AZ '
            "the group can run in (its subnets', or its load balancers' enabled AZs; one holding "
            "none counts as 0): in-service instances (an Auto Scaling group's `WeightedCapacity` "
            "where its instances have one), a node group's in-service nodes in its Auto Scaling "
            "groups, an ECS service's running tasks (`DescribeTasks` `availabilityZone`), a "
            "target group's healthy targets. A group whose capacity sits in one AZ is the "
            "single-AZ checks' risk (`autoscaling`, `eks`, `ecs`, `elb`): not judged again here."
        ),
        (
            "**Empty AZ** (`balance.target_group_empty_zone`): an AZ a target group's load "
            "balancer is enabled in has no healthy target while others have some: the group "
            "already runs in fewer AZs than its load balancer, and losing one of those takes "
            'more. AWS: Trusted Advisor "Load Balancer Optimization" (a load balancer enabled '
            'for an AZ with no active instances); Elastic Load Balancing User Guide, "Availability '
            'Zones and load balancer nodes".'
        ),
        (
            "**Headroom** (`*_headroom`): after losing its largest AZ the group keeps less than "
            "its `MinSize` (an Auto Scaling group, a node group's `scalingConfig.minSize`) or "
            "less than half its desired count (an ECS service); or its maximum size cannot hold "
            "desired x N/(N-1), rounded up (N: the AZs it can run in), the size at which its "
            "other N-1 AZs carry today's desired capacity on their own: 6 over 3 AZs needs room "
            "for 9. The Builders' Library sizes a statically stable fleet that way (over 3 AZs, "
            "150 % of what the load needs); a maximum below it means the group cannot scale to "
            "it when an AZ fails, while instances of the impaired AZ may still count towards "
            "its size (Well-Architected REL01-BP06: a gap between usage and limits to "
            "accommodate failover). ECS services have no maximum of their own: only the first "
            "half applies."
        ),
        (
            "**One instance type** (`*_instance_types`): an Auto Scaling group that can launch "
            "one instance type, or a node group of one; when the other AZs relaunch a lost AZ's "
            "capacity, a shortage of that type there (`InsufficientInstanceCapacity`) leaves them "
            "short. Read from the group's listing alone, with no launch template described: "
            "without a `MixedInstancesPolicy` a group launches its launch template's or launch "
            "configuration's one type; a policy's `Overrides` name its types (attribute-based "
            "`InstanceRequirements` count as many), and they apply in every AZ, so one type for "
            "the group is one type in each AZ. A node group's types are its `instanceTypes`, or "
            "its launch template's one. AWS: Security Hub control AutoScaling.6 and the AWS "
            "Config rule `autoscaling-multiple-instance-types`; EC2 Auto Scaling User Guide, "
            '"Auto Scaling groups with multiple instance types and purchase options". Which '
            "types each AZ offers is not read."
        ),
        (
            "**Free addresses** (`*_subnet_addresses`): for each AZ, the free addresses "
            "(`DescribeSubnets` `AvailableIpAddressCount`) of the group's subnets in the other "
            "AZs must hold what ran in it, one address per instance, node or awsvpc task (a "
            "node's pods take more with the VPC CNI: the message says so); the AZ whose loss "
            "leaves the largest shortfall is named. Each group is judged alone: groups sharing "
            'subnets compete for the same addresses. AWS: Trusted Advisor "Auto Scaling '
            'available IPs in Subnets"; Well-Architected REL02-BP03. ECS services without '
            "awsvpc subnets take no address of their own."
        ),
        (
            "**Cross-zone off, uneven targets** (`balance.target_group_cross_zone`): a target "
            "group of a Network or Gateway Load Balancer whose cross-zone load balancing is "
            "off (`load_balancing.cross_zone.enabled` of the target group, or of the load "
            "balancer where the group's is `use_load_balancer_configuration`; off by default) "
            "and whose enabled AZs hold different numbers of healthy targets: each AZ's node "
            "takes an equal share of clients and sends it only to its own AZ's targets, so the "
            "AZ with the fewest loads each of them most. AWS: Elastic Load Balancing User "
            'Guide, "Cross-zone load balancing"; Trusted Advisor "Network Load Balancers Cross '
            'Load Balancing". An Application Load Balancer balances across zones unless a '
            "target group turns that off by its own attribute; those attributes are not read "
            "(a call per target group), so the rule judges the target groups of Network and "
            "Gateway Load Balancers only."
        ),
        (
            "**ECS rebalancing** (`balance.ecs_rebalancing`): a service whose "
            "`availabilityZoneRebalancing` is not `ENABLED` and whose first placement strategy "
            "is not a spread on `attribute:ecs.availability-zone`: tasks moved off a failed AZ "
            "stay where they went, and new ones are not placed by AZ. A service with no strategy "
            "is not a risk (for service tasks the default is that spread; Fargate takes no "
            'strategy). AWS: ECS Developer Guide, "Balancing an Amazon ECS service across '
            'Availability Zones" and "Use strategies to define Amazon ECS task placement"; '
            'Trusted Advisor "Amazon ECS Multi-AZ placement strategy" (spread by AZ first).'
        ),
        (
            "**ElastiCache primaries** (`balance.replication_group_primaries`): a cluster-mode "
            "group of 2 or more shards whose shards' primaries all sit in one AZ, of the 2 or "
            "more its nodes span: losing it fails over every shard at once, and writes stop on "
            "all of them until replicas are promoted. A member's role is its `CurrentRole` "
            "where `DescribeReplicationGroups` gives one (AWS documents it for cluster mode "
            "disabled only), else ElastiCache's per-node `IsMaster` metric (1 on a primary): "
            "its latest datapoint of the last 15 minutes, read with `cloudwatch:GetMetricData` "
            "(500 nodes a call) only for such groups. A shard whose primary neither names is "
            "unknown: the finding says so and is not a risk."
        ),
        (
            "**OpenSearch data nodes** (`balance.domain_data_nodes`): a zone-aware domain (or "
            "one with Multi-AZ with Standby, always 3 AZs) whose data node count, or UltraWarm "
            "node count, is not a multiple of its AZ count: OpenSearch spreads them as evenly "
            "as it can, so one AZ holds more, and losing it takes more than 1/N of them. The "
            "message gives the per-AZ counts and the AZ IDs (OpenSearch does not say which AZ "
            'holds more). AWS: OpenSearch Service Developer Guide, "Configuring a multi-AZ '
            'domain" (two AZs take an even number of data nodes; standby takes multiples of '
            '3); OpenSearch documentation, "Creating a cluster" (add data nodes in multiples '
            "of the zone count). Domains without zone awareness are `opensearch`'s risk."
        ),
        (
            "Peer groups (see [above](#peer-groups)): an Auto Scaling group or node group that "
            "launches in one AZ and whose peers run in other AZs (the same target group, "
            "Classic Load Balancer, EKS cluster or workload tag) is judged as its peer group: "
            "the members' capacity per AZ, minimum and maximum sizes and subnets together, since "
            "one AZ's member cannot refill another's. The message names the group and its "
            "members; each member's finding carries the verdict. A group spanning AZs is "
            "judged alone; a group in one AZ without such peers is the single-AZ checks' risk."
        ),
        (
            "One failure, one risk (see [above](#one-failure-one-risk)): a target group an Auto "
            "Scaling group (`TargetGroupARNs`) or ECS service (`loadBalancers`) fills while "
            "that group or service is imbalanced by its own rule here goes down with it: the "
            "target group's imbalance and empty-AZ verdicts name the filler and its "
            "`root_cause` points to it."
        ),
        (
            "Tags come with Auto Scaling groups, node groups and ECS services; target groups, "
            "replication groups and domains have none here. `engine` is the node group's "
            "capacity type, the service's launch type, the target group's target type, the "
            "cache engine or the domain's engine version."
        ),
        (
            "API: every listing is another check's, read once per region and shared: "
            "`autoscaling:DescribeAutoScalingGroups` (`autoscaling`, `eks`, `elb`), the EKS "
            "clusters and node groups (`eks`), the ECS services and their running tasks (`ecs`, "
            "`elb`), the load balancers and their targets' health (`elb`, `ec2`: one "
            "`DescribeTargetHealth` per target group per scan), `ec2:DescribeSubnets` and "
            "`ec2:DescribeAvailabilityZones` (every check), the replication groups "
            "(`elasticache`) and domains (`opensearch`). Its own: "
            "`DescribeLoadBalancerAttributes` per Network or Gateway Load Balancer and "
            "`DescribeTargetGroupAttributes` per target group of one, once per region and "
            "shared, only where such a load balancer exists (no Application Load Balancer's); "
            "`cloudwatch:GetMetricData` only for cluster-mode groups whose roles are not "
            "listed. A service AWS does not offer in a region is skipped there."
        ),
    ),
)

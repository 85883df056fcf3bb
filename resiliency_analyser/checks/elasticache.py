"""ElastiCache clusters and replication groups that lose data or service with one AZ."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Outage,
    Record,
    RegionScope,
    Severity,
    concurrently,
    zone_text,
)
from resiliency_analyser.checks.lookups import ELASTICACHE_REPLICATION_GROUPS
from resiliency_analyser.checks.shards import Shard, assess_shards


def cluster_zones(cluster: Record) -> list[str]:
    nodes = [n.get("CustomerAvailabilityZone") for n in cluster.get("CacheNodes") or []]
    preferred = cluster.get("PreferredAvailabilityZone")
    # "Multiple" is what the API says for a Memcached cluster spread over AZs.
    fallback = [preferred] if preferred and preferred != "Multiple" else []
    return sorted({z for z in nodes if z} or set(fallback))


def zone_shares(cluster: Record) -> str:
    """How many of the cluster's nodes each AZ holds, e.g. ``us-east-1a 2, us-east-1b 1``."""
    counts = Counter(
        n["CustomerAvailabilityZone"]
        for n in cluster.get("CacheNodes") or []
        if n.get("CustomerAvailabilityZone")
    )
    return ", ".join(f"{zone} {count}" for zone, count in sorted(counts.items()))


def assess_cluster(cluster: Record) -> Assessment:
    engine = cluster.get("Engine", "")
    nodes = int(cluster.get("NumCacheNodes", 0))
    zones = cluster_zones(cluster)
    where = f"{nodes} node(s), AZs: {zone_text(zones)}"
    check_id = "elasticache.cluster_multi_az"
    if engine == "memcached" and len(zones) >= 2:
        risk = True
        check_id = "elasticache.memcached_spread"
        message = (
            "Memcached does not replicate: losing an AZ drops that AZ's share of the cache "
            f"(nodes per AZ: {zone_shares(cluster)})"
        )
    elif engine == "memcached":
        risk = True
        message = f"Memcached does not replicate: a lost AZ loses its nodes' data ({where})"
    else:
        risk = nodes <= 1
        layout = "Single-node" if risk else "Multi-node"
        message = f"{layout} {engine} cluster outside any replication group ({where})"
    return Assessment(
        check_id=check_id,
        resource_arn=cluster.get("ARN", ""),
        resource_name=cluster.get("CacheClusterId", ""),
        risk=risk,
        engine=engine,
        message=message,
        availability_zones=tuple(zones),
    )


def node_zones(members: Sequence[Record]) -> list[str | None]:
    return [m.get("PreferredAvailabilityZone") for m in members]


WITHOUT_MULTI_AZ = (
    "Multi-AZ disabled: a failed primary is recreated rather than a replica promoted, so writes "
    "stop until it is back"
)
"""AWS documents it ("Minimizing downtime with Multi-AZ"): with Multi-AZ a replica is promoted;
without it ElastiCache creates and provisions a new primary, which takes far longer."""


def assess_group(group: Record) -> Assessment:
    node_groups = group.get("NodeGroups") or []
    all_members = [m for g in node_groups for m in g.get("NodeGroupMembers") or []]
    shards: list[Shard]
    if group.get("ClusterEnabled"):
        shards = [
            (f"shard {g.get('NodeGroupId', '?')}", node_zones(g.get("NodeGroupMembers") or []))
            for g in node_groups
        ] or [("the group", [])]
        layout = f"cluster mode enabled, {len(node_groups)} shard(s)"
    else:
        # Cluster mode disabled: one primary and its replicas, however the node groups are listed.
        shards = [("the group", node_zones(all_members))]
        layout = "cluster mode disabled"
    failover = group.get("AutomaticFailover", "disabled")
    other = [] if failover == "enabled" else [f"automatic failover {failover}"]
    if (
        not group.get("ClusterEnabled")
        and failover == "enabled"
        and group.get("MultiAZ") == "disabled"
    ):
        other.append(WITHOUT_MULTI_AZ)
    zones = {z for z in node_zones(all_members) if z}
    where = f"{layout}; {len(all_members)} node(s), AZs: {zone_text(zones)}"
    return assess_shards(
        "elasticache.replication_group_multi_az",
        group,
        group.get("ReplicationGroupId", ""),
        shards,
        other,
        where,
    )


GONE_STATES = frozenset({"deleting", "deleted", "create-failed", "restore-failed"})
"""Statuses of clusters, groups and serverless caches that carry no traffic: no finding."""


def assess(clusters: Sequence[Record], groups: Sequence[Record]) -> list[Assessment]:
    """Clusters in a replication group are judged through their group."""
    standalone = [
        c
        for c in clusters
        if not c.get("ReplicationGroupId") and c.get("CacheClusterStatus") not in GONE_STATES
    ]
    live = [g for g in groups if g.get("Status") not in GONE_STATES]
    return [*map(assess_cluster, standalone), *map(assess_group, live)]


def assess_serverless_cache(
    cache: Record, subnet_zones: Mapping[str, str], options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment:
    subnets = sorted(set(cache.get("SubnetIds") or []))
    zones = sorted({subnet_zones[s] for s in subnets if s in subnet_zones})
    message = f"Serverless cache with subnets in {len(zones)} AZ(s): {zone_text(zones)}"
    unknown = [s for s in subnets if s not in subnet_zones]
    if unknown:
        message += f"; subnets not found in the region: {', '.join(unknown)}"
    message += options.shortfall(len(zones))
    return Assessment(
        check_id="elasticache.serverless_multi_az",
        resource_arn=cache.get("ARN", ""),
        resource_name=cache.get("ServerlessCacheName", ""),
        risk=options.too_few(len(zones)),
        engine=cache.get("Engine", ""),
        message=message,
        availability_zones=tuple(zones),
    )


def assess_serverless(
    caches: Sequence[Record],
    subnet_zones: Mapping[str, str],
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    """Caches being deleted, or whose creation failed, give no finding."""
    return [
        assess_serverless_cache(c, subnet_zones, options)
        for c in caches
        if c.get("Status") not in GONE_STATES
    ]


async def serverless(scope: RegionScope) -> list[Assessment]:
    caches = await scope.items("elasticache", "describe_serverless_caches", "ServerlessCaches")
    subnet_zones = await scope.subnet_zones() if caches else {}
    return assess_serverless(caches, subnet_zones, scope.options)


async def scan(scope: RegionScope) -> Batches:
    clusters, groups, caches = await concurrently(
        scope.items(
            "elasticache",
            "describe_cache_clusters",
            "CacheClusters",
            ShowCacheNodeInfo=True,
            ShowCacheClustersNotInReplicationGroups=True,
        ),
        scope.shared(ELASTICACHE_REPLICATION_GROUPS),
        serverless(scope),
    )
    yield [*assess(clusters, groups), *caches]


CHECK = Check(
    key="elasticache",
    service="Amazon ElastiCache",
    rule=(
        "A Memcached cluster is always a risk (no replication; low severity when its nodes span "
        "2 or more AZs); a standalone Redis or Valkey cluster is a risk with a single node; a "
        "replication group is a risk when it has no replica, automatic failover is off, Multi-AZ "
        "is off with cluster mode disabled, or a shard (the whole group when cluster mode is "
        "disabled) has no replica or all its nodes in one AZ; a serverless cache is a risk when "
        "its subnets lie in fewer than 2 AZs."
    ),
    actions=(
        "elasticache:DescribeCacheClusters",
        "elasticache:DescribeReplicationGroups",
        "elasticache:DescribeServerlessCaches",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    counts_azs=True,
    guidance={
        "elasticache.cluster_multi_az": Guidance(
            Severity.MEDIUM,
            "Use a Redis or Valkey replication group with a replica in another AZ and automatic "
            "failover (Memcached cannot replicate).",
            "Other",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
        "elasticache.memcached_spread": Guidance(
            Severity.LOW,
            "Size the Memcached cluster so the nodes left after losing an AZ carry the load, or "
            "move to a replicated Valkey or Redis group.",
            "Other",
            fails=Fails.CAPACITY,
            outage=Outage.PARTIAL,
            well_architected=("REL10-BP01",),
        ),
        "elasticache.serverless_multi_az": Guidance(
            Severity.MEDIUM,
            "Recreate the serverless cache with subnets in at least two AZs so it can serve from "
            "another AZ.",
            "Other",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01",),
        ),
        "elasticache.replication_group_multi_az": Guidance(
            Severity.MEDIUM,
            "Give every shard a replica in another AZ and turn on automatic failover and Multi-AZ.",
            "Other",
            fails=Fails.CAPACITY,
            fsbp=("ElastiCache.3",),
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
    },
    notes=(
        (
            "Clusters are listed with `ShowCacheClustersNotInReplicationGroups`; a cluster in"
            " a replication group is judged through its group, never on its own."
        ),
        (
            "Cluster mode is read from the group's `ClusterEnabled`, never guessed from its "
            "shard count. With cluster mode enabled every shard (node group) needs a replica "
            "in another AZ; with it disabled the primary and its replicas are judged "
            "together. Automatic failover must be `enabled`."
        ),
        (
            "With cluster mode disabled, automatic failover without Multi-AZ (`MultiAZ` "
            '`disabled`) is a risk: AWS documents (ElastiCache "Minimizing downtime with '
            'Multi-AZ", "Mitigating failures") that without Multi-AZ a failed primary is '
            "created and provisioned anew rather than a replica promoted, and writes stop until it "
            "is. A group that does not report `MultiAZ` is judged on the rest. A cluster-mode-disabled group with failover and Multi-AZ on and nodes in 2 "
            "or more AZs is not a risk."
        ),
        (
            "Node AZs come from `NodeGroupMembers`' `PreferredAvailabilityZone` (groups) and "
            "the cache nodes' `CustomerAvailabilityZone` (clusters); the message names them, "
            "per shard where one fails."
        ),
        (
            "Memcached never replicates, so it stays a risk; a cluster whose nodes span 2 or "
            "more AZs gets `elasticache.memcached_spread` (low), its message giving the nodes "
            "per AZ: an AZ loss drops that share of the cache."
        ),
        (
            "Serverless caches (`elasticache.serverless_multi_az`) are judged by the AZs of "
            "their `SubnetIds`. Clusters, groups and serverless caches `deleting`, `deleted`, "
            "`create-failed` or `restore-failed` give no finding."
        ),
        "`engine` is the actual engine: `redis`, `valkey` or `memcached`.",
        (
            "API: `DescribeCacheClusters`, `DescribeReplicationGroups` (once per region, shared "
            "with `balance`) and `DescribeServerlessCaches` (all pages, in parallel), "
            "`ec2:DescribeSubnets` (once per region, shared by checks)."
        ),
    ),
)

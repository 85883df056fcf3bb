"""DocumentDB clusters without a replica in another AZ: instance-based and elastic clusters."""

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
    zone_text,
)
from resiliency_analyser.checks.rds import assess_engine_clusters

ENGINE = "docdb"
ELASTIC = "docdb-elastic"
ELASTIC_GONE = frozenset({"DELETING"})


def assess(clusters: Sequence[Record], instances: Sequence[Record]) -> list[Assessment]:
    return assess_engine_clusters(clusters, instances, ENGINE, "DocumentDB cluster")


def assess_elastic_cluster(
    cluster: Record, subnet_zones: Mapping[str, str], options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment:
    """An elastic cluster: every shard has ``shardInstanceCount`` instances over its subnets."""
    per_shard = int(cluster.get("shardInstanceCount", 0))
    subnets = sorted(set(cluster.get("subnetIds") or []))
    zones = sorted({subnet_zones[s] for s in subnets if s in subnet_zones})
    problems = []
    if per_shard < 2:
        problems.append(f"{per_shard} instance per shard (no replica)")
    if options.too_few(len(zones)):
        problems.append(f"subnets in {len(zones)} AZ(s){options.shortfall(len(zones))}")
    layout = (
        f"{cluster.get('shardCount', '?')} shard(s) of {per_shard} instance(s), "
        f"subnet AZs: {zone_text(zones)}"
    )
    # Two AZs short of --min-azs is a risk, but not a single-AZ one.
    single = per_shard < 2 or len(zones) < 2
    kind = "Single-AZ elastic cluster" if single else "Elastic cluster"
    verdict = f"{kind}: {'; '.join(problems)}" if problems else "Elastic cluster"
    return Assessment(
        check_id="docdb.elastic_cluster_multi_az",
        resource_arn=cluster.get("clusterArn", ""),
        resource_name=cluster.get("clusterName", ""),
        risk=bool(problems),
        engine=ELASTIC,
        message=f"{verdict} ({layout})",
        availability_zones=tuple(zones),
    )


def assess_elastic(
    clusters: Sequence[Record],
    subnet_zones: Mapping[str, str],
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    """Elastic clusters being deleted give no finding."""
    return [
        assess_elastic_cluster(c, subnet_zones, options)
        for c in clusters
        if c.get("status") not in ELASTIC_GONE
    ]


async def elastic_clusters(scope: RegionScope) -> list[Assessment]:
    """Every elastic cluster in full (the listing lacks shards and subnets); none where the
    service is not offered."""
    if not await scope.offers(ELASTIC):
        return []
    listed = await scope.items(ELASTIC, "list_clusters", "clusters")
    described = await concurrently(
        *(
            scope.call(ELASTIC, "get_cluster", clusterArn=c["clusterArn"])
            for c in listed
            if c.get("status") not in ELASTIC_GONE
        )
    )
    clusters = [response["cluster"] for response in described if response.get("cluster")]
    subnet_zones = await scope.subnet_zones() if clusters else {}
    return assess_elastic(clusters, subnet_zones, scope.options)


async def instance_clusters(scope: RegionScope) -> list[Assessment]:
    engine_filter = [{"Name": "engine", "Values": [ENGINE]}]
    clusters = await scope.items(
        "docdb", "describe_db_clusters", "DBClusters", Filters=engine_filter
    )
    if not clusters:
        return []
    instances = await scope.items(
        "docdb", "describe_db_instances", "DBInstances", Filters=engine_filter
    )
    return assess(clusters, instances)


async def scan(scope: RegionScope) -> Batches:
    clusters, elastic = await concurrently(instance_clusters(scope), elastic_clusters(scope))
    yield [*clusters, *elastic]


CHECK = Check(
    key="docdb",
    service="Amazon DocumentDB",
    rule=(
        "A DocumentDB cluster with instances is a risk when Multi-AZ is off or all of them sit "
        "in one AZ; an elastic cluster is a risk with fewer than 2 instances per shard or "
        "subnets in fewer than 2 AZs."
    ),
    actions=(
        "rds:DescribeDBClusters",
        "rds:DescribeDBInstances",
        "docdb-elastic:ListClusters",
        "docdb-elastic:GetCluster",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    counts_azs=True,
    guidance={
        "docdb.cluster_multi_az": Guidance(
            Severity.HIGH,
            "Add a replica instance in another AZ (create-db-instance --db-cluster-identifier "
            "CLUSTER --availability-zone OTHER_AZ).",
            "AwsRdsDbCluster",
            fails=Fails.DATA,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
        "docdb.elastic_cluster_multi_az": Guidance(
            Severity.HIGH,
            "Give the elastic cluster 2 or more instances per shard (update-cluster "
            "--shard-instance-count) and subnets in at least two AZs.",
            "Other",
            fails=Fails.DATA,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
    },
    notes=(
        (
            "Only clusters whose engine is `docdb` (the DocumentDB API also lists RDS and "
            "Neptune clusters). When every member's AZ is known, members all in one AZ are a "
            "risk whatever `MultiAZ` says; a cluster with no instances has no compute: not a "
            "risk. A read replica's message names its source."
        ),
        (
            "Elastic clusters (`docdb.elastic_cluster_multi_az`, `engine` `docdb-elastic`): "
            "`shardInstanceCount` below 2 means no replica; their `subnetIds` give the AZs. "
            "Clusters `DELETING` give no finding; regions without DocumentDB elastic clusters "
            "are skipped for them."
        ),
        (
            "API: `DescribeDBClusters` and `DescribeDBInstances` filtered to engine `docdb`; "
            "`docdb-elastic:ListClusters` (all pages) then `GetCluster` per cluster (in "
            "parallel), `ec2:DescribeSubnets` (once per region, shared by checks)."
        ),
    ),
)

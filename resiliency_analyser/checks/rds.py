"""RDS DB instances and DB clusters without Multi-AZ (DocumentDB and Neptune have own checks)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
    tag_pairs,
    zone_text,
)

OTHER_CHECK_ENGINES = frozenset({"docdb", "neptune"})
GONE_STATES = frozenset({"deleting", "failed"})
"""Instance and cluster statuses of resources that carry no traffic: they give no finding."""


def is_live(record: Record) -> bool:
    return record.get("DBInstanceStatus", record.get("Status")) not in GONE_STATES


def replica_text(record: Record) -> str:
    """``; read replica of <source>`` for a read replica (instance or cluster), else ''."""
    source = (
        record.get("ReadReplicaSourceDBInstanceIdentifier")
        or record.get("ReadReplicaSourceDBClusterIdentifier")
        or record.get("ReplicationSourceIdentifier")
    )
    return f"; read replica of {source}" if source else ""


def assess_instance(instance: Record) -> Assessment | None:
    """A standalone DB instance; cluster members are judged through their cluster."""
    engine = instance.get("Engine", "")
    if (
        instance.get("DBClusterIdentifier")
        or engine in OTHER_CHECK_ENGINES
        or not is_live(instance)
    ):
        return None
    zones = [
        z
        for z in (instance.get("AvailabilityZone"), instance.get("SecondaryAvailabilityZone"))
        if z
    ]
    multi_az = bool(instance.get("MultiAZ"))
    if multi_az:
        message = f"RDS instance has Multi-AZ enabled (AZs: {zone_text(zones)})"
    else:
        message = f"RDS instance has Multi-AZ disabled (AZ: {zone_text(zones)})"
    return Assessment(
        check_id="rds.instance_multi_az",
        resource_arn=instance.get("DBInstanceArn", ""),
        resource_name=instance.get("DBInstanceIdentifier", ""),
        resource_id=instance.get("DbiResourceId", ""),
        risk=not multi_az,
        engine=engine,
        message=message + replica_text(instance),
        availability_zones=tuple(sorted(set(zones))),
        tags=tag_pairs(instance.get("TagList")),
    )


def member_zones(cluster: Record, instance_zones: dict[str, str]) -> tuple[list[str], int]:
    """Where the cluster's members actually run, when the instance listing says so, and how
    many members it has."""
    members = [m.get("DBInstanceIdentifier", "") for m in cluster.get("DBClusterMembers") or []]
    return [instance_zones[m] for m in members if m in instance_zones], len(members)


def assess_cluster(
    cluster: Record, instance_zones: dict[str, str], check_id: str, kind: str
) -> Assessment:
    zones, members = member_zones(cluster, instance_zones)
    multi_az = bool(cluster.get("MultiAZ"))
    state = "enabled" if multi_az else "disabled"
    # Known AZs of every member outrank the flag: members in one AZ fail with it.
    one_zone = members > 0 and len(zones) == members and len(set(zones)) == 1
    if not members:
        risk = False
        message = (
            f"{kind} has no instances: no compute to fail over (configured AZs "
            f"{zone_text(cluster.get('AvailabilityZones', []))})"
        )
    elif one_zone:
        risk = True
        joint = ", but" if multi_az else " and"
        message = f"{kind} has Multi-AZ {state}{joint} all {members} member(s) are in {zones[0]}"
    else:
        risk = not multi_az
        where = (
            f"members in {zone_text(zones)}"
            if zones
            else f"configured AZs {zone_text(cluster.get('AvailabilityZones', []))}"
        )
        message = f"{kind} has Multi-AZ {state} ({where})"
    return Assessment(
        check_id=check_id,
        resource_arn=cluster.get("DBClusterArn", ""),
        resource_name=cluster.get("DBClusterIdentifier", ""),
        resource_id=cluster.get("DbClusterResourceId", ""),
        risk=risk,
        engine=cluster.get("Engine", ""),
        message=message + replica_text(cluster),
        availability_zones=tuple(sorted(set(zones))),
        tags=tag_pairs(cluster.get("TagList")),
    )


def instance_zone_map(instances: Iterable[Record]) -> dict[str, str]:
    return {
        i["DBInstanceIdentifier"]: i["AvailabilityZone"]
        for i in instances
        if i.get("DBInstanceIdentifier") and i.get("AvailabilityZone") and is_live(i)
    }


def assess_engine_clusters(
    clusters: Sequence[Record], instances: Sequence[Record], engine: str, kind: str
) -> list[Assessment]:
    """Clusters of one engine that shares the RDS API (whose listings include every engine)."""
    zones = instance_zone_map(instances)
    return [
        assess_cluster(c, zones, f"{engine}.cluster_multi_az", kind)
        for c in clusters
        if c.get("Engine") == engine and is_live(c)
    ]


def assess(instances: Sequence[Record], clusters: Sequence[Record]) -> list[Assessment]:
    """The RDS rule over one region's DB instances and DB clusters."""
    zones = instance_zone_map(instances)
    results = [a for a in map(assess_instance, instances) if a is not None]
    results.extend(
        assess_cluster(c, zones, "rds.cluster_multi_az", "DB cluster")
        for c in clusters
        if c.get("Engine", "") not in OTHER_CHECK_ENGINES and is_live(c)
    )
    return results


async def scan(scope: RegionScope) -> Batches:
    instances, clusters = await concurrently(
        scope.items("rds", "describe_db_instances", "DBInstances"),
        scope.items("rds", "describe_db_clusters", "DBClusters"),
    )
    yield assess(instances, clusters)


CHECK = Check(
    key="rds",
    service="Amazon RDS",
    rule=(
        "A DB instance outside any cluster, or a DB cluster, whose engine is not DocumentDB or "
        "Neptune is a risk when Multi-AZ is off, or (clusters) when all its member instances "
        "sit in one AZ; a cluster without instances is not a risk."
    ),
    actions=("rds:DescribeDBInstances", "rds:DescribeDBClusters"),
    scan=scan,
    tagged=True,
    guidance={
        "rds.instance_multi_az": Guidance(
            Severity.HIGH,
            "Convert the instance to a Multi-AZ deployment (modify-db-instance --multi-az); "
            "RDS adds a standby in another AZ with a brief I/O pause.",
            "AwsRdsDbInstance",
            fails=Fails.DATA,
            fsbp=("RDS.5",),
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
        "rds.cluster_multi_az": Guidance(
            Severity.HIGH,
            "Add a reader instance in another AZ (Aurora) or use a Multi-AZ DB cluster, so a "
            "failover target exists outside the writer's AZ.",
            "AwsRdsDbCluster",
            fails=Fails.DATA,
            fsbp=("RDS.15",),
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
    },
    notes=(
        ("Instances that belong to a cluster are judged through their cluster, not one by one."),
        (
            "Instances and clusters `deleting` or `failed` carry no traffic: no finding (and a "
            "member in such a state places its cluster in no AZ)."
        ),
        "DocumentDB and Neptune clusters and instances are left to their own checks.",
        (
            "For clusters the message names the AZs the member instances run in (from the "
            "instance listing); for instances, the primary's AZ (and the standby's where the "
            "API reports it)."
        ),
        (
            "When the AZ of every member instance is known, a cluster whose members all sit in "
            "one AZ is a risk whatever its `MultiAZ` flag says. A cluster with no instances "
            "(e.g. a headless Aurora Global Database secondary) has no compute to fail over: "
            "not a risk, and its message says so. A read replica's message names its source."
        ),
        (
            "`engine` is the DB engine (`mysql`, `aurora-postgresql`, …); `resource_id` the "
            "`DbiResourceId` or `DbClusterResourceId`."
        ),
        (
            "API: `DescribeDBInstances`, `DescribeDBClusters` (all pages, in parallel); tags "
            "come from their `TagList`."
        ),
    ),
)

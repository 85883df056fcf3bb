"""DocumentDB clusters without a replica in another AZ."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Guidance,
    Record,
    RegionScope,
    Severity,
)
from resiliency_analyser.checks.rds import assess_engine_clusters

ENGINE = "docdb"


def assess(clusters: Sequence[Record], instances: Sequence[Record]) -> list[Assessment]:
    return assess_engine_clusters(clusters, instances, ENGINE, "DocumentDB cluster")


async def scan(scope: RegionScope) -> Batches:
    engine_filter = [{"Name": "engine", "Values": [ENGINE]}]
    clusters = await scope.items(
        "docdb", "describe_db_clusters", "DBClusters", Filters=engine_filter
    )
    if not clusters:
        return
    instances = await scope.items(
        "docdb", "describe_db_instances", "DBInstances", Filters=engine_filter
    )
    yield assess(clusters, instances)


CHECK = Check(
    key="docdb",
    service="Amazon DocumentDB",
    rule="A DocumentDB cluster is a risk when Multi-AZ is off (no replica in another AZ).",
    actions=("rds:DescribeDBClusters", "rds:DescribeDBInstances"),
    scan=scan,
    guidance={
        "docdb.cluster_multi_az": Guidance(
            Severity.HIGH,
            "Add a replica instance in another AZ (create-db-instance --db-cluster-identifier "
            "CLUSTER --availability-zone OTHER_AZ).",
        ),
    },
    notes=(
        (
            "Only clusters whose engine is `docdb` (the DocumentDB API also lists RDS and "
            "Neptune clusters)."
        ),
        "API: `DescribeDBClusters` and `DescribeDBInstances` filtered to engine `docdb`.",
    ),
)

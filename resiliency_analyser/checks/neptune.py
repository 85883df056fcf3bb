"""Neptune DB clusters without a replica in another AZ."""

from __future__ import annotations

import asyncio
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

ENGINE = "neptune"


def assess(clusters: Sequence[Record], instances: Sequence[Record]) -> list[Assessment]:
    return assess_engine_clusters(clusters, instances, ENGINE, "Neptune cluster")


async def scan(scope: RegionScope) -> Batches:
    engine_filter = [{"Name": "engine", "Values": [ENGINE]}]
    clusters, instances = await asyncio.gather(
        scope.items("neptune", "describe_db_clusters", "DBClusters", Filters=engine_filter),
        scope.items("neptune", "describe_db_instances", "DBInstances", Filters=engine_filter),
    )
    yield assess(clusters, instances)


CHECK = Check(
    key="neptune",
    service="Amazon Neptune",
    rule="A Neptune DB cluster is a risk when Multi-AZ is off (no replica in another AZ).",
    actions=("rds:DescribeDBClusters", "rds:DescribeDBInstances"),
    scan=scan,
    guidance={
        "neptune.cluster_multi_az": Guidance(
            Severity.HIGH,
            "Add a read replica instance in another AZ so the cluster can fail over to it.",
        ),
    },
    notes=(
        (
            "Only clusters whose engine is `neptune` (the Neptune API also lists RDS and "
            "DocumentDB clusters)."
        ),
        (
            "The message names the AZs the member instances run in, or the configured AZs "
            "when it has none."
        ),
        (
            "API: `DescribeDBClusters` and `DescribeDBInstances` filtered to engine `neptune`"
            " (all pages, in parallel)."
        ),
    ),
)

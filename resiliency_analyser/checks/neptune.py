"""Neptune DB clusters without a replica in another AZ, and Neptune Analytics graphs without a
replica."""

from __future__ import annotations

from collections.abc import Sequence

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
)
from resiliency_analyser.checks.rds import assess_engine_clusters

ENGINE = "neptune"
GRAPHS = "neptune-graph"
GRAPH_GONE = frozenset({"DELETING", "FAILED"})


def assess(clusters: Sequence[Record], instances: Sequence[Record]) -> list[Assessment]:
    return assess_engine_clusters(clusters, instances, ENGINE, "Neptune cluster")


def assess_graph(graph: Record) -> Assessment:
    replicas = int(graph.get("replicaCount", 0))
    if replicas:
        message = f"Neptune Analytics graph with {replicas} replica(s) in other AZs"
    else:
        message = "Neptune Analytics graph with no replica: it runs in one AZ"
    return Assessment(
        check_id="neptune.graph_replicas",
        resource_arn=graph.get("arn", ""),
        resource_name=graph.get("name", ""),
        resource_id=graph.get("id", ""),
        risk=not replicas,
        engine=GRAPHS,
        message=message,
    )


def assess_graphs(graphs: Sequence[Record]) -> list[Assessment]:
    """Graphs being deleted, or failed, carry no traffic and give no finding."""
    return [assess_graph(g) for g in graphs if g.get("status") not in GRAPH_GONE]


async def graphs(scope: RegionScope) -> list[Record]:
    """Every graph with its replica count: read with GetGraph where the listing lacks it; none
    where Neptune Analytics is not offered."""
    if not await scope.offers(GRAPHS):
        return []
    listed = await scope.items(GRAPHS, "list_graphs", "graphs")
    live = [g for g in listed if g.get("status") not in GRAPH_GONE]
    lacking = [g for g in live if "replicaCount" not in g]
    described = await concurrently(
        *(scope.call(GRAPHS, "get_graph", graphIdentifier=g["id"]) for g in lacking)
    )
    return [*(g for g in live if "replicaCount" in g), *described]


async def scan(scope: RegionScope) -> Batches:
    engine_filter = [{"Name": "engine", "Values": [ENGINE]}]
    clusters, instances, graph_records = await concurrently(
        scope.items("neptune", "describe_db_clusters", "DBClusters", Filters=engine_filter),
        scope.items("neptune", "describe_db_instances", "DBInstances", Filters=engine_filter),
        graphs(scope),
    )
    yield [*assess(clusters, instances), *assess_graphs(graph_records)]


CHECK = Check(
    key="neptune",
    service="Amazon Neptune",
    rule=(
        "A Neptune DB cluster with instances is a risk when Multi-AZ is off or all of them sit "
        "in one AZ; a Neptune Analytics graph is a risk when it has no replica."
    ),
    actions=(
        "rds:DescribeDBClusters",
        "rds:DescribeDBInstances",
        "neptune-graph:ListGraphs",
        "neptune-graph:GetGraph",
    ),
    scan=scan,
    guidance={
        "neptune.cluster_multi_az": Guidance(
            Severity.HIGH,
            "Add a read replica instance in another AZ so the cluster can fail over to it.",
            "AwsRdsDbCluster",
            fails=Fails.DATA,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
        "neptune.graph_replicas": Guidance(
            Severity.HIGH,
            "Give the graph at least one replica (update-graph --replica-count 1) so it runs in "
            "another AZ too.",
            "Other",
            fails=Fails.DATA,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
    },
    notes=(
        (
            "Only clusters whose engine is `neptune` (the Neptune API also lists RDS and "
            "DocumentDB clusters)."
        ),
        (
            "The message names the AZs the member instances run in, or the configured AZs "
            "when it has none. When every member's AZ is known, members all in one AZ are a "
            "risk whatever `MultiAZ` says; a cluster with no instances has no compute: not a "
            "risk. A read replica's message names its source."
        ),
        (
            "Neptune Analytics graphs (`neptune.graph_replicas`, `engine` `neptune-graph`): "
            "`replicaCount` 0 is a risk. Graphs `DELETING` or `FAILED` give no finding; "
            "regions without Neptune Analytics are skipped for graphs."
        ),
        (
            "API: `DescribeDBClusters` and `DescribeDBInstances` filtered to engine `neptune`"
            " (all pages, in parallel); `neptune-graph:ListGraphs` (all pages) and `GetGraph` "
            "for each graph the listing gives no `replicaCount` for, alongside."
        ),
    ),
)

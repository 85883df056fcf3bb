"""DynamoDB Accelerator (DAX) clusters whose nodes do not span two AZs."""

from __future__ import annotations

from collections.abc import Sequence

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
    zone_text,
)


def assess_cluster(cluster: Record, options: CheckOptions = DEFAULT_OPTIONS) -> Assessment:
    nodes = cluster.get("Nodes") or []
    zones = sorted({n["AvailabilityZone"] for n in nodes if n.get("AvailabilityZone")})
    if nodes:
        layout = (
            f"{len(nodes)} node(s) in {len(zones)} AZ(s): {zone_text(zones)}"
            f"{options.shortfall(len(zones))}"
        )
    else:
        # A cluster being created lists no nodes yet; until it does, no spread is shown.
        layout = (
            f"no nodes listed yet ({cluster.get('TotalNodes', 0)} planned, "
            f"status {cluster.get('Status', 'unknown')})"
        )
    return Assessment(
        check_id="dax.cluster_multi_az",
        resource_arn=cluster.get("ClusterArn", ""),
        resource_name=cluster.get("ClusterName", ""),
        risk=options.too_few(len(zones)),
        engine=cluster.get("NodeType", ""),
        message=f"DAX cluster with {layout}",
        availability_zones=tuple(zones),
    )


def assess(clusters: Sequence[Record], options: CheckOptions = DEFAULT_OPTIONS) -> list[Assessment]:
    return [assess_cluster(c, options) for c in clusters]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("dax", "describe_clusters"):
        yield assess(page.get("Clusters", []), scope.options)


CHECK = Check(
    key="dax",
    service="Amazon DynamoDB Accelerator",
    rule="A cluster is a risk when its nodes lie in fewer than 2 AZs (a single node included).",
    actions=("dax:DescribeClusters",),
    scan=scan,
    counts_azs=True,
    guidance={
        "dax.cluster_multi_az": Guidance(
            Severity.MEDIUM,
            "Run at least three nodes spread over several AZs (add nodes with increase-replication-"
            "factor and spread --availability-zones).",
            "Other",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "The message names every AZ the cluster's nodes are in. A cluster still being "
            "created lists no nodes yet: it is reported as a risk and the message says so, "
            "with the planned node count."
        ),
        "`engine` is the node type.",
        "API: `DescribeClusters` (all pages).",
    ),
)

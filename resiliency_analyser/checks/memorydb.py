"""MemoryDB clusters with a shard that one AZ failure would take down."""

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
    zone_text,
)
from resiliency_analyser.checks.shards import Shard, assess_shards


def shard(record: Record) -> Shard:
    zones = [n.get("AvailabilityZone") for n in record.get("Nodes") or []]
    return f"shard {record.get('Name', '?')}", zones


def assess_cluster(cluster: Record) -> Assessment:
    shards = [shard(s) for s in cluster.get("Shards") or []]
    layout = "; ".join(f"{label}: {zone_text(z for z in zones if z)}" for label, zones in shards)
    return assess_shards(
        "memorydb.cluster_multi_az",
        cluster,
        cluster.get("Name", ""),
        shards,
        [],
        layout or "no shards reported",
    )


def assess(clusters: Sequence[Record]) -> list[Assessment]:
    return [assess_cluster(c) for c in clusters]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("memorydb", "describe_clusters", ShowShardDetails=True):
        yield assess(page.get("Clusters", []))


CHECK = Check(
    key="memorydb",
    service="Amazon MemoryDB",
    rule="A cluster is a risk when any shard has no replica or all its nodes in one AZ.",
    actions=("memorydb:DescribeClusters",),
    scan=scan,
    guidance={
        "memorydb.cluster_multi_az": Guidance(
            Severity.HIGH,
            "Give every shard at least one replica (update-cluster --replica-configuration) so its "
            "nodes span two or more AZs.",
            "Other",
            fails=Fails.DATA,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
    },
    notes=(
        "Judged per shard from the shard details; the message names each shard's AZs.",
        "API: `DescribeClusters` with `ShowShardDetails` (all pages).",
    ),
)

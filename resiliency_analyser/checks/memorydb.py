"""MemoryDB clusters with a shard that one AZ failure would take down."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from resiliency_analyser.checks.base import Batches, Check, Record, zone_text
from resiliency_analyser.checks.shards import shard_problem, verdict
from resiliency_analyser.models import Assessment

if TYPE_CHECKING:
    from resiliency_analyser.aws.scope import RegionScope


def shard_zones(shard: Record) -> list[str]:
    return sorted(
        {n["AvailabilityZone"] for n in shard.get("Nodes") or [] if n.get("AvailabilityZone")}
    )


def assess_cluster(cluster: Record) -> Assessment:
    shards = cluster.get("Shards") or []
    problems = [
        p
        for s in shards
        if (
            p := shard_problem(
                f"shard {s.get('Name', '?')}", len(s.get("Nodes") or []), shard_zones(s)
            )
        )
    ]
    zones = sorted({z for s in shards for z in shard_zones(s)})
    layout = "; ".join(f"shard {s.get('Name', '?')}: {zone_text(shard_zones(s))}" for s in shards)
    return Assessment(
        check_id="memorydb.cluster_multi_az",
        resource_arn=cluster.get("ARN", ""),
        resource_name=cluster.get("Name", ""),
        risk=bool(problems),
        engine=cluster.get("Engine", ""),
        message=f"{verdict(problems)} ({layout or 'no shards reported'})",
        availability_zones=tuple(zones),
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
)

"""The replica rule shared by sharded in-memory stores (ElastiCache, MemoryDB)."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import Assessment, Record, zone_text

Shard = tuple[str, Sequence[str | None]]
"""A shard's label for messages, and each of its nodes' AZ (None where not reported)."""


def shard_problem(label: str, node_zones: Sequence[str | None]) -> str | None:
    """Why one shard would not survive losing an AZ, or None if it would."""
    if len(node_zones) < 2:
        return f"{label} has no replica"
    zones = {z for z in node_zones if z}
    if len(zones) < 2:
        return f"{label} has all {len(node_zones)} nodes in {zone_text(zones)}"
    return None


def assess_shards(
    check_id: str,
    record: Record,
    name: str,
    shards: Sequence[Shard],
    other: Sequence[str],
    where: str,
) -> Assessment:
    """A risk when any shard, or one of the ``other`` problems found, says so."""
    problems = [p for label, zones in shards if (p := shard_problem(label, zones))]
    problems.extend(other)
    if problems:
        text = "; ".join(problems)
        verdict = text[0].upper() + text[1:]
    else:
        verdict = "Every shard has a replica in another AZ"
    return Assessment(
        check_id=check_id,
        resource_arn=record.get("ARN", ""),
        resource_name=name,
        risk=bool(problems),
        engine=record.get("Engine", ""),
        message=f"{verdict} ({where})",
        availability_zones=tuple(sorted({z for _, zones in shards for z in zones if z})),
    )

"""The replica rule shared by sharded in-memory stores (ElastiCache, MemoryDB)."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.base import zone_text

ALL_SHARDS_SAFE = "Every shard has a replica in another AZ"


def shard_problem(label: str, nodes: int, zones: Sequence[str]) -> str | None:
    """Why one shard would not survive losing an AZ, or None if it would."""
    if nodes < 2:
        return f"{label} has no replica"
    if len(set(zones)) < 2:
        return f"{label} has all {nodes} nodes in {zone_text(zones)}"
    return None


def verdict(problems: Sequence[str]) -> str:
    if not problems:
        return ALL_SHARDS_SAFE
    text = "; ".join(problems)
    return text[0].upper() + text[1:]

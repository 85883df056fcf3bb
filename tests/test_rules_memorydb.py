"""The MemoryDB rule on API-shaped DescribeClusters (ShowShardDetails) records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import memorydb

A, B, C = "us-east-1a", "us-east-1b", "us-east-1c"


def cluster(*shards: list[str | None]) -> dict[str, Any]:
    return {
        "Name": "orders",
        "ARN": "arn:aws:memorydb:us-east-1:111122223333:cluster/orders",
        "Engine": "valkey",
        "Shards": [
            {
                "Name": f"{i + 1:04d}",
                "Nodes": [
                    {"Name": f"n{j}", **({"AvailabilityZone": z} if z else {})}
                    for j, z in enumerate(zones)
                ],
                "NumberOfNodes": len(zones),
            }
            for i, zones in enumerate(shards)
        ],
    }


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (
            cluster([A, B]),
            False,
            "Every shard has a replica in another AZ (shard 0001: us-east-1a, us-east-1b)",
        ),
        (cluster([A, B], [B, C, A]), False, "shard 0002: us-east-1a, us-east-1b, us-east-1c"),
        (cluster([A]), True, "Shard 0001 has no replica"),
        (cluster([A, B], [C]), True, "Shard 0002 has no replica"),
        (cluster([A, B], [C, C]), True, "Shard 0002 has all 2 nodes in us-east-1c"),
        (cluster([A, None]), True, "all 2 nodes in us-east-1a"),
        (cluster([B], [A, A]), True, "Shard 0001 has no replica; shard 0002 has all 2 nodes"),
        (cluster(), False, "no shards reported"),
    ],
)
def test_clusters(record: dict[str, Any], risk: bool, text: str) -> None:
    [result] = memorydb.assess([record])
    assert result.risk is risk
    assert text in result.message
    assert (result.engine, result.resource_name) == ("valkey", "orders")

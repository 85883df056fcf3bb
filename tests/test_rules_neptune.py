"""The Neptune rule on API-shaped DescribeDBClusters / DescribeDBInstances records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import neptune


def cluster(engine: str, multi_az: bool | None, members: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "DBClusterIdentifier": "graph",
        "DBClusterArn": "arn:aws:rds:us-east-1:111122223333:cluster:graph",
        "Engine": engine,
        "AvailabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"],
        "DBClusterMembers": [{"DBInstanceIdentifier": m} for m in members],
    }
    if multi_az is not None:
        record["MultiAZ"] = multi_az
    return record


INSTANCES = [
    {"DBInstanceIdentifier": "w", "AvailabilityZone": "us-east-1a"},
    {"DBInstanceIdentifier": "r", "AvailabilityZone": "us-east-1b"},
]


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (cluster("neptune", False, ["w"]), True, "Multi-AZ disabled (members in us-east-1a)"),
        (cluster("neptune", None, []), True, "configured AZs us-east-1a, us-east-1b, us-east-1c"),
        (cluster("neptune", True, ["w", "r"]), False, "members in us-east-1a, us-east-1b"),
        (cluster("aurora-mysql", False, []), None, ""),
        (cluster("docdb", False, []), None, ""),
    ],
)
def test_clusters(record: dict[str, Any], risk: bool | None, text: str) -> None:
    results = neptune.assess([record], INSTANCES)
    assert [r.risk for r in results] == ([] if risk is None else [risk])
    for result in results:
        assert text in result.message
        assert result.check_id == "neptune.cluster_multi_az"
        assert result.engine == "neptune"

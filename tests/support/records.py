"""API-shaped records of the RDS API, which the rds and docdb checks both read."""

from __future__ import annotations

from typing import Any


def db_cluster(name: str, members: list[str], **fields: Any) -> dict[str, Any]:
    """A DescribeDBClusters record: Aurora MySQL, not Multi-AZ, configured for AZs a, b and c of
    us-east-1, with ``members`` as its instances, unless ``fields`` say otherwise."""
    return {
        "DBClusterIdentifier": name,
        "DBClusterArn": f"arn:aws:rds:us-east-1:111122223333:cluster:{name}",
        "Engine": "aurora-mysql",
        "MultiAZ": False,
        "AvailabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"],
        "DBClusterMembers": [{"DBInstanceIdentifier": m} for m in members],
        **fields,
    }

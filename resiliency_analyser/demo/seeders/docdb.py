"""The demo account's `docdb` resources: a risky and a safe example."""

from __future__ import annotations

from datetime import UTC, datetime

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import DemoWorld, Seeder, listed, no_records, resource_id


def seed(world: DemoWorld, region: str) -> None:
    """DocumentDB is answered by the stand-in endpoint: moto cannot create docdb clusters."""
    clusters = world.records("docdb", region)
    for name, multi_az in (("sessions-docdb", False), ("profiles-docdb", True)):
        clusters.append(
            {
                "DBClusterIdentifier": name,
                "DBClusterArn": f"arn:aws:rds:{region}:123456789012:cluster:{name}",
                "DbClusterResourceId": resource_id("cluster", region, name),
                "Engine": "docdb",
                "MultiAZ": multi_az,
                "AvailabilityZones": [f"{region}a", f"{region}b", f"{region}c"],
                "DBClusterMembers": [],
                "Status": "available",
                "ClusterCreateTime": datetime(2024, 1, 1, tzinfo=UTC),
            }
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "docdb": {
            "DescribeDBClusters": listed(world, "docdb", "DescribeDBClusters"),
            "DescribeDBInstances": no_records("DBInstances"),
        },
    }


SEEDER = Seeder(check="docdb", seed=seed, standins=standins)

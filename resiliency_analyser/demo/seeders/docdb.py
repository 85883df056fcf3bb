"""The demo account's `docdb` resources: a risky and a safe example."""

from __future__ import annotations

from datetime import UTC, datetime

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed, resource_id


def seed(world: DemoWorld, region: str) -> None:
    """DocumentDB is answered by the stand-in endpoint: moto cannot create docdb clusters."""
    clusters = world.records("docdb", region)
    instances = world.records("docdb-instances", region)
    for name, zones in (("sessions-docdb", "a"), ("profiles-docdb", "ab")):
        members = [f"{name}-{i}" for i in range(len(zones))]
        clusters.append(
            {
                "DBClusterIdentifier": name,
                "DBClusterArn": f"arn:aws:rds:{region}:{ACCOUNT_ID}:cluster:{name}",
                "DbClusterResourceId": resource_id("cluster", region, name),
                "Engine": "docdb",
                "MultiAZ": len(zones) > 1,
                "AvailabilityZones": [f"{region}a", f"{region}b", f"{region}c"],
                "DBClusterMembers": [
                    {"DBInstanceIdentifier": member, "IsClusterWriter": i == 0}
                    for i, member in enumerate(members)
                ],
                "Status": "available",
                "ClusterCreateTime": datetime(2024, 1, 1, tzinfo=UTC),
            }
        )
        instances.extend(
            {
                "DBInstanceIdentifier": member,
                "DBInstanceArn": f"arn:aws:rds:{region}:{ACCOUNT_ID}:db:{member}",
                "DbiResourceId": resource_id("db", region, member),
                "DBClusterIdentifier": name,
                "Engine": "docdb",
                "DBInstanceClass": "db.r6g.large",
                "DBInstanceStatus": "available",
                "AvailabilityZone": f"{region}{zone}",
            }
            for member, zone in zip(members, zones, strict=True)
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "docdb": {
            "DescribeDBClusters": listed(world, "docdb", "DescribeDBClusters"),
            "DescribeDBInstances": listed(world, "docdb", "DescribeDBInstances", "docdb-instances"),
        },
    }


SEEDER = Seeder(check="docdb", seed=seed, standins=standins)

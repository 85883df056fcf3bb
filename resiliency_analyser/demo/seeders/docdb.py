"""The demo account's `docdb` resources: a risky and a safe example of each rule."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed, resource_id

INSTANCES = "docdb/instances"
ELASTIC = "docdb-elastic"


def seed(world: DemoWorld, region: str) -> None:
    """DocumentDB is answered by the stand-in endpoint: moto cannot create docdb clusters, nor
    serve elastic clusters."""
    for name, multi_az, zones in (("sessions-docdb", False, "a"), ("profiles-docdb", True, "ab")):
        members = [f"{name}-{i}" for i in range(len(zones))]
        world.records("docdb", region).append(
            {
                "DBClusterIdentifier": name,
                "DBClusterArn": f"arn:aws:rds:{region}:{ACCOUNT_ID}:cluster:{name}",
                "DbClusterResourceId": resource_id("cluster", region, name),
                "Engine": "docdb",
                "MultiAZ": multi_az,
                "AvailabilityZones": [f"{region}a", f"{region}b", f"{region}c"],
                "DBClusterMembers": [
                    {"DBInstanceIdentifier": member, "IsClusterWriter": i == 0}
                    for i, member in enumerate(members)
                ],
                "Status": "available",
                "ClusterCreateTime": datetime(2024, 1, 1, tzinfo=UTC),
            }
        )
        world.records(INSTANCES, region).extend(
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
    subnets = world.subnets(region)
    for name, per_shard, cluster_subnets in (
        ("events-elastic-no-replica", 1, subnets[:2]),
        ("orders-elastic", 2, subnets[:2]),
    ):
        world.records(ELASTIC, region).append(
            elastic_cluster(region, name, per_shard, cluster_subnets)
        )


def elastic_cluster(region: str, name: str, per_shard: int, subnets: list[str]) -> dict[str, Any]:
    return {
        "clusterArn": f"arn:aws:docdb-elastic:{region}:{ACCOUNT_ID}:cluster/{name}",
        "clusterName": name,
        "status": "ACTIVE",
        "shardCount": 2,
        "shardCapacity": 2,
        "shardInstanceCount": per_shard,
        "subnetIds": subnets,
    }


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    def get_cluster(params: dict[str, Any], region: str) -> dict[str, Any]:
        [cluster] = [
            c for c in world.records(ELASTIC, region) if c["clusterArn"] == params["clusterArn"]
        ]
        return {"cluster": cluster}

    return {
        "docdb": {
            "DescribeDBClusters": listed(world, "docdb", "DescribeDBClusters"),
            "DescribeDBInstances": listed(world, "docdb", "DescribeDBInstances", store=INSTANCES),
        },
        ELASTIC: {
            "ListClusters": listed(world, ELASTIC, "ListClusters"),
            "GetCluster": get_cluster,
        },
    }


SEEDER = Seeder(check="docdb", seed=seed, standins=standins)

"""The demo account's `rds` resources: a risky and a safe example."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed, resource_id


def instance(
    region: str, name: str, engine: str, zones: str, cluster: str = "", multi_az: bool = False
) -> dict[str, Any]:
    """A DescribeDBInstances record in the AZs named by their letters (two for Multi-AZ: the
    primary's and the standby's)."""
    record: dict[str, Any] = {
        "DBInstanceIdentifier": name,
        "DBInstanceArn": f"arn:aws:rds:{region}:{ACCOUNT_ID}:db:{name}",
        "DbiResourceId": resource_id("db", region, name),
        "DBInstanceClass": "db.t3.micro" if not cluster else "db.r6g.large",
        "Engine": engine,
        "DBInstanceStatus": "available",
        "MultiAZ": multi_az,
        "AvailabilityZone": f"{region}{zones[0]}",
        "TagList": [{"Key": "environment", "Value": "production"}],
    }
    if multi_az:
        record["SecondaryAvailabilityZone"] = f"{region}{zones[1]}"
    if cluster:
        record["DBClusterIdentifier"] = cluster
    return record


def cluster(region: str, name: str, zones: str) -> list[dict[str, Any]]:
    """An Aurora cluster record and its member instances, one per AZ letter in ``zones``; the
    first member is the writer. Multi-AZ when the members span AZs, as RDS reports it."""
    members = [
        instance(region, f"{name}-{i}", "aurora-postgresql", z, name) for i, z in enumerate(zones)
    ]
    return [
        {
            "DBClusterIdentifier": name,
            "DBClusterArn": f"arn:aws:rds:{region}:{ACCOUNT_ID}:cluster:{name}",
            "DbClusterResourceId": resource_id("cluster", region, name),
            "Engine": "aurora-postgresql",
            "Status": "available",
            "MultiAZ": len(set(zones)) > 1,
            "AvailabilityZones": [f"{region}{z}" for z in "abc"],
            "DBClusterMembers": [
                {"DBInstanceIdentifier": m["DBInstanceIdentifier"], "IsClusterWriter": i == 0}
                for i, m in enumerate(members)
            ],
            "TagList": [],
        },
        *members,
    ]


def seed(world: DemoWorld, region: str) -> None:
    """From the stand-in: moto gives every DB instance one DbiResourceId and a Multi-AZ one no
    standby AZ, which a real account never shows."""
    instances = world.records("rds-instances", region)
    clusters = world.records("rds-clusters", region)
    instances.append(instance(region, "orders-single-az", "mysql", "a"))
    instances.append(instance(region, "billing-multi-az", "postgres", "ab", multi_az=True))
    for name, zones in (("catalog-aurora", "ab"), ("reports-aurora-one-az", "a")):
        record, *members = cluster(region, name, zones)
        clusters.append(record)
        instances.extend(members)


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "rds": {
            "DescribeDBInstances": listed(world, "rds", "DescribeDBInstances", "rds-instances"),
            "DescribeDBClusters": listed(world, "rds", "DescribeDBClusters", "rds-clusters"),
        },
    }


SEEDER = Seeder(check="rds", seed=seed, standins=standins)

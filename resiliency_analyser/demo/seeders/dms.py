"""The demo account's `dms` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed

CONFIGS = "dms/replication-configs"


def seed(world: DemoWorld, region: str) -> None:
    """From the stand-in: moto names a Multi-AZ instance's standby AZ by appending ``b`` to the
    primary's (``eu-west-1ab``)."""
    arn = f"arn:aws:dms:{region}:{ACCOUNT_ID}"
    # Serverless replications: moto lacks them.
    for name, multi_az in (("orders-serverless-single-az", False), ("ledger-serverless", True)):
        world.records(CONFIGS, region).append(
            {
                "ReplicationConfigIdentifier": name,
                "ReplicationConfigArn": f"{arn}:replication-config:{name}",
                "ReplicationType": "full-load-and-cdc",
                "ComputeConfig": {"MultiAZ": multi_az, "MaxCapacityUnits": 16},
            }
        )
    for name, multi_az in (("migration-single-az", False), ("migration-multi-az", True)):
        instance = {
            "ReplicationInstanceIdentifier": name,
            "ReplicationInstanceArn": f"{arn}:rep:{name}",
            "ReplicationInstanceClass": "dms.t3.medium",
            "ReplicationInstanceStatus": "available",
            "EngineVersion": "3.5.3",
            "MultiAZ": multi_az,
            "AvailabilityZone": f"{region}a",
            **({"SecondaryAvailabilityZone": f"{region}b"} if multi_az else {}),
        }
        world.records("dms-instances", region).append(instance)
        world.records("dms-tasks", region).append(
            {
                "ReplicationTaskIdentifier": f"{name}-orders-task",
                "ReplicationTaskArn": f"{arn}:task:{name}-orders-task",
                "ReplicationInstanceArn": instance["ReplicationInstanceArn"],
                "SourceEndpointArn": f"{arn}:endpoint:SOURCE",
                "TargetEndpointArn": f"{arn}:endpoint:TARGET",
                "MigrationType": "full-load-and-cdc",
                "Status": "running",
            }
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "dms": {
            "DescribeReplicationInstances": listed(
                world, "dms", "DescribeReplicationInstances", "dms-instances"
            ),
            "DescribeReplicationTasks": listed(
                world, "dms", "DescribeReplicationTasks", "dms-tasks"
            ),
            "DescribeReplicationConfigs": listed(
                world, "dms", "DescribeReplicationConfigs", store=CONFIGS
            ),
        },
    }


SEEDER = Seeder(check="dms", seed=seed, standins=standins)

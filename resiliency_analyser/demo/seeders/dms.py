"""The demo account's `dms` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed

CONFIGS = "dms/replication-configs"


def seed(world: DemoWorld, region: str) -> None:
    """Instances and tasks in moto; serverless replications from the stand-in (moto lacks them)."""
    for name, multi_az in (("orders-serverless-single-az", False), ("ledger-serverless", True)):
        world.records(CONFIGS, region).append(
            {
                "ReplicationConfigIdentifier": name,
                "ReplicationConfigArn": f"arn:aws:dms:{region}:{ACCOUNT_ID}:replication-config:{name}",
                "ReplicationType": "full-load-and-cdc",
                "ComputeConfig": {"MultiAZ": multi_az, "MaxCapacityUnits": 16},
            }
        )
    dms = world.client("dms", region)
    for name, multi_az in (("migration-single-az", False), ("migration-multi-az", True)):
        instance = dms.create_replication_instance(
            ReplicationInstanceIdentifier=name,
            ReplicationInstanceClass="dms.t3.medium",
            MultiAZ=multi_az,
            AvailabilityZone=f"{region}a",
        )["ReplicationInstance"]
        dms.create_replication_task(
            ReplicationTaskIdentifier=f"{name}-orders-task",
            SourceEndpointArn=f"arn:aws:dms:{region}:123456789012:endpoint:SOURCE",
            TargetEndpointArn=f"arn:aws:dms:{region}:123456789012:endpoint:TARGET",
            ReplicationInstanceArn=instance["ReplicationInstanceArn"],
            MigrationType="full-load-and-cdc",
            TableMappings="{}",
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    operation = "DescribeReplicationConfigs"
    return {"dms": {operation: listed(world, "dms", operation, store=CONFIGS)}}


SEEDER = Seeder(check="dms", seed=seed, standins=standins)

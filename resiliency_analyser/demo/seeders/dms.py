"""The demo account's `dms` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
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


SEEDER = Seeder(check="dms", seed=seed)

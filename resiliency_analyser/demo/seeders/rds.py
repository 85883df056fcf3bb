"""The demo account's `rds` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import PASSWORD, DemoWorld, Seeder, create_db_cluster


def seed(world: DemoWorld, region: str) -> None:
    rds = world.client("rds", region)
    instance = {
        "DBInstanceClass": "db.t3.micro",
        "MasterUsername": "admin",
        "MasterUserPassword": PASSWORD,
        "AllocatedStorage": 20,
    }
    rds.create_db_instance(
        DBInstanceIdentifier="orders-single-az",
        Engine="mysql",
        MultiAZ=False,
        AvailabilityZone=f"{region}a",
        **instance,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="billing-multi-az", Engine="postgres", MultiAZ=True, **instance
    )
    for name, zones in (("catalog-aurora", "ab"), ("reports-aurora-one-az", "a")):
        create_db_cluster(
            rds,
            name,
            "aurora-postgresql",
            zones,
            MasterUsername="admin",
            MasterUserPassword=PASSWORD,
        )


SEEDER = Seeder(check="rds", seed=seed)

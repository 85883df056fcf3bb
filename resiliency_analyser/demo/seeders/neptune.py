"""The demo account's `neptune` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import DemoWorld, Seeder, create_db_cluster


def seed(world: DemoWorld, region: str) -> None:
    neptune = world.client("neptune", region)
    for name, zones in (("graph-one-az", "a"), ("graph-multi-az", "ab")):
        create_db_cluster(neptune, name, "neptune", zones)


SEEDER = Seeder(check="neptune", seed=seed)

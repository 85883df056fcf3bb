"""The demo account's `memorydb` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import DemoWorld, Seeder, listed


def seed(world: DemoWorld, region: str) -> None:
    """MemoryDB is answered by the stand-in endpoint: moto places nodes in random AZs."""
    for name, layout in (("leaderboard-one-az", "aa"), ("carts-multi-az", "ab")):
        world.records("memorydb", region).append(
            {
                "Name": name,
                "ARN": f"arn:aws:memorydb:{region}:123456789012:cluster/{name}",
                "Status": "available",
                "Engine": "valkey",
                "NumberOfShards": 1,
                "Shards": [
                    {
                        "Name": "0001",
                        "Nodes": [
                            {"Name": f"{name}-0001-00{i}", "AvailabilityZone": f"{region}{z}"}
                            for i, z in enumerate(layout, start=1)
                        ],
                        "NumberOfNodes": len(layout),
                    }
                ],
            }
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "memorydb": {"DescribeClusters": listed(world, "memorydb", "DescribeClusters")},
    }


SEEDER = Seeder(check="memorydb", seed=seed, standins=standins)

"""Seeding the simulated account in many regions (the benchmark's)."""

from __future__ import annotations

from resiliency_analyser.demo.account import seed
from resiliency_analyser.demo.world import DemoWorld, Seeder


def test_a_region_where_moto_has_fewer_than_three_azs_is_listed_unseeded(aws_env: str) -> None:
    """moto gives us-west-1 two AZs: the seeders, which lay resources over three, are not run
    there, and the region is listed as unseeded."""
    seeded: list[str] = []
    probes = {
        key: Seeder(key, lambda world, region: seeded.append(region)) for key in ("elb", "eks")
    }
    world = DemoWorld(aws_env, ("us-west-1",))
    assert seed(world, probes, skip_unsupported=True) == [
        "every check in us-west-1 (fewer than 3 AZs)"
    ]
    assert seeded == []

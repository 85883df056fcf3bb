"""The demo account's `redshift` resources: a risky and a safe example."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import DemoWorld, Seeder, listed


def seed(world: DemoWorld, region: str) -> None:
    """Redshift is answered by the stand-in endpoint: moto does not report MultiAZ."""
    for name, multi_az in (("analytics-single-az", "Disabled"), ("bi-multi-az", "Enabled")):
        cluster: dict[str, Any] = {
            "ClusterIdentifier": name,
            "NodeType": "ra3.xlplus",
            "ClusterStatus": "available",
            "AvailabilityZone": f"{region}a",
            "MultiAZ": multi_az,
        }
        if multi_az == "Enabled":
            cluster["MultiAZSecondary"] = {"AvailabilityZone": f"{region}b"}
        world.records("redshift", region).append(cluster)


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "redshift": {"DescribeClusters": listed(world, "redshift", "DescribeClusters")},
    }


SEEDER = Seeder(check="redshift", seed=seed, standins=standins)

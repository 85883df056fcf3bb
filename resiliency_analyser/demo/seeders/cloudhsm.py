"""The demo account's `cloudhsm` resources: a risky and a safe example."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import DemoWorld, Seeder, listed


def hsm_cluster(cluster_id: str, region: str, zones: str) -> dict[str, Any]:
    """A CloudHSM DescribeClusters record with one active HSM per AZ letter in ``zones``."""
    return {
        "ClusterId": cluster_id,
        "HsmType": "hsm2m.medium",
        "State": "ACTIVE",
        "Hsms": [
            {
                "HsmId": f"hsm-{cluster_id[-6:]}{i}",
                "ClusterId": cluster_id,
                "AvailabilityZone": f"{region}{z}",
                "State": "ACTIVE",
            }
            for i, z in enumerate(zones)
        ],
    }


def seed(world: DemoWorld, region: str) -> None:
    """From the stand-in: moto's CloudHSM clusters never have HSMs."""
    for cluster_id, zones in (("cluster-keys1az", "a"), ("cluster-keys2az", "ab")):
        world.records("cloudhsmv2", region).append(hsm_cluster(cluster_id, region, zones))


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "cloudhsmv2": {"DescribeClusters": listed(world, "cloudhsmv2", "DescribeClusters")},
    }


SEEDER = Seeder(check="cloudhsm", seed=seed, standins=standins)

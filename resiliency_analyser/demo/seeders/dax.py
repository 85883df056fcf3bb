"""The demo account's `dax` resources: a risky and a safe example."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed


def dax_cluster(name: str, region: str, zones: str) -> dict[str, Any]:
    """A DescribeClusters record with one available node per AZ letter in ``zones``."""
    return {
        "ClusterName": name,
        "ClusterArn": f"arn:aws:dax:{region}:{ACCOUNT_ID}:cache/{name}",
        "TotalNodes": len(zones),
        "ActiveNodes": len(zones),
        "NodeType": "dax.r5.large",
        "Status": "available",
        "Nodes": [
            {"NodeId": f"{name}-{i}", "AvailabilityZone": f"{region}{z}", "NodeStatus": "available"}
            for i, z in enumerate(zones)
        ],
    }


def seed(world: DemoWorld, region: str) -> None:
    """From the stand-in: moto's DAX clusters never list their nodes."""
    for name, zones in (("sessions-dax-one-az", "aa"), ("catalog-dax-multi-az", "abc")):
        world.records("dax", region).append(dax_cluster(name, region, zones))


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "dax": {"DescribeClusters": listed(world, "dax", "DescribeClusters")},
    }


SEEDER = Seeder(check="dax", seed=seed, standins=standins)

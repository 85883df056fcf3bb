"""The demo account's `neptune` resources: a risky and a safe example of each rule."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler, paged
from resiliency_analyser.demo.world import (
    ACCOUNT_ID,
    PAGE_SIZE,
    DemoWorld,
    Seeder,
    create_db_cluster,
)

GRAPHS = "neptune-graph"


def seed(world: DemoWorld, region: str) -> None:
    """Clusters in moto; Neptune Analytics graphs from the stand-in (moto lacks them). The
    replicated graph's listing omits its replica count, so the check reads it with GetGraph."""
    neptune = world.client("neptune", region)
    for name, zones in (("graph-one-az", "a"), ("graph-multi-az", "ab")):
        create_db_cluster(neptune, name, "neptune", zones)
    for name, replicas in (("fraud-analytics-no-replica", 0), ("social-analytics", 1)):
        world.records(GRAPHS, region).append(
            {
                "id": f"g-{name[:10]}",
                "name": name,
                "arn": f"arn:aws:neptune-graph:{region}:{ACCOUNT_ID}:graph/g-{name[:10]}",
                "status": "AVAILABLE",
                "provisionedMemory": 16,
                "replicaCount": replicas,
            }
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    def listing(params: dict[str, Any], region: str) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in g.items() if k != "replicaCount" or not v}
            for g in world.records(GRAPHS, region)
        ]

    def get_graph(params: dict[str, Any], region: str) -> dict[str, Any]:
        [graph] = [g for g in world.records(GRAPHS, region) if g["id"] == params["graphIdentifier"]]
        return graph

    return {
        GRAPHS: {
            "ListGraphs": paged(GRAPHS, "ListGraphs", listing, PAGE_SIZE),
            "GetGraph": get_graph,
        },
    }


SEEDER = Seeder(check="neptune", seed=seed, standins=standins)

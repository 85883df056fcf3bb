"""The demo account's `opensearch` resources: a risky and a safe example of each rule."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed

COLLECTIONS = "opensearchserverless"


def seed(world: DemoWorld, region: str) -> None:
    """Domains in moto; serverless collections from the stand-in (moto does not page them)."""
    opensearch = world.client("opensearch", region)
    subnets = world.subnets(region)
    opensearch.create_domain(DomainName="logs-public-single", ClusterConfig={"InstanceCount": 1})
    for name, zones in (("search-vpc-three-az", 3), ("catalog-vpc-two-az", 2)):
        opensearch.create_domain(
            DomainName=name,
            ClusterConfig={
                "InstanceCount": 3 * zones,
                "ZoneAwarenessEnabled": True,
                "ZoneAwarenessConfig": {"AvailabilityZoneCount": zones},
            },
            VPCOptions={"SubnetIds": subnets[:zones]},
        )
    for name, standby in (("audit-no-standby", "DISABLED"), ("vectors-standby", "ENABLED")):
        collection_id = f"{name.replace('-', '')[:12]}{region.replace('-', '')}"
        world.records(COLLECTIONS, region).append(
            {
                "id": collection_id,
                "name": name,
                "arn": f"arn:aws:aoss:{region}:{ACCOUNT_ID}:collection/{collection_id}",
                "status": "ACTIVE",
                "type": "VECTORSEARCH",
                "standbyReplicas": standby,
            }
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    def batch_get(params: dict[str, Any], region: str) -> dict[str, Any]:
        found = [c for c in world.records(COLLECTIONS, region) if c["id"] in params["ids"]]
        return {"collectionDetails": found}

    return {
        COLLECTIONS: {
            "ListCollections": listed(world, COLLECTIONS, "ListCollections"),
            "BatchGetCollection": batch_get,
        },
    }


SEEDER = Seeder(check="opensearch", seed=seed, standins=standins)

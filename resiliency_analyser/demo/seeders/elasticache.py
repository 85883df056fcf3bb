"""The demo account's `elasticache` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed

SERVERLESS = "elasticache/serverless"


def seed(world: DemoWorld, region: str) -> None:
    """Clusters and groups in moto; serverless caches from the stand-in (moto lacks them)."""
    subnets = world.subnets(region)
    for name, cache_subnets in (
        ("tokens-serverless-one-az", subnets[:1]),
        ("feeds-serverless", subnets[:2]),
    ):
        world.records(SERVERLESS, region).append(
            {
                "ServerlessCacheName": name,
                "ARN": f"arn:aws:elasticache:{region}:{ACCOUNT_ID}:serverlesscache:{name}",
                "Engine": "valkey",
                "Status": "available",
                "SubnetIds": cache_subnets,
            }
        )
    cache = world.client("elasticache", region)
    cache.create_cache_cluster(
        CacheClusterId="page-cache-memcached",
        Engine="memcached",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=2,
        PreferredAvailabilityZone=f"{region}a",
    )
    cache.create_replication_group(
        ReplicationGroupId="sessions-valkey",
        ReplicationGroupDescription="sessions, one replica per shard in another AZ",
        Engine="valkey",
        CacheNodeType="cache.t3.micro",
        ClusterMode="enabled",
        NumNodeGroups=2,
        AutomaticFailoverEnabled=True,
        NodeGroupConfiguration=[
            {
                "NodeGroupId": f"000{i}",
                "ReplicaCount": 1,
                "PrimaryAvailabilityZone": f"{region}{primary}",
                "ReplicaAvailabilityZones": [f"{region}{replica}"],
            }
            for i, (primary, replica) in enumerate((("a", "b"), ("b", "a")), start=1)
        ],
    )
    # Cluster mode disabled, a replica in another AZ: failover promotes it only with Multi-AZ.
    for name, multi_az in (
        ("carts-redis-failover-without-multi-az", False),
        ("profiles-redis", True),
    ):
        cache.create_replication_group(
            ReplicationGroupId=name,
            ReplicationGroupDescription="one primary and a replica in another AZ",
            Engine="redis",
            CacheNodeType="cache.t3.micro",
            ReplicasPerNodeGroup=1,
            PreferredCacheClusterAZs=[f"{region}a", f"{region}b"],
            AutomaticFailoverEnabled=True,
            MultiAZEnabled=multi_az,
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    operation = "DescribeServerlessCaches"
    return {"elasticache": {operation: listed(world, "elasticache", operation, store=SERVERLESS)}}


SEEDER = Seeder(check="elasticache", seed=seed, standins=standins)

"""The demo account's `elasticache` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
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


SEEDER = Seeder(check="elasticache", seed=seed)

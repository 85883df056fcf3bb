"""The elasticache check through the real CLI against moto (which pages at 100 records).

moto quirks (5.2.x): DescribeCacheClusters never lists replication-group members and ignores
``ShowCacheClustersNotInReplicationGroups``; cluster-mode-disabled groups take their replicas
from ``ReplicasPerNodeGroup`` (not ``NumCacheClusters``) and report one node group per
``NumNodeGroups`` even with cluster mode disabled; node AZs default to us-east-1a/b whatever the
region, so tests name them. The rule's other branches are covered on API-shaped records.
"""

from __future__ import annotations

from typing import Any

from tests.support.cli import RunCli
from tests.support.moto import Boto

REGION = "eu-west-1"
A, B = f"{REGION}a", f"{REGION}b"


def shard(shard_id: str, primary: str, *replicas: str) -> dict[str, Any]:
    return {
        "NodeGroupId": shard_id,
        "ReplicaCount": len(replicas),
        "PrimaryAvailabilityZone": primary,
        "ReplicaAvailabilityZones": list(replicas),
    }


def seed(boto: Boto) -> dict[str, bool]:
    cache = boto("elasticache", REGION)
    cache.create_cache_cluster(
        CacheClusterId="memcached",
        Engine="memcached",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=2,
    )
    cache.create_cache_cluster(
        CacheClusterId="redis-single",
        Engine="redis",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=1,
        PreferredAvailabilityZone=A,
    )
    disabled = {"Engine": "redis", "ReplicasPerNodeGroup": 1, "PreferredCacheClusterAZs": [A, B]}
    groups: dict[str, dict[str, Any]] = {
        "cmd-ha": {**disabled, "AutomaticFailoverEnabled": True},
        "cmd-no-failover": {**disabled, "AutomaticFailoverEnabled": False},
        "valkey-cme-ha": {"NodeGroupConfiguration": [shard("0001", A, B), shard("0002", B, A)]},
        "valkey-cme-shard-one-az": {
            "NodeGroupConfiguration": [shard("0001", A, B), shard("0002", A, A)]
        },
    }
    for name, settings in groups.items():
        if "NodeGroupConfiguration" in settings:
            settings.update(
                Engine="valkey",
                ClusterMode="enabled",
                NumNodeGroups=2,
                AutomaticFailoverEnabled=True,
            )
        cache.create_replication_group(
            ReplicationGroupId=name,
            ReplicationGroupDescription="test",
            CacheNodeType="cache.t3.micro",
            **settings,
        )
    return {
        "memcached": True,
        "redis-single": True,
        "cmd-ha": False,
        "cmd-no-failover": True,
        "valkey-cme-ha": False,
        "valkey-cme-shard-one-az": True,
    }


def test_clusters_and_replication_groups(boto: Boto, run_cli: RunCli) -> None:
    expected = seed(boto)
    run = run_cli("scan", "-r", REGION, "-s", "elasticache")
    assert run.code == 0, run.stderr
    assert run.verdicts == expected
    engines = {f["resource_name"]: f["engine"] for f in run.findings}
    assert engines["valkey-cme-ha"] == "valkey"
    assert engines["memcached"] == "memcached"
    assert engines["cmd-ha"] == "redis"
    assert (
        "Shard 0002 has all 2 nodes in eu-west-1a"
        in run.finding("valkey-cme-shard-one-az")["message"]
    )
    assert "AZs: eu-west-1a, eu-west-1b" in run.finding("cmd-ha")["message"]
    assert "Automatic failover disabled" in run.finding("cmd-no-failover")["message"]
    assert run.pair_results == {("elasticache", REGION): "Success"}


def test_every_page_of_clusters_and_groups_is_read(boto: Boto, run_cli: RunCli) -> None:
    cache = boto("elasticache", REGION)
    for i in range(101):
        cache.create_cache_cluster(
            CacheClusterId=f"mc-{i:03d}",
            Engine="memcached",
            CacheNodeType="cache.t3.micro",
            NumCacheNodes=1,
        )
        cache.create_replication_group(
            ReplicationGroupId=f"rg-{i:03d}",
            ReplicationGroupDescription="bulk",
            Engine="redis",
            PreferredCacheClusterAZs=[A],
        )
    run = run_cli("scan", "-r", REGION, "-s", "elasticache")
    assert run.code == 0, run.stderr
    verdicts = run.verdicts
    assert len(verdicts) == 202
    assert all(verdicts.values())
    assert "The group has no replica" in run.finding("rg-100")["message"]

"""ElastiCache: the rule on cluster and replication group records, and collection via the CLI.

moto quirks (5.2.x): DescribeCacheClusters never lists replication-group members and ignores
``ShowCacheClustersNotInReplicationGroups``; cluster-mode-disabled groups take their replicas
from ``ReplicasPerNodeGroup`` (not ``NumCacheClusters``) and report one node group per
``NumNodeGroups`` even with cluster mode disabled; node AZs default to us-east-1a/b whatever the
region, so tests name them. The rule's other branches are covered on API-shaped records.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import elasticache
from resiliency_analyser.demo.standin import ServiceStandin, paged
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin

A, B, C = "us-east-1a", "us-east-1b", "us-east-1c"


def cluster(name: str, engine: str, nodes: int, **fields: Any) -> dict[str, Any]:
    return {
        "CacheClusterId": name,
        "ARN": f"arn:aws:elasticache:us-east-1:111122223333:cluster:{name}",
        "Engine": engine,
        "NumCacheNodes": nodes,
        **fields,
    }


def nodes(*zones: str) -> list[dict[str, Any]]:
    return [{"CacheNodeId": f"{i:04d}", "CustomerAvailabilityZone": z} for i, z in enumerate(zones)]


@pytest.mark.parametrize(
    ("record", "risk", "zones", "text"),
    [
        (
            cluster(
                "mc-spread",
                "memcached",
                3,
                PreferredAvailabilityZone="Multiple",
                CacheNodes=nodes(A, B, A),
            ),
            True,
            (A, B),
            "Memcached does not replicate: losing an AZ drops that AZ's share of the cache "
            "(nodes per AZ: us-east-1a 2, us-east-1b 1)",
        ),
        (
            cluster("mc-one", "memcached", 1, PreferredAvailabilityZone=A),
            True,
            (A,),
            "1 node(s), AZs: us-east-1a",
        ),
        (
            cluster("mc-unknown", "memcached", 2, PreferredAvailabilityZone="Multiple"),
            True,
            (),
            "AZs: none",
        ),
        (
            cluster("redis-one", "redis", 1, PreferredAvailabilityZone=A),
            True,
            (A,),
            "Single-node redis",
        ),
        (cluster("valkey-one", "valkey", 1, CacheNodes=nodes(B)), True, (B,), "Single-node valkey"),
        (
            cluster("redis-two", "redis", 2, CacheNodes=nodes(A, B)),
            False,
            (A, B),
            "Multi-node redis",
        ),
    ],
)
def test_standalone_clusters(
    record: dict[str, Any], risk: bool, zones: tuple[str, ...], text: str
) -> None:
    [result] = elasticache.assess([record], [])
    assert (result.risk, result.availability_zones, result.engine) == (
        risk,
        zones,
        record["Engine"],
    )
    assert text in result.message
    spread = record["CacheClusterId"] == "mc-spread"
    assert result.check_id == (
        "elasticache.memcached_spread" if spread else "elasticache.cluster_multi_az"
    )


SUBNET_ZONES = {"subnet-a": A, "subnet-a2": A, "subnet-b": B}


def serverless_cache(name: str, *subnets: str, status: str = "available") -> dict[str, Any]:
    return {
        "ServerlessCacheName": name,
        "ARN": f"arn:aws:elasticache:us-east-1:111122223333:serverlesscache:{name}",
        "Engine": "valkey",
        "Status": status,
        "SubnetIds": list(subnets),
    }


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (
            serverless_cache("one-az", "subnet-a", "subnet-a2"),
            True,
            "Serverless cache with subnets in 1 AZ(s): us-east-1a",
        ),
        (
            serverless_cache("two-az", "subnet-a", "subnet-b"),
            False,
            "Serverless cache with subnets in 2 AZ(s): us-east-1a, us-east-1b",
        ),
        (
            serverless_cache("gone-subnet", "subnet-a", "subnet-x"),
            True,
            "Serverless cache with subnets in 1 AZ(s): us-east-1a; "
            "subnets not found in the region: subnet-x",
        ),
    ],
    ids=["one-az", "two-az", "unknown-subnet"],
)
def test_serverless_caches(record: dict[str, Any], risk: bool, message: str) -> None:
    [result] = elasticache.assess_serverless([record], SUBNET_ZONES)
    assert (result.check_id, result.risk, result.message) == (
        "elasticache.serverless_multi_az",
        risk,
        message,
    )
    assert (result.resource_arn, result.engine) == (record["ARN"], "valkey")


@pytest.mark.parametrize("status", ["deleting", "create-failed"])
def test_serverless_caches_being_deleted_or_failed_give_no_finding(status: str) -> None:
    record = serverless_cache("x", "subnet-a", status=status)
    assert elasticache.assess_serverless([record], SUBNET_ZONES) == []


@pytest.mark.parametrize("status", ["deleting", "create-failed"])
def test_clusters_and_groups_being_deleted_or_failed_give_no_finding(status: str) -> None:
    going = cluster("going", "redis", 1, CacheClusterStatus=status)
    assert elasticache.assess([going], [{"ReplicationGroupId": "g", "Status": status}]) == []


def test_clusters_in_a_replication_group_are_judged_through_the_group() -> None:
    member = cluster("rg-001", "redis", 1, ReplicationGroupId="rg")
    assert elasticache.assess([member], []) == []


def member(zone: str | None) -> dict[str, Any]:
    return (
        {"CacheClusterId": "x", "PreferredAvailabilityZone": zone}
        if zone
        else {"CacheClusterId": "x"}
    )


def group(
    cluster_mode: bool | None,
    shards: list[list[str | None]],
    failover: str | None = "enabled",
    engine: str | None = "redis",
    multi_az: str | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "ReplicationGroupId": "sessions",
        "ARN": "arn:aws:elasticache:us-east-1:111122223333:replicationgroup:sessions",
        "NodeGroups": [
            {"NodeGroupId": f"{i + 1:04d}", "NodeGroupMembers": [member(z) for z in zones]}
            for i, zones in enumerate(shards)
        ],
    }
    for key, value in (
        ("ClusterEnabled", cluster_mode),
        ("AutomaticFailover", failover),
        ("Engine", engine),
        ("MultiAZ", multi_az),
    ):
        if value is not None:
            record[key] = value
    return record


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        # Cluster mode disabled: one primary plus replicas, judged as a whole.
        (
            group(False, [[A, B]]),
            False,
            "Every shard has a replica in another AZ (cluster mode disabled; 2 node(s), AZs: us-east-1a, us-east-1b)",
        ),
        (group(False, [[A]]), True, "The group has no replica"),
        (group(False, [[A, A, A]]), True, "The group has all 3 nodes in us-east-1a"),
        (group(False, [[A, B]], failover="disabled"), True, "Automatic failover disabled"),
        (group(False, [[A, B]], failover="enabling"), True, "Automatic failover enabling"),
        (group(False, [[A]], failover=None), True, "no replica; automatic failover disabled"),
        (group(False, [[A, None]]), True, "all 2 nodes in us-east-1a"),
        # Failover without Multi-AZ recreates a failed primary instead of promoting a replica.
        (group(False, [[A, B]], multi_az="enabled"), False, "Every shard has a replica"),
        (
            group(False, [[A, B]], multi_az="disabled"),
            True,
            "Multi-AZ disabled: a failed primary is recreated rather than a replica promoted",
        ),
        (
            group(False, [[A, B]], failover="disabled", multi_az="disabled"),
            True,
            "Automatic failover disabled (cluster",
        ),
        (
            group(False, [[A]], multi_az="disabled"),
            True,
            "The group has no replica; Multi-AZ disabled",
        ),
        # Cluster mode enabled groups are judged by failover and their shards.
        (group(True, [[A, B], [B, C]], multi_az="disabled"), False, "cluster mode enabled"),
        # Cluster mode read from ClusterEnabled: several node groups listed for a disabled group
        # (moto does this) are still one primary and its replicas.
        (group(False, [[A], [B]]), False, "cluster mode disabled"),
        (group(None, [[A], [B]]), False, "cluster mode disabled"),
        # Cluster mode enabled: every shard needs its own replica in another AZ.
        (group(True, [[A, B], [B, C]]), False, "cluster mode enabled, 2 shard(s)"),
        (group(True, [[A], [B]]), True, "Shard 0001 has no replica; shard 0002 has no replica"),
        (group(True, [[A, B], [C, C]]), True, "Shard 0002 has all 2 nodes in us-east-1c"),
        (group(True, [[A, B], [C]]), True, "Shard 0002 has no replica"),
        (group(True, [[A, B], [B, C]], failover="disabled"), True, "Automatic failover disabled"),
        (group(True, []), True, "The group has no replica (cluster mode enabled, 0 shard(s)"),
    ],
)
def test_replication_groups(record: dict[str, Any], risk: bool, text: str) -> None:
    [result] = elasticache.assess([], [record])
    assert result.risk is risk, result.message
    assert text in result.message
    assert result.check_id == "elasticache.replication_group_multi_az"
    assert result.resource_name == "sessions"


@pytest.mark.parametrize("engine", ["redis", "valkey"])
def test_replication_group_engine_is_the_actual_engine(engine: str) -> None:
    [result] = elasticache.assess([], [group(True, [[A, B]], engine=engine)])
    assert result.engine == engine


REGION = "eu-west-1"
EU_A, EU_B = f"{REGION}a", f"{REGION}b"


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
        PreferredAvailabilityZone=EU_A,
    )
    disabled = {
        "Engine": "redis",
        "ReplicasPerNodeGroup": 1,
        "PreferredCacheClusterAZs": [EU_A, EU_B],
    }
    groups: dict[str, dict[str, Any]] = {
        "cmd-ha": {**disabled, "AutomaticFailoverEnabled": True, "MultiAZEnabled": True},
        "cmd-failover-without-multi-az": {
            **disabled,
            "AutomaticFailoverEnabled": True,
            "MultiAZEnabled": False,
        },
        "cmd-no-failover": {**disabled, "AutomaticFailoverEnabled": False},
        "valkey-cme-ha": {
            "NodeGroupConfiguration": [shard("0001", EU_A, EU_B), shard("0002", EU_B, EU_A)]
        },
        "valkey-cme-shard-one-az": {
            "NodeGroupConfiguration": [shard("0001", EU_A, EU_B), shard("0002", EU_A, EU_A)]
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
        "cmd-failover-without-multi-az": True,
        "cmd-no-failover": True,
        "valkey-cme-ha": False,
        "valkey-cme-shard-one-az": True,
    }


def serve_serverless(
    standin: StartStandin, moto_url: str, caches: list[dict[str, Any]]
) -> ServiceStandin:
    """moto lacks DescribeServerlessCaches: a stand-in serves it, moto the rest of ElastiCache."""
    listing = paged("elasticache", "DescribeServerlessCaches", lambda p, r: caches, 2)
    return standin("elasticache", {"DescribeServerlessCaches": listing}, moto_url)


def test_clusters_and_replication_groups(
    boto: Boto, run_cli: RunCli, standin: StartStandin, aws_env: str
) -> None:
    serve_serverless(standin, aws_env, [])
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
    assert (
        "Multi-AZ disabled: a failed primary is recreated"
        in (run.finding("cmd-failover-without-multi-az")["message"])
    )
    assert run.pair_results == {("elasticache", REGION): "Success"}


def test_every_page_of_clusters_groups_and_serverless_caches_is_read(
    boto: Boto, run_cli: RunCli, standin: StartStandin, aws_env: str
) -> None:
    subnets = make_subnets(boto, REGION)  # AZs a, a, b
    caches = [
        serverless_cache(f"sc-{i}", *(subnets[:2] if i % 2 else subnets[1:])) for i in range(5)
    ]
    server = serve_serverless(standin, aws_env, caches)
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
            PreferredCacheClusterAZs=[EU_A],
        )
    run = run_cli("scan", "-r", REGION, "-s", "elasticache")
    assert run.code == 0, run.stderr
    verdicts = run.verdicts
    assert len(verdicts) == 207
    assert all(v for name, v in verdicts.items() if not name.startswith("sc-"))
    assert {name: v for name, v in verdicts.items() if name.startswith("sc-")} == {
        f"sc-{i}": bool(i % 2) for i in range(5)
    }
    tokens = [p.get("NextToken") for _, op, p in server.requests]
    assert tokens == [None, "2", "4"]
    assert "The group has no replica" in run.finding("rg-100")["message"]

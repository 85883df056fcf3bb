"""The memorydb check through the real CLI: moto, and a stand-in for AZs and paging.

moto (5.2.x) draws each node's AZ at random on every DescribeClusters call and turns
``NumReplicasPerShard=0`` into 1 (UpdateCluster can set 0), so against moto only a cluster
without replicas has a fixed verdict; AZ layouts and paging are served by the stand-in.
"""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.standins import serve_standin

REGION = "eu-west-1"


def test_cluster_without_replicas_on_moto(boto: Boto, run_cli: RunCli) -> None:
    memorydb = boto("memorydb", REGION)
    memorydb.create_cluster(
        ClusterName="sessions", NodeType="db.t4g.small", ACLName="open-access", NumShards=2
    )
    memorydb.update_cluster(ClusterName="sessions", ReplicaConfiguration={"ReplicaCount": 0})
    run = run_cli("scan", "-r", REGION, "-s", "memorydb")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"sessions": True}
    message = run.finding("sessions")["message"]
    assert "Shard 0001 has no replica; shard 0002 has no replica" in message
    assert "shard 0001: eu-west-1" in message


def cluster(name: str, *shards: list[str]) -> dict[str, Any]:
    return {
        "Name": name,
        "ARN": f"arn:aws:memorydb:{REGION}:123456789012:cluster/{name}",
        "Engine": "redis",
        "Shards": [
            {
                "Name": f"{i + 1:04d}",
                "Nodes": [
                    {"Name": f"{name}-{i}-{j}", "AvailabilityZone": z} for j, z in enumerate(zones)
                ],
            }
            for i, zones in enumerate(shards)
        ],
    }


def test_shard_layouts_over_several_pages(run_cli: RunCli) -> None:
    a, b = f"{REGION}a", f"{REGION}b"
    clusters = [
        cluster("ha", [a, b], [b, a]),
        cluster("shard-one-az", [a, b], [b, b]),
        cluster("no-replica", [a]),
        cluster("ha-too", [a, b, b]),
        cluster("one-az", [a, a]),
    ]
    handlers = {"DescribeClusters": paged("memorydb", "DescribeClusters", lambda p, r: clusters, 2)}
    with serve_standin("memorydb", handlers) as server:
        run = run_cli("scan", "-r", REGION, "-s", "memorydb")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        "ha": False,
        "shard-one-az": True,
        "no-replica": True,
        "ha-too": False,
        "one-az": True,
    }
    assert "Shard 0002 has all 2 nodes in eu-west-1b" in run.finding("shard-one-az")["message"]
    calls = [p for _, op, p in server.requests if op == "DescribeClusters"]
    assert [p.get("NextToken") for p in calls] == [None, "2", "4"]
    assert all(p["ShowShardDetails"] for p in calls)

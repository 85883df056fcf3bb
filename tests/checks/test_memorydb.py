"""MemoryDB: the rule on DescribeClusters (ShowShardDetails) records, and collection via the CLI.

moto (5.2.x) draws each node's AZ at random on every DescribeClusters call and turns
``NumReplicasPerShard=0`` into 1 (UpdateCluster can set 0), so against moto only a cluster
without replicas has a fixed verdict; AZ layouts and paging are served by the stand-in.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import memorydb
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.standins import serve_standin

A, B, C = "us-east-1a", "us-east-1b", "us-east-1c"


def cluster(
    *shards: list[str | None], name: str = "orders", region: str = "us-east-1"
) -> dict[str, Any]:
    """A cluster with one shard per list of node AZs (``None``: a node without its AZ)."""
    return {
        "Name": name,
        "ARN": f"arn:aws:memorydb:{region}:111122223333:cluster/{name}",
        "Engine": "valkey",
        "Shards": [
            {
                "Name": f"{i + 1:04d}",
                "Nodes": [
                    {"Name": f"{name}-{i}-{j}", **({"AvailabilityZone": z} if z else {})}
                    for j, z in enumerate(zones)
                ],
                "NumberOfNodes": len(zones),
            }
            for i, zones in enumerate(shards)
        ],
    }


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (
            cluster([A, B]),
            False,
            "Every shard has a replica in another AZ (shard 0001: us-east-1a, us-east-1b)",
        ),
        (cluster([A, B], [B, C, A]), False, "shard 0002: us-east-1a, us-east-1b, us-east-1c"),
        (cluster([A]), True, "Shard 0001 has no replica"),
        (cluster([A, B], [C]), True, "Shard 0002 has no replica"),
        (cluster([A, B], [C, C]), True, "Shard 0002 has all 2 nodes in us-east-1c"),
        (cluster([A, None]), True, "all 2 nodes in us-east-1a"),
        (cluster([B], [A, A]), True, "Shard 0001 has no replica; shard 0002 has all 2 nodes"),
        (cluster(), False, "no shards reported"),
    ],
)
def test_clusters(record: dict[str, Any], risk: bool, text: str) -> None:
    [result] = memorydb.assess([record])
    assert result.risk is risk
    assert text in result.message
    assert (result.engine, result.resource_name) == ("valkey", "orders")


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


def test_shard_layouts_over_several_pages(run_cli: RunCli) -> None:
    a, b = f"{REGION}a", f"{REGION}b"
    clusters = [
        cluster([a, b], [b, a], name="ha", region=REGION),
        cluster([a, b], [b, b], name="shard-one-az", region=REGION),
        cluster([a], name="no-replica", region=REGION),
        cluster([a, b, b], name="ha-too", region=REGION),
        cluster([a, a], name="one-az", region=REGION),
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

"""Neptune: the rule on DB cluster and instance records, and collection through the CLI.

Neptune's API is RDS's; moto pages it 100 at a time.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import neptune
from resiliency_analyser.demo.standin import ServiceStandin, paged
from resiliency_analyser.demo.world import create_db_cluster
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.standins import StartStandin


def cluster(engine: str, multi_az: bool | None, members: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "DBClusterIdentifier": "graph",
        "DBClusterArn": "arn:aws:rds:us-east-1:111122223333:cluster:graph",
        "Engine": engine,
        "AvailabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"],
        "DBClusterMembers": [{"DBInstanceIdentifier": m} for m in members],
    }
    if multi_az is not None:
        record["MultiAZ"] = multi_az
    return record


INSTANCES = [
    {"DBInstanceIdentifier": "w", "AvailabilityZone": "us-east-1a"},
    {"DBInstanceIdentifier": "r", "AvailabilityZone": "us-east-1b"},
]


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (cluster("neptune", False, ["w", "r"]), True, "Multi-AZ disabled (members in us-east-1a"),
        (cluster("neptune", True, ["w"]), True, "but all 1 member(s) are in us-east-1a"),
        (
            cluster("neptune", None, []),
            False,
            "no instances: no compute to fail over (configured AZs us-east-1a, us-east-1b, "
            "us-east-1c)",
        ),
        (cluster("neptune", True, ["w", "r"]), False, "members in us-east-1a, us-east-1b"),
        (cluster("aurora-mysql", False, []), None, ""),
        (cluster("docdb", False, []), None, ""),
    ],
)
def test_clusters(record: dict[str, Any], risk: bool | None, text: str) -> None:
    results = neptune.assess([record], INSTANCES)
    assert [r.risk for r in results] == ([] if risk is None else [risk])
    for result in results:
        assert text in result.message
        assert result.check_id == "neptune.cluster_multi_az"
        assert result.engine == "neptune"


REGION = "eu-west-1"


def graph(name: str, replicas: int | None, status: str = "AVAILABLE") -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"g-{name}",
        "name": name,
        "arn": f"arn:aws:neptune-graph:{REGION}:111122223333:graph/g-{name}",
        "status": status,
        "provisionedMemory": 16,
    }
    if replicas is not None:
        record["replicaCount"] = replicas
    return record


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (graph("lonely", 0), True, "Neptune Analytics graph with no replica: it runs in one AZ"),
        (graph("paired", 1), False, "Neptune Analytics graph with 1 replica(s) in other AZs"),
    ],
)
def test_neptune_analytics_graphs(record: dict[str, Any], risk: bool, message: str) -> None:
    [result] = neptune.assess_graphs([record])
    assert (result.check_id, result.risk, result.message) == (
        "neptune.graph_replicas",
        risk,
        message,
    )
    assert (result.resource_arn, result.resource_id, result.engine) == (
        record["arn"],
        record["id"],
        "neptune-graph",
    )


@pytest.mark.parametrize("status", ["DELETING", "FAILED"])
def test_neptune_graphs_being_deleted_or_failed_give_no_finding(status: str) -> None:
    assert neptune.assess_graphs([graph("gone", 0, status)]) == []


def serve_graphs(standin: StartStandin, graphs: list[dict[str, Any]]) -> ServiceStandin:
    """moto lacks Neptune Analytics; the listing drops ``replicaCount`` from odd graphs."""
    by_id = {g["id"]: g for g in graphs}
    return standin(
        "neptune-graph",
        {
            "ListGraphs": paged("neptune-graph", "ListGraphs", lambda p, r: graphs, 2),
            "GetGraph": lambda p, r: {**by_id[p["graphIdentifier"]], "replicaCount": 1},
        },
    )


def test_neptune_analytics_collection_reads_every_page_and_missing_replica_counts(
    run_cli: RunCli, standin: StartStandin
) -> None:
    graphs = [graph(f"graph-{i}", None if i % 2 else 0) for i in range(5)]
    graphs.append(graph("going", 0, "DELETING"))
    server = serve_graphs(standin, graphs)
    run = run_cli("scan", "-r", REGION, "-s", "neptune")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"graph-{i}": i % 2 == 0 for i in range(5)}
    listed = [p.get("nextToken") for _, op, p in server.requests if op == "ListGraphs"]
    assert listed == [None, "2", "4"]
    described = sorted(p["graphIdentifier"] for _, op, p in server.requests if op == "GetGraph")
    assert described == ["g-graph-1", "g-graph-3"]


def test_neptune_clusters_only(boto: Boto, run_cli: RunCli, standin: StartStandin) -> None:
    serve_graphs(standin, [])
    neptune = boto("neptune", REGION)
    for name, zones in (("graph-one-az", "a"), ("graph-ha", "ab"), ("graph-empty", "")):
        create_db_cluster(neptune, name, "neptune", zones)
    boto("rds", REGION).create_db_cluster(
        DBClusterIdentifier="aurora",
        Engine="aurora-mysql",
        MasterUsername="admin",
        MasterUserPassword="password1",
    )
    run = run_cli("scan", "-r", REGION, "-s", "neptune,rds")
    assert run.code == 0, run.stderr
    services = {f["resource_name"]: f["service"] for f in run.findings}
    assert services == {
        "graph-one-az": "neptune",
        "graph-ha": "neptune",
        "graph-empty": "neptune",
        "aurora": "rds",
    }
    assert run.verdicts == {
        "graph-one-az": True,
        "graph-ha": False,
        "graph-empty": False,
        "aurora": False,
    }
    assert "members in eu-west-1a, eu-west-1b" in run.finding("graph-ha")["message"]
    assert "all 1 member(s) are in eu-west-1a" in run.finding("graph-one-az")["message"]
    assert run.finding("graph-ha")["engine"] == "neptune"


def test_every_page_of_clusters_is_read(boto: Boto, run_cli: RunCli, standin: StartStandin) -> None:
    serve_graphs(standin, [])
    neptune = boto("neptune", REGION)
    for i in range(101):
        neptune.create_db_cluster(DBClusterIdentifier=f"graph-{i:03d}", Engine="neptune")
    run = run_cli("scan", "-r", REGION, "-s", "neptune")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"graph-{i:03d}": False for i in range(101)}
    assert "no instances" in run.finding("graph-100")["message"]

"""DocumentDB: the rule on DescribeDBClusters records, and collection through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import docdb
from resiliency_analyser.demo.standin import Handler, paged
from resiliency_analyser.demo.world import no_records
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.records import db_cluster
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin, serve_standin


@pytest.mark.parametrize(
    ("record", "risk"),
    [
        (db_cluster("d1", ["i1"], Engine="docdb"), True),
        (db_cluster("d2", ["i1"], Engine="docdb", MultiAZ=True), False),
        (db_cluster("headless", [], Engine="docdb"), False),
        (db_cluster("aurora", ["i1"], Engine="aurora-mysql"), None),
        (db_cluster("graph", ["i1"], Engine="neptune"), None),
    ],
)
def test_docdb_only_judges_docdb_clusters(record: dict[str, Any], risk: bool | None) -> None:
    results = docdb.assess([record], [])
    assert [r.risk for r in results] == ([] if risk is None else [risk])
    assert all(r.check_id == "docdb.cluster_multi_az" for r in results)


def docdb_cluster(name: str, multi_az: bool) -> dict[str, Any]:
    return db_cluster(
        name,
        [f"{name}-1", f"{name}-2"],
        Engine="docdb",
        MultiAZ=multi_az,
        AvailabilityZones=["us-east-1a", "us-east-1b"],
    )


def test_docdb_collection_follows_every_page(run_cli: RunCli) -> None:
    pages = {"": ([docdb_cluster("a", False)], "m1"), "m1": ([docdb_cluster("b", True)], None)}

    def clusters(params: dict[str, Any], region: str) -> dict[str, Any]:
        assert params["Filters.Filter.1.Values.Value.1"] == "docdb"
        records, marker = pages[params.get("Marker", "")]
        return {"DBClusters": records, **({"Marker": marker} if marker else {})}

    def instances(params: dict[str, Any], region: str) -> dict[str, Any]:
        return {
            "DBInstances": [
                {
                    "DBInstanceIdentifier": "a-1",
                    "AvailabilityZone": "us-east-1a",
                    "Engine": "docdb",
                },
                {
                    "DBInstanceIdentifier": "a-2",
                    "AvailabilityZone": "us-east-1a",
                    "Engine": "docdb",
                },
                {
                    "DBInstanceIdentifier": "b-1",
                    "AvailabilityZone": "us-east-1b",
                    "Engine": "docdb",
                },
                {
                    "DBInstanceIdentifier": "b-2",
                    "AvailabilityZone": "us-east-1c",
                    "Engine": "docdb",
                },
            ]
        }

    handlers = {"DescribeDBClusters": clusters, "DescribeDBInstances": instances}
    with serve_standin("docdb", handlers), serve_standin(ELASTIC, no_elastic_clusters()):
        run = run_cli("scan", "-r", "us-east-1", "-s", "docdb")
    assert run.code == 0, run.stderr
    got = {f["resource_name"]: (f["potential_single_az_risk"], f["message"]) for f in run.findings}
    assert got == {
        "a": (
            "True",
            "DocumentDB cluster has Multi-AZ disabled and all 2 member(s) are in us-east-1a",
        ),
        "b": (
            "False",
            "DocumentDB cluster has Multi-AZ enabled (members in us-east-1b, us-east-1c)",
        ),
    }


ELASTIC = "docdb-elastic"
ZONES = {"subnet-a": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b": "us-east-1b"}


def elastic(name: str, per_shard: int, *subnets: str, status: str = "ACTIVE") -> dict[str, Any]:
    return {
        "clusterArn": f"arn:aws:docdb-elastic:us-east-1:111122223333:cluster/{name}-id",
        "clusterName": name,
        "status": status,
        "shardCount": 2,
        "shardInstanceCount": per_shard,
        "subnetIds": list(subnets),
    }


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (
            elastic("no-replica", 1, "subnet-a", "subnet-b"),
            True,
            "Single-AZ elastic cluster: 1 instance per shard (no replica) (2 shard(s) of 1 "
            "instance(s), subnet AZs: us-east-1a, us-east-1b)",
        ),
        (
            elastic("one-az", 2, "subnet-a", "subnet-a2"),
            True,
            "Single-AZ elastic cluster: subnets in 1 AZ(s) (2 shard(s) of 2 instance(s), "
            "subnet AZs: us-east-1a)",
        ),
        (
            elastic("spread", 3, "subnet-a", "subnet-b"),
            False,
            "Elastic cluster (2 shard(s) of 3 instance(s), subnet AZs: us-east-1a, us-east-1b)",
        ),
    ],
    ids=["no-replica", "one-az", "spread"],
)
def test_docdb_elastic_clusters(record: dict[str, Any], risk: bool, message: str) -> None:
    [result] = docdb.assess_elastic([record], ZONES)
    assert (result.check_id, result.risk, result.message) == (
        "docdb.elastic_cluster_multi_az",
        risk,
        message,
    )
    assert (result.resource_arn, result.engine) == (record["clusterArn"], "docdb-elastic")


def test_docdb_elastic_clusters_being_deleted_give_no_finding() -> None:
    assert docdb.assess_elastic([elastic("x", 1, "subnet-a", status="DELETING")], ZONES) == []


def no_elastic_clusters() -> dict[str, Handler]:
    return {"ListClusters": paged(ELASTIC, "ListClusters", lambda p, r: [], 2)}


def test_docdb_elastic_collection_reads_every_page_and_each_cluster(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    subnets = make_subnets(boto, "us-east-1")  # AZs a, a, b
    clusters = [
        elastic(f"e{i}", 1 + i % 2, subnets[0], subnets[2 if i % 2 else 1]) for i in range(5)
    ]
    clusters.append(elastic("going", 1, subnets[0], status="DELETING"))
    by_arn = {c["clusterArn"]: c for c in clusters}
    summaries = [{k: c[k] for k in ("clusterArn", "clusterName", "status")} for c in clusters]
    server = standin(
        ELASTIC,
        {
            "ListClusters": paged(ELASTIC, "ListClusters", lambda p, r: summaries, 2),
            "GetCluster": lambda p, r: {"cluster": by_arn[p["clusterArn"]]},
        },
    )
    standin("docdb", {"DescribeDBClusters": no_records("DBClusters")})
    run = run_cli("scan", "-r", "us-east-1", "-s", "docdb")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"e{i}": i % 2 == 0 for i in range(5)}
    listed = [p.get("nextToken") for _, op, p in server.requests if op == "ListClusters"]
    assert listed == [None, "2", "4"]
    described = sorted(p["clusterArn"] for _, op, p in server.requests if op == "GetCluster")
    assert described == sorted(c["clusterArn"] for c in clusters[:5])

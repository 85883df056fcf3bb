"""DocumentDB: the rule on DescribeDBClusters records, and collection through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import docdb
from tests.support.cli import RunCli
from tests.support.records import db_cluster
from tests.support.standins import serve_standin


@pytest.mark.parametrize(
    ("record", "risk"),
    [
        (db_cluster("d1", [], Engine="docdb"), True),
        (db_cluster("d2", [], Engine="docdb", MultiAZ=True), False),
        (db_cluster("aurora", [], Engine="aurora-mysql"), None),
        (db_cluster("graph", [], Engine="neptune"), None),
    ],
)
def test_docdb_only_judges_docdb_clusters(record: dict[str, Any], risk: bool | None) -> None:
    results = docdb.assess([record], [])
    assert [r.risk for r in results] == ([] if risk is None else [risk])
    assert all(r.check_id == "docdb.cluster_multi_az" for r in results)


def docdb_cluster(name: str, multi_az: bool) -> dict[str, Any]:
    return db_cluster(
        name,
        [f"{name}-1"],
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
                    "DBInstanceIdentifier": "b-1",
                    "AvailabilityZone": "us-east-1b",
                    "Engine": "docdb",
                },
            ]
        }

    handlers = {"DescribeDBClusters": clusters, "DescribeDBInstances": instances}
    with serve_standin("docdb", handlers):
        run = run_cli("scan", "-r", "us-east-1", "-s", "docdb")
    assert run.code == 0, run.stderr
    got = {f["resource_name"]: (f["potential_single_az_risk"], f["message"]) for f in run.findings}
    assert got == {
        "a": ("True", "DocumentDB cluster has Multi-AZ disabled (members in us-east-1a)"),
        "b": ("False", "DocumentDB cluster has Multi-AZ enabled (members in us-east-1b)"),
    }

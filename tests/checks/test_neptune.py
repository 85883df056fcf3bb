"""Neptune: the rule on DB cluster and instance records, and collection through the CLI.

Neptune's API is RDS's; moto pages it 100 at a time.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import neptune
from resiliency_analyser.demo.world import create_db_cluster
from tests.support.cli import RunCli
from tests.support.moto import Boto


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
        (cluster("neptune", False, ["w"]), True, "Multi-AZ disabled (members in us-east-1a)"),
        (cluster("neptune", None, []), True, "configured AZs us-east-1a, us-east-1b, us-east-1c"),
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


def test_neptune_clusters_only(boto: Boto, run_cli: RunCli) -> None:
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
        "graph-empty": True,
        "aurora": True,
    }
    assert "members in eu-west-1a, eu-west-1b" in run.finding("graph-ha")["message"]
    assert "Multi-AZ disabled (members in eu-west-1a)" in run.finding("graph-one-az")["message"]
    assert run.finding("graph-ha")["engine"] == "neptune"


def test_every_page_of_clusters_is_read(boto: Boto, run_cli: RunCli) -> None:
    neptune = boto("neptune", REGION)
    for i in range(101):
        neptune.create_db_cluster(DBClusterIdentifier=f"graph-{i:03d}", Engine="neptune")
    run = run_cli("scan", "-r", REGION, "-s", "neptune")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"graph-{i:03d}": True for i in range(101)}

"""The neptune check through the real CLI against moto (Neptune's API is RDS's; 100 per page)."""

from __future__ import annotations

from resiliency_analyser.demo.world import create_db_cluster
from tests.support.cli import RunCli
from tests.support.moto import Boto

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

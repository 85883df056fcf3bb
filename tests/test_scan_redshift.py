"""The redshift check through the real CLI: moto, and a stand-in for MultiAZ and paging.

moto (5.2.x) omits ``MultiAZ`` from DescribeClusters, so every moto cluster is judged not
Multi-AZ (absent counts as not enabled); the stand-in serves the field.
"""

from __future__ import annotations

from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.standins import serve_standin

REGION = "eu-west-1"


def test_cluster_without_multi_az_on_moto(boto: Boto, run_cli: RunCli) -> None:
    boto("redshift", REGION).create_cluster(
        ClusterIdentifier="warehouse",
        NodeType="ra3.xlplus",
        MasterUsername="admin",
        MasterUserPassword="Password1",
        ClusterType="single-node",
        AvailabilityZone=f"{REGION}b",
    )
    run = run_cli("scan", "-r", REGION, "-s", "redshift")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"warehouse": True}
    finding = run.finding("warehouse")
    assert finding["resource_arn"] == f"arn:aws:redshift:{REGION}:{ACCOUNT_ID}:cluster:warehouse"
    assert "Multi-AZ not reported (AZs: eu-west-1b)" in finding["message"]


def test_multi_az_over_several_pages(run_cli: RunCli) -> None:
    clusters = [
        {
            "ClusterIdentifier": f"dw-{i}",
            "AvailabilityZone": f"{REGION}a",
            "MultiAZ": ["Enabled", "Disabled"][i % 2],
            "MultiAZSecondary": {"AvailabilityZone": f"{REGION}c"} if i % 2 == 0 else {},
        }
        for i in range(5)
    ]
    handlers = {"DescribeClusters": paged("redshift", "DescribeClusters", lambda p, r: clusters, 2)}
    with serve_standin("redshift", handlers) as server:
        run = run_cli("scan", "-r", REGION, "-s", "redshift")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"dw-{i}": i % 2 == 1 for i in range(5)}
    assert "Multi-AZ Enabled (AZs: eu-west-1a, eu-west-1c)" in run.finding("dw-4")["message"]
    assert [p.get("Marker") for _, _, p in server.requests] == [None, "2", "4"]

"""A failing service, region or Organizations call is reported and the scan goes on."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import ServiceStandin
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.standins import deny, serve_standin


def test_a_denied_service_is_a_failure_row_and_exit_1(
    boto: Boto, run_cli: RunCli, denied_rds: ServiceStandin
) -> None:
    boto("opensearch", "eu-west-1").create_domain(
        DomainName="kept", ClusterConfig={"InstanceCount": 1}
    )
    run = run_cli("scan", "-r", "us-east-1,eu-west-1", "-s", "rds,opensearch")
    assert run.code == 1
    rows = {(r["service"], r["region"]): r for r in run.report}
    for region in ("us-east-1", "eu-west-1"):
        assert rows["rds", region]["result"] == "AccessDenied"
        assert rows["rds", region]["error_message"].startswith("AccessDenied: User is not")
        assert rows["opensearch", region]["result"] == "Success"
    assert [f["resource_name"] for f in run.findings] == ["kept"]
    assert "rds in us-east-1: AccessDenied: AccessDenied" in run.stderr.replace("\n", " ")


def test_denied_organizations_leaves_names_blank_and_scans_on(boto: Boto, run_cli: RunCli) -> None:
    boto("opensearch").create_domain(DomainName="dom", ClusterConfig={"InstanceCount": 1})
    handlers = {"DescribeOrganization": deny}
    with serve_standin("organizations", handlers):
        run = run_cli("scan", "-r", "us-east-1", "-s", "opensearch")
    assert run.code == 0
    assert "Organizations is not readable (AccessDenied)" in run.stderr
    [finding] = run.findings
    assert (finding["account_name"], finding["payer_account_id"]) == ("", "")


def test_member_account_keeps_payer_id_when_describe_account_is_denied(
    run_cli: RunCli, boto: Boto
) -> None:
    boto("opensearch").create_domain(DomainName="dom", ClusterConfig={"InstanceCount": 1})

    def organization(params: dict[str, Any], region: str) -> dict[str, Any]:
        return {"Organization": {"Id": "o-abc", "MasterAccountId": "999988887777"}}

    handlers = {"DescribeOrganization": organization, "DescribeAccount": deny}
    with serve_standin("organizations", handlers) as standin:
        run = run_cli("scan", "-r", "us-east-1", "-s", "opensearch")
        assert sorted(op for _, op, _ in standin.requests) == [
            "DescribeAccount",
            "DescribeAccount",
            "DescribeOrganization",
        ]
    [finding] = run.findings
    assert (finding["account_name"], finding["payer_account_id"]) == ("", "999988887777")


def docdb_cluster(name: str, multi_az: bool) -> dict[str, Any]:
    return {
        "DBClusterIdentifier": name,
        "DBClusterArn": f"arn:aws:rds:us-east-1:123456789012:cluster:{name}",
        "Engine": "docdb",
        "MultiAZ": multi_az,
        "AvailabilityZones": ["us-east-1a", "us-east-1b"],
        "DBClusterMembers": [{"DBInstanceIdentifier": f"{name}-1"}],
    }


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

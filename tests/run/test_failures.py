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

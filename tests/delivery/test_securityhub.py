"""Findings reach Security Hub once per risk, in their own account and region, and stay current.

moto serves BatchImportFindings and GetFindings (it ignores GetFindings' filters and the
100-per-call limit, and needs no enabling); a stand-in speaking Security Hub's REST-JSON protocol
covers the limits, per-finding failures, throttling, "not enabled" and the archiving query.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aioboto3
import pytest

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.ratelimit import TokenBucket
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks.registry import guidance_for
from resiliency_analyser.delivery.asff import FINDING_TYPE, asff_finding, product_arn
from resiliency_analyser.delivery.securityhub import (
    MAX_FINDINGS,
    ImportStats,
    SecurityHubImporter,
)
from resiliency_analyser.delivery.tally import RetryPolicy
from resiliency_analyser.demo.standin import ServiceStandin, StandinError
from resiliency_analyser.gate.identity import finding_id
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.model.findings import Finding
from resiliency_analyser.model.report import Outcome, PairResult
from resiliency_analyser.permissions import security_hub_statements
from tests.support.ci_world import REGIONS, RISKS, SCAN, seed
from tests.support.cli import CliRun, RunCli
from tests.support.findings import rds_risk
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import seed_rds_instances
from tests.support.standins import StartStandin

REGION = "us-east-1"
PRODUCT = product_arn("aws", REGION, ACCOUNT_ID)
FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)
AT = datetime(2024, 5, 1, tzinfo=UTC)


def hub_findings(boto: Boto, region: str = REGION) -> list[dict[str, Any]]:
    hub = boto("securityhub", region)
    found: list[dict[str, Any]] = []
    for page in hub.get_paginator("get_findings").paginate():
        found.extend(page["Findings"])
    return found


def hub_rows(run: CliRun) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["account_id"], r["region"]): r for r in run.report if r["service"] == "securityhub"}


def test_every_risk_arrives_once_with_its_fields(boto: Boto, run_cli: RunCli) -> None:
    seed_rds_instances(boto, 6, multi_az_every=3)
    run = run_cli("scan", "-r", REGION, "-s", "rds", "--security-hub")
    assert run.code == 0, run.stderr
    found = hub_findings(boto)
    risks = {f["resource_arn"]: f for f in run.findings if f["potential_single_az_risk"] == "True"}
    assert sorted(f["Resources"][0]["Id"] for f in found) == sorted(risks)
    assert len({f["Id"] for f in found}) == len(found) == 4
    remediation = guidance_for("rds.instance_multi_az", risk=True).remediation
    for finding in found:
        row = risks[finding["Resources"][0]["Id"]]
        assert finding["ProductArn"] == PRODUCT
        assert (finding["AwsAccountId"], finding["Region"]) == (ACCOUNT_ID, REGION)
        assert finding["GeneratorId"] == "rds.instance_multi_az"
        assert finding["Types"] == [FINDING_TYPE]
        assert finding["Types"][0].startswith("Software and Configuration Checks/")
        assert finding["Severity"]["Label"] == "HIGH"
        assert finding["FindingProviderFields"]["Severity"]["Label"] == "HIGH"
        assert finding["Compliance"]["Status"] == "FAILED"
        assert finding["Description"] == row["message"]
        assert finding["Title"] == f"Amazon RDS {row['resource_name']}: single-AZ risk"
        assert finding["Remediation"]["Recommendation"]["Text"] == remediation
        assert finding["RecordState"] == "ACTIVE"
        assert "Workflow" not in finding or finding["Workflow"]["Status"] == "NEW"
        [resource] = finding["Resources"]
        assert resource["Type"] == "AwsRdsDbInstance"
        assert (resource["Region"], resource["Partition"]) == (REGION, "aws")
        assert resource["Details"]["Other"]["ResourceName"] == row["resource_name"]
        assert finding["ProductFields"]["ProviderName"] == "resiliency-analyser"
        assert finding["ProductFields"]["ProviderVersion"]
    row = hub_rows(run)[(ACCOUNT_ID, REGION)]
    assert row["result"] == "Success"
    assert row["error_message"] == ("imported=4 updated=0 archived=0 failed=0 trimmed=0 retried=0")
    assert run.report[-1]["service"] == "Overall", "the Overall row stays last"
    assert "imported=4 updated=0" in run.stderr


def test_a_second_run_updates_the_same_findings(boto: Boto, run_cli: RunCli) -> None:
    seed_rds_instances(boto, 5, multi_az_every=2)
    first = run_cli("scan", "-r", REGION, "-s", "rds", "--security-hub")
    assert first.code == 0, first.stderr
    before = {f["Id"]: f for f in hub_findings(boto)}
    second = run_cli("scan", "-r", REGION, "-s", "rds", "--security-hub")
    assert second.code == 0, second.stderr
    after = {f["Id"]: f for f in hub_findings(boto)}
    assert after.keys() == before.keys()
    assert len(after) == 2
    for key, finding in after.items():
        assert finding["CreatedAt"] == before[key]["CreatedAt"], "creation time is kept"
        assert finding["UpdatedAt"] >= before[key]["UpdatedAt"]
    assert hub_rows(second)[(ACCOUNT_ID, REGION)]["error_message"].startswith(
        "imported=0 updated=2 archived=0 failed=0"
    )


def test_passed_findings_only_with_security_hub_all_and_archived_when_dropped(
    boto: Boto, run_cli: RunCli
) -> None:
    seed_rds_instances(boto, 3, multi_az_every=3)
    run = run_cli("scan", "-r", REGION, "-s", "rds", "--security-hub-all")
    assert run.code == 0, run.stderr
    found = {f["Resources"][0]["Details"]["Other"]["ResourceName"]: f for f in hub_findings(boto)}
    assert sorted(found) == ["db-0000", "db-0001", "db-0002"]
    passed = found["db-0000"]
    assert (passed["Severity"]["Label"], passed["Compliance"]["Status"]) == (
        "INFORMATIONAL",
        "PASSED",
    )
    assert "Remediation" not in passed
    assert passed["Resources"][0]["Type"] == "AwsRdsDbInstance", "a pass keeps its check's type"
    assert found["db-0001"]["Compliance"]["Status"] == "FAILED"

    risks_only = run_cli("scan", "-r", REGION, "-s", "rds", "--security-hub")
    assert risks_only.code == 0, risks_only.stderr
    states = {
        f["Resources"][0]["Details"]["Other"]["ResourceName"]: f["RecordState"]
        for f in hub_findings(boto)
    }
    assert states == {"db-0000": "ARCHIVED", "db-0001": "ACTIVE", "db-0002": "ACTIVE"}
    assert hub_rows(risks_only)[(ACCOUNT_ID, REGION)]["error_message"].startswith(
        "imported=0 updated=2 archived=1 failed=0"
    )


def test_accepted_risks_are_imported_suppressed_with_their_reason(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    seed_rds_instances(boto, 2)
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(
        "suppressions:\n  - resource: db-0001\n    reason: rebuilt nightly\n    ticket: OPS-9\n"
    )
    run = run_cli(
        "scan", "-r", REGION, "-s", "rds", "--security-hub", "--suppressions", str(accepted)
    )
    assert run.code == 0, run.stderr
    found = {f["Resources"][0]["Details"]["Other"]["ResourceName"]: f for f in hub_findings(boto)}
    assert found["db-0001"]["Workflow"]["Status"] == "SUPPRESSED"
    fields = found["db-0001"]["ProductFields"]
    assert fields["resiliency-analyser/SuppressionReason"] == "rebuilt nightly"
    assert fields["resiliency-analyser/SuppressionTicket"] == "OPS-9"
    assert "resiliency-analyser/SuppressionReason" not in found["db-0000"]["ProductFields"]


def test_a_multi_region_run_imports_each_finding_in_its_own_region(
    boto: Boto, run_cli: RunCli
) -> None:
    seed(boto)
    run = run_cli(*SCAN, "--security-hub")
    assert run.code == 0, run.stderr
    by_region = {
        region: {
            f["Resources"][0]["Details"]["Other"]["ResourceName"]
            for f in hub_findings(boto, region)
        }
        for region in REGIONS.split(",")
    }
    assert by_region == {
        "us-east-1": {"dev-db", "orders-db"},
        "eu-west-1": {"eu-single", "logs-one"},
    }
    assert set().union(*by_region.values()) == RISKS
    for region in REGIONS.split(","):
        assert all(
            f["ProductArn"] == product_arn("aws", region, ACCOUNT_ID)
            for f in hub_findings(boto, region)
        )
    rows = hub_rows(run)
    assert set(rows) == {(ACCOUNT_ID, "us-east-1"), (ACCOUNT_ID, "eu-west-1")}
    assert rows[(ACCOUNT_ID, "eu-west-1")]["error_message"].startswith("imported=2 updated=0")


# --- the stand-in: what moto does not check ---


def pair(
    service: str = "rds", region: str = REGION, outcome: Outcome = Outcome.SUCCESS
) -> PairResult:
    return PairResult(
        account_id=ACCOUNT_ID,
        service=service,
        region=region,
        outcome=outcome,
        started=AT,
        ended=AT,
    )


class SecurityHubRecorder:
    """BatchImportFindings and GetFindings as Security Hub answers them, limits enforced."""

    def __init__(
        self,
        fail: Callable[[str, int], str] = lambda key, attempt: "",
        existing: Sequence[dict[str, Any]] = (),
        page_size: int = 100,
    ) -> None:
        self.fail = fail
        self.existing = list(existing)
        self.page_size = page_size
        self.accepted: dict[str, dict[str, Any]] = {}
        self.calls: list[int] = []
        self.queries: list[dict[str, Any]] = []
        self.attempts: dict[str, int] = {}
        self.refuse_calls = 0
        self.not_enabled: set[str] = set()

    def check_enabled(self, region: str) -> None:
        if region in self.not_enabled:
            raise StandinError(
                "InvalidAccessException",
                f"Account {ACCOUNT_ID} is not subscribed to AWS Security Hub",
                401,
            )

    def batch_import(self, params: dict[str, Any], region: str) -> dict[str, Any]:
        self.check_enabled(region)
        findings = params["Findings"]
        if len(findings) > MAX_FINDINGS:
            raise StandinError("InvalidInputException", f"{len(findings)} findings in one call")
        if self.refuse_calls:
            self.refuse_calls -= 1
            raise StandinError("LimitExceededException", "Rate exceeded", 429)
        self.calls.append(len(findings))
        failed = []
        for finding in findings:
            assert (finding["AwsAccountId"], finding["Region"]) == (ACCOUNT_ID, region)
            key = finding["Id"]
            attempt = self.attempts[key] = self.attempts.get(key, 0) + 1
            if code := self.fail(key, attempt):
                failed.append({"Id": key, "ErrorCode": code, "ErrorMessage": f"{code} for {key}"})
            else:
                self.accepted[key] = finding
        return {
            "FailedCount": len(failed),
            "SuccessCount": len(findings) - len(failed),
            "FailedFindings": failed,
        }

    def get_findings(self, params: dict[str, Any], region: str) -> dict[str, Any]:
        self.check_enabled(region)
        self.queries.append(params)
        start = int(params.get("NextToken") or 0)
        end = start + min(self.page_size, params.get("MaxResults", 100))
        output: dict[str, Any] = {"Findings": self.existing[start:end]}
        if end < len(self.existing):
            output["NextToken"] = str(end)
        return output


@pytest.fixture
def hub(standin: StartStandin) -> Callable[..., tuple[SecurityHubRecorder, ServiceStandin]]:
    def serve(**options: Any) -> tuple[SecurityHubRecorder, ServiceStandin]:
        recorder = SecurityHubRecorder(**options)
        server = standin(
            "securityhub",
            {"BatchImportFindings": recorder.batch_import, "GetFindings": recorder.get_findings},
        )
        return recorder, server

    return serve


def import_records(
    findings: Sequence[Finding],
    covered: Sequence[PairResult] = (),
    *,
    accounts: Sequence[str] = (ACCOUNT_ID,),
    settings: ClientSettings | None = None,
) -> list[ImportStats]:
    async def run() -> list[ImportStats]:
        async with AwsClients(aioboto3.Session(), settings or ClientSettings()) as clients:
            importer = SecurityHubImporter(
                dict.fromkeys(accounts, clients), "aws", include_passed=False, retry=FAST_RETRY
            )
            return await importer.run(
                [FindingRecord(f) for f in findings],
                covered or [pair()],
            )

    return asyncio.run(run())


def test_calls_hold_at_most_100_findings(hub: Any) -> None:
    recorder, _ = hub()
    findings = [rds_risk(i) for i in range(250)]
    [stats] = import_records(findings)
    assert sorted(recorder.calls) == [50, 100, 100], "calls go out side by side"
    assert sorted(recorder.accepted) == sorted(finding_id(f) for f in findings)
    assert (stats.done["imported"], stats.failed, stats.outcome) == (250, 0, Outcome.SUCCESS)


def test_retryable_finding_failures_are_retried_and_the_rest_counted(hub: Any) -> None:
    findings = [rds_risk(i) for i in range(12)]
    ids = [finding_id(f) for f in findings]

    def fail(key: str, attempt: int) -> str:
        if key == ids[3] and attempt <= 2:
            return "InternalException"
        if key == ids[5] and attempt == 1:
            return "LimitExceededException"
        return "InvalidInputException" if key == ids[9] else ""

    recorder, _ = hub(fail=fail)
    [stats] = import_records(findings)
    assert set(recorder.accepted) == set(ids) - {ids[9]}
    assert recorder.attempts[ids[3]] == 3
    assert recorder.attempts[ids[9]] == 1, "a failure that is not retryable is not retried"
    assert (stats.done["imported"], stats.failed, stats.retried) == (11, 1, 3)
    assert stats.outcome is Outcome.ERROR
    row = dict(
        zip(
            ("account", "region", "service", "result", "message"),
            stats.report_row(ACCOUNT_ID).csv_row()[:5],
            strict=True,
        )
    )
    assert row["service"] == "securityhub"
    assert row["message"].startswith("imported=11 updated=0 archived=0 failed=1 ")
    assert "InvalidInputException x1" in row["message"]


def test_failures_that_outlast_the_retries_are_counted_failed(hub: Any) -> None:
    recorder, _ = hub(fail=lambda key, attempt: "InternalException")
    [stats] = import_records([rds_risk(0), rds_risk(1)])
    assert not recorder.accepted
    assert max(recorder.attempts.values()) == FAST_RETRY.attempts
    assert (stats.failed, stats.errors) == (2, {"InternalException": 2})


def test_throttled_calls_are_retried_until_accepted(hub: Any) -> None:
    recorder, server = hub()
    recorder.refuse_calls = 2
    [stats] = import_records([rds_risk(i) for i in range(3)])
    assert (stats.done["imported"], stats.failed) == (3, 0)
    imports = [op for _, op, _ in server.requests if op == "BatchImportFindings"]
    assert len(imports) == 3, "two throttled attempts, then the accepted one"


def test_throttling_that_outlasts_the_sdk_is_reported_throttled(hub: Any) -> None:
    recorder, _ = hub()
    recorder.refuse_calls = 100
    [stats] = import_records(
        [rds_risk(i) for i in range(150)], settings=ClientSettings(max_attempts=2)
    )
    assert (stats.failed, stats.outcome) == (150, Outcome.THROTTLED)
    assert stats.errors == {"LimitExceededException": 150}


def test_calls_keep_to_the_rate_limit() -> None:
    async def take(bucket: TokenBucket, count: int) -> float:
        started = time.monotonic()
        await asyncio.gather(*(bucket.take() for _ in range(count)))
        return time.monotonic() - started

    assert asyncio.run(take(TokenBucket(rate=50, burst=5), 5)) < 0.05, "a burst goes at once"
    # 25 calls beyond the burst of 5, at 50 a second, take half a second at least.
    assert asyncio.run(take(TokenBucket(rate=50, burst=5), 30)) >= 0.45


def test_a_region_without_security_hub_is_one_line_and_exit_1(
    boto: Boto, run_cli: RunCli, hub: Any
) -> None:
    seed(boto)
    recorder, _ = hub()
    recorder.not_enabled = {"eu-west-1"}
    run = run_cli(*SCAN, "--security-hub")
    assert run.code == 1
    assert {f["resource_name"] for f in run.findings} >= RISKS, "the scan's results are intact"
    assert all(
        r["result"] == "Success" for r in run.report if r["service"] in {"rds", "opensearch"}
    )
    rows = hub_rows(run)
    assert rows[(ACCOUNT_ID, "us-east-1")]["result"] == "Success"
    failed = rows[(ACCOUNT_ID, "eu-west-1")]
    assert failed["result"] == "Error"
    assert failed["error_message"].startswith("Security Hub is not enabled in eu-west-1;")
    assert "not subscribed to AWS Security Hub" in failed["error_message"]
    lines = [line for line in run.stderr.splitlines() if "not enabled" in line]
    assert len(lines) == 1
    assert lines[0].startswith("Security Hub is not enabled in eu-west-1 for account")
    assert {f["Region"] for f in recorder.accepted.values()} == {"us-east-1"}


def earlier(finding: Finding, **changes: Any) -> dict[str, Any]:
    """What GetFindings returns for a finding this tool imported in an earlier run."""
    asff = asff_finding(FindingRecord(finding), partition="aws")
    asff["ProductFields"] |= {
        "aws/securityhub/FindingId": "x",
        "aws/securityhub/ProductName": "Default",
    }
    return asff | {"CompanyName": "Personal", "ProcessedAt": "2024-05-01T00:00:01Z"} | changes


def test_archiving_queries_only_this_tools_findings_and_archives_what_is_gone(hub: Any) -> None:
    current, gone = rds_risk(1), rds_risk(2)
    other_check = rds_risk(3).model_copy(
        update={"check_id": "lambda.vpc_multi_az", "service": "lambda"}
    )
    existing = [
        earlier(current, CreatedAt="2024-01-01T00:00:00.000Z"),
        earlier(gone),
        earlier(other_check),
        earlier(
            rds_risk(4), ProductArn=product_arn("aws", REGION, ACCOUNT_ID).replace("default", "x")
        ),
        earlier(rds_risk(5), Region="eu-west-1"),
        earlier(rds_risk(6), RecordState="ARCHIVED"),
        earlier(rds_risk(7), ProductFields={"ProviderName": "another-tool"}),
    ]
    recorder, _ = hub(existing=existing, page_size=2)
    [stats] = import_records([current, rds_risk(8)])
    [query, *pages] = recorder.queries
    assert len(pages) == 3, "every page of earlier findings is read"
    filters = query["Filters"]
    assert filters["ProductArn"] == [{"Value": PRODUCT, "Comparison": "EQUALS"}]
    assert filters["AwsAccountId"] == [{"Value": ACCOUNT_ID, "Comparison": "EQUALS"}]
    assert filters["Region"] == [{"Value": REGION, "Comparison": "EQUALS"}]
    assert filters["RecordState"] == [{"Value": "ACTIVE", "Comparison": "EQUALS"}]
    assert filters["ProductFields"] == [
        {"Key": "ProviderName", "Value": "resiliency-analyser", "Comparison": "EQUALS"}
    ]
    archived = {k: f for k, f in recorder.accepted.items() if f["RecordState"] == "ARCHIVED"}
    assert list(archived) == [finding_id(gone)], "only the lost risk of a check that ran"
    record = archived[finding_id(gone)]
    assert not any(key.startswith("aws/") for key in record["ProductFields"])
    assert not {"CompanyName", "ProcessedAt"} & record.keys()
    assert record["UpdatedAt"] > existing[1]["UpdatedAt"]
    assert recorder.accepted[finding_id(current)]["CreatedAt"] == "2024-01-01T00:00:00.000Z"
    assert (stats.done["imported"], stats.done["updated"], stats.done["archived"]) == (1, 1, 1)


def test_a_failed_pair_archives_nothing(hub: Any) -> None:
    recorder, _ = hub(existing=[earlier(rds_risk(2))])
    [stats] = import_records([rds_risk(1)], [pair(outcome=Outcome.THROTTLED)])
    assert [f["RecordState"] for f in recorder.accepted.values()] == ["ACTIVE"]
    assert stats.done["archived"] == 0


def test_findings_of_an_account_without_a_session_are_counted_failed(hub: Any) -> None:
    recorder, _ = hub()
    foreign = replace_account(rds_risk(1), "210987654321")
    stats = import_records([rds_risk(0), foreign])
    by_account = {s.account_id: s for s in stats}
    assert by_account[ACCOUNT_ID].done["imported"] == 1
    assert by_account["210987654321"].errors == {"NoCredentialsForAccount": 1}
    assert len(recorder.accepted) == 1


def replace_account(finding: Finding, account_id: str) -> Finding:
    arn = finding.resource_arn.replace(ACCOUNT_ID, account_id)
    return finding.model_copy(update={"account_id": account_id, "resource_arn": arn})


def test_security_hub_all_with_report_only_risks_is_a_usage_error(run_cli: RunCli) -> None:
    run = run_cli("scan", "-r", REGION, "--security-hub-all", "--report-only-risks")
    assert run.code == 2
    assert "--report-only-risks drops" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_policy_grants_exactly_the_calls_an_import_makes(hub: Any) -> None:
    _, server = hub(existing=[earlier(rds_risk(2))])
    import_records([rds_risk(1)])
    called = {f"securityhub:{operation}" for _, operation, _ in server.requests}
    granted = {
        action
        for statement in security_hub_statements("aws", ACCOUNT_ID)
        for action in statement["Action"]
    }
    assert called == granted


def test_a_region_without_a_security_hub_endpoint_counts_its_findings_failed(hub: Any) -> None:
    recorder, _ = hub()
    isolated = rds_risk(1, region="us-isob-west-1")
    stats = {s.region: s for s in import_records([rds_risk(0), isolated])}
    assert stats["us-isob-west-1"].errors == {"NoSecurityHubEndpoint": 1}
    assert stats["us-isob-west-1"].outcome is Outcome.ERROR
    assert stats[REGION].done["imported"] == 1
    assert {f["Region"] for f in recorder.accepted.values()} == {REGION}


def test_long_descriptions_are_trimmed_and_oversize_findings_counted_failed(hub: Any) -> None:
    recorder, _ = hub()
    wordy = rds_risk(1, message="x" * 5000)
    huge = rds_risk(2).model_copy(update={"resource_arn": "arn:" + "x" * 250_000})
    [stats] = import_records([rds_risk(0), wordy, huge])
    assert (stats.done["imported"], stats.trimmed) == (2, 1)
    assert stats.errors == {"FindingTooLarge": 1}
    assert len(recorder.accepted[finding_id(wordy)]["Description"]) == 1024
    assert finding_id(huge) not in recorder.accepted


def test_a_refused_call_fails_its_findings_and_no_more_are_sent(standin: StartStandin) -> None:
    def denied(params: dict[str, Any], region: str) -> dict[str, Any]:
        raise StandinError("AccessDeniedException", "not authorized to BatchImportFindings", 403)

    stale = earlier(rds_risk(9))
    server = standin(
        "securityhub",
        {
            "BatchImportFindings": denied,
            "GetFindings": lambda params, region: {"Findings": [stale]},
        },
    )
    [stats] = import_records([rds_risk(i) for i in range(3)])
    assert (stats.failed, stats.outcome) == (4, Outcome.ACCESS_DENIED)
    assert stats.errors == {"AccessDeniedException": 4}, "the stale finding is counted too"
    imports = [op for _, op, _ in server.requests if op == "BatchImportFindings"]
    assert len(imports) == 1, "no archiving call after the refusal"

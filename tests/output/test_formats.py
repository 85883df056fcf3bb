"""Every output format on the moto account: contents, schema, stdout, order, the step summary."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from resiliency_analyser.checks.registry import GUIDANCE
from resiliency_analyser.config.arguments import ScanArguments
from resiliency_analyser.config.scan import scan_request
from resiliency_analyser.gate.policy import FailOn, Review
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.model.findings import FINDING_COLUMNS, AccountInfo
from resiliency_analyser.model.report import Outcome, PairResult
from resiliency_analyser.output.findings_csv import EXTENDED_COLUMNS, open_findings_csv
from resiliency_analyser.output.formats import OutputFormat
from resiliency_analyser.output.markdown import MAX_BYTES, TRUNCATED, fit, markdown_summary
from resiliency_analyser.run.result import ScanResult
from tests.support.ci_world import RISKS, SCAN, by_name, jsonl, seed, written
from tests.support.cli import RunCli
from tests.support.findings import rds_risk
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.paths import ROOT

SCHEMA = json.loads((ROOT / "docs" / "scan-result.schema.json").read_text())


def validator(definition: str | None = None) -> jsonschema.Draft202012Validator:
    schema = SCHEMA if definition is None else {**SCHEMA, "$ref": f"#/$defs/{definition}"}
    if definition is not None:
        schema = {"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_every_format_is_written_from_one_scan(boto: Boto, run_cli: RunCli) -> None:
    seed(boto)
    run = run_cli(*SCAN, "--format", "csv,jsonl", "--format", "json", "--format", "markdown")
    assert run.code == 0, run.stderr
    assert run.stdout == ""
    names = sorted(p.name[len("Resiliency_Findings_YYYY_MM_DD") :] for p in run.output.iterdir())
    assert names == [".csv", ".json", ".jsonl", ".md", "_run_report.csv"]
    assert list(run.findings[0]) == list(FINDING_COLUMNS)

    lines = jsonl(written(run, ".jsonl"))
    found = by_name(lines)
    assert {n for n, f in found.items() if f["potential_single_az_risk"]} == RISKS
    assert set(found) == RISKS | {"prod-db", "logs-ha"}
    dev = found["dev-db"]
    assert dev["check_id"] == "rds.instance_multi_az"
    assert dev["availability_zones"] == ["us-east-1a"] or len(dev["availability_zones"]) == 1
    assert dev["tags"] == {"env": "dev", "team": "shop"}
    [zone_id] = dev["availability_zone_ids"]
    assert zone_id.startswith("use1-az"), "moto's us-east-1 zones have IDs use1-az*"
    assert (dev["location"], dev["location_id"]) == (dev["availability_zones"][0], zone_id)
    assert dev["severity"] == GUIDANCE["rds.instance_multi_az"].severity.value
    assert dev["remediation"] == GUIDANCE["rds.instance_multi_az"].remediation
    assert (dev["fsbp"], dev["well_architected"]) == (["RDS.5"], ["REL10-BP01", "REL11-BP02"])
    assert found["prod-db"]["fsbp"] == ["RDS.5"], "a finding that passed names the control too"
    assert (dev["suppressed"], dev["suppression"]) == (False, None)
    assert datetime.fromisoformat(dev["timestamp"]).tzinfo is not None
    assert (found["prod-db"]["severity"], found["prod-db"]["remediation"]) == ("none", "")
    assert found["logs-one"]["tags"] == {}, "OpenSearch listings carry no tags"
    for column in FINDING_COLUMNS[:-1]:
        assert str(dev[column]) == by_name(run.findings)["dev-db"][column], column

    document = json.loads(written(run, ".json"))
    assert document["findings"] == lines
    assert document["account"]["account_id"] == ACCOUNT_ID
    assert document["regions"] == ["eu-west-1", "us-east-1"]
    assert document["services"] == ["opensearch", "rds"]
    assert [(r["service"], r["region"]) for r in document["run_report"]] == [
        ("opensearch", "eu-west-1"),
        ("opensearch", "us-east-1"),
        ("rds", "eu-west-1"),
        ("rds", "us-east-1"),
    ]
    assert document["totals"] == {
        "resources": 6,
        "risks": 4,
        "suppressed": 0,
        "open_risks": 4,
        "failed_pairs": 0,
    }
    assert (document["baseline"], document["gate"]) == (None, None)

    summary = written(run, ".md")
    assert f"## Resiliency scan of account {ACCOUNT_ID}" in summary
    assert "**4 unaccepted single-AZ risks**" in summary
    assert "| high | rds | us-east-1 | `dev-db` |" in summary
    assert f"| {dev['location_id']} | us-east-1 | 2 | 0 | 0 | 0 |" in summary, "by AZ ID"


def test_json_and_jsonl_match_the_documented_schema(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    """With suppressions, a baseline and a gate, so every optional part is filled in."""
    seed(boto)
    rules = tmp_path / "accepted.yaml"
    rules.write_text(
        "suppressions:\n"
        "  - tags: {env: dev}\n    reason: dev\n    owner: shop\n    expires: 2999-01-01\n"
        "  - region: ap-*\n    reason: unused\n"
        "  - service: opensearch\n    reason: old\n    expires: 2001-01-01\n"
    )
    first = run_cli(*SCAN, "--stdout", "jsonl", "--truncate-output")
    baseline = tmp_path / "last.jsonl"
    kept = [line for line in first.stdout.splitlines() if '"orders-db"' not in line]
    baseline.write_text("\n".join(kept) + "\n")
    args = ("--suppressions", str(rules), "--baseline", str(baseline), "--fail-on", "new")
    run = run_cli(*SCAN, "--format", "json,jsonl", *args)
    assert run.code == 3, run.stderr
    document = json.loads(written(run, ".json"))
    assert not list(validator().iter_errors(document))
    assert document["suppressions"]["expired"][0]["match"] == {"service": "opensearch"}
    assert document["suppressions"]["unused"][0]["line"] == 6
    assert len(document["baseline"]["new"]) == 1
    assert document["gate"]["failed"] is True
    finding = validator("finding")
    lines = jsonl(written(run, ".jsonl"))
    assert lines
    for line in lines:
        assert not list(finding.iter_errors(line)), line
    assert by_name(lines)["dev-db"]["suppression"]["reason"] == "dev"


def test_the_schema_rejects_what_it_should() -> None:
    finding = validator("finding")
    good: dict[str, Any] = {
        **dict.fromkeys(FINDING_COLUMNS, ""),
        "account_id": ACCOUNT_ID,
        "service": "rds",
        "region": "us-east-1",
        "message": "m",
        "potential_single_az_risk": True,
        "timestamp": "2026-01-02T03:04:05Z",
        "check_id": "rds.instance_multi_az",
        "availability_zones": [],
        "availability_zone_ids": [],
        "location": "",
        "location_id": "",
        "tags": {},
        "root_cause": None,
        "severity": "high",
        "remediation": "r",
        "fsbp": ["RDS.5"],
        "well_architected": ["REL10-BP01"],
        "suppressed": False,
        "suppression": None,
    }
    assert not list(finding.iter_errors(good))
    dependent = {"check_id": "elb.load_balancer_zones", "resource_arn": "arn:aws:lb"}
    assert not list(finding.iter_errors({**good, "root_cause": dependent}))
    for broken in (
        {"root_cause": {"check_id": "elb", "resource_arn": "arn:aws:lb"}},
        {"root_cause": {"check_id": "elb.load_balancer_zones", "resource_arn": ""}},
        {"timestamp": "2026_01_02_03_04_05_+0000"},
        {"severity": "urgent"},
        {"check_id": "RDS"},
        {"fsbp": ["RDS 5"]},
        {"well_architected": ["REL10"]},
        {"extra": 1},
    ):
        assert list(finding.iter_errors({**good, **broken})), broken


@pytest.mark.parametrize(
    ("fmt", "extra"),
    [("csv", ()), ("csv", ("--csv-extended",)), ("json", ()), ("markdown", ())],
)
def test_stdout_carries_the_same_text_as_the_file(
    boto: Boto, run_cli: RunCli, fmt: str, extra: tuple[str, ...]
) -> None:
    seed(boto)
    run = run_cli(*SCAN, "--format", fmt, "--stdout", fmt, *extra)
    assert run.code == 0, run.stderr
    suffix = {"csv": "Z.csv", "jsonl": ".jsonl", "json": ".json", "markdown": ".md"}[fmt]
    text = (
        written(run, suffix) if fmt != "csv" else (next(run.output.glob("*[0-9].csv"))).read_text()
    )
    assert run.stdout == text
    assert "scan summary" in run.stderr, "progress and the summary stay on stderr"


def test_stdout_alone_keeps_the_default_csv_file(boto: Boto, run_cli: RunCli) -> None:
    seed(boto)
    run = run_cli(*SCAN, "--stdout", "jsonl")
    assert {line["resource_name"] for line in jsonl(run.stdout)} >= RISKS
    assert len(run.findings) == 6


def test_format_adds_to_the_findings_csv(boto: Boto, run_cli: RunCli) -> None:
    run = run_cli(*SCAN, "--format", "jsonl")
    assert run.code == 0, run.stderr
    suffixes = sorted(p.name[len("Resiliency_Findings_YYYY_MM_DD") :] for p in run.output.iterdir())
    assert suffixes == [".csv", ".jsonl", "_run_report.csv"]


def test_outputs_are_sorted_and_identical_across_runs(boto: Boto, run_cli: RunCli) -> None:
    seed(boto)
    first = run_cli(*SCAN, "--stdout", "jsonl", "--format", "csv,jsonl", "--truncate-output")
    assert first.stdout == written(first, ".jsonl")
    first_csv = first.findings
    second = run_cli(*SCAN, "--stdout", "jsonl", "--truncate-output")

    def untimed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in row.items() if k != "timestamp"} for row in rows]

    assert untimed(jsonl(first.stdout)) == untimed(jsonl(second.stdout))
    assert untimed(first_csv) == untimed(second.findings)
    keys = [(r["service"], r["region"], r["resource_arn"]) for r in second.findings]
    assert keys == sorted(keys)


def test_csv_keeps_13_columns_unless_extended(boto: Boto, run_cli: RunCli, tmp_path: Path) -> None:
    seed(boto)
    rules = tmp_path / "accepted.yaml"
    rules.write_text("suppressions:\n  - resource: dev-*\n    reason: dev\n    ticket: OPS-1\n")
    plain = run_cli(*SCAN, "--suppressions", str(rules))
    assert list(plain.findings[0]) == list(FINDING_COLUMNS)
    mixed = run_cli(*SCAN, "--suppressions", str(rules), "--csv-extended")
    assert mixed.code == 2
    assert "has other columns than this run writes" in mixed.stderr
    extended = run_cli(*SCAN, "--suppressions", str(rules), "--csv-extended", "--truncate-output")
    assert extended.code == 0, extended.stderr
    rows = by_name(extended.findings)
    assert list(extended.findings[0]) == list(EXTENDED_COLUMNS)
    assert (rows["dev-db"]["suppressed"], rows["dev-db"]["suppression_reason"]) == ("True", "dev")
    assert rows["dev-db"]["suppression_ticket"] == "OPS-1"
    assert rows["dev-db"]["check_id"] == "rds.instance_multi_az"
    assert rows["dev-db"]["severity"] == "high"
    assert rows["orders-db"]["suppressed"] == "False"
    dev = rows["dev-db"]
    assert dev["az_ids"].startswith("use1-az")
    assert len(dev["az_ids"].split()) == len(dev["availability_zones"].split())


def test_step_summary_is_appended_when_github_sets_it(
    boto: Boto, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(boto)
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = run_cli(*SCAN, "--fail-on", "risk")
    assert run.code == 3
    text = summary.read_text()
    assert text.startswith("earlier step\n## Resiliency scan of account")
    assert "**Gate failed (--fail-on risk): 4 unaccepted risks**" in text
    assert not list(run.output.glob("*.md")), "a file only when --format markdown asks"


def synthetic_result(findings: int, failures: int) -> ScanResult:
    """A huge run, built directly: the size cap is about text, not about AWS."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    account = AccountInfo(account_id=ACCOUNT_ID)
    long = "x" * 2000
    records = tuple(
        FindingRecord(
            rds_risk(
                i,
                message=f"RDS instance has Multi-AZ disabled {long}",
                region=f"us-east-{i % 2 + 1}",
                name_suffix=f"|{long}",
                at=now,
            )
        )
        for i in range(findings)
    )
    results = [
        PairResult(
            account_id=ACCOUNT_ID,
            service=f"check{i}",
            region="us-east-1",
            outcome=Outcome.ERROR,
            error_message=long,
            started=now,
            ended=now + timedelta(seconds=1),
        )
        for i in range(failures)
    ]
    return ScanResult(
        account=account,
        regions=["us-east-1"],
        results=results,
        started=now,
        ended=now,
        review=Review(records),
        report_path=Path("r.csv"),
        findings_path=None,
        files=(),
    )


def test_markdown_summary_stays_under_one_mebibyte() -> None:
    text = markdown_summary(synthetic_result(2_000, 200))
    assert len(text.encode()) <= MAX_BYTES
    assert "_… and 1975 more._" in text
    assert "_… and 150 more._" in text
    assert "db-00000\\|" in text, "a | inside a cell is escaped"
    cut = fit(["| row |"] * 200_000)
    assert len(cut.encode()) <= MAX_BYTES
    assert cut.endswith(TRUNCATED)
    assert cut.startswith("| row |\n")


def csv_keys(path: Path) -> list[tuple[str, str]]:
    with path.open(newline="") as handle:
        return [(r["region"], r["resource_arn"]) for r in csv.DictReader(handle)]


PLAN = [("rds", "us-east-1"), ("rds", "us-east-2")]


def test_rows_wait_for_earlier_pairs_so_the_csv_is_sorted(tmp_path: Path) -> None:
    records = synthetic_result(6, 0).review.records
    path = tmp_path / "f.csv"
    with open_findings_csv(path, [ACCOUNT_ID], extended=False, truncate=True) as rows:
        rows.plan(ACCOUNT_ID, PLAN)
        rows.add(reversed(records))
        rows.finish(ACCOUNT_ID, "rds", "us-east-2")
        assert csv_keys(path) == [], "us-east-2 waits for us-east-1"
        rows.finish(ACCOUNT_ID, "rds", "us-east-1")
        assert len(csv_keys(path)) == 6
    assert csv_keys(path) == sorted(csv_keys(path))


def test_an_interrupted_scan_still_writes_held_rows_whole_and_sorted(tmp_path: Path) -> None:
    records = synthetic_result(6, 0).review.records
    path = tmp_path / "f.csv"
    with (  # noqa: PT012 - the interruption inside the block is the point
        pytest.raises(KeyboardInterrupt),
        open_findings_csv(path, [ACCOUNT_ID], extended=False, truncate=True) as rows,
    ):
        rows.plan(ACCOUNT_ID, PLAN)
        rows.add(reversed(records))
        rows.finish(ACCOUNT_ID, "rds", "us-east-2")
        raise KeyboardInterrupt
    assert csv_keys(path) == sorted(csv_keys(path))
    assert len(csv_keys(path)) == 6


@pytest.mark.parametrize(
    ("formats", "stdout", "environ", "fail_on", "expected"),
    [
        ((OutputFormat.CSV,), None, {}, None, False),
        ((OutputFormat.CSV,), None, {"GITHUB_STEP_SUMMARY": ""}, None, False),
        ((OutputFormat.CSV, OutputFormat.JSONL), None, {}, None, True),
        ((OutputFormat.MARKDOWN,), None, {}, None, True),
        ((OutputFormat.CSV,), OutputFormat.JSONL, {}, None, True),
        ((OutputFormat.CSV,), None, {"GITHUB_STEP_SUMMARY": "/tmp/summary"}, None, True),
        ((OutputFormat.CSV,), None, {}, FailOn.RISK, True),
    ],
)
def test_findings_are_held_only_for_whole_run_outputs(
    formats: tuple[OutputFormat, ...],
    stdout: OutputFormat | None,
    environ: dict[str, str],
    fail_on: FailOn | None,
    expected: bool,
    tmp_path: Path,
) -> None:
    arguments = ScanArguments(
        output=tmp_path,
        formats=[f.value for f in formats],
        stdout_format=stdout.value if stdout else None,
        fail_on=fail_on.value if fail_on else None,
    )
    assert scan_request(arguments, environ).output.keep_findings is expected

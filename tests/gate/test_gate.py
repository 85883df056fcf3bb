"""Exit codes of the gate: 0, 3 on (new) unaccepted risks, 1 for scan failures first, 2 for input."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from resiliency_analyser.gate.baseline import Baseline, compare, parse_baseline
from resiliency_analyser.model.report import Outcome, PairResult
from tests.support.ci_world import SCAN, jsonl, seed, written
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.paths import ROOT
from tests.support.seeding import create_db_instance


def test_fail_on_risk_is_exit_3_until_every_risk_is_accepted(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    seed(boto)
    assert run_cli(*SCAN).code == 0, "without --fail-on, risks do not fail the run"
    run = run_cli(*SCAN, "--fail-on", "risk")
    assert run.code == 3
    assert "Gate failed (--fail-on risk): 4 unaccepted risks" in run.stderr
    rules = tmp_path / "accepted.yaml"
    rules.write_text(
        "suppressions:\n"
        "  - {service: rds, reason: reviewed in OPS-1}\n"
        "  - {service: opensearch, region: eu-west-1, reason: logs only}\n"
    )
    accepted = run_cli(*SCAN, "--fail-on", "risk", "--suppressions", str(rules))
    assert accepted.code == 0, accepted.stderr
    assert "Gate passed (--fail-on risk): no unaccepted risks" in accepted.stderr


def baseline_from(run_cli: RunCli, path: Path, *extra: str) -> Path:
    run = run_cli(*SCAN, "--format", "jsonl", "--truncate-output", *extra)
    assert run.code == 0, run.stderr
    path.write_text(written(run, ".jsonl"))
    return path


def test_fail_on_new_only_fails_for_risks_missing_from_the_baseline(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    seed(boto)
    last = baseline_from(run_cli, tmp_path / "last.jsonl")
    gate = ("--fail-on", "new", "--baseline", str(last), "--format", "markdown")
    same = run_cli(*SCAN, *gate)
    assert same.code == 0, same.stderr
    assert "0 new, 0 resolved, 4 unchanged unaccepted risks" in written(same, ".md")

    create_db_instance(boto, "eu-west-1", "new-single", multi_az=False)
    boto("rds", "us-east-1").delete_db_instance(DBInstanceIdentifier="dev-db")
    changed = run_cli(*SCAN, *gate)
    assert changed.code == 3
    summary = written(changed, ".md")
    assert "**Gate failed (--fail-on new): 1 new unaccepted risk**" in summary
    assert "1 new, 1 resolved, 3 unchanged unaccepted risks." in summary
    new_table, resolved_table = summary.split("New:")[1].split("Resolved:")
    assert "`new-single`" in new_table
    assert "`dev-db`" in resolved_table
    assert "`orders-db`" not in summary.split("### Top")[0], "unchanged risks are not listed"


def test_an_expired_acceptance_makes_the_risk_new(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    seed(boto)
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text("suppressions:\n  - {resource: dev-db, reason: dev}\n")
    last = baseline_from(run_cli, tmp_path / "last.jsonl", "--suppressions", str(accepted))
    assert jsonl(last.read_text())
    accepted.write_text("suppressions:\n  - {resource: dev-db, reason: dev, expires: 2001-01-01}\n")
    run = run_cli(
        *SCAN, "--fail-on", "new", "--baseline", str(last), "--suppressions", str(accepted)
    )
    assert run.code == 3
    assert "1 new unaccepted risk" in run.stderr


@pytest.mark.usefixtures("denied_rds")
def test_scan_failures_keep_exit_1_over_the_gate(boto: Boto, run_cli: RunCli) -> None:
    seed(boto)
    run = run_cli(*SCAN, "--fail-on", "risk", "--format", "markdown")
    assert run.code == 1
    assert "Gate failed (--fail-on risk): 1 unaccepted risk" in run.stderr
    summary = written(run, ".md")
    assert "### Failed (check, region) pairs" in summary
    assert "| rds | eu-west-1 | AccessDenied: User is not authorized" in summary


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--fail-on", "new"], "--fail-on new needs --baseline"),
        (["--fail-on", "always"], "--fail-on: unknown value 'always'; choose from risk, new"),
        (["--format", "xml"], "--format: unknown format 'xml'; choose from csv, jsonl"),
        (["--format", ","], "--format is empty"),
        (["--stdout", "yaml"], "--stdout: unknown format 'yaml'"),
        (["--baseline", "/nonexistent/last.jsonl"], "cannot read baseline /nonexistent/last.jsonl"),
    ],
)
def test_bad_gate_options_are_exit_2(run_cli: RunCli, args: list[str], expected: str) -> None:
    run = run_cli(*SCAN, *args)
    assert run.code == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert expected in run.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"service": "rds"}\nnot json\n', "line 1: region: a required field is missing"),
        ("\n\n{oops\n", "line 3: not JSON"),
        ("[1, 2]\n", "line 1: not a JSON object (one finding per line"),
    ],
)
def test_a_malformed_baseline_names_the_line(
    run_cli: RunCli, tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "last.jsonl"
    path.write_text(text)
    run = run_cli(*SCAN, "--fail-on", "new", "--baseline", str(path))
    assert run.code == 2
    assert f"baseline {path} {expected}" in run.stderr


def test_resolved_counts_only_what_this_run_rescanned() -> None:
    line = (
        '{"service": "%s", "region": "%s", "account_id": "%s", "check_id": "rds.instance_multi_az",'
        ' "resource_arn": "arn:%s", "resource_name": "", "resource_id": "",'
        ' "potential_single_az_risk": true, "suppressed": false}'
    )
    rows = [
        line % ("rds", "us-east-1", "123456789012", "fixed"),
        line % ("rds", "eu-west-1", "123456789012", "failed-region"),
        line % ("rds", "ap-south-1", "123456789012", "not-scanned"),
        line % ("rds", "us-east-1", "210987654321", "other-account"),
    ]
    baseline = Baseline(Path("last.jsonl"), parse_baseline(rows))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    results = [
        PairResult(
            account_id="123456789012",
            service="rds",
            region=region,
            outcome=outcome,
            started=now,
            ended=now,
        )
        for region, outcome in (("us-east-1", Outcome.SUCCESS), ("eu-west-1", Outcome.ERROR))
    ]
    found = compare(baseline, [], results)
    assert [e.resource_arn for e in found.resolved] == ["arn:fixed"]
    assert (found.new, found.unchanged) == ((), ())


def options_in(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", text))


def test_the_github_actions_examples_are_valid_and_use_real_options(run_cli: RunCli) -> None:
    doc = (ROOT / "docs" / "ci.md").read_text()
    gate, comment = (yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", doc, re.DOTALL))
    steps = gate["jobs"]["scan"]["steps"]
    [scan_step] = [s for s in steps if "resiliency-analyser scan" in s.get("run", "")]
    used = options_in(scan_step["run"])
    offered = options_in(run_cli("scan", "--help").stdout)
    assert len(used) > 3
    assert used <= offered, used - offered
    assert "--fail-on new --baseline baseline/last.jsonl" in scan_step["run"]
    runs = [s["run"] for s in comment["jobs"]["diff"]["steps"] if "run" in s]
    for command in ("scan", "diff"):
        lines = "\n".join(r for r in runs if f"resiliency-analyser {command}" in r)
        commanded = options_in(lines)
        offered = options_in(run_cli(command, "--help").stdout)
        assert commanded, command
        assert commanded <= offered, commanded - offered
    assert any("--format markdown" in r and "gh pr comment" not in r for r in runs)


def test_a_baseline_that_is_not_text_is_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "last.jsonl"
    path.write_bytes(b"\xff\xfe binary")
    run = run_cli(*SCAN, "--baseline", str(path))
    assert run.code == 2
    assert f"baseline {path} is not UTF-8 text" in run.stderr

"""The registry is the single source of truth: policy, docs and CLI must match it exactly."""

from __future__ import annotations

import asyncio
import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from resiliency_analyser.demo.account import DemoAccount
from resiliency_analyser.iam import policy_json, read_actions
from resiliency_analyser.models import FINDING_COLUMNS, RUN_REPORT_COLUMNS
from resiliency_analyser.progress import LogDisplay
from resiliency_analyser.registry import CHECKS
from resiliency_analyser.scan import run_scan
from tests.conftest import RunCli

ROOT = Path(__file__).resolve().parent.parent


def test_iam_policy_file_is_generated_from_the_registry() -> None:
    assert (ROOT / "iam" / "policy.json").read_text() == policy_json(CHECKS)


def test_docs_state_every_check_rule_and_column() -> None:
    checks_doc = (ROOT / "docs" / "checks.md").read_text()
    for check in CHECKS:
        assert f"## `{check.key}`" in checks_doc, check.key
        assert check.rule in checks_doc, check.key
    output_doc = (ROOT / "docs" / "output.md").read_text()
    for column in (*FINDING_COLUMNS, *RUN_REPORT_COLUMNS):
        assert f"`{column}`" in output_doc, column


def test_docs_state_every_scan_option(run_cli: RunCli) -> None:
    usage = (ROOT / "docs" / "usage.md").read_text()
    help_text = run_cli("scan", "--help").stdout
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", help_text)) - {"--help"}
    assert options
    missing = sorted(o for o in options if f"`{o}" not in usage)
    assert not missing


def test_services_command_lists_every_check(run_cli: RunCli) -> None:
    listed = run_cli("services").stdout.splitlines()
    assert [line.split()[0] for line in listed] == [c.key for c in CHECKS]


@dataclass(frozen=True)
class DemoScan:
    actions: set[str]
    findings: list[dict[str, str]]


@pytest.fixture(scope="module")
def demo_scan(tmp_path_factory: pytest.TempPathFactory) -> DemoScan:
    """One full scan of the demo account, recording every AWS action it calls."""
    called: set[str] = set()
    folder = tmp_path_factory.mktemp("demo")

    def record(model: Any, **_: Any) -> None:
        called.add(f"{model.service_model.signing_name}:{model.name}")

    with DemoAccount() as account:
        session = account.session()
        session.events.register("before-call", record)
        result = asyncio.run(run_scan(account.scan_request(folder), session, LogDisplay()))
    assert not result.failed
    assert result.findings_path is not None
    with result.findings_path.open(newline="") as handle:
        return DemoScan(called, list(csv.DictReader(handle)))


def test_a_full_demo_scan_calls_exactly_the_policys_actions(demo_scan: DemoScan) -> None:
    assert demo_scan.actions == set(read_actions(CHECKS))


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.key)
def test_the_demo_has_a_risky_and_a_safe_example_of_every_check(
    demo_scan: DemoScan, check: Any
) -> None:
    verdicts = {
        f["potential_single_az_risk"] for f in demo_scan.findings if f["service"] == check.key
    }
    assert verdicts == {"True", "False"}


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.key)
def test_every_action_is_well_formed(check: Any) -> None:
    for action in check.actions:
        assert re.fullmatch(r"[a-z0-9-]+:[A-Z][A-Za-z0-9]+", action), action

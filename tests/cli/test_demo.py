"""The demo as a new user runs it: whatever their AWS settings and proxies, with every format and
the gate, on an account that looks real, with progress from the start."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_usage import assert_usage_error
from tests.support.cli import CliRun, RunCli
from tests.support.contract import require_demo

AZ_NAME = re.compile(r"\b[a-z]{2}(-[a-z]+)+-\d+[a-z]+\b")


@pytest.fixture(scope="module")
def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def demo_run(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closed_port: int
) -> CliRun:
    """A profile that does not exist and proxies that answer nothing, as on a corporate laptop;
    every output and gate option of the scan."""
    require_demo()
    monkeypatch.setenv("AWS_PROFILE", "nosuch")
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{closed_port}")
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text("suppressions:\n  - {service: dax, reason: rebuilt from DynamoDB}\n")
    return run_cli(
        "demo",
        "--format",
        "json,markdown",
        "--stdout",
        "jsonl",
        "--csv-extended",
        "--suppressions",
        str(accepted),
        "--fail-on",
        "risk",
    )


def test_the_demo_ignores_the_users_aws_settings_and_takes_the_scan_options(
    demo_run: CliRun,
) -> None:
    assert demo_run.code == 3, demo_run.stderr
    assert os.environ["AWS_PROFILE"] == "nosuch", "the user's environment is given back"
    findings = [json.loads(line) for line in demo_run.stdout.splitlines()]
    assert len(findings) == len(demo_run.findings)
    assert {p.suffix for p in demo_run.output.iterdir()} == {".csv", ".json", ".md"}
    assert "check_id" in demo_run.findings[0]
    suppressed = {f["service"] for f in findings if f["suppressed"]}
    assert suppressed == {"dax"}
    assert "Gate failed (--fail-on risk): " in demo_run.stderr
    assert re.search(r"^  and \d+ more$", demo_run.stderr, re.M)
    [dax_row] = [line for line in demo_run.stderr.splitlines() if line.startswith("│ dax ")]
    assert dax_row.split("│")[5].strip() == "2", "two accepted risks, one per region"
    services = [line.split()[1] for line in demo_run.stderr.splitlines() if line.startswith("│ ")]
    assert services[:-1] == sorted(services[:-1])
    assert services[-1] == "total"


def test_the_demo_account_looks_like_a_real_one(demo_run: CliRun) -> None:
    findings: list[dict[str, Any]] = [json.loads(line) for line in demo_run.stdout.splitlines()]
    for finding in findings:
        zones = [
            *finding["availability_zones"],
            *(m.group() for m in AZ_NAME.finditer(finding["message"])),
        ]
        for zone in zones:
            assert re.fullmatch(r"(us-east-1|eu-west-1)[a-c]", zone), finding["message"]
        # Serverless replications do not say where their compute runs: no AZ to list.
        serverless = finding["message"].startswith("Serverless")
        if (
            "Multi-AZ enabled" in finding["message"]
            and not finding["potential_single_az_risk"]
            and not serverless
        ):
            assert len(finding["availability_zones"]) >= 2, finding["message"]
    by_region = Counter(
        (f["service"], f["region"], f["resource_id"]) for f in findings if f["resource_id"]
    )
    assert max(by_region.values()) == 1, "every resource has its own id"


def test_demo_usage_errors_leave_nothing_behind(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "demo-output"
    run = run_cli("demo", "--fail-on", "new", output=folder)
    assert_usage_error(run, "--fail-on new needs --baseline")
    assert not folder.exists()


def test_demo_progress_starts_at_once_and_the_prompt_returns_promptly(tmp_path: Path) -> None:
    """Without a terminal the steps are log lines (at INFO); on a terminal, the same steps are
    the live status line."""
    require_demo()
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "resiliency_analyser", "demo", "--log-level", "INFO"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    arrivals = [(time.monotonic() - started, line) for line in process.stderr]
    process.wait()
    ended = time.monotonic() - started
    assert process.returncode == 0, arrivals
    first_seconds, first = arrivals[0]
    assert first.rstrip().endswith("INFO resiliency_analyser: starting the simulated account…")
    seeding = [t for t, line in arrivals if "starting the simulated account: " in line]
    assert first_seconds < seeding[0], "shown before the simulator is even loaded"
    last_seconds = arrivals[-1][0]
    assert ended - last_seconds < 2.0, (
        f"{ended - last_seconds:.1f} s between the last line and exit"
    )


def test_the_demo_organization_shows_each_account(run_cli: RunCli) -> None:
    """A management account and members in OUs, one suspended; each member holds its own
    resources and maps its AZ names to other zones, as AWS does per account."""
    require_demo()
    run = run_cli("demo", "--organization", "-s", "lambda,efs,elb", "--format", "jsonl")
    assert run.code == 0, run.stderr
    accounts = {r["account_id"]: r for r in run.report if r["service"] == "account"}
    names = {f["account_id"]: f["account_name"] for f in run.findings}
    assert sorted(names.values()) == ["analytics-dev", "master", "payments-prod", "shop-prod"]
    assert [r["result"] for r in accounts.values()].count("Success") == 4
    [skipped] = [r for r in accounts.values() if r["result"] == "Skipped"]
    assert skipped["error_message"] == "account status SUSPENDED"
    assert {(f["payer_account_id"], f["payer_account_name"]) for f in run.findings} == {
        ("123456789012", "master")
    }
    held = {(names[f["account_id"]], f["service"]) for f in run.findings}
    assert {s for n, s in held if n == "analytics-dev"} == {"lambda"}
    assert {s for n, s in held if n == "payments-prod"} == {"efs", "elb"}
    [path] = run.output.glob("*.jsonl")
    zones: dict[str, set[str]] = {}
    for line in path.read_text().splitlines():
        finding = json.loads(line)
        if finding["location"] == "us-east-1a":
            zones.setdefault(finding["location_id"], set()).add(finding["account_name"])
    assert len(zones) >= 3, f"us-east-1a is another zone in each account: {zones}"
    assert "accounts: 4 scanned, 1 skipped, 0 failed, of 5 accounts" in run.stderr

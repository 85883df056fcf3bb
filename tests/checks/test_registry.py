"""The registry is the single source of truth: policy, docs and CLI must match it exactly."""

from __future__ import annotations

import asyncio
import csv
import re
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from typing import Any

import pytest

from resiliency_analyser.checks.catalogue import checks_markdown
from resiliency_analyser.checks.registry import CHECKS
from resiliency_analyser.cli.progress import LogDisplay
from resiliency_analyser.delivery.options import DeliveryOptions
from resiliency_analyser.demo.account import DemoAccount
from resiliency_analyser.model.findings import FINDING_COLUMNS, Finding
from resiliency_analyser.model.report import RUN_REPORT_COLUMNS
from resiliency_analyser.permissions import PolicyScope, policy
from resiliency_analyser.run.pipeline import run_scan
from resiliency_analyser.run.result import ScanResult
from tests.support.cli import RunCli
from tests.support.contract import require_demo
from tests.support.paths import ROOT


def test_docs_state_every_check_rule_and_column() -> None:
    """Of docs/checks.md, what ``regenerate`` writes: whether the file is that is test_contract's."""
    checks_doc = checks_markdown(CHECKS)
    for check in CHECKS:
        assert f"## `{check.key}`" in checks_doc, check.key
        assert check.rule in checks_doc, check.key
    output_doc = (ROOT / "docs" / "output.md").read_text()
    for column in (*FINDING_COLUMNS, *RUN_REPORT_COLUMNS):
        assert f"`{column}`" in output_doc, column


@pytest.mark.parametrize("command", ["scan", "iam-policy", "merge"])
def test_docs_state_every_option(run_cli: RunCli, command: str) -> None:
    usage = (ROOT / "docs" / "usage.md").read_text()
    help_text = run_cli(command, "--help").stdout
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", help_text)) - {"--help"}
    assert options
    missing = sorted(o for o in options if f"`{o}" not in usage)
    assert not missing


def test_services_command_lists_every_check(run_cli: RunCli) -> None:
    listed = run_cli("services").stdout.splitlines()
    assert [line.split()[0] for line in listed] == sorted(c.key for c in CHECKS)


BUCKET = "central-reports"
IAM_PREFIX = {"monitoring": "cloudwatch"}
"""Services whose IAM actions are not prefixed by the name their requests are signed with."""


@dataclass(frozen=True)
class DemoScan:
    calls: set[tuple[str, str]]
    """(action, resource) for every AWS call; ``*`` where the call names no resource we grant."""
    findings: list[dict[str, str]]
    policy_scope: PolicyScope
    result: ScanResult


@pytest.fixture(scope="module")
def demo_scan(tmp_path_factory: pytest.TempPathFactory) -> DemoScan:
    """One full scan of the demo account with both sinks, recording every AWS call it makes."""
    require_demo()
    calls: set[tuple[str, str]] = set()
    folder = tmp_path_factory.mktemp("demo") / "reports"
    folder.mkdir()

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        signing_name = model.service_model.signing_name
        action = f"{IAM_PREFIX.get(signing_name, signing_name)}:{model.name}"
        if action == "s3:PutObject":
            resources = [f"arn:aws:s3:::{params['Bucket']}/{params['Key']}"]
        elif action == "events:PutEvents":
            resources = [entry["EventBusName"] for entry in params["Entries"]]
        else:
            resources = ["*"]
        calls.update((action, resource) for resource in resources)

    with DemoAccount() as account:
        assert account.world is not None
        account.world.client("s3", "us-east-1").create_bucket(Bucket=BUCKET)
        bus = account.world.client("events", "eu-west-1").create_event_bus(Name="findings")
        delivery = DeliveryOptions(bucket=BUCKET, event_bus_arn=bus["EventBusArn"])
        request = replace(account.scan_request(folder), delivery=delivery)
        session = account.session()
        session.events.register("before-parameter-build", record)
        result = asyncio.run(run_scan(request, session, LogDisplay()))
    assert not result.failed
    assert result.findings_path is not None
    with result.findings_path.open(newline="") as handle:
        findings = list(csv.DictReader(handle))
    scope = PolicyScope(bucket=BUCKET, folder=folder, event_bus_arn=bus["EventBusArn"])
    return DemoScan(calls, findings, scope, result)


def test_a_full_scan_with_both_sinks_calls_exactly_what_the_policy_allows(
    demo_scan: DemoScan,
) -> None:
    """Every (action, resource) the process calls is allowed, and every allowed action is called."""
    delivery = demo_scan.result.delivery
    assert not delivery.failed
    assert delivery.events is not None
    assert delivery.events.published == len(demo_scan.findings)
    assert len(delivery.uploaded) == len(demo_scan.result.files) == 2

    statements = policy(CHECKS, demo_scan.policy_scope)["Statement"]
    allowed = {(a, s["Resource"]) for s in statements for a in s["Action"]}
    unallowed = {
        (action, resource)
        for action, resource in demo_scan.calls
        if not any(action == a and fnmatchcase(resource, r) for a, r in allowed)
    }
    assert not unallowed, "called but not granted"
    assert {a for a, _ in allowed} == {a for a, _ in demo_scan.calls}, "granted but never called"


def verdict(finding: Finding) -> str:
    if finding.potential_single_az_risk:
        return "risk"
    return "goes down with a risk" if finding.root_cause else "safe"


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.key)
def test_the_demo_has_a_risky_and_a_safe_example_of_every_check(
    demo_scan: DemoScan, check: Any
) -> None:
    """A risk may be its own or, where the check's resource goes down with another's risk (an
    endpoint service with its load balancer), that other resource's: reported once, there."""
    found = [r.finding for r in demo_scan.result.review.records if r.finding.service == check.key]
    verdicts = {verdict(f) for f in found}
    assert "safe" in verdicts
    assert verdicts & {"risk", "goes down with a risk"}


def test_the_demo_shows_peer_groups_and_root_causes(demo_scan: DemoScan) -> None:
    found = [r.finding for r in demo_scan.result.review.records]
    passed_by_peers = {f.service for f in found if "not a risk: its peers by" in f.message}
    assert passed_by_peers >= {"ec2", "autoscaling", "eks"}
    risks = {(f.check_id, f.resource_arn) for f in found if f.potential_single_az_risk}
    links = {
        (f.service, f.root_cause.check_id.partition(".")[0])
        for f in found
        if f.root_cause and (f.root_cause.check_id, f.root_cause.resource_arn) in risks
    }
    assert links >= {
        ("autoscaling", "beanstalk"),
        ("elb", "autoscaling"),
        ("elb", "ecs"),
        ("endpointservice", "elb"),
    }


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.key)
def test_every_action_is_well_formed(check: Any) -> None:
    for action in check.actions:
        assert re.fullmatch(r"[a-z0-9-]+:[A-Z][A-Za-z0-9]+", action), action

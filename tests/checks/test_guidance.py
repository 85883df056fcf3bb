"""Every check id a check can emit has a severity and a one-line remediation, and is documented."""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path

import pytest

from resiliency_analyser.checks import api
from resiliency_analyser.checks.registry import BY_KEY, GUIDANCE
from resiliency_analyser.cli.progress import LogDisplay
from resiliency_analyser.demo.account import DemoAccount
from resiliency_analyser.model.guidance import Severity
from resiliency_analyser.run.pipeline import run_scan
from tests.support.paths import ROOT

CHECK_ID = re.compile(r"^([a-z0-9_]+)\.[a-z0-9_]+$")


def literal_check_ids() -> set[str]:
    """String literals shaped like ``<check key>.<rule>`` anywhere in the check modules."""
    found: set[str] = set()
    for module in Path(api.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                shaped = CHECK_ID.fullmatch(node.value)
                if shaped and shaped.group(1) in BY_KEY:
                    found.add(node.value)
    return found


@pytest.fixture(scope="module")
def demo_check_ids(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What a full demo scan (a risky and a safe example of every check) actually emits."""
    with DemoAccount() as account:
        request = account.scan_request(tmp_path_factory.mktemp("demo"))
        result = asyncio.run(run_scan(request, account.session(), LogDisplay()))
    assert not result.failed
    return {r.finding.check_id for r in result.review.records}


def test_every_check_id_in_the_code_has_guidance() -> None:
    missing = sorted(literal_check_ids() - set(GUIDANCE))
    assert not missing, f"add these to resiliency_analyser/guidance.py GUIDANCE: {missing}"


def test_every_check_id_the_demo_emits_has_guidance(demo_check_ids: set[str]) -> None:
    missing = sorted(demo_check_ids - set(GUIDANCE))
    assert not missing, f"add these to resiliency_analyser/guidance.py GUIDANCE: {missing}"


def test_no_guidance_for_ids_no_check_emits(demo_check_ids: set[str]) -> None:
    stale = sorted(set(GUIDANCE) - literal_check_ids() - demo_check_ids)
    assert not stale


@pytest.mark.parametrize("check_id", sorted(GUIDANCE))
def test_guidance_is_a_severity_and_one_line(check_id: str) -> None:
    guidance = GUIDANCE[check_id]
    assert guidance.severity is not Severity.NONE
    assert guidance.remediation.strip() == guidance.remediation
    assert "\n" not in guidance.remediation
    assert 20 <= len(guidance.remediation) <= 200


def test_docs_list_every_check_id_with_its_severity() -> None:
    checks_doc = (ROOT / "docs" / "checks.md").read_text()
    for check_id, guidance in GUIDANCE.items():
        assert f"`{check_id}` ({guidance.severity.value})" in checks_doc, check_id

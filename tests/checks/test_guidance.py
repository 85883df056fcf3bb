"""Every check id a check can emit has a severity, a one-line remediation and a Security Hub
resource type, and is documented."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import botocore.session
import pytest

from resiliency_analyser.checks.catalogue import checks_markdown
from resiliency_analyser.checks.registry import CHECKS, GUIDANCE
from resiliency_analyser.cli.progress import LogDisplay
from resiliency_analyser.demo.account import DemoAccount
from resiliency_analyser.model.guidance import Severity
from resiliency_analyser.run.pipeline import run_scan
from tests.support.contract import CHECKS_FOLDER, literal_check_ids, require_demo, undeclared


def asff_resource_types() -> set[str]:
    """Every resource type Security Hub's finding format has: ``Other`` and the members of
    ``ResourceDetails`` in botocore's securityhub model."""
    model = botocore.session.get_session().get_service_model("securityhub")
    return {"Other", *model.shape_for("ResourceDetails").members}


@pytest.fixture(scope="module")
def demo_check_ids(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What a full demo scan (a risky and a safe example of every check) actually emits."""
    require_demo()
    with DemoAccount() as account:
        request = account.scan_request(tmp_path_factory.mktemp("demo"))
        result = asyncio.run(run_scan(request, account.session(), LogDisplay()))
    assert not result.failed
    return {r.finding.check_id for r in result.review.records}


def test_every_check_id_in_the_code_has_guidance() -> None:
    missing = undeclared(literal_check_ids(CHECKS_FOLDER))
    assert not missing, "\n".join(missing)


def test_every_check_id_the_demo_emits_has_guidance(demo_check_ids: set[str]) -> None:
    missing = undeclared(demo_check_ids)
    assert not missing, "\n".join(missing)


def test_a_check_id_without_guidance_is_named_with_the_entry_to_add(tmp_path: Path) -> None:
    (tmp_path / "awslambda.py").write_text('FORGOTTEN = "lambda.forgotten"\n')
    assert undeclared(literal_check_ids(tmp_path) | {"lambda.vpc_multi_az"}) == [
        "check 'lambda' emits 'lambda.forgotten' without declaring it: add "
        '"lambda.forgotten": Guidance(Severity.<HIGH|MEDIUM|LOW>, "<remediation>", '
        '"<ASFF resource type>") to CHECK.guidance in resiliency_analyser/checks/awslambda.py'
    ]


def test_no_guidance_for_ids_no_check_emits(demo_check_ids: set[str]) -> None:
    stale = sorted(set(GUIDANCE) - literal_check_ids(CHECKS_FOLDER) - demo_check_ids)
    assert not stale


@pytest.mark.parametrize("check_id", sorted(GUIDANCE))
def test_guidance_is_a_severity_and_one_line(check_id: str) -> None:
    guidance = GUIDANCE[check_id]
    assert guidance.severity is not Severity.NONE
    assert guidance.remediation.strip() == guidance.remediation
    assert "\n" not in guidance.remediation
    assert 20 <= len(guidance.remediation) <= 200


@pytest.mark.parametrize("check_id", sorted(GUIDANCE))
def test_each_resource_type_is_one_security_hub_has(check_id: str) -> None:
    declared = GUIDANCE[check_id].resource_type
    assert declared in asff_resource_types(), (
        f"{check_id}: {declared!r} is not an ASFF resource type (a member of ResourceDetails in "
        "botocore's securityhub model, or Other)"
    )


def test_docs_list_every_check_id_with_its_severity_and_resource_type() -> None:
    checks_doc = checks_markdown(CHECKS)
    for check_id, guidance in GUIDANCE.items():
        entry = f"`{check_id}` ({guidance.severity.value}, `{guidance.resource_type}`)"
        assert entry in checks_doc, check_id
    other = checks_doc.partition("## Security Hub resource types")[2]
    assert {i for i, g in GUIDANCE.items() if g.resource_type == "Other"} == set(
        re.findall(r"`([a-z0-9_]+\.[a-z0-9_]+)`", other)
    ), "the ids whose findings carry Other are listed, and only those"

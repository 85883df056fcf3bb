"""Every check id a check can emit has a severity, a one-line remediation and a Security Hub
resource type, and is documented."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from itertools import product
from pathlib import Path

import botocore.session
import pytest

from resiliency_analyser.checks.catalogue import checks_markdown
from resiliency_analyser.checks.registry import CHECKS, GUIDANCE
from resiliency_analyser.cli.progress import LogDisplay
from resiliency_analyser.demo.account import DemoAccount
from resiliency_analyser.model.guidance import SEVERITY_POLICY, Fails, Guidance, Outage, Severity
from resiliency_analyser.run.pipeline import run_scan
from tests.support.contract import (
    CHECKS_FOLDER,
    literal_check_ids,
    misjudged,
    require_demo,
    undeclared,
)


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
        '"<ASFF resource type>", fails=Fails.<DATA|PATH|CAPACITY>) to CHECK.guidance in '
        "resiliency_analyser/checks/awslambda.py"
    ]


def test_no_guidance_for_ids_no_check_emits(demo_check_ids: set[str]) -> None:
    stale = sorted(set(GUIDANCE) - literal_check_ids(CHECKS_FOLDER) - demo_check_ids)
    assert not stale


@pytest.mark.parametrize("check_id", sorted(GUIDANCE))
def test_guidance_is_a_severity_and_one_line(check_id: str) -> None:
    guidance = GUIDANCE[check_id]
    assert (guidance.severity is Severity.NONE) == guidance.event, "none for events, only"
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


def test_the_severity_policy_has_a_severity_for_every_kind_of_failure() -> None:
    assert set(SEVERITY_POLICY) == set(product(Fails, Outage))
    assert Severity.NONE not in SEVERITY_POLICY.values()


def test_every_check_id_has_the_severity_the_policy_gives_what_fails() -> None:
    wrong = misjudged(GUIDANCE)
    assert not wrong, "\n".join(wrong)


def test_a_severity_off_the_policy_is_named_with_the_one_to_declare() -> None:
    guidance = Guidance(
        Severity.HIGH, "Spread the tasks over AZs.", "AwsEcsService", fails=Fails.CAPACITY
    )
    assert misjudged({"ecs.service_subnet_zones": guidance}) == [
        "ecs.service_subnet_zones declares high, but capacity down is medium by the severity "
        "policy: declare Severity.MEDIUM, or say what fails and how"
    ]


def test_an_event_is_never_a_risk_so_the_policy_does_not_hold_it() -> None:
    """An id recording what AWS did (an autoshift) has severity none whatever it declares
    fails, and the docs say it is never a risk."""
    event = Guidance(
        Severity.NONE,
        "Check how the workloads fared during the shift.",
        "Other",
        fails=Fails.CAPACITY,
        outage=Outage.SELF_HEALING,
        event=True,
    )
    assert misjudged({"zonalshift.aws_autoshift": event}) == []
    assert misjudged({"zonalshift.aws_autoshift": replace(event, event=False)})
    events = [i for i, g in GUIDANCE.items() if g.event]
    assert events == ["zonalshift.aws_autoshift"]
    row = next(
        line
        for line in checks_markdown(CHECKS).splitlines()
        if line.startswith("| `zonalshift.aws_autoshift` |")
    )
    assert "| none | capacity, recovers by itself (an event AWS reported, never a risk) |" in row


@pytest.mark.parametrize(
    ("check_ids", "fails"),
    [
        pytest.param(
            ("ecs.service_subnet_zones", "autoscaling.group_zones", "eks.nodegroup_zones"),
            Fails.CAPACITY,
            id="compute confined to one AZ",
        ),
        pytest.param(
            (
                "beanstalk.environment_load_balanced",
                "ec2.standalone_instance",
                "sagemaker.endpoint_instance_count",
            ),
            Fails.CAPACITY,
            id="one instance, nothing relaunches it elsewhere",
        ),
        pytest.param(
            (
                "ecs.service_single_task",
                "autoscaling.single_instance",
                "eks.nodegroup_single_node",
                "ecs.service_task_zones",
                "autoscaling.instance_zones",
            ),
            Fails.CAPACITY,
            id="capacity in one AZ that its service relaunches elsewhere",
        ),
        pytest.param(
            (
                "nat.default_route_same_az",
                "tgw.attachment_multi_az",
                "vpn.tunnels_up",
                "networkfirewall.endpoints_multi_az",
                "route53resolver.endpoint_multi_az",
                "elb.load_balancer_zones",
                "vpce.interface_multi_az",
            ),
            Fails.PATH,
            id="the only path",
        ),
    ],
)
def test_the_same_failure_has_the_same_severity_in_every_check(
    check_ids: tuple[str, ...], fails: Fails
) -> None:
    """The contradictions issue 23 names: one kind of failure, one severity."""
    assert {GUIDANCE[i].fails for i in check_ids} == {fails}
    assert len({GUIDANCE[i].severity for i in check_ids}) == 1


@pytest.mark.parametrize("check_id", sorted(GUIDANCE))
def test_controls_are_named_as_their_publishers_name_them(check_id: str) -> None:
    guidance = GUIDANCE[check_id]
    assert all(re.fullmatch(r"[A-Za-z0-9]+\.\d+", c) for c in guidance.fsbp), guidance.fsbp
    assert guidance.well_architected, "every rule breaks a Well-Architected best practice"
    assert all(re.fullmatch(r"REL\d\d-BP\d\d", p) for p in guidance.well_architected)
    assert len(set(guidance.related_requirements)) == len(guidance.related_requirements)


def test_docs_list_every_check_id_with_its_severity_and_resource_type() -> None:
    checks_doc = checks_markdown(CHECKS)
    for check_id, guidance in GUIDANCE.items():
        row = next(line for line in checks_doc.splitlines() if line.startswith(f"| `{check_id}` |"))
        assert f"| {guidance.severity.value} |" in row, check_id
        assert f"{guidance.fails.value}, {guidance.outage.value}" in row, check_id
        assert f"`{guidance.resource_type}`" in row, check_id
        for control in (*guidance.fsbp, *guidance.well_architected):
            assert control in row, (check_id, control)
    other = checks_doc.partition("## Security Hub resource types")[2]
    assert {i for i, g in GUIDANCE.items() if g.resource_type == "Other"} == set(
        re.findall(r"`([a-z0-9_]+\.[a-z0-9_]+)`", other)
    ), "the ids whose findings carry Other are listed, and only those"


def test_docs_publish_the_severity_policy_the_code_applies() -> None:
    policy = checks_markdown(CHECKS).partition("## Severity")[2].partition("\n## ")[0]
    for (fails, outage), severity in SEVERITY_POLICY.items():
        row = next(line for line in policy.splitlines() if line.startswith(f"| {fails.value} |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1 + list(Outage).index(outage)] == severity.value

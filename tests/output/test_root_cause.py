"""One failure, one risk: a finding that goes down with another resource's risk carries its root
cause in every output, is no risk of its own, and the impact view lists it under its root."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from resiliency_analyser.checks.api import Batches, RegionScope
from resiliency_analyser.cli.impact import show
from resiliency_analyser.delivery.asff import asff_finding
from resiliency_analyser.gate.identity import finding_id
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.model.findings import AccountInfo, Assessment, Finding, RootCause
from resiliency_analyser.output.html import html_page
from resiliency_analyser.output.impact import entries, impact_of
from resiliency_analyser.output.impact_text import GOES_DOWN, impact_document, impact_markdown
from resiliency_analyser.output.jsonl import finding_object
from resiliency_analyser.output.ocsf import ROOT_CAUSE, ocsf_event
from resiliency_analyser.run.engine import Pair
from tests.delivery.test_asff import import_errors
from tests.output.test_formats import validator
from tests.output.test_html import Page
from tests.output.test_ocsf import assert_valid
from tests.support.browser import browser, rendered_dom
from tests.support.contract import made_up_check
from tests.support.engine import Collected, run_pairs
from tests.support.moto import ACCOUNT_ID

REGION = "us-east-1"
NLB = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT_ID}:loadbalancer/net/partner/1"
SERVICE = f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:vpc-endpoint-service/vpce-svc-1"
ZONE_IDS = {f"{REGION}a": "use1-az6"}


def found(assessment: Assessment, service: str) -> Finding:
    return Finding.of(
        assessment,
        service=service,
        region=REGION,
        account=AccountInfo(account_id=ACCOUNT_ID),
        at=datetime(2026, 1, 2, tzinfo=UTC),
        zone_ids=ZONE_IDS,
    )


ROOT = found(
    Assessment(
        check_id="elb.load_balancer_zones",
        resource_arn=NLB,
        resource_name="partner",
        risk=True,
        message="Network Load Balancer enabled in 1 AZ(s): us-east-1a",
        availability_zones=(f"{REGION}a",),
    ),
    "elb",
)
DEPENDENT = found(
    Assessment(
        check_id="endpointservice.service_multi_az",
        resource_arn=SERVICE,
        resource_name="partner-api",
        risk=False,
        message="Endpoint service is offered in 1 AZ(s): us-east-1a; it goes down with its "
        "Network Load Balancer partner (elb.load_balancer_zones), the root cause",
        availability_zones=(f"{REGION}a",),
        root_cause=RootCause(check_id="elb.load_balancer_zones", resource_arn=NLB),
    ),
    "endpointservice",
)


def test_a_finding_with_a_root_cause_is_no_risk_of_its_own() -> None:
    with pytest.raises(ValidationError, match="not a risk of its own"):
        Assessment(
            check_id="endpointservice.service_multi_az",
            risk=True,
            message="m",
            root_cause=RootCause(check_id="elb.load_balancer_zones", resource_arn=NLB),
        )
    with pytest.raises(ValidationError):
        RootCause(check_id="elb", resource_arn=NLB)
    assert DEPENDENT.location == "", "it is located through its root"
    assert ROOT.location_id == "use1-az6"


def test_json_lines_and_the_json_schema_carry_it() -> None:
    root, dependent = (finding_object(FindingRecord(f)) for f in (ROOT, DEPENDENT))
    assert root["root_cause"] is None
    assert dependent["root_cause"] == {
        "check_id": "elb.load_balancer_zones",
        "resource_arn": NLB,
    }
    assert (dependent["severity"], dependent["remediation"]) == ("none", "")
    for line in (root, dependent):
        assert not list(validator("finding").iter_errors(line)), line


def test_ocsf_relates_the_event_to_its_roots() -> None:
    event = ocsf_event(FindingRecord(DEPENDENT), "aws")
    assert_valid(event)
    assert event["finding_info"]["related_events"] == [
        {"uid": finding_id(ROOT), "type": ROOT_CAUSE}
    ]
    assert event["resources"][0]["data"]["root_cause"]["resource_arn"] == NLB
    assert event["status_code"] == "PASS"
    assert "related_events" not in ocsf_event(FindingRecord(ROOT), "aws")["finding_info"]


def test_security_hub_relates_the_finding_to_its_roots() -> None:
    passed = asff_finding(FindingRecord(DEPENDENT), partition="aws")
    risk = asff_finding(FindingRecord(ROOT), partition="aws")
    assert import_errors([passed, risk]) == ""
    related = [{"ProductArn": risk["ProductArn"], "Id": risk["Id"]}]
    assert passed["RelatedFindings"] == related
    assert passed["FindingProviderFields"]["RelatedFindings"] == related
    assert passed["Compliance"]["Status"] == "PASSED"
    assert "RelatedFindings" not in risk


async def three_kinds(scope: RegionScope) -> Batches:
    """A risk, a resource that goes down with it, and one that is fine."""
    check_id = "madeup.thing_multi_az"
    arn = "arn:aws:madeup:::thing/root"
    yield [
        Assessment(check_id=check_id, resource_arn=arn, risk=True, message="one AZ"),
        Assessment(
            check_id=check_id,
            resource_arn="arn:aws:madeup:::thing/dependent",
            risk=False,
            message="goes down with root",
            root_cause=RootCause(check_id=check_id, resource_arn=arn),
        ),
        Assessment(
            check_id=check_id,
            resource_arn="arn:aws:madeup:::thing/ok",
            risk=False,
            message="two AZs",
        ),
    ]


async def test_only_risks_keeps_what_goes_down_with_one_and_counts_the_root_alone() -> None:
    collected = Collected()
    await run_pairs([Pair(made_up_check(three_kinds), REGION)], collected, only_risks=True)
    written = [f.resource_arn.rpartition("/")[2] for f in collected.findings]
    assert written == ["root", "dependent"]
    assert (collected.result("madeup").resources, collected.result("madeup").risks) == (3, 1)


def impact_entries() -> list[dict[str, Any]]:
    return [finding_object(FindingRecord(f)) for f in (ROOT, DEPENDENT)]


def test_the_impact_view_lists_it_under_its_root() -> None:
    impact = impact_of(entries(impact_entries()))
    [zone] = impact.zones
    assert [e.resource for e in zone.open] == ["partner"], "the dependent is no risk"
    document = impact_document(impact)
    [risk] = document["zones"][0]["risks"]
    assert [d["resource_name"] for d in risk["goes_down_with_it"]] == ["partner-api"]
    text = impact_markdown(impact)
    assert "(1 more resources go down with them)" in text
    assert f"| ↳ `partner-api` |  | {GOES_DOWN}: Endpoint service is offered" in text
    assert text.index("`partner`") < text.index("`partner-api`")


def test_the_terminal_table_lists_it_under_its_root() -> None:
    from rich.console import Console

    out = io.StringIO()
    show(Console(file=out, width=200), impact_of(entries(impact_entries())), None)
    lines = out.getvalue().splitlines()
    [root] = [i for i, line in enumerate(lines) if " partner " in line]
    assert f"↳ partner-api ({GOES_DOWN})" in lines[root + 1]


def test_the_html_page_shows_the_root_and_what_goes_down_with_it(tmp_path: Path) -> None:
    page_text = html_page([{"findings": impact_entries()}], "root causes")
    data = json.loads(page_text.split('id="report-data">')[1].split("</script>")[0])
    root, dependent = sorted(data["findings"], key=lambda f: f["s"])
    assert (root["n"], root["d"]) == ("partner", [data["findings"].index(dependent)])
    assert dependent["rc"] == ["elb.load_balancer_zones", NLB]
    browser()
    path = tmp_path / "page.html"
    path.write_text(page_text)
    page = Page()
    page.feed(rendered_dom(path, tmp_path / "profile"))
    [row] = [r for r in page.rows["findings"] if r[6].startswith("partner-api")]
    assert row[1].startswith("with root cause")
    assert NLB in row[1]

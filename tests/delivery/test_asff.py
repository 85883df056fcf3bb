"""The ASFF record of a finding: valid for BatchImportFindings, within its limits, stable ids."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator

from resiliency_analyser.checks.registry import GUIDANCE
from resiliency_analyser.delivery.asff import (
    MAX_DESCRIPTION,
    MAX_RELATED_REQUIREMENTS,
    MAX_TITLE,
    TRIM_NOTE,
    archived,
    asff_finding,
    asff_size,
    description_trimmed,
)
from resiliency_analyser.delivery.securityhub import MAX_REQUEST_BYTES, batches
from resiliency_analyser.gate.identity import finding_id
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.gate.suppressions import Suppression
from tests.support.findings import rds_risk


def securityhub_model() -> Any:
    return botocore.session.get_session().get_service_model("securityhub")


def import_errors(findings: list[dict[str, Any]]) -> str:
    """botocore's own validation of a BatchImportFindings request: names, types, required."""
    shape = securityhub_model().operation_model("BatchImportFindings").input_shape
    report = ParamValidator().validate({"Findings": findings}, shape)
    return str(report.generate_report())


def test_a_risk_and_a_pass_are_valid_import_requests() -> None:
    accepted = Suppression(line=1, reason="rebuilt", owner="ops", expires=date(2027, 1, 31))
    risk = rds_risk(1).model_copy(
        update={"availability_zones": ("us-east-1a",), "tags": (("env", "prod"), ("empty", ""))}
    )
    passed = rds_risk(2).model_copy(update={"potential_single_az_risk": False})
    findings = [
        asff_finding(FindingRecord(risk, (accepted,)), partition="aws"),
        asff_finding(FindingRecord(passed), partition="aws"),
    ]
    assert import_errors(findings) == ""
    suppressed, ok = findings
    assert suppressed["Workflow"] == {"Status": "SUPPRESSED"}
    assert suppressed["ProductFields"]["resiliency-analyser/SuppressionExpires"] == "2027-01-31"
    assert suppressed["Resources"][0]["Tags"] == {"env": "prod"}, "empty tag values are left out"
    assert suppressed["Resources"][0]["Details"]["Other"]["AvailabilityZones"] == "us-east-1a"
    assert (ok["Severity"]["Label"], ok["Compliance"]["Status"]) == ("INFORMATIONAL", "PASSED")
    assert "Workflow" not in ok
    related = [
        "AWS Foundational Security Best Practices v1.0.0/RDS.5",
        "AWS Well-Architected Framework/REL10-BP01",
        "AWS Well-Architected Framework/REL11-BP02",
    ]
    assert suppressed["Compliance"] == {"Status": "FAILED", "RelatedRequirements": related}
    assert ok["Compliance"]["RelatedRequirements"] == related, "the controls it passed"
    assert "SecurityControlId" not in ok["Compliance"], "Security Hub's own controls only"


@pytest.mark.parametrize("check_id", sorted(GUIDANCE))
def test_every_check_id_names_its_controls_within_the_asff_limit(check_id: str) -> None:
    finding = rds_risk(1).model_copy(update={"check_id": check_id})
    compliance = asff_finding(FindingRecord(finding), partition="aws")["Compliance"]
    guidance = GUIDANCE[check_id]
    assert compliance.get("RelatedRequirements", []) == list(guidance.related_requirements)
    assert len(guidance.related_requirements) <= MAX_RELATED_REQUIREMENTS


def test_times_are_rfc3339_utc_and_an_earlier_creation_is_kept() -> None:
    local = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC).astimezone(
        timezone(timedelta(hours=2))
    )
    record = FindingRecord(rds_risk(1, at=local))
    fresh = asff_finding(record, partition="aws")
    assert fresh["CreatedAt"] == fresh["UpdatedAt"] == "2024-05-01T12:00:00.123Z"
    again = asff_finding(record, partition="aws", created="2024-01-01T00:00:00.000Z")
    assert again["CreatedAt"] == again["FirstObservedAt"] == "2024-01-01T00:00:00.000Z"
    assert again["UpdatedAt"] == "2024-05-01T12:00:00.123Z"


def test_long_text_is_trimmed_to_the_asff_limits_and_says_so() -> None:
    record = FindingRecord(rds_risk(1, message="x" * 5000, name_suffix="n" * 400))
    asff = asff_finding(record, partition="aws")
    assert len(asff["Description"]) == MAX_DESCRIPTION
    assert asff["Description"].endswith(TRIM_NOTE)
    assert len(asff["Title"]) <= MAX_TITLE
    assert description_trimmed(record)
    assert not description_trimmed(FindingRecord(rds_risk(1)))


def test_the_id_names_the_risk_not_the_run() -> None:
    first = rds_risk(1, at=datetime(2024, 5, 1, tzinfo=UTC))
    later = rds_risk(1, at=datetime(2025, 1, 1, tzinfo=UTC), message="changed")
    assert finding_id(first) == finding_id(later)
    others = [
        rds_risk(1, region="eu-west-1"),
        rds_risk(2),
        first.model_copy(update={"check_id": "rds.cluster_multi_az"}),
        first.model_copy(update={"account_id": "210987654321"}),
    ]
    assert len({finding_id(f) for f in [first, *others]}) == 5
    huge = first.model_copy(update={"resource_arn": "arn:" + "x" * 5000})
    assert len(finding_id(huge)) <= 512


@pytest.mark.parametrize("risk", [True, False], ids=["risk", "pass"])
def test_every_finding_carries_the_resource_type_its_check_id_declares(risk: bool) -> None:
    """A finding that is not a risk (imported with --security-hub-all) is of the same type."""
    base = rds_risk(1).model_copy(update={"potential_single_az_risk": risk})
    records = [FindingRecord(base.model_copy(update={"check_id": i})) for i in GUIDANCE]
    findings = [asff_finding(record, partition="aws") for record in records]
    assert import_errors(findings) == ""
    assert {f["GeneratorId"]: f["Resources"][0]["Type"] for f in findings} == {
        check_id: guidance.resource_type for check_id, guidance in GUIDANCE.items()
    }
    assert {f["Resources"][0]["Type"] for f in findings} >= {
        "AwsElbLoadBalancer",
        "AwsElbv2LoadBalancer",
        "AwsRdsDbInstance",
        "Other",
    }


def test_archiving_keeps_only_what_this_tool_sets() -> None:
    ours = asff_finding(FindingRecord(rds_risk(1)), partition="aws")
    read_back = ours | {
        "CompanyName": "Personal",
        "ProcessedAt": "2024-05-01T00:00:02Z",
        "Workflow": {"Status": "NOTIFIED"},
        "Note": {"Text": "looked at", "UpdatedBy": "me", "UpdatedAt": "2024-05-01T00:00:00Z"},
        "ProductFields": ours["ProductFields"] | {"aws/securityhub/FindingId": "arn:x"},
    }
    gone = archived(read_back, "2024-06-01T00:00:00.000Z")
    assert gone == ours | {
        "RecordState": "ARCHIVED",
        "UpdatedAt": "2024-06-01T00:00:00.000Z",
    }
    assert import_errors([gone]) == ""


@pytest.mark.parametrize(
    ("count", "padding", "expected"),
    [
        (0, 0, []),
        (100, 0, [100]),
        (250, 0, [100, 100, 50]),
        # Findings of 200 KB: 6 MB fills before 100 findings do.
        (60, 200_000, [29, 29, 2]),
    ],
)
def test_calls_hold_at_most_100_findings_and_6_mb(
    count: int, padding: int, expected: list[int]
) -> None:
    findings = [asff_finding(FindingRecord(rds_risk(i)), partition="aws") for i in range(count)]
    if padding:
        findings = [f | {"ProductFields": {"padding": "v" * padding}} for f in findings]
    calls = batches(findings)
    assert [finding for call in calls for finding in call] == findings
    assert all(sum(asff_size(f) for f in call) <= MAX_REQUEST_BYTES for call in calls)
    assert [len(call) for call in calls] == expected

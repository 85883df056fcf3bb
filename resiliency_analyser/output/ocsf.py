"""The ``ocsf`` format: one OCSF Compliance Finding (class 2003) event per finding, JSON Lines.

A finding is a rule evaluated on a resource, with the controls it corresponds to: what OCSF's
Compliance Finding and its ``compliance`` object describe (Detection Finding has no
``compliance``). Events are built with py-ocsf-models' pydantic classes, so every field has
the schema's name and type; the finding's id is the one Security Hub gets, so the two can be
joined.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import TYPE_CHECKING, Any

from py_ocsf_models.events.findings.activity_id import ActivityID
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
from py_ocsf_models.events.findings.compliance_finding_type_id import ComplianceFindingTypeID
from py_ocsf_models.events.findings.severity_id import SeverityID
from py_ocsf_models.events.findings.status_id import StatusID
from py_ocsf_models.objects.account import Account, TypeID
from py_ocsf_models.objects.cloud import Cloud
from py_ocsf_models.objects.compliance import Compliance
from py_ocsf_models.objects.compliance_status import StatusID as ComplianceStatusID
from py_ocsf_models.objects.finding_info import FindingInformation
from py_ocsf_models.objects.metadata import Metadata
from py_ocsf_models.objects.product import Product
from py_ocsf_models.objects.related_event import RelatedEvent
from py_ocsf_models.objects.remediation import Remediation
from py_ocsf_models.objects.resource_details import ResourceDetails

from resiliency_analyser import __version__
from resiliency_analyser.checks.registry import BY_KEY
from resiliency_analyser.gate.identity import TOOL, finding_id, finding_title, root_cause_id
from resiliency_analyser.gate.records import FindingRecord, risk_key
from resiliency_analyser.model.guidance import FSBP, WELL_ARCHITECTED, Guidance, Severity

if TYPE_CHECKING:
    from resiliency_analyser.output.run_view import RunView

SEVERITIES = {
    Severity.HIGH: SeverityID.High,
    Severity.MEDIUM: SeverityID.Medium,
    Severity.LOW: SeverityID.Low,
    Severity.NONE: SeverityID.Informational,
}
PROFILES = ["cloud", "datetime"]
ROOT_CAUSE = "root cause"
"""The related event's ``type`` naming the finding of the risk this resource goes down with."""


# py-ocsf-models ships no type information, so mypy sees its classes as Any.
class CloudComplianceFinding(ComplianceFinding):  # type: ignore[misc]
    """A Compliance Finding with the cloud profile's ``cloud`` (``metadata.profiles`` names the
    profile), which py-ocsf-models declares on its Detection Finding only."""

    cloud: Cloud | None = None


def compliance(record: FindingRecord, guidance: Guidance) -> Compliance:
    """The rule (the check id) as the control, its result, and the published controls it
    corresponds to as requirements of their standards."""
    finding = record.finding
    check = BY_KEY.get(finding.service)
    standards = [
        name
        for name, controls in ((FSBP, guidance.fsbp), (WELL_ARCHITECTED, guidance.well_architected))
        if controls
    ]
    return Compliance(
        control=finding.check_id,
        desc=check.rule if check else None,
        requirements=list(guidance.related_requirements) or None,
        standards=standards or None,
        status_id=(
            ComplianceStatusID.Fail if finding.potential_single_az_risk else ComplianceStatusID.Pass
        ),
    )


def _status(record: FindingRecord) -> StatusID:
    """An accepted risk is suppressed; a resource that is no risk has nothing left to resolve."""
    if not record.finding.potential_single_az_risk:
        return StatusID.Resolved
    return StatusID.Suppressed if record.suppression else StatusID.New


def compliance_finding(record: FindingRecord, partition: str) -> CloudComplianceFinding:
    finding, guidance, entry = record.finding, record.guidance, record.suppression
    at = finding.timestamp.astimezone(UTC)
    millis = int(at.timestamp() * 1000)
    severity, status = SEVERITIES[guidance.severity], _status(record)
    data: dict[str, object] = {
        "availability_zones": list(finding.availability_zones),
        "check_id": finding.check_id,
        "service": finding.service,
        "tags": dict(finding.tags),
    }
    data |= {
        k: v for k, v in (("resource_id", finding.resource_id), ("engine", finding.engine)) if v
    }
    if entry is not None:
        data["suppression"] = {"reason": entry.reason, "owner": entry.owner, "ticket": entry.ticket}
    root_id = root_cause_id(finding)
    if finding.root_cause is not None:
        data["root_cause"] = finding.root_cause.model_dump()
    zones = finding.availability_zones
    return CloudComplianceFinding(
        activity_id=ActivityID.Create,
        activity_name=ActivityID.Create.name,
        type_uid=ComplianceFindingTypeID.Create,
        class_name="Compliance Finding",
        type_name=f"Compliance Finding: {ActivityID.Create.name}",
        compliance=compliance(record, guidance),
        severity_id=severity,
        severity=severity.name,
        status_id=status,
        status=status.name,
        status_code="FAIL" if finding.potential_single_az_risk else "PASS",
        message=finding.message,
        comment=entry.reason if entry else None,
        time=millis,
        time_dt=at,
        metadata=Metadata(
            product=Product(name=TOOL, vendor_name=TOOL, version=__version__),
            event_code=finding.check_id,
            profiles=PROFILES,
        ),
        finding_info=FindingInformation(
            uid=finding_id(finding),
            title=finding_title(finding),
            desc=finding.message,
            types=[finding.check_id],
            # The event of the root's risk, which this resource goes down with.
            related_events=[RelatedEvent(uid=root_id, type=ROOT_CAUSE)] if root_id else None,
            created_time=millis,
            created_time_dt=at,
        ),
        cloud=Cloud(
            provider="AWS",
            region=finding.region,
            # A resource in one zone is the single-AZ case; several zones do not fit one field.
            zone=zones[0] if len(zones) == 1 else None,
            account=Account(
                uid=finding.account_id,
                name=finding.account_name or finding.account_id,
                type_id=TypeID.AWS_Account,
                type=TypeID.AWS_Account.name.replace("_", " "),
            ),
        ),
        resources=[
            ResourceDetails(
                uid=risk_key(finding)[3],
                name=finding.resource_name or None,
                type=guidance.resource_type,
                region=finding.region,
                cloud_partition=partition,
                labels=[f"{key}:{value}" for key, value in finding.tags] or None,
                data=data,
            )
        ],
        remediation=Remediation(desc=guidance.remediation) if guidance.remediation else None,
    )


def ocsf_event(record: FindingRecord, partition: str) -> dict[str, Any]:
    """The event as JSON values, without the fields left unset."""
    event: dict[str, Any] = compliance_finding(record, partition).model_dump(
        mode="json", exclude_none=True
    )
    return event


def ocsf_text(run: RunView) -> str:
    partition = run.account.partition
    return "".join(
        json.dumps(ocsf_event(r, partition), ensure_ascii=False) + "\n" for r in run.review.records
    )

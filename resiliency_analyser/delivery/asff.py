"""A finding as an AWS Security Finding Format (ASFF) record for Security Hub's default product.

Pure: no I/O, so what Security Hub receives is tested field by field.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from resiliency_analyser import __version__
from resiliency_analyser.gate.identity import TOOL, finding_id, finding_title, root_cause_id
from resiliency_analyser.gate.records import FindingRecord, risk_key

Asff = dict[str, Any]

SCHEMA_VERSION = "2018-10-08"
FINDING_TYPE = "Software and Configuration Checks/AWS Security Best Practices/Resiliency"

MAX_TITLE = 256
MAX_DESCRIPTION = 1024
MAX_RECOMMENDATION = 512
MAX_FIELD_VALUE = 2048
MAX_DETAIL_VALUE = 1024
# The API allows 240 KB per finding; reading "KB" as 1,000 bytes keeps us under either reading.
MAX_FINDING_BYTES = 240_000
MAX_RELATED_REQUIREMENTS = 32
TRIM_NOTE = " [trimmed to fit Security Hub's limit]"

SEVERITY_LABELS = {"high": "HIGH", "medium": "MEDIUM", "low": "LOW", "none": "INFORMATIONAL"}

OUR_MEMBERS = (
    "SchemaVersion",
    "Id",
    "ProductArn",
    "ProductName",
    "GeneratorId",
    "AwsAccountId",
    "Region",
    "Types",
    "FirstObservedAt",
    "LastObservedAt",
    "CreatedAt",
    "UpdatedAt",
    "Severity",
    "FindingProviderFields",
    "Title",
    "Description",
    "Remediation",
    "ProductFields",
    "Resources",
    "Compliance",
    "RelatedFindings",
    "Workflow",
    "RecordState",
)
"""Every member this tool sets; the rest of a finding read back is Security Hub's own."""


def product_arn(partition: str, region: str, account_id: str) -> str:
    """The account's default product: the one findings of custom integrations are imported to."""
    return f"arn:{partition}:securityhub:{region}:{account_id}:product/{account_id}/default"


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC to the millisecond, as ASFF takes and the console shows times."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def clip(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters, ending with the trim note; and whether it was."""
    if len(text) <= limit:
        return text, False
    return text[: limit - len(TRIM_NOTE)].rstrip() + TRIM_NOTE, True


def _resource(record: FindingRecord, partition: str) -> dict[str, Any]:
    finding = record.finding
    resource: dict[str, Any] = {
        "Type": record.guidance.resource_type,
        "Id": risk_key(finding)[3],
        "Partition": partition,
        "Region": finding.region,
    }
    # Tag values may be empty; ASFF maps take only non-empty strings.
    tags = {key: value for key, value in finding.tags if value.strip()}
    if tags:
        resource["Tags"] = tags
    other = {
        "AvailabilityZones": ",".join(finding.availability_zones),
        "ResourceName": finding.resource_name,
        "ResourceId": finding.resource_id,
        "Engine": finding.engine,
    }
    if details := {key: clip(value, MAX_DETAIL_VALUE)[0] for key, value in other.items() if value}:
        resource["Details"] = {"Other": details}
    return resource


def _product_fields(record: FindingRecord) -> dict[str, str]:
    entry = record.suppression
    fields = {
        "ProviderName": TOOL,
        "ProviderVersion": __version__,
        "resiliency-analyser/Service": record.finding.service,
        "resiliency-analyser/SuppressionReason": entry.reason if entry else "",
        "resiliency-analyser/SuppressionOwner": entry.owner if entry else "",
        "resiliency-analyser/SuppressionTicket": entry.ticket if entry else "",
        "resiliency-analyser/SuppressionExpires": (
            entry.expires.isoformat() if entry and entry.expires else ""
        ),
    }
    return {key: clip(value, MAX_FIELD_VALUE)[0] for key, value in fields.items() if value}


def compliance(record: FindingRecord) -> dict[str, Any]:
    """The rule's result, and the published controls it corresponds to as ``<standard>/<id>``
    (at most 32, the API's limit; no check id names that many)."""
    result: dict[str, Any] = {
        "Status": "FAILED" if record.finding.potential_single_az_risk else "PASSED"
    }
    if related := record.guidance.related_requirements:
        result["RelatedRequirements"] = list(related[:MAX_RELATED_REQUIREMENTS])
    return result


def asff_finding(record: FindingRecord, *, partition: str, created: str | None = None) -> Asff:
    """The ASFF record of ``record``; ``created`` is when Security Hub first saw it, if it has."""
    finding, guidance = record.finding, record.guidance
    observed = timestamp(finding.timestamp)
    severity = {
        "Label": SEVERITY_LABELS[guidance.severity.value],
        "Original": guidance.severity.value,
    }
    asff: Asff = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": finding_id(finding),
        "ProductArn": product_arn(partition, finding.region, finding.account_id),
        "ProductName": TOOL,
        "GeneratorId": finding.check_id,
        "AwsAccountId": finding.account_id,
        "Region": finding.region,
        "Types": [FINDING_TYPE],
        "FirstObservedAt": created or observed,
        "LastObservedAt": observed,
        "CreatedAt": created or observed,
        "UpdatedAt": observed,
        "Severity": severity,
        # Security Hub takes severity and types of an existing finding only from these.
        "FindingProviderFields": {"Severity": severity, "Types": [FINDING_TYPE]},
        "Title": clip(finding_title(finding), MAX_TITLE)[0],
        "Description": clip(finding.message, MAX_DESCRIPTION)[0],
        "ProductFields": _product_fields(record),
        "Resources": [_resource(record, partition)],
        "Compliance": compliance(record),
        "RecordState": "ACTIVE",
    }
    if guidance.remediation:
        text = clip(guidance.remediation, MAX_RECOMMENDATION)[0]
        asff["Remediation"] = {"Recommendation": {"Text": text}}
    if record.suppression is not None:
        asff["Workflow"] = {"Status": "SUPPRESSED"}
    if (root := root_cause_id(finding)) is not None:
        # The root's finding, which reports the risk this resource goes down with; Security Hub
        # takes an existing finding's related findings from FindingProviderFields only.
        related = [{"ProductArn": asff["ProductArn"], "Id": root}]
        asff["RelatedFindings"] = related
        asff["FindingProviderFields"]["RelatedFindings"] = related
    return asff


def description_trimmed(record: FindingRecord) -> bool:
    return clip(record.finding.message, MAX_DESCRIPTION)[1]


def asff_size(asff: Asff) -> int:
    """A finding's size on the wire, as the per-finding limit counts it."""
    return len(json.dumps(asff, separators=(",", ":"), ensure_ascii=False).encode())


def archived(existing: Asff, at: str) -> Asff:
    """A finding read back from Security Hub, re-imported to take it out of the console."""
    ours = {key: existing[key] for key in OUR_MEMBERS if key in existing}
    # Security Hub adds keys of its own (aws/securityhub/...) that an import may not set.
    fields = ours.get("ProductFields", {})
    ours["ProductFields"] = {k: v for k, v in fields.items() if not k.startswith("aws/")}
    ours.pop("Workflow", None)
    return ours | {"RecordState": "ARCHIVED", "UpdatedAt": at}

"""JSON Lines: one finding per line, everything the CSV has plus structured fields."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.gate.suppressions import Suppression
from resiliency_analyser.model.findings import FINDING_COLUMNS

if TYPE_CHECKING:
    from resiliency_analyser.output.run_view import RunView


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC to the second, e.g. ``2026-11-26T17:32:25Z``."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def iso_date(day: date | None) -> str | None:
    return day.isoformat() if day else None


def suppression_object(entry: Suppression) -> dict[str, Any]:
    return {
        "line": entry.line,
        "reason": entry.reason,
        "owner": entry.owner,
        "ticket": entry.ticket,
        "expires": iso_date(entry.expires),
        "match": entry.criteria(),
    }


def finding_object(record: FindingRecord) -> dict[str, Any]:
    finding, guidance, entry = record.finding, record.guidance, record.suppression
    return {
        **{column: getattr(finding, column) for column in FINDING_COLUMNS},
        "timestamp": iso(finding.timestamp),
        "check_id": finding.check_id,
        "availability_zones": list(finding.availability_zones),
        "availability_zone_ids": list(finding.availability_zone_ids),
        "location": finding.location,
        "location_id": finding.location_id,
        "tags": dict(finding.tags),
        "root_cause": finding.root_cause.model_dump() if finding.root_cause else None,
        "severity": guidance.severity.value,
        "remediation": guidance.remediation,
        "fsbp": list(guidance.fsbp),
        "well_architected": list(guidance.well_architected),
        "suppressed": entry is not None,
        "suppression": suppression_object(entry) if entry else None,
    }


def jsonl_text(run: RunView) -> str:
    return "".join(
        json.dumps(finding_object(r), ensure_ascii=False) + "\n" for r in run.review.records
    )

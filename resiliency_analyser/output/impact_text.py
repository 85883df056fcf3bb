"""The impact view for machines (JSON) and pull requests (Markdown)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from resiliency_analyser.output.impact import Impact, ImpactEntry, ZoneImpact
from resiliency_analyser.output.markdown import (
    ZONE_HEADER,
    capped,
    fit,
    table,
    zone_rows,
)

IMPACT_SCHEMA_VERSION = 1


def entry_object(entry: ImpactEntry) -> dict[str, Any]:
    return {
        "account_id": entry.account_id,
        "account_name": entry.account_name,
        "region": entry.region,
        "service": entry.service,
        "check_id": entry.check_id,
        "severity": entry.severity.value,
        "resource_arn": entry.resource_arn,
        "resource_name": entry.resource_name,
        "resource_id": entry.resource_id,
        "availability_zones": list(entry.availability_zones),
        "availability_zone_ids": list(entry.availability_zone_ids),
        "location": entry.location,
        "message": entry.message,
        "remediation": entry.remediation,
        "suppressed": entry.suppressed,
    }


def zone_object(zone: ZoneImpact) -> dict[str, Any]:
    return {
        "az_id": zone.zone_id,
        "region": zone.region,
        "names": dict(sorted(zone.names.items())),
        "counts": zone.counts(),
        "risks": [entry_object(e) for e in zone.open],
        "accepted": [entry_object(e) for e in zone.accepted],
    }


def impact_document(impact: Impact) -> dict[str, Any]:
    return {
        "schema_version": IMPACT_SCHEMA_VERSION,
        "findings": impact.findings,
        "accounts": list(impact.accounts),
        "zones": [zone_object(z) for z in impact.zones],
        "unplaced": [entry_object(e) for e in impact.unplaced],
    }


def impact_json(impact: Impact) -> str:
    return json.dumps(impact_document(impact), indent=2, ensure_ascii=False) + "\n"


RESOURCE_HEADER = ("account", "check", "severity", "resource", "AZ name", "why")


def resource_rows(found: Sequence[ImpactEntry]) -> list[list[str]]:
    return [
        [
            e.account_id,
            e.check_id,
            e.severity.value,
            f"`{e.resource}`",
            e.location,
            e.message,
        ]
        for e in found
    ]


def zone_section(zone: ZoneImpact) -> list[str]:
    lines = [f"### {zone.zone_id} ({zone.region})", ""]
    if zone.open:
        shown, more = capped(zone.open)
        lines += [*table(RESOURCE_HEADER, resource_rows(shown)), *more]
    if zone.accepted:
        shown, more = capped(zone.accepted)
        lines += ["Accepted (suppressed):", "", *table(RESOURCE_HEADER, resource_rows(shown))]
        lines += more
    return lines


def headline(impact: Impact) -> str:
    risks = sum(len(z.open) + len(z.accepted) for z in impact.zones)
    accounts = len(impact.accounts)
    return (
        f"{risks} risks located in {len(impact.zones)} AZ IDs, across {accounts} "
        f"account{'s' if accounts != 1 else ''} ({impact.findings} findings read); "
        f"{len(impact.unplaced)} risks not tied to one AZ."
    )


def impact_markdown(impact: Impact) -> str:
    lines = ["## What one AZ failure takes down", "", headline(impact), ""]
    if impact.zones:
        lines += table(ZONE_HEADER, zone_rows(impact))
    for zone in impact.zones:
        lines += zone_section(zone)
    if impact.unplaced:
        shown, more = capped(impact.unplaced)
        lines += ["### Not tied to one AZ", "", *table(RESOURCE_HEADER, resource_rows(shown))]
        lines += more
    return fit(lines)

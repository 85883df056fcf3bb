"""The impact view for machines (JSON), pull requests (Markdown) and people (HTML)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from resiliency_analyser.output.html import html_page
from resiliency_analyser.output.impact import Impact, ImpactEntry, ZoneImpact, entries, impact_of
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


class ImpactFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


def impact_view(documents: Sequence[Mapping[str, Any]], zone_id: str | None) -> Impact:
    impact = impact_of(entries(f for d in documents for f in d.get("findings", [])))
    return impact.only(zone_id) if zone_id else impact


def located_in(documents: Sequence[Mapping[str, Any]], zone_id: str) -> list[dict[str, Any]]:
    """The documents with only the findings located in the zone: the page of that one zone."""
    return [
        {**d, "findings": [f for f in d.get("findings", []) if f.get("location_id") == zone_id]}
        for d in documents
    ]


def impact_text(
    fmt: ImpactFormat, documents: Sequence[Mapping[str, Any]], zone_id: str | None
) -> str:
    """The view in a file format (the terminal's table is drawn by the command itself)."""
    if fmt is ImpactFormat.HTML:
        if zone_id:
            return html_page(
                located_in(documents, zone_id), f"What a failure of {zone_id} takes down"
            )
        return html_page(documents, "What one AZ failure takes down")
    impact = impact_view(documents, zone_id)
    return impact_json(impact) if fmt is ImpactFormat.JSON else impact_markdown(impact)

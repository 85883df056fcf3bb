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


GOES_DOWN = "goes down with it"
"""What the impact view says of a resource that goes down with a risk listed above it."""


def entry_object(entry: ImpactEntry, impact: Impact | None = None) -> dict[str, Any]:
    """``impact`` given: with the resources that go down with this risk."""
    found: dict[str, Any] = {
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
    if impact is not None:
        found["goes_down_with_it"] = [entry_object(d) for d in impact.goes_down_with(entry)]
    return found


def zone_object(zone: ZoneImpact, impact: Impact) -> dict[str, Any]:
    return {
        "az_id": zone.zone_id,
        "region": zone.region,
        "names": dict(sorted(zone.names.items())),
        "counts": zone.counts(),
        "risks": [entry_object(e, impact) for e in zone.open],
        "accepted": [entry_object(e, impact) for e in zone.accepted],
        "autoshifts": [entry_object(e) for e in zone.autoshifts],
    }


def impact_document(impact: Impact) -> dict[str, Any]:
    return {
        "schema_version": IMPACT_SCHEMA_VERSION,
        "findings": impact.findings,
        "accounts": list(impact.accounts),
        "zones": [zone_object(z, impact) for z in impact.zones],
        "unplaced": [entry_object(e, impact) for e in impact.unplaced],
    }


def impact_json(impact: Impact) -> str:
    return json.dumps(impact_document(impact), indent=2, ensure_ascii=False) + "\n"


RESOURCE_HEADER = ("account", "check", "severity", "resource", "AZ name", "why")


def listed(impact: Impact, found: Sequence[ImpactEntry]) -> list[tuple[ImpactEntry, bool]]:
    """Each risk, then the resources that go down with it (marked ``True``)."""
    return [(row, row is not e) for e in found for row in (e, *impact.goes_down_with(e))]


def resource_row(entry: ImpactEntry, dependent: bool) -> list[str]:
    """A risk's row; a resource going down with the risk above it says so, with its message
    (which names the root)."""
    if dependent:
        why = f"{GOES_DOWN}: {entry.message}"
        return [entry.account_id, entry.check_id, "", f"↳ `{entry.resource}`", "", why]
    return [
        entry.account_id,
        entry.check_id,
        entry.severity.value,
        f"`{entry.resource}`",
        entry.location,
        entry.message,
    ]


def resource_rows(impact: Impact, found: Sequence[ImpactEntry]) -> list[list[str]]:
    return [resource_row(e, dependent) for e, dependent in listed(impact, found)]


AUTOSHIFT_HEADER = ("account", "region", "AWS autoshift away from this zone")


def autoshift_lines(zone: ZoneImpact) -> list[str]:
    """AWS's autoshifts away from the zone, one row each."""
    if not zone.autoshifts:
        return []
    shown, more = capped(zone.autoshifts)
    rows = [[e.account_id, e.region, e.message] for e in shown]
    return [*table(AUTOSHIFT_HEADER, rows), *more]


def zone_section(zone: ZoneImpact, impact: Impact) -> list[str]:
    lines = [f"### {zone.zone_id} ({zone.region})", "", *autoshift_lines(zone)]
    if zone.open:
        shown, more = capped(zone.open)
        lines += [*table(RESOURCE_HEADER, resource_rows(impact, shown)), *more]
    if zone.accepted:
        shown, more = capped(zone.accepted)
        lines += [
            "Accepted (suppressed):",
            "",
            *table(RESOURCE_HEADER, resource_rows(impact, shown)),
        ]
        lines += more
    return lines


def headline(impact: Impact) -> str:
    risks = sum(len(z.open) + len(z.accepted) for z in impact.zones)
    accounts = len(impact.accounts)
    dependents = impact.shown_dependents()
    with_them = f" ({dependents} more resources go down with them)" if dependents else ""
    autoshifts = sum(len(z.autoshifts) for z in impact.zones)
    shifted = (
        f" AWS shifted traffic away from these AZs {autoshifts} time(s)." if autoshifts else ""
    )
    return (
        f"{risks} risks located in {len(impact.zones)} AZ IDs, across {accounts} "
        f"account{'s' if accounts != 1 else ''} ({impact.findings} findings read); "
        f"{len(impact.unplaced)} risks not tied to one AZ{with_them}.{shifted}"
    )


def impact_markdown(impact: Impact) -> str:
    lines = ["## What one AZ failure takes down", "", headline(impact), ""]
    if impact.zones:
        lines += table(ZONE_HEADER, zone_rows(impact))
    for zone in impact.zones:
        lines += zone_section(zone, impact)
    if impact.unplaced:
        shown, more = capped(impact.unplaced)
        lines += [
            "### Not tied to one AZ",
            "",
            *table(RESOURCE_HEADER, resource_rows(impact, shown)),
        ]
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

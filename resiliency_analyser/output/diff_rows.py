"""The lists of a comparison as rows of plain text: one definition for the terminal's tables, the
Markdown and the HTML page, each of which marks them up (and caps them) in its own way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from resiliency_analyser.output.diff import (
    Changed,
    CoverageChange,
    Resolved,
    RunDiff,
    RunSide,
    Unverified,
)
from resiliency_analyser.output.impact import ImpactEntry
from resiliency_analyser.output.markdown import zones_with_ids

WHERE = ("account", "check", "region", "resource")
COUNTS_HEADER = (
    "new risks",
    "resolved",
    "still open",
    "changed",
    "not rechecked",
    "coverage changes",
)


def side_line(name: str, side: RunSide) -> str:
    when = f" (started {side.started})" if side.started else ""
    accounts = ", ".join(side.accounts) or "no account"
    return f"{name}: {side.label}{when}, {accounts}: {side.open_risks} unaccepted risks"


def counts_row(diff: RunDiff) -> list[str]:
    accepted = sum(1 for e in diff.new_risks if e.suppressed)
    new = f"{len(diff.new_risks)}" + (f" ({accepted} accepted)" if accepted else "")
    return [new, *(str(n) for n in list(diff.counts().values())[1:])]


def outcome(result: str | None) -> str:
    return result or "not scanned"


def where(entry: ImpactEntry) -> list[str]:
    return [entry.account_id, entry.check_id, entry.region, entry.resource]


def severity(entry: ImpactEntry) -> str:
    return entry.severity.value + (" (accepted)" if entry.suppressed else "")


def new_row(e: ImpactEntry) -> list[str]:
    zones = zones_with_ids(e.availability_zones, e.availability_zone_ids)
    return [severity(e), *where(e), zones, e.message]


def resolved_row(r: Resolved) -> list[str]:
    return [r.how.value.replace("_", " "), *where(r.entry)]


def changed_row(c: Changed) -> list[str]:
    what = "; ".join(f"{name}: {a} → {b}" for name in c.fields for a, b in [c.values(name)])
    return [*where(c.new), what]


def coverage_row(c: CoverageChange) -> list[str]:
    return [
        c.account_id,
        c.service,
        c.region,
        outcome(c.old),
        outcome(c.new),
        str(c.unverified),
        str(c.first_seen),
    ]


def unverified_row(u: Unverified) -> list[str]:
    return [*where(u.entry), outcome(u.result)]


def still_open_row(e: ImpactEntry) -> list[str]:
    return [severity(e), *where(e), e.message]


@dataclass(frozen=True)
class Listing:
    """One group of the comparison as a table."""

    key: str
    title: str
    header: tuple[str, ...]
    rows: Callable[[RunDiff], list[list[str]]]
    brief: bool = True
    """Listed in the brief views (terminal, Markdown); the HTML page lists every group."""


LISTINGS: Sequence[Listing] = (
    Listing(
        "new",
        "New risks",
        ("severity", *WHERE, "AZs", "why"),
        lambda d: [new_row(e) for e in d.new_risks],
    ),
    Listing(
        "resolved", "Resolved", ("how", *WHERE), lambda d: [resolved_row(r) for r in d.resolved]
    ),
    Listing(
        "changed",
        "Changed",
        (*WHERE, "what changed"),
        lambda d: [changed_row(c) for c in d.changed],
    ),
    Listing(
        "coverage",
        "Coverage changes",
        ("account", "check", "region", "OLD", "NEW", "risks not rechecked", "first seen"),
        lambda d: [coverage_row(c) for c in d.coverage],
    ),
    Listing(
        "not-rechecked",
        "Not rechecked (the new run could not scan their check and region)",
        (*WHERE, "NEW result"),
        lambda d: [unverified_row(u) for u in d.unverified],
    ),
    Listing(
        "still-open",
        "Still open",
        ("severity", *WHERE, "why"),
        lambda d: [still_open_row(e) for e in d.still_open],
        brief=False,
    ),
)

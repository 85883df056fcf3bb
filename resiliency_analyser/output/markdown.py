"""The Markdown summary for people: a CI job's step summary, or a file with ``--format markdown``.

GitHub refuses a step summary of 1 MiB or more, so lists are capped and the text is cut to fit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from resiliency_analyser import __version__
from resiliency_analyser.gate.records import FindingRecord, Identified, order_key
from resiliency_analyser.gate.suppressions import Suppression
from resiliency_analyser.model.guidance import SEVERITY_RANK
from resiliency_analyser.output.impact import Impact, impact_of_records, zone_pairs
from resiliency_analyser.output.jsonl import iso

if TYPE_CHECKING:
    from resiliency_analyser.gate.policy import Review
    from resiliency_analyser.output.run_view import RunView

MAX_BYTES = 1024 * 1024 - 1
LIST_LIMIT = 50
TOP_FINDINGS = 25
CELL_LIMIT = 300
TRUNCATED = "\n_Summary cut to stay under GitHub's 1 MiB limit; the JSON output has everything._\n"


def cell(text: str) -> str:
    """Table-safe: one line, no column breaks, bounded length."""
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat if len(flat) <= CELL_LIMIT else flat[: CELL_LIMIT - 1] + "…"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
    return [*lines, ""]


T = TypeVar("T")


def capped(items: Sequence[T], limit: int = LIST_LIMIT) -> tuple[Sequence[T], list[str]]:
    """The first ``limit`` items, and a line saying how many were left out."""
    if len(items) <= limit:
        return items, []
    return items[:limit], [f"_… and {len(items) - limit} more._", ""]


def resource(item: Identified) -> str:
    return f"`{item.resource_name or item.resource_id or item.resource_arn}`"


def headline(run: RunView) -> list[str]:
    account, review = run.account, run.review
    name = f" ({account.account_name})" if account.account_name else ""
    services = sorted({r.service for r in run.results})
    lines = [
        f"## Resiliency scan of account {account.account_id}{name}",
        "",
        f"**{len(review.open_risks)} unaccepted single-AZ risks**, "
        f"{len(review.suppressed)} accepted (suppressed), "
        f"in {sum(r.resources for r in run.results)} resources; "
        f"{len(services)} checks in {len(run.regions)} regions; "
        f"{len(run.failed)} failed (check, region) pairs.",
        "",
        f"{iso(run.started)} to {iso(run.ended)} ({run.seconds:.1f} s), "
        f"resiliency-analyser {__version__}.",
        "",
    ]
    if review.verdict:
        lines += [f"**{review.verdict.sentence()}**", ""]
    return lines


def failures(run: RunView) -> list[str]:
    if not run.failed:
        return []
    shown, more = capped(run.failed)
    rows = ((r.service, r.region, r.error_message) for r in shown)
    return [
        "### Failed (check, region) pairs",
        "",
        "These were not scanned fully; the exit code is 1 whatever the gate says.",
        "",
        *table(("check", "region", "error"), rows),
        *more,
    ]


def risk_rows(review: Review, records: Sequence[FindingRecord]) -> list[list[str]]:
    rows = []
    for record in records:
        f, guidance = record.finding, record.guidance
        why = f.message
        lapsed = review.lapsed(record)
        if lapsed:
            why += f" (acceptance expired {lapsed.expires}, suppressions line {lapsed.line})"
        rows.append(
            [
                guidance.severity.value,
                f.service,
                f.region,
                resource(f),
                zones_with_ids(f.availability_zones, f.availability_zone_ids),
                why,
                guidance.remediation,
            ]
        )
    return rows


def zones_with_ids(names: Sequence[str], ids: Sequence[str]) -> str:
    """``us-east-1a (use1-az6)``: the name the account's console shows, the ID that is global."""
    shown = (f"{name} ({zone_id})" if zone_id else name for name, zone_id in zone_pairs(names, ids))
    return ", ".join(shown) or "—"


RISK_HEADER = ("severity", "check", "region", "resource", "AZs", "why", "fix")


def comparison(review: Review) -> list[str]:
    found = review.comparison
    if found is None:
        return []
    new, more_new = capped(found.new)
    resolved, more_resolved = capped(found.resolved)
    lines = [
        "### Since the baseline",
        "",
        f"{len(found.new)} new, {len(found.resolved)} resolved, "
        f"{len(found.unchanged)} unchanged unaccepted risks.",
        "",
    ]
    if new:
        lines += ["New:", "", *table(RISK_HEADER, risk_rows(review, new)), *more_new]
    if resolved:
        rows = ((e.service, e.region, resource(e), e.check_id) for e in resolved)
        lines += ["Resolved:", "", *table(("check", "region", "resource", "check id"), rows)]
        lines += more_resolved
    return lines


def since_last_run(run: RunView) -> list[str]:
    """With ``--history``: what changed since the history's last run, in counts."""
    history = run.history
    if history is None:
        return []
    lines = ["### Since the last run", ""]
    found = history.since
    if found is None:
        lines += ["The first run in this history: nothing to compare with yet.", ""]
    else:
        counts = found.counts()
        lines += [
            f"Since the last run (started {found.old.started}): {counts['new']} new, "
            f"{counts['resolved']} resolved, {counts['changed']} changed risks; "
            f"{counts['coverage_changes']} coverage changes "
            "(`resiliency-analyser diff` on the two runs' files lists them).",
            "",
        ]
    return lines + [f"_{note}_" for note in history.notes] + ([""] if history.notes else [])


def by_service_and_region(run: RunView) -> list[str]:
    accepted = Counter((r.finding.service, r.finding.region) for r in run.review.suppressed)
    failed = {(r.service, r.region) for r in run.failed}
    rows = [
        (
            r.service,
            r.region,
            str(r.resources),
            str(r.risks),
            str(accepted[r.service, r.region]),
            r.outcome.value,
        )
        for r in sorted(run.results, key=lambda r: (r.service, r.region))
        if r.resources or (r.service, r.region) in failed
    ]
    if not rows:
        return ["No resources found in the scanned checks and regions.", ""]
    header = ("check", "region", "resources", "risks", "accepted", "result")
    return ["### Risks by check and region", "", *table(header, rows)]


ZONE_HEADER = ("AZ ID", "region", "high", "medium", "low", "accepted", "AWS autoshifts")


def zone_rows(impact: Impact) -> list[list[str]]:
    """Per AZ ID, the risks its failure would realise, by severity, the accepted ones, and the
    autoshifts AWS started away from it."""
    rows = []
    for zone in impact.zones:
        counts = zone.counts()
        rows.append([zone.zone_id, zone.region, *(str(n) for n in counts.values())])
    return rows


def by_zone_id(review: Review) -> list[str]:
    impact = impact_of_records(review.records)
    if not impact.zones:
        return []
    shown, more = capped(zone_rows(impact))
    return [
        "### Risks by AZ ID",
        "",
        "What the failure of each zone would take down (`resiliency-analyser impact` lists them).",
        "",
        *table(ZONE_HEADER, shown),
        *more,
    ]


def top_findings(review: Review) -> list[str]:
    ranked = sorted(
        review.open_risks,
        key=lambda r: (SEVERITY_RANK[r.guidance.severity], order_key(r.finding)),
    )
    if not ranked:
        return []
    shown, more = capped(ranked, TOP_FINDINGS)
    return [
        "### Top unaccepted risks",
        "",
        *table(RISK_HEADER, risk_rows(review, shown)),
        *more,
    ]


def entries(title: str, found: Sequence[Suppression]) -> list[str]:
    if not found:
        return []
    shown, more = capped(found)
    rows = (
        (str(s.line), s.criteria_text(), s.reason, s.owner, s.ticket, str(s.expires or ""))
        for s in shown
    )
    header = ("line", "matches", "reason", "owner", "ticket", "expires")
    return [f"### {title}", "", *table(header, rows), *more]


def fit(lines: list[str], limit: int = MAX_BYTES, note: str = TRUNCATED) -> str:
    """The lines as text of at most ``limit`` UTF-8 bytes: cut at a line's end, with ``note``."""
    text = "\n".join(lines) + "\n"
    if len(text.encode("utf-8")) <= limit:
        return text
    budget = limit - len(note.encode("utf-8"))
    kept = text.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    return kept[: kept.rfind("\n") + 1] + note


def markdown_summary(run: RunView) -> str:
    review = run.review
    return fit(
        [
            *headline(run),
            *failures(run),
            *comparison(review),
            *since_last_run(run),
            *top_findings(review),
            *by_service_and_region(run),
            *by_zone_id(review),
            *entries("Expired suppressions (no longer accepting risks)", review.expired),
            *entries("Unused suppressions (matched no risk in this run)", review.unused),
        ]
    )

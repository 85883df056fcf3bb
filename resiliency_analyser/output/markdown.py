"""The Markdown summary for people: a CI job's step summary, or a file with ``--format markdown``.

GitHub refuses a step summary of 1 MiB or more, so lists are capped and the text is cut to fit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from resiliency_analyser import __version__
from resiliency_analyser.gate.records import FindingRecord, Identified, order_key
from resiliency_analyser.gate.suppressions import Suppression
from resiliency_analyser.model.accounts import account_counts
from resiliency_analyser.model.guidance import SEVERITY_RANK
from resiliency_analyser.model.report import Outcome, PairResult, outcome_counts
from resiliency_analyser.output.accounts import account_totals, organization_title
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


def named(account_id: str, name: str) -> str:
    return f"{account_id} ({name})" if name else account_id


def headline(run: RunView) -> list[str]:
    account, review = run.account, run.review
    services = sorted({r.service for r in run.results})
    title = f"account {named(account.account_id, account.account_name)}"
    pairs = "(check, region) pairs"
    if run.organization:
        title, pairs = organization_title(run), "(account, check, region) sets"
    lines = [
        f"## Resiliency scan of {title}",
        "",
        f"**{len(review.open_risks)} unaccepted single-AZ risks**, "
        f"{len(review.suppressed)} accepted (suppressed), "
        f"in {sum(r.resources for r in run.results)} resources; "
        f"{len(services)} checks in {len(run.regions)} regions; "
        f"{len(run.failed)} failed {pairs}.",
        "",
    ]
    if run.organization:
        counts = account_counts(run.accounts)
        lines += [
            f"Accounts: {counts['scanned']} scanned, {counts['skipped']} skipped (not ACTIVE), "
            f"{counts['failed']} failed, of {counts['accounts']}.",
            "",
        ]
    lines += [
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
    if run.organization:
        rows: Iterable[Sequence[str]] = (
            (r.account_id, r.service, r.region, r.error_message) for r in shown
        )
        header: Sequence[str] = ("account", "check", "region", "error")
    else:
        rows, header = ((r.service, r.region, r.error_message) for r in shown), HEADER_FAILED
    return [
        "### Failed (check, region) pairs",
        "",
        "These were not scanned fully; the exit code is 1 whatever the gate says.",
        "",
        *table(header, rows),
        *more,
    ]


HEADER_FAILED = ("check", "region", "error")
ACCOUNT_HEADER = (
    "account",
    "result",
    "resources",
    "risks",
    "unaccepted",
    "accepted",
    "failed pairs",
    "unaccepted by check",
)


def by_account(run: RunView) -> list[str]:
    """An organization run's accounts, the most unaccepted risks first; skipped and failed ones
    say why."""
    if not run.organization:
        return []
    ranked = sorted(account_totals(run), key=lambda t: (-t.open_risks, t.scan.account_id))
    shown, more = capped(ranked)
    rows = []
    for totals in shown:
        scan = totals.scan
        result = scan.outcome.value
        if scan.outcome is Outcome.SKIPPED:
            result += f" ({scan.status})"
        elif scan.message:
            result += f": {scan.message}"
        checks = ", ".join(f"{k} {n}" for k, n in sorted(totals.open_by_check.items()))
        rows.append(
            [
                named(scan.account_id, scan.account.account_name),
                result,
                str(totals.resources),
                str(totals.risks),
                str(totals.open_risks),
                str(totals.accepted),
                str(totals.failed_pairs),
                checks or "—",
            ]
        )
    return ["### Accounts", "", *table(ACCOUNT_HEADER, rows), *more]


def risk_rows(
    review: Review, records: Sequence[FindingRecord], *, organization: bool = False
) -> list[list[str]]:
    """``organization``: each row names its account."""
    rows = []
    for record in records:
        f, guidance = record.finding, record.guidance
        why = f.message
        lapsed = review.lapsed(record)
        if lapsed:
            why += f" (acceptance expired {lapsed.expires}, suppressions line {lapsed.line})"
        account = [named(f.account_id, f.account_name)] if organization else []
        rows.append(
            [
                guidance.severity.value,
                *account,
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
ORGANIZATION_RISK_HEADER = ("severity", "account", *RISK_HEADER[1:])


def risk_table(
    review: Review, records: Sequence[FindingRecord], *, organization: bool
) -> list[str]:
    header = ORGANIZATION_RISK_HEADER if organization else RISK_HEADER
    return table(header, risk_rows(review, records, organization=organization))


def comparison(review: Review, *, organization: bool = False) -> list[str]:
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
        lines += ["New:", "", *risk_table(review, new, organization=organization), *more_new]
    if resolved:
        rows = [[e.service, e.region, resource(e), e.check_id] for e in resolved]
        header: Sequence[str] = ("check", "region", "resource", "check id")
        if organization:
            rows = [[e.account_id, *row] for e, row in zip(resolved, rows, strict=True)]
            header = ("account", *header)
        lines += ["Resolved:", "", *table(header, rows)]
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
    """A row per (check, region); in an organization run, over every account, its result the
    count of each outcome."""
    accepted = Counter((r.finding.service, r.finding.region) for r in run.review.suppressed)
    grouped: dict[tuple[str, str], list[PairResult]] = defaultdict(list)
    for result in run.results:
        grouped[result.service, result.region].append(result)
    rows = [
        (
            service,
            region,
            str(sum(r.resources for r in results)),
            str(sum(r.risks for r in results)),
            str(accepted[service, region]),
            outcome_counts(results) if run.organization else results[0].outcome.value,
        )
        for (service, region), results in sorted(grouped.items())
        if any(r.resources or r.outcome.is_failure for r in results)
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


def top_findings(review: Review, *, organization: bool = False) -> list[str]:
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
        *risk_table(review, shown, organization=organization),
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
            *by_account(run),
            *comparison(review, organization=run.organization),
            *since_last_run(run),
            *top_findings(review, organization=run.organization),
            *by_service_and_region(run),
            *by_zone_id(review),
            *entries("Expired suppressions (no longer accepting risks)", review.expired),
            *entries("Unused suppressions (matched no risk in this run)", review.unused),
        ]
    )

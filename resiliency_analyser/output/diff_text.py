"""The comparison of two runs for machines (JSON), pull requests (Markdown) and people (HTML)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from resiliency_analyser import __version__
from resiliency_analyser.output.diff import (
    Changed,
    CoverageChange,
    FailOn,
    Resolved,
    RunDiff,
    RunSide,
    Unverified,
    gate_sentence,
)
from resiliency_analyser.output.diff_html import diff_sections
from resiliency_analyser.output.diff_rows import COUNTS_HEADER, LISTINGS, counts_row, side_line
from resiliency_analyser.output.html import page
from resiliency_analyser.output.impact_text import entry_object
from resiliency_analyser.output.markdown import capped, fit, table

DIFF_SCHEMA_VERSION = 1


class DiffFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


def side_object(side: RunSide) -> dict[str, Any]:
    return {
        "source": side.label,
        "accounts": side.accounts,
        "started": side.started or None,
        "findings": len(side.entries),
        "risks": len(side.risks),
        "open_risks": side.open_risks,
        "coverage_known": not side.unreported,
        "failed_pairs": len(side.incomplete),
        "lists_non_risks": side.lists_non_risks,
    }


def resolved_object(item: Resolved) -> dict[str, Any]:
    return {**entry_object(item.entry), "resolution": item.how.value}


def changed_object(item: Changed) -> dict[str, Any]:
    changes = {}
    for name in item.fields:
        before, now = item.values(name)
        changes[name] = {"old": before, "new": now}
    return {**entry_object(item.new), "changes": changes}


def unverified_object(item: Unverified) -> dict[str, Any]:
    return {**entry_object(item.entry), "new_result": item.result}


def coverage_object(change: CoverageChange) -> dict[str, Any]:
    return {
        "account_id": change.account_id,
        "service": change.service,
        "region": change.region,
        "old": change.old,
        "new": change.new,
        "first_seen": change.first_seen,
        "not_rechecked": change.unverified,
    }


def gate_object(diff: RunDiff, fail_on: FailOn | None) -> dict[str, Any] | None:
    if fail_on is None:
        return None
    failing = diff.failing(fail_on)
    return {
        "fail_on": fail_on.value,
        "failed": bool(failing),
        "summary": gate_sentence(fail_on, failing),
    }


def diff_document(diff: RunDiff, fail_on: FailOn | None = None) -> dict[str, Any]:
    return {
        "schema_version": DIFF_SCHEMA_VERSION,
        "tool": {"name": "resiliency-analyser", "version": __version__},
        "old": side_object(diff.old),
        "new": side_object(diff.new),
        "counts": diff.counts(),
        "gate": gate_object(diff, fail_on),
        "notes": list(diff.notes),
        "new_risks": [entry_object(e) for e in diff.new_risks],
        "resolved": [resolved_object(r) for r in diff.resolved],
        "changed": [changed_object(c) for c in diff.changed],
        "not_rechecked": [unverified_object(u) for u in diff.unverified],
        "coverage_changes": [coverage_object(c) for c in diff.coverage],
        "still_open": [entry_object(e) for e in diff.still_open],
    }


def diff_json(diff: RunDiff, fail_on: FailOn | None = None) -> str:
    return json.dumps(diff_document(diff, fail_on), indent=2, ensure_ascii=False) + "\n"


COMMENT_LIMIT = 65_536
"""GitHub refuses an issue or pull-request comment longer than this many characters."""
COMMENT_BUDGET = COMMENT_LIMIT - 4_096
"""What the Markdown takes of it (counted in UTF-8 bytes, never fewer than the characters), so a
workflow can add a few lines of its own."""
CUT = "\n_Cut to fit a pull-request comment; `diff --format json` has everything._\n"

LIMITS = {"new": 50}
"""Rows each list shows in the Markdown: the new risks most, then twenty of each other."""
OTHERS_SHOWN = 20


def markdown_cells(header: Sequence[str], row: Sequence[str]) -> list[str]:
    return [f"`{c}`" if h == "resource" else c for h, c in zip(header, row, strict=True)]


def diff_markdown(diff: RunDiff, fail_on: FailOn | None = None) -> str:
    """Counts first, then the new risks, then the other lists, each capped: a pull-request
    comment (still-open risks are counted only)."""
    lines = [
        "## What changed since the last scan",
        "",
        f"{side_line('OLD', diff.old)}  ",
        side_line("NEW", diff.new),
        "",
        *table(COUNTS_HEADER, [counts_row(diff)]),
    ]
    if fail_on is not None:
        lines += [f"**{gate_sentence(fail_on, diff.failing(fail_on))}**", ""]
    lines += [f"> {note}" for note in diff.notes] + ([""] if diff.notes else [])
    for listing in LISTINGS:
        rows = listing.rows(diff)
        if not (rows and listing.brief):
            continue
        shown, more = capped(rows, LIMITS.get(listing.key, OTHERS_SHOWN))
        cells = [markdown_cells(listing.header, row) for row in shown]
        lines += [f"### {listing.title} ({len(rows)})", "", *table(listing.header, cells), *more]
    return fit(lines, COMMENT_BUDGET, CUT)


def diff_html(diff: RunDiff, fail_on: FailOn | None = None) -> str:
    """One self-contained page without a script: every value escaped as it is written."""
    title = f"What changed: {diff.old.label} → {diff.new.label}"
    gate = (
        f'<p class="gate"><b>{html.escape(gate_sentence(fail_on, diff.failing(fail_on)))}</b></p>'
        if fail_on is not None
        else ""
    )
    return page(title, gate, f"<main>{diff_sections(diff)}</main>")


def diff_text(fmt: DiffFormat, diff: RunDiff, fail_on: FailOn | None = None) -> str:
    """The comparison in a file format (the terminal's table is drawn by the command itself)."""
    if fmt is DiffFormat.JSON:
        return diff_json(diff, fail_on)
    if fmt is DiffFormat.HTML:
        return diff_html(diff, fail_on)
    return diff_markdown(diff, fail_on)

"""HTML of a comparison between runs: the ``diff`` page's sections, and the report's history
panel (the trend of unaccepted risks per run, and what changed since the last run).

Written here, not by the report's script, as fixed markup: every value is escaped as it is put
in, so none is ever read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from resiliency_analyser.output.diff import RunDiff
from resiliency_analyser.output.diff_rows import COUNTS_HEADER, LISTINGS, counts_row, side_line

Markup = str
"""HTML whose values are already escaped."""


def cell(column: str, value: str) -> Markup:
    if column == "severity":
        level, _, accepted = value.partition(" ")
        badge = f'<span class="sev sev-{escape(level)}">{escape(level)}</span>'
        return badge + (' <span class="accepted">accepted</span>' if accepted else "")
    return escape(value)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Markup:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{cell(h, c)}</td>" for h, c in zip(header, row, strict=True))
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def tiles(diff: RunDiff) -> Markup:
    counts = zip(COUNTS_HEADER, counts_row(diff), strict=True)
    shown = "".join(
        f'<div class="tile" data-count="{escape(label)}"><b>{escape(n)}</b> {escape(label)}</div>'
        for label, n in counts
    )
    return f'<div class="tiles">{shown}</div>'


def diff_sections(diff: RunDiff) -> Markup:
    """The page's body: the runs, the counts, notes, then every non-empty group in full."""
    runs = "".join(
        f"<li>{escape(side_line(n, s))}</li>" for n, s in (("OLD", diff.old), ("NEW", diff.new))
    )
    parts = [f'<ul class="scope">{runs}</ul>', tiles(diff)]
    parts += [f'<p class="note">{escape(note)}</p>' for note in diff.notes]
    for listing in LISTINGS:
        rows = listing.rows(diff)
        if rows:
            parts.append(
                f'<section id="{listing.key}"><h2>{escape(listing.title)} ({len(rows)})</h2>'
                f"{table(listing.header, rows)}</section>"
            )
    return "".join(parts)

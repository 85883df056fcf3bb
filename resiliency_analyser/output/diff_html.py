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
from resiliency_analyser.output.history import RunHistory, TrendPoint

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


TREND_WIDTH, TREND_HEIGHT, MARGIN = 560, 140, 36
SINCE_SHOWN = 10
"""Rows of each list in the report's panel; ``diff`` lists them all."""


def trend_chart(points: Sequence[TrendPoint]) -> Markup:
    """Unaccepted risks per run as a line, each run a dot (hollow where pairs failed: that run
    may have missed risks), the last one this run; values in the dots' titles and the label."""
    most = max(1, *(p.open_risks for p in points))
    step = (TREND_WIDTH - 2 * MARGIN) / max(1, len(points) - 1)
    plot = TREND_HEIGHT - 2 * MARGIN

    def at(index: int, point: TrendPoint) -> tuple[float, float]:
        return MARGIN + index * step, MARGIN + plot - plot * point.open_risks / most

    spots = [at(i, p) for i, p in enumerate(points)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in spots)
    dots = []
    for index, (point, (x, y)) in enumerate(zip(points, spots, strict=True)):
        failed = f", {point.failed_pairs} failed pairs" if point.failed_pairs else ""
        kind = "current" if index == len(points) - 1 else ("partial" if failed else "run")
        title = escape(f"{point.started}: {point.open_risks} unaccepted risks{failed}")
        radius = 6 if kind == "current" else 4
        dots.append(
            f'<circle class="{kind}" cx="{x:.1f}" cy="{y:.1f}" r="{radius}">'
            f"<title>{title}</title></circle>"
        )
    label = escape(
        "Unaccepted risks per run: " + ", ".join(f"{p.started} {p.open_risks}" for p in points)
    )
    first, last = escape(points[0].started[:10]), escape(points[-1].started[:10])
    bottom = TREND_HEIGHT - MARGIN + 16
    return (
        f'<svg class="trend" viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" role="img" '
        f'aria-label="{label}"><line class="axis" x1="{MARGIN}" y1="{MARGIN + plot}" '
        f'x2="{TREND_WIDTH - MARGIN}" y2="{MARGIN + plot}"/>'
        f'<text x="4" y="{MARGIN + 4}">{most}</text><text x="4" y="{MARGIN + plot + 4}">0</text>'
        f'<polyline points="{line}"/>{"".join(dots)}'
        f'<text x="{MARGIN}" y="{bottom}">{first}</text>'
        f'<text x="{TREND_WIDTH - MARGIN}" y="{bottom}" text-anchor="end">{last}</text></svg>'
    )


def since_panel(history: RunHistory) -> Markup:
    found = history.since
    if found is None:
        return '<p class="since">First run in this history: nothing to compare with yet.</p>'
    counts = found.counts()
    more = [
        f"{counts[key]} {label}"
        for key, label in (
            ("changed", "changed"),
            ("not_rechecked", "not rechecked"),
            ("coverage_changes", "coverage changes"),
        )
        if counts[key]
    ]
    parts = [
        f'<p class="since">Since the last run (started {escape(found.old.started)}): '
        f"<b>{counts['new']} new</b>, <b>{counts['resolved']} resolved</b>"
        + (f", {escape(', '.join(more))}" if more else "")
        + ".</p>"
    ]
    for listing in LISTINGS[:2]:
        rows = listing.rows(found)
        if rows:
            # A panel: where each risk is, not why (the findings table below says why).
            kept = [i for i, h in enumerate(listing.header) if h not in {"AZs", "why"}]
            shown = [[row[i] for i in kept] for row in rows[:SINCE_SHOWN]]
            parts.append(f"<h3>{escape(listing.title)} ({len(rows)})</h3>")
            parts.append(table([listing.header[i] for i in kept], shown))
            if len(rows) > len(shown):
                parts.append(f'<p class="hint">… and {len(rows) - len(shown)} more.</p>')
    parts.append(
        '<p class="hint">resiliency-analyser diff on the two runs\' files in the history lists '
        "every change.</p>"
    )
    return "".join(parts)


def history_section(history: RunHistory) -> Markup:
    """The report's history panel: the trend and what changed since the last run."""
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in history.notes)
    runs = len(history.points)
    caption = f"Unaccepted risks per run (the last {runs})" if runs > 1 else "Unaccepted risks"
    return (
        '<section id="history"><h2>Since the last run</h2>'
        f'<div class="history"><div><h3>{caption}</h3>{trend_chart(history.points)}</div>'
        f"<div>{since_panel(history)}</div></div>{notes}</section>"
    )

"""The ``html`` format: one self-contained page (style, script and SVG charts inline) that works
offline and makes no network request (its Content-Security-Policy forbids any).

The run's data is embedded once, as JSON in a ``<script type="application/json">`` element, and
the page's script builds the heat map, the AZ-ID impact chart and the findings table from it with
``textContent`` only: a value from AWS is never parsed as markup. The headline is rendered here,
escaped.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from resiliency_analyser import __version__
from resiliency_analyser.gate.records import risk_key
from resiliency_analyser.model.report import Outcome
from resiliency_analyser.output.accounts import organization_title
from resiliency_analyser.output.diff_html import history_section
from resiliency_analyser.output.impact import Impact, ImpactEntry, impact_of, zone_pairs
from resiliency_analyser.output.json_doc import json_document

if TYPE_CHECKING:
    from resiliency_analyser.output.run_view import RunView


def content_policy(script: str | None) -> str:
    """No request of any kind; only the page's own script runs (by its hash), so even markup
    that got into the page could not run a handler or a script of its own. A page without a
    script runs none."""
    if script is None:
        scripts = "'none'"
    else:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        scripts = f"'sha256-{digest}'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'"
    )


# Inside a <script> element only "</script" (or "<!--") would end the data early; escaping every
# <, > and & as JSON escapes keeps the text inert whatever the values hold.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
SLOT = re.compile(r"\{\{(\w+)\}\}")
FAILED = frozenset(o.value for o in Outcome if o.is_failure)


@cache
def asset(name: str) -> str:
    return files("resiliency_analyser.output").joinpath(name).read_text(encoding="utf-8")


def finding_row(entry: ImpactEntry, tags: Mapping[str, str]) -> dict[str, Any]:
    """One table row, with short keys: the data of 10,000 findings is most of the file."""
    row = {
        "a": entry.account_id,
        "r": entry.region,
        "s": entry.service,
        "c": entry.check_id,
        "n": entry.resource,
        "arn": entry.resource_arn,
        "k": entry.potential_single_az_risk,
        "v": entry.severity.value,
        "m": entry.message,
        "z": zone_pairs(entry.availability_zones, entry.availability_zone_ids),
        "l": entry.location_id,
        "u": entry.suppressed,
        "t": sorted(tags.items()),
    }
    if entry.root_cause is not None:
        row["rc"] = [entry.root_cause.check_id, entry.root_cause.resource_arn]
    return row


FINISHED = frozenset({Outcome.SUCCESS.value, Outcome.NOT_AVAILABLE.value})


def run_object(document: Mapping[str, Any]) -> dict[str, Any]:
    """An organization's run report holds a row per account, check and region (tens of
    thousands): the page lists the rows that did not finish and counts the others."""
    report = document.get("run_report", [])
    organization = document.get("organization")
    return {
        "account": document.get("account"),
        "started": document.get("started"),
        "ended": document.get("ended"),
        "report": [r for r in report if r["result"] not in FINISHED] if organization else report,
        "pairs": len(report),
        "accounts": organization["accounts"] if organization else [],
    }


def account_names(
    documents: Sequence[Mapping[str, Any]], found: Sequence[ImpactEntry]
) -> dict[str, str]:
    """Account id -> name, from the findings and the runs' accounts."""
    names = {e.account_id: e.account_name for e in found if e.account_name}
    for document in documents:
        accounts = [document.get("account") or {}]
        accounts += (document.get("organization") or {}).get("accounts", [])
        names.update(
            (a["account_id"], a["account_name"]) for a in accounts if a.get("account_name")
        )
    return dict(sorted(names.items()))


Row = tuple[ImpactEntry, Mapping[str, Any]]
"""A finding as the impact view reads it, and its object as the JSON output holds it."""


def unique_rows(documents: Sequence[Mapping[str, Any]]) -> list[Row]:
    """Every finding of the documents once, even where shards overlap."""
    rows = ((ImpactEntry.model_validate(o), o) for d in documents for o in d.get("findings", []))
    return list({risk_key(entry): (entry, o) for entry, o in rows}.values())


def page_data(
    documents: Sequence[Mapping[str, Any]], rows: Sequence[Row], impact: Impact
) -> dict[str, Any]:
    index = {risk_key(entry): i for i, (entry, _) in enumerate(rows)}
    findings = [finding_row(e, o.get("tags") or {}) for e, o in rows]
    for root, dependents in impact.dependents.items():
        if root in index:  # the root's finding may be in none of the files read
            findings[index[root]]["d"] = [index[risk_key(d)] for d in dependents]
    return {
        "runs": [run_object(d) for d in documents],
        "names": account_names(documents, [entry for entry, _ in rows]),
        "remediation": {e.check_id: e.remediation for e, _ in rows if e.remediation},
        "findings": findings,
        "zones": [
            {
                "id": z.zone_id,
                "region": z.region,
                "open": [index[risk_key(e)] for e in z.open],
                "accepted": [index[risk_key(e)] for e in z.accepted],
                "autoshifts": [index[risk_key(e)] for e in z.autoshifts],
            }
            for z in impact.zones
        ],
        "unplaced": len(impact.unplaced),
        "failing": sorted(FAILED),
    }


def headline(documents: Sequence[Mapping[str, Any]], found: Sequence[ImpactEntry]) -> str:
    accounts = sorted({e.account_id for e in found} | account_ids(documents))
    chosen = [a for d in documents for a in (d.get("organization") or {}).get("accounts", [])]
    risks = [e for e in found if e.potential_single_az_risk]
    severities = Counter(e.severity.value for e in risks if not e.suppressed)
    failed = sum(1 for d in documents for r in d.get("run_report", []) if r["result"] in FAILED)
    numbers = [
        ("unaccepted risks", sum(1 for e in risks if not e.suppressed)),
        ("high", severities["high"]),
        ("medium", severities["medium"]),
        ("low", severities["low"]),
        ("accepted", sum(1 for e in risks if e.suppressed)),
        ("findings", len(found)),
        ("accounts", len(accounts)),
        (
            "regions",
            len({e.region for e in found} | {r for d in documents for r in d.get("regions", [])}),
        ),
        ("failed (check, region) pairs", failed),
    ]
    if chosen:
        numbers += [
            ("accounts skipped", sum(a["result"] == Outcome.SKIPPED.value for a in chosen)),
            ("accounts failed", sum(a["result"] in FAILED for a in chosen)),
        ]
    tiles = "".join(
        f'<div class="tile" data-count="{html.escape(label)}"><b>{n}</b> {html.escape(label)}</div>'
        for label, n in numbers
    )
    scope = ", ".join(accounts) if len(accounts) <= 3 else f"{len(accounts)} accounts"
    return f'<p class="scope">Accounts: {html.escape(scope or "none")}</p><div class="tiles">{tiles}</div>'


def account_ids(documents: Sequence[Mapping[str, Any]]) -> set[str]:
    """The accounts the runs scanned (an organization's: every one chosen)."""
    ids = {str(d["account"]["account_id"]) for d in documents if d.get("account")}
    for document in documents:
        if organization := document.get("organization"):
            ids = (ids - {document["account"]["account_id"]}) | {
                a["account_id"] for a in organization["accounts"]
            }
    return ids


def page(title: str, headline: str, body: str, data: str | None = None) -> str:
    """A self-contained page (``page.html``) around ``body``; with ``data`` (JSON), the data and
    the report's script, which alone may run."""
    script = asset("report.js") if data is not None else None
    scripts = (
        f'<script type="application/json" id="report-data">{data}</script>\n<script>{script}</script>'
        if data is not None
        else ""
    )
    slots = {
        "csp": content_policy(script),
        "title": html.escape(title),
        "style": asset("report.css"),
        "headline": headline,
        "body": body,
        "version": html.escape(__version__),
        "scripts": scripts,
    }
    # One pass: text put into a slot is never searched for slots itself.
    return SLOT.sub(lambda slot: slots[slot.group(1)], asset("page.html"))


def html_page(documents: Sequence[Mapping[str, Any]], title: str, history: str = "") -> str:
    """The page for one or more runs' JSON documents (a JSON Lines file's findings alone are a
    document with only ``findings``); ``history``: the history panel's markup, if any."""
    rows = unique_rows(documents)
    found = [entry for entry, _ in rows]
    data = page_data(documents, rows, impact_of(found))
    body = SLOT.sub(lambda slot: {"history": history}[slot.group(1)], asset("report.html"))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_SAFE)
    return page(title, headline(documents, found), body, text)


def html_report(run: RunView) -> str:
    """The page for one run, from its JSON document."""
    account = run.account
    name = f" ({account.account_name})" if account.account_name else ""
    scope = organization_title(run) if run.organization else f"{account.account_id}{name}"
    history = history_section(run.history) if run.history else ""
    return html_page([json_document(run)], f"Resiliency scan of {scope}", history)

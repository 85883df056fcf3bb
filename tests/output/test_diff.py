"""Comparing two runs: every risk in exactly one group, on JSON-shaped findings and run reports;
the renderings (Markdown sized for a pull-request comment, HTML escaped, JSON)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from resiliency_analyser.output.diff import (
    FailOn,
    Resolution,
    RunDiff,
    RunSide,
    compare_runs,
)
from resiliency_analyser.output.diff_text import (
    COMMENT_LIMIT,
    CUT,
    DiffFormat,
    diff_document,
    diff_markdown,
    diff_text,
)

A, B = "111111111111", "222222222222"


def finding(name: str, *, risk: bool = True, **fields: Any) -> dict[str, Any]:
    """A JSON Lines finding of an RDS instance in us-east-1 of account A."""
    account = fields.get("account_id", A)
    region = fields.get("region", "us-east-1")
    return {
        "service": "rds",
        "region": region,
        "account_id": account,
        "check_id": "rds.instance_multi_az",
        "resource_arn": f"arn:aws:rds:{region}:{account}:db:{name}",
        "resource_name": name,
        "potential_single_az_risk": risk,
        "severity": "high" if risk else "none",
        "message": "Multi-AZ disabled" if risk else "Multi-AZ enabled",
        "availability_zones": ["us-east-1a"],
        "availability_zone_ids": ["use1-az1"],
        **fields,
    }


def report(*rows: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"service": s, "region": r, "result": result} for s, r, result in rows]


def document(
    findings: list[dict[str, Any]], rows: list[dict[str, str]] | None, **header: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {"account": {"account_id": A}, "findings": findings, **header}
    if rows is not None:
        doc["run_report"] = rows
    return doc


BOTH_REGIONS = report(("rds", "us-east-1", "Success"), ("rds", "eu-west-1", "Success"))

OLD = document(
    [
        finding("fixed"),
        finding("deleted"),
        finding("reworded"),
        finding("kept"),
        finding("accepted-then", suppressed=True),
        finding("moved"),
        finding("eu-hidden", region="eu-west-1"),
        finding("was-safe", risk=False),
    ],
    BOTH_REGIONS,
)
NEW = document(
    [
        finding("fixed", risk=False),
        finding("reworded", message="Multi-AZ disabled; its replica is gone"),
        finding("kept"),
        finding("accepted-then"),
        finding("moved", availability_zones=["us-east-1b"], availability_zone_ids=["use1-az2"]),
        finding("was-safe"),
        finding("brand-new", severity="medium"),
    ],
    report(("rds", "us-east-1", "Success"), ("rds", "eu-west-1", "AccessDenied")),
)


def compared(old: dict[str, Any], new: dict[str, Any]) -> RunDiff:
    return compare_runs(RunSide.of("old.json", [old]), RunSide.of("new.json", [new]))


def names(entries: Any) -> list[str]:
    return [e.resource_name for e in entries]


def test_every_risk_lands_in_exactly_one_group() -> None:
    diff = compared(OLD, NEW)
    assert names(diff.new_risks) == ["was-safe", "brand-new"], "high before medium"
    assert [(r.entry.resource_name, r.how) for r in diff.resolved] == [
        ("deleted", Resolution.GONE),
        ("fixed", Resolution.FIXED),
    ]
    assert names(diff.still_open) == ["kept"]
    assert [(c.new.resource_name, c.fields) for c in diff.changed] == [
        ("accepted-then", ("accepted",)),
        ("moved", ("availability_zones",)),
        ("reworded", ("message",)),
    ]
    assert [(u.entry.resource_name, u.result) for u in diff.unverified] == [
        ("eu-hidden", "AccessDenied")
    ]
    [coverage] = diff.coverage
    assert (coverage.service, coverage.region, coverage.old, coverage.new) == (
        "rds",
        "eu-west-1",
        "Success",
        "AccessDenied",
    )
    assert (coverage.unverified, coverage.first_seen) == (1, 0)
    assert diff.counts() == {
        "new": 2,
        "resolved": 2,
        "still_open": 1,
        "changed": 3,
        "not_rechecked": 1,
        "coverage_changes": 1,
    }
    assert diff.notes == ()


def test_the_gate_counts_new_and_lapsed_acceptances() -> None:
    diff = compared(OLD, NEW)
    assert names(diff.failing(FailOn.NEW_RISK)) == ["accepted-then", "was-safe", "brand-new"]
    assert len(diff.failing(FailOn.RISK)) == 6
    quiet = compared(NEW, NEW)
    assert quiet.failing(FailOn.NEW_RISK) == ()
    assert quiet.counts()["still_open"] == 6


def test_a_renamed_resource_with_the_same_arn_is_the_same_risk() -> None:
    old = document([finding("db", resource_name="old-name")], BOTH_REGIONS)
    new = document(
        [finding("db", resource_name="new-name", resource_arn=finding("db")["resource_arn"])],
        BOTH_REGIONS,
    )
    diff = compared(old, new)
    assert names(diff.still_open) == ["new-name"]
    assert diff.new_risks == ()
    assert diff.resolved == ()


def test_without_an_arn_the_resource_id_names_it() -> None:
    old = document([finding("x", resource_arn="", resource_id="id-1")], BOTH_REGIONS)
    new = document([finding("y", resource_arn="", resource_id="id-1")], BOTH_REGIONS)
    assert names(compared(old, new).still_open) == ["y"]


@pytest.mark.parametrize(
    ("header", "findings", "resolution", "note"),
    [
        ({"report_only_risks": True}, [], Resolution.FIXED_OR_GONE, "--report-only-risks"),
        ({}, [], Resolution.FIXED_OR_GONE, "does not say"),
        ({}, [finding("safe", risk=False)], Resolution.GONE, None),
        ({"report_only_risks": False}, [], Resolution.GONE, None),
        (
            {},
            [finding("with-root", risk=False, root_cause={"check_id": "x.y", "resource_arn": "a"})],
            Resolution.FIXED_OR_GONE,
            "does not say",
        ),
        (
            {},
            [finding("autoshift", risk=False, check_id="zonalshift.aws_autoshift")],
            Resolution.FIXED_OR_GONE,
            "does not say",
        ),
    ],
    ids=[
        "only-risks",
        "unsaid",
        "lists-a-pass",
        "said-all",
        "lists-only-what-goes-down",
        "lists-only-an-event",
    ],
)
def test_gone_only_where_the_new_run_lists_every_finding(
    header: dict[str, Any],
    findings: list[dict[str, Any]],
    resolution: Resolution,
    note: str | None,
) -> None:
    old = document([finding("db")], BOTH_REGIONS)
    diff = compared(old, document(findings, BOTH_REGIONS, **header))
    assert [r.how for r in diff.resolved] == [resolution]
    assert any(note in n for n in diff.notes) if note else diff.notes == ()


def test_a_risk_in_a_pair_the_new_run_did_not_scan_is_not_resolved() -> None:
    old = document([finding("db"), finding("eu", region="eu-west-1")], BOTH_REGIONS)
    new = document([], report(("rds", "us-east-1", "Success")))
    diff = compared(old, new)
    assert [r.entry.resource_name for r in diff.resolved] == ["db"]
    assert [(u.entry.resource_name, u.result) for u in diff.unverified] == [("eu", None)]
    assert [(c.region, c.old, c.new) for c in diff.coverage] == [("eu-west-1", "Success", None)]


def test_risks_the_old_run_could_not_see_are_new_and_counted_as_first_seen() -> None:
    old = document([], report(("rds", "us-east-1", "Throttled")))
    new = document([finding("db")], report(("rds", "us-east-1", "Success")))
    diff = compared(old, new)
    assert names(diff.new_risks) == ["db"]
    [coverage] = diff.coverage
    assert (coverage.old, coverage.new, coverage.first_seen) == ("Throttled", "Success", 1)


@pytest.mark.parametrize(
    ("before", "now", "changed"),
    [
        ("Success", "NotAvailable", False),
        ("NotAvailable", None, False),
        ("AccessDenied", "Error", False),
        ("AccessDenied", None, False),
        ("Success", "Cancelled", True),
        ("Success", "Skipped", True),
        (None, "Success", True),
    ],
)
def test_coverage_changes_are_pairs_exactly_one_run_scanned(
    before: str | None, now: str | None, changed: bool
) -> None:
    def side(result: str | None) -> dict[str, Any]:
        return document([], report(("rds", "us-east-1", result)) if result else [])

    assert bool(compared(side(before), side(now)).coverage) is changed


def test_without_a_run_report_coverage_is_unknown_and_said_so() -> None:
    old = document([finding("db"), finding("gone")], BOTH_REGIONS)
    new = document([finding("db"), finding("safe", risk=False)], None)
    diff = compared(old, new)
    assert [r.entry.resource_name for r in diff.resolved] == ["gone"]
    assert diff.coverage == ()
    [note] = diff.notes
    assert note.startswith(f"NEW (new.json) came without a run report for account(s) {A}")
    assert "a resolved risk may be in a pair that failed" in note


def test_rows_about_deliveries_or_the_whole_run_are_not_pairs() -> None:
    rows = [
        *BOTH_REGIONS,
        {"service": "eventbridge", "region": "us-east-1", "result": "AccessDenied"},
        {"service": "Overall", "region": "Overall", "result": "N/A"},
    ]
    diff = compared(document([], BOTH_REGIONS), document([], rows))
    assert diff.coverage == ()
    assert diff.new.incomplete == []


def test_an_organization_is_keyed_by_account() -> None:
    """Run-report objects name their account where a run holds several (issue 22's runs)."""
    rows = [
        {"account_id": A, "service": "rds", "region": "us-east-1", "result": "Success"},
        {"account_id": B, "service": "rds", "region": "us-east-1", "result": "AccessDenied"},
    ]
    old = document(
        [finding("a"), finding("b", account_id=B)], [{**r, "result": "Success"} for r in rows]
    )
    new = document([], rows, report_only_risks=False, new_field={"from": "a newer version"})
    diff = compared(old, new)
    assert [(r.entry.account_id, r.how) for r in diff.resolved] == [(A, Resolution.GONE)]
    assert [u.entry.account_id for u in diff.unverified] == [B]
    assert [c.account_id for c in diff.coverage] == [B]


def test_shards_are_one_run_and_overlaps_count_once() -> None:
    east = document([finding("db")], report(("rds", "us-east-1", "Success")))
    west = document(
        [finding("db"), finding("eu", region="eu-west-1")], report(("rds", "eu-west-1", "Success"))
    )
    side = RunSide.of("shards", [east, west])
    assert len(side.entries) == 2
    assert side.scanned(("111111111111", "rds", "eu-west-1")) is True
    assert compare_runs(side, side).counts()["still_open"] == 2


def test_the_json_document() -> None:
    document_ = diff_document(compared(OLD, NEW), FailOn.NEW_RISK)
    assert document_["counts"]["new"] == 2
    assert document_["gate"] == {
        "fail_on": "new-risk",
        "failed": True,
        "summary": "Gate failed (--fail-on new-risk): 3 new unaccepted risks",
    }
    [changed] = [c for c in document_["changed"] if c["resource_name"] == "reworded"]
    assert changed["changes"] == {
        "message": {"old": "Multi-AZ disabled", "new": "Multi-AZ disabled; its replica is gone"}
    }
    assert [r["resolution"] for r in document_["resolved"]] == ["gone", "fixed"]
    assert document_["not_rechecked"][0]["new_result"] == "AccessDenied"
    assert document_["coverage_changes"][0]["not_rechecked"] == 1
    assert document_["new"]["failed_pairs"] == 1
    assert json.loads(diff_text(DiffFormat.JSON, compared(OLD, NEW))) == diff_document(
        compared(OLD, NEW)
    )


def test_the_markdown_puts_counts_first_then_new_risks() -> None:
    text = diff_markdown(compared(OLD, NEW), FailOn.NEW_RISK)
    assert text.index("| new risks | resolved |") < text.index("### New risks (2)")
    assert "| 2 | 2 | 1 | 3 | 1 | 1 |" in text
    assert "**Gate failed (--fail-on new-risk): 3 new unaccepted risks**" in text
    assert text.index("### New risks") < text.index("### Resolved (2)")
    assert "| gone | 111111111111 | rds.instance_multi_az | us-east-1 | `deleted` |" in text
    assert "message: Multi-AZ disabled → Multi-AZ disabled; its replica is gone" in text
    assert "Still open" not in text, "counted, not listed"


def many(count: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two runs of ``count`` findings each, half of them different, with long messages."""
    regions = ["us-east-1", "eu-west-1", "ap-south-1", "sa-east-1"]
    rows = report(*(("rds", r, "Success") for r in regions))

    def run(offset: int) -> dict[str, Any]:
        return document(
            [
                finding(f"db-{i:05d}|x", region=regions[i % 4], message="why " + "y" * 400)
                for i in range(offset, offset + count)
            ],
            rows,
        )

    return run(0), run(count // 2)


def test_the_markdown_of_ten_thousand_findings_fits_a_comment_and_is_stable() -> None:
    old, new = many(10_000)
    diff = compared(old, new)
    assert diff.counts()["new"] == 5_000
    text = diff_markdown(diff, FailOn.NEW_RISK)
    assert len(text) < COMMENT_LIMIT
    assert "_… and 4950 more._" in text
    assert "_… and 4980 more._" in text
    shuffled = compared(
        {**old, "findings": old["findings"][::-1]}, {**new, "findings": new["findings"][::-1]}
    )
    assert diff_markdown(shuffled, FailOn.NEW_RISK) == text, "sorted, whatever the files' order"
    listed = re.findall(r"`(db-\d+)\\\|x`", text)
    assert listed[:3] == ["db-10002", "db-10006", "db-10010"], "by region (ap-south-1 first)"


def test_the_html_page_escapes_every_value_and_runs_no_script() -> None:
    hostile = "<img src=x onerror=alert(1)>"
    new = document([finding("db", message=hostile)], BOTH_REGIONS)
    page = diff_text(DiffFormat.HTML, compared(document([], BOTH_REGIONS), new))
    assert hostile not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "script-src 'none'" in page
    assert "<script" not in page
    assert '<section id="new"><h2>New risks (1)</h2>' in page


def test_the_markdown_is_cut_to_fit_whatever_the_cells_hold() -> None:
    long = "z" * 5_000
    kept = [finding(f"{long}-kept{i}", check_id=f"rds.{long}") for i in range(100)]
    old = document([*kept, *(finding(f"{long}{i}") for i in range(100))], BOTH_REGIONS)
    new = document(
        [
            *({**f, "message": long} for f in kept),
            *(finding(f"{long}-new{i}", message=long, check_id=f"rds.{long}") for i in range(100)),
        ],
        BOTH_REGIONS,
    )
    text = diff_markdown(compared(old, new))
    assert len(text) < COMMENT_LIMIT
    assert text.endswith(CUT)
    assert text.startswith("## What changed since the last scan\n")

"""--history on its own: the trend and the comparison with the last run from the kept runs,
which runs of the history S3 objects are read, and a folder written and read back."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from resiliency_analyser.config.history import load_history
from resiliency_analyser.gate.policy import Review
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.model.report import Outcome, PairResult
from resiliency_analyser.output.diff_html import history_section
from resiliency_analyser.output.history import (
    HistoryEntry,
    history_keys,
    history_stem,
    history_view,
    merged,
    stored_entries,
    write_history,
)
from resiliency_analyser.output.run_view import RunView
from tests.support.findings import rds_risk
from tests.support.moto import ACCOUNT_ID

MONDAY = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def run_of(started: datetime, risks: range, outcome: Outcome = Outcome.SUCCESS) -> RunView:
    pair = PairResult(
        account_id=ACCOUNT_ID,
        service="rds",
        region="us-east-1",
        outcome=outcome,
        started=started,
        ended=started + timedelta(seconds=30),
    )
    records = tuple(FindingRecord(rds_risk(i, at=started)) for i in risks)
    return RunView(
        account=AccountInfo(account_id=ACCOUNT_ID),
        regions=["us-east-1"],
        results=[pair],
        started=started,
        ended=started + timedelta(minutes=1),
        review=Review(records),
    )


def test_a_folder_written_and_read_back_gives_the_trend_and_the_last_runs_changes(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "history"
    for week, risks in enumerate((range(5), range(3), range(2, 6))):
        write_history(run_of(MONDAY + timedelta(weeks=week), risks), folder)
    kept = load_history(folder)
    assert kept is not None
    assert len(kept.entries) == 3
    now = run_of(MONDAY + timedelta(weeks=3), range(4, 7), Outcome.THROTTLED)
    view = history_view(now, kept.entries)
    assert [(p.open_risks, p.failed_pairs) for p in view.points] == [
        (5, 0),
        (3, 0),
        (4, 0),
        (3, 1),
    ]
    assert view.since is not None
    assert [e.resource_name for e in view.since.new_risks] == ["db-00006"]
    assert [r.entry.resource_name for r in view.since.resolved] == []
    assert [e.resource_name for e in view.since.still_open] == ["db-00004", "db-00005"]
    assert len(view.since.unverified) == 2, "the pair failed this time: not resolved"
    markup = history_section(view)
    assert markup.count("<circle ") == 4
    assert 'class="partial"' not in markup, "only this run failed a pair, and it is current"
    assert "<b>1 new</b>, <b>0 resolved</b>" in markup


def test_the_first_run_and_other_accounts_runs() -> None:
    other = HistoryEntry(
        history_stem("999999999999", MONDAY),
        {"started": "2026-03-02T06:00:00Z", "totals": {"open_risks": 9}},
        None,
    )
    view = history_view(run_of(MONDAY + timedelta(days=1), range(2)), [other])
    assert [p.open_risks for p in view.points] == [2]
    assert view.since is None
    assert "First run in this history" in history_section(view)


def test_a_last_run_without_its_findings_is_said() -> None:
    earlier = HistoryEntry(
        history_stem(ACCOUNT_ID, MONDAY),
        {"started": "2026-03-02T06:00:00Z", "totals": {"open_risks": 1}},
        None,
    )
    view = history_view(run_of(MONDAY + timedelta(days=1), range(2)), [earlier])
    assert view.since is None
    assert view.notes == (
        f"cannot compare with the last run: the JSON Lines of {earlier.stem} were not found",
    )


def test_s3_keys_read_are_the_last_summaries_and_the_last_findings() -> None:
    stems = [f"h/{history_stem(ACCOUNT_ID, MONDAY + timedelta(weeks=w))}" for w in range(60)]
    keys = [*(f"{s}.jsonl" for s in stems), *(f"{s}.summary.json" for s in stems)]
    chosen = history_keys(sorted(keys))
    assert len(chosen) == 53
    assert chosen[0] == f"{stems[8]}.summary.json"
    assert chosen[-1] == f"{stems[-1]}.jsonl"


def test_stored_runs_are_checked_and_a_bad_one_skipped(tmp_path: Path) -> None:
    good = run_of(MONDAY, range(2))
    texts = {f"h/{name}": text for name, text in write_texts(good, tmp_path).items()}
    bad = f"h/{history_stem(ACCOUNT_ID, MONDAY - timedelta(weeks=1))}.summary.json"
    texts[bad] = json.dumps({"schema_version": 1, "totals": {}})
    entries, skipped = stored_entries(texts, "s3://bucket")
    assert [e.stem for e in entries] == [history_stem(ACCOUNT_ID, MONDAY)]
    assert entries[0].findings is not None
    assert len(entries[0].findings()) == 2
    assert skipped == [
        f"skipped a run of the history: s3://bucket/{bad}: started: a required field is missing"
    ]
    local = replace(entries[0], findings=None)
    assert merged([local], entries) == [local], "the folder's copy wins"


def write_texts(run: RunView, folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in write_history(run, folder)}

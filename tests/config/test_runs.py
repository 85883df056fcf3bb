"""The one reader of earlier runs: files and folders, a JSON Lines run's report found next to it,
fields it does not know ignored, and one clear line for what it cannot read."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from resiliency_analyser.config.runs import read_run
from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.report import RUN_REPORT_COLUMNS, Outcome, PairResult, ReportRow

A = "111111111111"
DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def finding(name: str, at: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "service": "rds",
        "region": "us-east-1",
        "account_id": A,
        "check_id": "rds.instance_multi_az",
        "resource_arn": f"arn:aws:rds:us-east-1:{A}:db:{name}",
        "resource_name": name,
        "potential_single_az_risk": True,
        "timestamp": iso(at),
        **extra,
    }


def run_report(*runs: tuple[datetime, str]) -> str:
    """A day's run report CSV: per run (its start, rds's outcome in us-east-1), its pair row
    and its Overall row, a minute long."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(RUN_REPORT_COLUMNS)
    for started, outcome in runs:
        ended = started + timedelta(minutes=1)
        pair = PairResult(
            account_id=A,
            service="rds",
            region="us-east-1",
            outcome=Outcome(outcome),
            started=started,
            ended=ended,
        )
        writer.writerows([pair.csv_row(), ReportRow.overall(A, started, ended).csv_row()])
    return out.getvalue()


def lines(*findings: dict[str, Any]) -> str:
    return "".join(json.dumps(f) + "\n" for f in findings)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_json_lines_run_takes_its_own_runs_report_from_the_days_csv(tmp_path: Path) -> None:
    later = DAY + timedelta(hours=2)
    run = write(tmp_path / "R_2026_03_02.jsonl", lines(finding("db", DAY + timedelta(seconds=30))))
    write(tmp_path / "R_2026_03_02_run_report.csv", run_report((DAY, "Success"), (later, "Error")))
    [found] = read_run(run)
    assert found.report == tmp_path / "R_2026_03_02_run_report.csv"
    assert found.document["run_report"] == [
        {
            "account_id": A,
            "service": "rds",
            "region": "us-east-1",
            "result": "Success",
            "error_message": "",
        }
    ], "the block of the run that made the findings, not the day's last run"
    assert found.document["started"] == DAY.isoformat()


def test_a_stale_json_document_of_the_same_name_is_not_its_report(tmp_path: Path) -> None:
    """A later run wrote only the JSON Lines: the document is an earlier run's."""
    now = DAY + timedelta(hours=3)
    run = write(tmp_path / "R.jsonl", lines(finding("db", now + timedelta(seconds=5))))
    write(
        tmp_path / "R.json",
        json.dumps(
            {
                "schema_version": 1,
                "started": iso(DAY),
                "ended": iso(DAY + timedelta(minutes=1)),
                "run_report": [{"service": "rds", "region": "us-east-1", "result": "Error"}],
                "findings": [],
            }
        ),
    )
    write(tmp_path / "R_run_report.csv", run_report((DAY, "Error"), (now, "Success")))
    [found] = read_run(run)
    assert found.report == tmp_path / "R_run_report.csv"
    assert found.document["run_report"][0]["result"] == "Success"


def test_a_history_summary_is_preferred_and_unknown_fields_are_ignored(tmp_path: Path) -> None:
    run = write(
        tmp_path / "run.jsonl", lines(finding("db", DAY, blast_radius={"kind": "a newer field"}))
    )
    summary = {
        "schema_version": 1,
        "account": {"account_id": A, "organization_unit": "a newer field"},
        "started": iso(DAY),
        "ended": iso(DAY + timedelta(minutes=1)),
        "report_only_risks": True,
        "run_report": [
            {"account_id": A, "service": "rds", "region": "us-east-1", "result": "Skipped"}
        ],
        "accounts": [{"account_id": A}],
    }
    write(tmp_path / "run.summary.json", json.dumps(summary))
    write(tmp_path / "run_run_report.csv", run_report((DAY, "Error")))
    [found] = read_run(run)
    assert found.report == tmp_path / "run.summary.json"
    assert found.document["report_only_risks"] is True
    assert found.document["run_report"][0]["result"] == "Skipped"
    assert found.document["findings"][0]["blast_radius"] == {"kind": "a newer field"}


def test_a_json_lines_run_alone_has_no_report(tmp_path: Path) -> None:
    [found] = read_run(write(tmp_path / "last.jsonl", lines(finding("db", DAY))))
    assert found.report is None
    assert "run_report" not in found.document


def test_a_folder_is_every_runs_file_in_it(tmp_path: Path) -> None:
    """Shards of one run: each region in its own file; the same run's .json and .jsonl once;
    OCSF events, history summaries and other JSON are not runs."""
    east = {
        "schema_version": 1,
        "account": {"account_id": A},
        "started": iso(DAY),
        "ended": iso(DAY + timedelta(minutes=1)),
    }
    write(
        tmp_path / "east.json",
        json.dumps(
            {
                **east,
                "run_report": [{"service": "rds", "region": "us-east-1", "result": "Success"}],
                "findings": [finding("db", DAY)],
            }
        ),
    )
    write(tmp_path / "east.jsonl", lines(finding("db", DAY)))
    write(tmp_path / "west.jsonl", lines(finding("eu", DAY, region="eu-west-1")))
    write(tmp_path / "west.ocsf.jsonl", "not ours\n")
    write(tmp_path / "impact.json", json.dumps({"schema_version": 1, "findings": 3, "zones": []}))
    write(tmp_path / "notes.json", "[1, 2]")
    runs = read_run(tmp_path)
    assert [r.path.name for r in runs] == ["east.jsonl", "west.jsonl"]
    assert runs[0].report == tmp_path / "east.json"


def test_a_folder_of_several_runs_of_the_same_pairs_is_refused(tmp_path: Path) -> None:
    later = DAY + timedelta(days=1)
    write(tmp_path / "R_2026_03_02.jsonl", lines(finding("db", DAY)))
    write(tmp_path / "R_2026_03_02_run_report.csv", run_report((DAY, "Success")))
    write(tmp_path / "R_2026_03_03.jsonl", lines(finding("db", later)))
    write(tmp_path / "R_2026_03_03_run_report.csv", run_report((later, "Success")))
    with pytest.raises(UsageError) as raised:
        read_run(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path} holds more than one run (R_2026_03_02.jsonl and R_2026_03_03.jsonl both "
        f"scanned rds in us-east-1 of account {A}): give one run's file"
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "holds no run's .json or .jsonl file (scan with --format json or jsonl)"),
        ({"only.csv": "a,b\n"}, "holds no run's .json or .jsonl file"),
        (
            {"r.jsonl": lines(finding("db", DAY)), "r_run_report.csv": "a,b\n1,2\n"},
            "r_run_report.csv: not a run report (no column account_id, region,",
        ),
        (
            {"r.jsonl": '{"service": "rds"}\n'},
            "r.jsonl line 1: region: a required field is missing",
        ),
    ],
    ids=["empty", "csv-only", "bad-report", "bad-finding"],
)
def test_what_cannot_be_read_is_one_line(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        write(tmp_path / name, text)
    with pytest.raises(UsageError) as raised:
        read_run(tmp_path)
    assert message in str(raised.value)

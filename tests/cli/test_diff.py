"""``diff`` and ``scan --history`` through the real CLI: two scans of one moto account with
resources changed between them (one fixed, one new, one deleted, one whose message changed, and
one (check, region) failing in the second run through the fault proxy). The embedded demo starts
a fresh, identical account on each run, so its runs cannot differ: these scans run against the
test's moto server instead."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_usage import assert_usage_error
from tests.support.browser import rendered_dom
from tests.support.cli import CliRun, RunCli
from tests.support.faults import FaultProxy, Faults, Request
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import create_db_instance

SCAN = ("scan", "-r", "us-east-1,eu-west-1", "-s", "rds,opensearch")


def seed(boto: Boto) -> None:
    create_db_instance(boto, "us-east-1", "orders-db", multi_az=False)  # to be fixed
    create_db_instance(boto, "us-east-1", "dev-db", multi_az=False)  # to be deleted
    create_db_instance(boto, "us-east-1", "prod-db", multi_az=True)
    create_db_instance(boto, "eu-west-1", "eu-single", multi_az=False)  # still open
    # One data node: its message changes when it gets three (still without zone awareness).
    boto("opensearch").create_domain(DomainName="search-one", ClusterConfig={"InstanceCount": 1})
    # In the pair that fails in the second run.
    boto("opensearch", "eu-west-1").create_domain(
        DomainName="logs-one", ClusterConfig={"InstanceCount": 1}
    )


def change(boto: Boto) -> None:
    rds = boto("rds")
    rds.modify_db_instance(DBInstanceIdentifier="orders-db", MultiAZ=True, ApplyImmediately=True)
    rds.delete_db_instance(DBInstanceIdentifier="dev-db", SkipFinalSnapshot=True)
    boto("opensearch").update_domain_config(
        DomainName="search-one", ClusterConfig={"InstanceCount": 3}
    )
    create_db_instance(boto, "us-east-1", "new-db", multi_az=False)


@dataclass
class Runs:
    first: CliRun
    second: CliRun
    history: Path


@pytest.fixture
def runs(
    boto: Boto, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aws_env: str
) -> Runs:
    """The first run writes a JSON document, the second JSON Lines (its run report is then the
    CSV next to it); both keep their history in one folder."""
    seed(boto)
    history = tmp_path / "history"
    keep = ("--history", str(history))
    first = run_cli(*SCAN, "--format", "json,html", *keep, output=tmp_path / "first")
    assert first.code == 0, first.stderr
    change(boto)
    with FaultProxy(aws_env, Faults(deny_in=frozenset({("es", "eu-west-1")}))) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        second = run_cli(
            *SCAN, "--format", "jsonl,html,markdown", *keep, output=tmp_path / "second"
        )
    assert second.code == 1, second.stderr
    return Runs(first, second, history)


def names(items: list[dict[str, Any]], *fields: str) -> list[Any]:
    return [
        (item["resource_name"], *(item[f] for f in fields)) if fields else item["resource_name"]
        for item in items
    ]


def test_the_diff_of_two_runs_groups_every_change_and_gates(runs: Runs, run_cli: RunCli) -> None:
    done = run_cli("diff", str(runs.first.output), str(runs.second.output), "--format", "json")
    assert done.code == 0, done.stderr
    found = json.loads(done.stdout)
    assert names(found["new_risks"]) == ["new-db"]
    assert names(found["resolved"], "resolution") == [("dev-db", "gone"), ("orders-db", "fixed")]
    assert names(found["still_open"]) == ["eu-single"]
    [changed] = found["changed"]
    assert changed["resource_name"] == "search-one"
    assert changed["changes"] == {
        "message": {
            "old": "Single-AZ domain: 1 data node; zone awareness disabled (public endpoint)",
            "new": "Single-AZ domain: zone awareness disabled (public endpoint)",
        }
    }
    assert names(found["not_rechecked"], "new_result") == [("logs-one", "AccessDenied")]
    assert found["coverage_changes"] == [
        {
            "account_id": ACCOUNT_ID,
            "service": "opensearch",
            "region": "eu-west-1",
            "old": "Success",
            "new": "AccessDenied",
            "first_seen": 0,
            "not_rechecked": 1,
        }
    ]
    assert found["counts"] == {
        "new": 1,
        "resolved": 2,
        "still_open": 1,
        "changed": 1,
        "not_rechecked": 1,
        "coverage_changes": 1,
    }
    assert found["notes"] == []
    assert (found["old"]["coverage_known"], found["new"]["coverage_known"]) == (True, True)
    # The gate: exit 1 on a partial new run, as the scan's gate; 3 on a new risk.
    first, second = str(runs.first.output), str(runs.second.output)
    partial = run_cli("diff", first, second, "--format", "json", "--fail-on", "new-risk")
    assert partial.code == 1
    assert partial.stderr.splitlines()[:3] == [
        "NEW has 1 failed (check, region) pairs: exit 1",
        "Gate failed (--fail-on new-risk): 1 new unaccepted risk",
        "  rds.instance_multi_az us-east-1 new-db: RDS instance has Multi-AZ disabled "
        "(AZ: us-east-1a)",
    ]
    back = run_cli("diff", second, first, "--format", "json", "--fail-on", "NEW-RISK")
    assert back.code == 3, back.stderr
    found = json.loads(back.stdout)
    assert names(found["new_risks"]) == ["logs-one", "dev-db", "orders-db"], "by check id"
    [coverage] = found["coverage_changes"]
    assert (coverage["old"], coverage["new"], coverage["first_seen"]) == (
        "AccessDenied",
        "Success",
        1,
    ), "logs-one is new only because the older run could not see it"
    assert found["gate"]["summary"] == "Gate failed (--fail-on new-risk): 3 new unaccepted risks"


def test_the_history_the_report_and_a_stable_markdown_diff(
    runs: Runs, run_cli: RunCli, tmp_path: Path
) -> None:
    first, second = str(runs.first.output), str(runs.second.output)
    text = run_cli("diff", first, second, "--format", "markdown").stdout
    assert run_cli("diff", first, second, "--format", "markdown").stdout == text
    counts = "| new risks | resolved | still open | changed | not rechecked | coverage changes |"
    assert text.index(counts) < text.index("### New risks (1)") < text.index("### Resolved (2)")
    assert "| 1 | 2 | 1 | 1 | 1 | 1 |" in text
    assert f"| gone | {ACCOUNT_ID} | rds.instance_multi_az | us-east-1 | `dev-db` |" in text
    kept = sorted(runs.history.glob("*.jsonl"))
    assert sorted(p.name for p in runs.history.iterdir()) == sorted(
        [*(p.name for p in kept), *(p.name.replace(".jsonl", ".summary.json") for p in kept)]
    )
    from_history = run_cli("diff", str(kept[0]), str(kept[1]), "--format", "markdown").stdout
    body = text.split(counts)[1]
    assert from_history.split(counts)[1] == body, "the history keeps what the outputs say"
    table = run_cli("diff", first, second)
    assert "New risks (1)" in table.stdout
    assert "new-db" in table.stdout

    [page] = runs.second.output.glob("*.html")
    dom = rendered_dom(page, tmp_path / "browser")
    section = dom.split('<section id="history">')[1].split("</section>")[0]
    assert len(re.findall(r"<circle ", section)) == 2, "a dot per run: the first and this one"
    assert re.search(
        r"Since the last run \(started [0-9T:-]+Z\): <b>1 new</b>, <b>2 resolved</b>", section
    )
    assert "1 changed, 1 not rechecked, 1 coverage changes" in section
    assert "new-db" in section
    assert "dev-db" in section
    assert "orders-db" in section
    assert 'id="findings-table"' in dom, "the rest of the report still renders"
    [first_page] = runs.first.output.glob("*.html")
    assert "First run in this history: nothing to compare with yet." in first_page.read_text()
    [summary] = runs.second.output.glob("*.md")
    assert ": 1 new, 2 resolved, 1 changed risks; 1 coverage changes" in summary.read_text()


def test_the_history_kept_in_s3_serves_a_task_without_a_disk(
    boto: Boto, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scheduled container starts with an empty --history folder each time: the runs come
    back from the bucket, under the folder's name."""
    boto("s3").create_bucket(Bucket="findings")
    create_db_instance(boto, "us-east-1", "orders-db", multi_az=False)
    monkeypatch.chdir(tmp_path)
    scan = ("scan", "-r", "us-east-1", "-s", "rds", "-b", "findings", "--history", "history")
    first = run_cli(*scan, "--format", "markdown")
    assert first.code == 0, first.stderr
    shutil.rmtree(tmp_path / "history")
    create_db_instance(boto, "us-east-1", "new-db", multi_az=False)
    second = run_cli(*scan, "--format", "markdown", "--truncate-output")
    assert second.code == 0, second.stderr
    [summary] = second.output.glob("*.md")
    assert ": 1 new, 0 resolved" in summary.read_text()
    listed = boto("s3").list_objects_v2(Bucket="findings", Prefix="history/")["Contents"]
    assert len(listed) == 4, "each run's JSON Lines and summary, next to the run's files"
    assert all(o["Key"].startswith(f"history/Resiliency_Run_{ACCOUNT_ID}_") for o in listed)


def test_an_unreadable_history_in_s3_is_said_and_exits_1(
    boto: Boto, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aws_env: str
) -> None:
    boto("s3").create_bucket(Bucket="findings")
    monkeypatch.chdir(tmp_path)
    listing = Request("GET /findings")  # ListObjectsV2; the uploads still go through
    with FaultProxy(aws_env, Faults(deny_requests=(listing,))) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        run = run_cli(
            "scan", "-r", "us-east-1", "-s", "rds", "-b", "findings", "--history", "history",
            "--format", "markdown",
        )  # fmt: skip
    assert run.code == 1, run.stderr
    assert "history: cannot read s3://findings/history/Resiliency_Run_" in run.stderr
    [summary] = run.output.glob("*.md")
    assert "AccessDenied" in summary.read_text()
    assert len(list((tmp_path / "history").iterdir())) == 2, "kept locally all the same"


def test_history_problems_are_usage_errors_before_anything_is_scanned(
    run_cli: RunCli, tmp_path: Path
) -> None:
    a_file = tmp_path / "history"
    a_file.write_text("")
    folder = tmp_path / "out"
    run = run_cli("scan", "-s", "rds", "-r", "us-east-1", "--history", str(a_file), output=folder)
    assert_usage_error(run, f"history folder {a_file} is not a folder")
    assert not folder.exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / f"Resiliency_Run_{ACCOUNT_ID}_20260101T000000Z.summary.json").write_text("{")
    run = run_cli("scan", "-s", "rds", "-r", "us-east-1", "--history", str(kept), output=folder)
    assert_usage_error(run, "Resiliency_Run_123456789012_20260101T000000Z.summary.json: not JSON")
    assert not folder.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "pdf"], "--format: unknown format 'pdf'; choose from table, json"),
        (["--fail-on", "new"], "--fail-on: unknown value 'new'; choose from new-risk, risk"),
    ],
)
def test_diff_usage_errors(run_cli: RunCli, tmp_path: Path, argv: list[str], message: str) -> None:
    run = tmp_path / "run.jsonl"
    run.write_text("")
    assert_usage_error(run_cli("diff", str(run), str(run), *argv), message)
    missing = run_cli("diff", str(run), str(tmp_path / "nope.json"))
    assert missing.code == 2
    assert "cannot read run file" in missing.stderr

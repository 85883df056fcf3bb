"""``--workers``: worker processes scan the (account, region) cells, the parent writes every
file; the files are those of a scan in one process, whole whatever interrupts it."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from resiliency_analyser.checks.registry import BY_KEY
from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.run.accounts import Target
from resiliency_analyser.run.cells import region_cells
from resiliency_analyser.run.engine import plan_pairs
from resiliency_analyser.run.pipeline import shares, worker_count
from resiliency_analyser.run.request import WorkerChoice
from resiliency_analyser.run.selection import SelectedAccount
from tests.run import test_hostile, test_organization
from tests.run.test_hostile import (
    CHECKS,
    REGIONS,
    Key,
    ProxyFactory,
    finding_keys,
    read_csv,
    scan_args,
    seed_world,
    wait_for_report_rows,
)
from tests.run.test_organization import SCAN, ZONE_A, World
from tests.support.cli import RunCli
from tests.support.faults import FaultProxy, Faults
from tests.support.moto import Boto

FORMATS = "json,jsonl,markdown,html,ocsf"
HANG = Faults(hang=frozenset({"es"}))
MOMENTS = re.compile(
    rb"\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d_[+-]\d{4}"  # the CSVs'
    rb"|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:?\d\d|Z)?"  # ISO 8601
    rb"|\b\d{13}\b"  # OCSF's milliseconds since the epoch
    rb'|(?<="runtime_in_seconds":)\s?[\d.]+'  # JSON's durations
    rb"|(?<=\()[\d.]+(?= s\))"  # Markdown's
)

# The fixtures of the organization's and the faults' tests, here too.
world = test_organization.world
clean, clean_runs = test_hostile.clean, test_hostile.clean_runs
through_proxy = test_hostile.through_proxy


def timeless(path: Path) -> bytes:
    """The file with every moment in it blanked: two runs differ in nothing else."""
    return MOMENTS.sub(b"<time>", path.read_bytes())


def test_two_workers_write_what_one_process_writes(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    seed_world(boto)
    args = (
        "scan",
        "-r",
        ",".join(REGIONS),
        "-s",
        f"{CHECKS},ec2,elb",
        "--format",
        FORMATS,
        "--csv-extended",
    )
    runs = {
        n: run_cli(*args, "--workers", str(n), "--log-level", "INFO", output=tmp_path / str(n))
        for n in (1, 2)
    }
    for run in runs.values():
        assert run.code == 0, run.stderr
    assert "worker processes" not in runs[1].stderr
    assert "scanning with 2 worker processes" in runs[2].stderr
    one, two = (sorted(runs[n].output.iterdir()) for n in (1, 2))
    assert [p.name for p in one] == [p.name for p in two]
    for mine, theirs in zip(one, two, strict=True):
        if mine.name.endswith("_run_report.csv"):
            # Its rows come as the pairs end, in whichever order they do.
            assert report_rows(mine) == report_rows(theirs)
        else:
            assert timeless(mine) == timeless(theirs), mine.name


def report_rows(path: Path) -> list[tuple[str, ...]]:
    """Each row without its times and duration, sorted."""
    with path.open(newline="") as handle:
        return sorted(tuple(row[:5]) for row in csv.reader(handle))


def test_an_organization_scan_in_workers_is_the_scan_in_one_process(
    world: World, run_cli: RunCli, tmp_path: Path
) -> None:
    """Cells across accounts: each worker assumes the member role itself, and each account's
    AZ names map to its own zones."""
    args = (*SCAN, "--organization", "--csv-extended", "--format", "json")
    runs = {n: run_cli(*args, "--workers", str(n), output=tmp_path / str(n)) for n in (1, 2)}
    for run in runs.values():
        assert run.code == 1, run.stderr  # the organization's locked account
    one, two = (sorted(runs[n].output.iterdir()) for n in (1, 2))
    for mine, theirs in zip(one, two, strict=True):
        if mine.name.endswith("_run_report.csv"):
            assert report_rows(mine) == report_rows(theirs)
        else:
            assert timeless(mine) == timeless(theirs), mine.name
    zones = {(f["account_name"], f["az_ids"]) for f in runs[2].findings}
    assert ("api", ZONE_A["api"]) in zones
    assert ("web", ZONE_A["web"]) in zones


def session_processes(session: int) -> list[int]:
    """Every process left of the session the scan started (its workers among them)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command's ")": state, ppid, pgrp, session.
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def hung_scan(proxy: FaultProxy, output: Path, *args: str) -> subprocess.Popen[str]:
    """The CLI with two workers, as a terminal starts it (its own session and process group,
    which a terminal's Ctrl-C reaches whole, workers included), once rds and lambda have ended
    in both regions, in both workers, and each worker's opensearch pair hangs."""
    command = scan_args("--workers", "2", *args, "-o", str(output))
    process = subprocess.Popen(
        [sys.executable, "-m", "resiliency_analyser", *command],
        env={**os.environ, "AWS_ENDPOINT_URL": proxy.url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    wait_for_report_rows(output, 4, process)
    return process


def wait_until_gone(session: int) -> None:
    deadline = time.monotonic() + 15
    while session_processes(session) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not session_processes(session), "a worker outlived the scan"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupting_workers_keeps_whole_rows_and_cancels_their_pairs(
    clean: set[Key], through_proxy: ProxyFactory, tmp_path: Path, signum: signal.Signals
) -> None:
    """Ctrl-C reaches the whole process group; SIGTERM (a container's stop) the scan alone."""
    output = tmp_path / "interrupted"
    process = hung_scan(through_proxy(HANG), output)
    if signum is signal.SIGINT:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    [findings_path] = [p for p in output.glob("*.csv") if "_run_report" not in p.name]
    [report_path] = output.glob("*_run_report.csv")
    findings = read_csv(findings_path)
    assert finding_keys(findings) == {k for k in clean if k[0] != "opensearch"}
    report = {(r["service"], r["region"]): r for r in read_csv(report_path)}
    for region in REGIONS:
        assert report["opensearch", region]["result"] == "Cancelled"
        assert report["rds", region]["result"] == "Success"
    assert report["Overall", "Overall"]
    wait_until_gone(process.pid)


def test_a_second_interrupt_ends_the_workers_too(
    clean: set[Key], through_proxy: ProxyFactory, tmp_path: Path
) -> None:
    output = tmp_path / "interrupted"
    # Pairs that never end, so only the second interrupt can end the scan.
    process = hung_scan(through_proxy(HANG), output, "--check-timeout", "600")
    os.killpg(process.pid, signal.SIGINT)
    assert process.stderr is not None
    assert "interrupt again to exit at once" in process.stderr.readline()
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    for path in output.glob("*.csv"):
        read_csv(path)
    wait_until_gone(process.pid)


def test_a_worker_that_dies_ends_its_pairs_and_the_others_go_on(
    clean: set[Key], through_proxy: ProxyFactory, tmp_path: Path
) -> None:
    output = tmp_path / "killed"
    process = hung_scan(through_proxy(HANG), output, "--check-timeout", "5")
    # One cell (region) each: the one killed held one region's hung opensearch pair.
    workers = [
        pid
        for pid in session_processes(process.pid)
        if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    assert len(workers) == 2
    victim = workers[0]
    os.kill(victim, signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1, stderr
    report = [
        r for r in read_csv(next(output.glob("*_run_report.csv"))) if r["service"] == "opensearch"
    ]
    assert sorted(r["result"] for r in report) == ["Error", "Timeout"]
    [killed] = [r for r in report if r["result"] == "Error"]
    assert re.fullmatch(
        r"worker process resiliency-analyser-worker-\d ended \(exit code -9\)",
        killed["error_message"],
    )
    assert finding_keys(
        read_csv(next(p for p in output.glob("*.csv") if "_run_report" not in p.name))
    ) == {k for k in clean if k[0] != "opensearch"}


def target(account_id: str, regions: list[str] | None, status: str = "ACTIVE") -> Target:
    info = AccountInfo(account_id=account_id.zfill(12), account_name="", payer_account_id="N/A")
    return Target(SelectedAccount(info, status), regions)


EIGHT = [f"r-{n}" for n in range(8)]


@pytest.mark.parametrize(
    ("choice", "targets", "requested", "expected"),
    [
        # A single account's regions are its cells; never more workers than cells.
        (WorkerChoice(2), [target("1", ["us-east-1"])], None, 1),
        (WorkerChoice(4), [target("1", ["a", "b", "c"])], None, 3),
        # Not typed, a single account stays in one process, however many its regions.
        (WorkerChoice(2, auto=True), [target("1", EIGHT)], None, 1),
        # An organization's cells are its accounts, sized by their regions: as asked, or
        # every default one (listed only when each starts).
        (WorkerChoice(4), [target(str(n), None) for n in range(3)], ["a"], 3),
        (WorkerChoice(2, auto=True), [target(str(n), None) for n in range(4)], ["a"], 1),
        (WorkerChoice(2, auto=True), [target(str(n), None) for n in range(4)], ["a", "b"], 2),
        (WorkerChoice(2, auto=True), [target(str(n), None) for n in range(2)], None, 2),
        (WorkerChoice(2, auto=True), [target("1", None)], None, 1),
        # A suspended account is no cell.
        (
            WorkerChoice(2, auto=True),
            [target(str(n), None, "SUSPENDED") for n in range(7)] + [target("8", None)],
            None,
            1,
        ),
    ],
)
def test_workers_are_as_many_as_cells_allow(
    choice: WorkerChoice, targets: list[Target], requested: list[str] | None, expected: int
) -> None:
    assert worker_count(choice, targets, requested) == expected


def test_cells_are_regions_the_sessions_first_then_the_larger() -> None:
    rds, lam, tgw = BY_KEY["rds"], BY_KEY["lambda"], BY_KEY["globalaccelerator"]
    pairs = plan_pairs([rds, lam, tgw], ["eu-west-1", "ap-south-1", "us-east-1"])
    cells = region_cells(pairs, "us-east-1")
    assert [[(p.check.key, p.region) for p in cell] for cell in cells] == [
        [("rds", "us-east-1"), ("lambda", "us-east-1")],
        # Global Accelerator's API lives in us-west-2: its pair is a cell there.
        [("rds", "ap-south-1"), ("lambda", "ap-south-1")],
        [("rds", "eu-west-1"), ("lambda", "eu-west-1")],
        [("globalaccelerator", "us-west-2")],
    ]


@pytest.mark.parametrize(
    ("total", "count", "expected"), [(64, 2, [32, 32]), (5, 2, [3, 2]), (3, 3, [1, 1, 1])]
)
def test_workers_share_the_runs_bound_on_requests(
    total: int, count: int, expected: list[int]
) -> None:
    assert shares(total, count) == expected

"""``--workers``: worker processes scan the (account, region) cells, the parent writes every
file; the files are those of a scan in one process, whole whatever interrupts it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from tests.run import test_organization
from tests.run.test_hostile import CHECKS, REGIONS, seed_world
from tests.run.test_organization import SCAN, ZONE_A, World
from tests.support.cli import RunCli
from tests.support.moto import Boto

FORMATS = "json,jsonl,markdown,html,ocsf"
MOMENTS = re.compile(
    rb"\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d_[+-]\d{4}"  # the CSVs'
    rb"|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:?\d\d|Z)?"  # ISO 8601
    rb"|\b\d{13}\b"  # OCSF's milliseconds since the epoch
    rb'|(?<="runtime_in_seconds":)\s?[\d.]+'  # JSON's durations
    rb"|(?<=\()[\d.]+(?= s\))"  # Markdown's
)

world = test_organization.world
"""test_organization's organization, as a fixture here too."""


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

"""``merge``: the shards of a run give exactly the run's findings and report, in every format; a
shard missing or given twice is an error naming it; shards read from S3 too."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.delivery.test_eventbridge import BUS_ARN, bus_with_queue, drain
from tests.run.test_organization import SCAN, World, world  # noqa: F401 (a fixture)
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import create_db_instance

TIMES = {"timestamp", "start_time", "end_time", "runtime_in_seconds", "started", "ended"}
EVERY_FORMAT = "json,jsonl,markdown,html,ocsf"
REGION_SCAN = ("scan", "-s", "rds", "-r", "us-east-1,eu-west-1")
"""A single account's run; with 2 shards, us-east-1 is the first's, eu-west-1 the second's."""


def timeless(value: Any) -> Any:
    """A document without its times: two runs of one account differ in nothing else."""
    if isinstance(value, dict):
        return {k: timeless(v) for k, v in value.items() if k not in TIMES}
    if isinstance(value, list):
        return [timeless(v) for v in value]
    return value


def document(folder: Path) -> dict[str, Any]:
    [path] = folder.glob("*.json")
    return json.loads(path.read_text())  # type: ignore[no-any-return]


def csv_rows(folder: Path, suffix: str) -> list[list[str]]:
    [path] = folder.glob(f"Resiliency_Findings_*{suffix}")
    return rows_of(path)


def rows_of(path: Path) -> list[list[str]]:
    """The CSV's rows without their times, sorted: a scan writes a pair's row as it ends."""
    with path.open(newline="") as handle:
        return sorted(list(timeless(row).values()) for row in csv.DictReader(handle))


def same_run(merged: Path, whole: Path) -> None:
    """The merged run's files say what the unsharded run's say, times apart."""
    one, other = document(merged), document(whole)
    for key in ("tool", "shard"):
        one.pop(key, None), other.pop(key, None)
    assert timeless(one) == timeless(other)
    for suffix in ("_run_report.csv", "[0-9].csv"):
        assert csv_rows(merged, suffix) == csv_rows(whole, suffix)
    [a], [b] = merged.glob("*[0-9].jsonl"), whole.glob("*[0-9].jsonl")
    assert timeless(lines(a)) == timeless(lines(b))


def lines(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_an_organizations_shards_merge_into_exactly_the_unsharded_run(
    world: World,  # noqa: F811
    run_cli: RunCli,
    tmp_path: Path,
) -> None:
    whole = run_cli(*SCAN, "--organization", "--format", "json,jsonl", output=tmp_path / "whole")
    assert whole.code == 1, whole.stderr  # the account whose role is denied
    shards = tmp_path / "shards"
    held = []
    for k in (1, 2, 3):
        run_cli(*SCAN, "--organization", "--shard", f"{k}/3", output=shards)
        held.append({f["account_id"] for f in document_of(shards, k)["findings"]})
    # Each account's findings in one shard alone (moto draws the member accounts' ids, so which
    # shard holds which, and whether one is empty, varies between runs).
    assert sum(map(len, held)) == len(set().union(*held))
    out = tmp_path / "merged"
    merged = run_cli("merge", str(shards), "-o", str(out), "--format", "json,jsonl")
    assert merged.code == whole.code, merged.stderr
    same_run(out, whole.output)
    assert document(out)["organization"]["totals"]["accounts"] == 8
    assert "shard" not in document(out)
    # Each account's files, as the unsharded run writes them with --filename-with-accountid.
    each = tmp_path / "each"
    apart = run_cli("merge", str(shards), "-o", str(each), "--filename-with-accountid")
    assert apart.code == whole.code, apart.stderr
    reports = list(each.glob("*_run_report.csv"))
    assert len(reports) == 8
    found = sorted(row for path in each.glob("*[0-9].csv") for row in rows_of(path))
    assert found == csv_rows(whole.output, "[0-9].csv")


def document_of(folder: Path, k: int) -> dict[str, Any]:
    [path] = folder.glob(f"*_shard{k}of3.json")
    return json.loads(path.read_text())  # type: ignore[no-any-return]


@pytest.fixture
def region_shards(run_cli: RunCli, boto: Boto, tmp_path: Path) -> tuple[Path, Path]:
    """Shards 1/2 and 2/2 of a single account's run over us-east-1 (the first's) and eu-west-1."""
    create_db_instance(boto, "us-east-1", "east-db", multi_az=False)
    create_db_instance(boto, "us-east-1", "east-ha", multi_az=True)
    create_db_instance(boto, "eu-west-1", "west-db", multi_az=False)
    folders = []
    for k in (1, 2):
        run = run_cli(
            *REGION_SCAN,
            "--shard",
            f"{k}/2",
            "--format",
            "jsonl",
            output=tmp_path / f"shard{k}",
        )
        assert run.code == 0, run.stderr
        folders.append(run.output)
    return folders[0], folders[1]


def test_a_single_accounts_region_shards_merge_into_every_format(
    region_shards: tuple[Path, Path], run_cli: RunCli, tmp_path: Path
) -> None:
    whole = run_cli(*REGION_SCAN, "--format", "json,jsonl", output=tmp_path / "whole")
    out = tmp_path / "merged"
    merged = run_cli("merge", *map(str, region_shards), "-o", str(out), "--format", EVERY_FORMAT)
    assert merged.code == 0, merged.stderr
    same_run(out, whole.output)
    names = sorted(p.name.removeprefix("Resiliency_Findings_")[10:] for p in out.iterdir())
    assert names == [".csv", ".html", ".json", ".jsonl", ".md", ".ocsf.jsonl", "_run_report.csv"]
    assert "east-db" in (out / next(p for p in out.glob("*.md")).name).read_text()
    assert "shard" not in (next(out.glob("*.json"))).name


def merge_fails(run_cli: RunCli, tmp_path: Path, *sources: Path | str) -> str:
    out = tmp_path / "merged"
    run = run_cli("merge", *map(str, sources), "-o", str(out))
    assert run.code == 2, run.stderr
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("resiliency-analyser: error: ")
    assert not out.exists()
    return run.stderr


def test_a_missing_or_duplicated_shard_is_an_error_naming_it(
    region_shards: tuple[Path, Path], run_cli: RunCli, tmp_path: Path
) -> None:
    first, second = region_shards
    assert "shard 2/2 of run" in merge_fails(run_cli, tmp_path, first)
    assert "missing (found 1 of 2)" in merge_fails(run_cli, tmp_path, first)
    [jsonl] = first.glob("*.jsonl")
    twice = merge_fails(run_cli, tmp_path, first, second, jsonl)
    assert f"shard 1/2 given twice: {jsonl} and {jsonl}" in twice
    [doc] = second.glob("*.json")
    third = json.loads(doc.read_text())
    third["shard"] |= {"index": 3, "count": 3}
    other = tmp_path / "other.json"
    other.write_text(json.dumps(third))
    assert "not the shards of one run" in merge_fails(run_cli, tmp_path, first, other)
    del third["shard"]
    other.write_text(json.dumps(third))
    assert f"{other}: not a shard's run" in merge_fails(run_cli, tmp_path, first, other)
    assert "Missing argument 'DIR_OR_S3_PREFIX...'" in merge_fails(run_cli, tmp_path)
    assert "not a valid S3 bucket name" in merge_fails(run_cli, tmp_path, "s3://No_Such")


def test_the_gate_and_suppressions_apply_to_the_merged_run(
    region_shards: tuple[Path, Path], run_cli: RunCli, tmp_path: Path
) -> None:
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(
        "suppressions:\n  - check_id: rds.instance_multi_az\n    resource: east-db\n"
        "    reason: test database\n"
    )
    out = tmp_path / "merged"
    run = run_cli(
        "merge",
        *map(str, region_shards),
        "-o",
        str(out),
        "--format",
        "json",
        "--suppressions",
        str(accepted),
        "--fail-on",
        "risk",
    )
    assert run.code == 3, run.stderr
    assert "west-db" in run.stderr
    found = {f["resource_name"]: f["suppressed"] for f in document(out)["findings"]}
    assert found == {"east-db": True, "east-ha": False, "west-db": False}


def test_shards_merge_from_an_s3_prefix_and_the_merged_run_is_uploaded(
    run_cli: RunCli, boto: Boto, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_db_instance(boto, "us-east-1", "east-db", multi_az=False)
    create_db_instance(boto, "eu-west-1", "west-db", multi_az=False)
    boto("s3").create_bucket(Bucket="shards")
    monkeypatch.chdir(tmp_path)
    for k in (1, 2):
        run = run_cli(
            *REGION_SCAN,
            "--shard",
            f"{k}/2",
            "-b",
            "shards",
            output=Path("runs/r1"),
        )
        assert run.code == 0, run.stderr
    s3 = boto("s3")
    s3.put_object(Bucket="shards", Key="runs/r1/notes.json", Body=b'{"not": "a run"}')
    s3.put_object(Bucket="shards", Key="runs/r1/old/x.json", Body=b"{}")
    merged = run_cli(
        "merge",
        "s3://shards/runs/r1",
        "-o",
        "merged",
        "-b",
        "shards",
        "--format",
        "html",
        output=tmp_path / "merged",
    )
    assert merged.code == 0, merged.stderr
    names = {f["resource_name"] for f in merged.findings}
    assert names == {"east-db", "west-db"}
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="shards", Prefix="merged/")["Contents"]}
    assert {k.rsplit(".", 1)[-1] for k in keys} == {"csv", "html"}
    assert len(keys) == 3
    missing = run_cli("merge", "s3://shards/runs/", "-o", "again", output=tmp_path / "again")
    assert missing.code == 2
    assert "no shard's run found" in missing.stderr


def test_the_merged_runs_findings_are_published_once_each(
    region_shards: tuple[Path, Path], run_cli: RunCli, boto: Boto, tmp_path: Path
) -> None:
    queue = bus_with_queue(boto)
    out = tmp_path / "merged"
    run = run_cli("merge", *map(str, region_shards), "-o", str(out), "--event-bus-arn", BUS_ARN)
    assert run.code == 0, run.stderr
    published = sorted(e["detail"]["resource_name"] for e in drain(boto, queue))
    assert published == ["east-db", "east-ha", "west-db"]
    [row] = [r for r in csv_dicts(out) if r["service"] == "eventbridge"]
    assert row["result"] == "Success"


def csv_dicts(folder: Path) -> list[dict[str, str]]:
    [path] = folder.glob("*_run_report.csv")
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))

"""``scan --shard``: each shard scans its slice of the run and says so in its files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.checks.test_globalaccelerator import Accelerators
from tests.output.test_formats import validator
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import create_db_instance
from tests.support.standins import StartStandin

REGIONS = "us-east-1,eu-west-1"
# With 2 shards, us-east-1 and us-west-2 (Global Accelerator's API region) fall in the first,
# eu-west-1 in the second (tests/config/test_shards.py pins where keys fall).


@pytest.mark.parametrize(
    ("args", "environ", "message"),
    [
        (("--shard", "3/2"), {}, "--shard: shard 3 of 2: K must be 1 to 2"),
        (("--shard", "1-2"), {}, "--shard: '1-2' is not K/N (e.g. 2/4) or auto"),
        (("--shard", "auto"), {}, "--shard auto: neither AWS_BATCH_JOB_ARRAY_INDEX"),
        (("--shard", "auto"), {"JOB_COMPLETION_INDEX": "1"}, "give the job's completions"),
        (("--shard-count", "2"), {}, "--shard-count goes with --shard auto"),
        (("--shard", "1/2", "--history", "hist"), {}, "--history keeps whole runs"),
        (("--shard", "1/2", "--filename-with-accountid"), {}, "give it to merge"),
    ],
)
def test_bad_shard_values_are_one_line_and_write_nothing(
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    environ: dict[str, str],
    message: str,
) -> None:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    run = run_cli("scan", "-s", "rds", *args)
    assert run.code == 2
    assert run.stderr.startswith("resiliency-analyser: error: "), run.stderr
    assert message in run.stderr
    assert run.stderr.count("\n") == 1
    assert not run.output.exists()
    assert not (tmp_path / "hist").exists()


def shard_run(run_cli: RunCli, tmp_path: Path, shard: str) -> tuple[set[tuple[str, str]], Any]:
    run = run_cli(
        "scan",
        "-s",
        "rds,globalaccelerator",
        "-r",
        REGIONS,
        "--shard",
        shard,
        output=tmp_path / shard.replace("/", "of"),
    )
    assert run.code == 0, run.stderr
    assert f"shard {shard} of run " in run.stderr
    [document] = run.output.glob("*.json")
    number, count = shard.split("/")
    assert document.name.endswith(f"_shard{number}of{count}.json")
    pairs = {(r["service"], r["region"]) for r in run.report if r["region"] != "Overall"}
    return pairs, json.loads(document.read_text())


def test_a_single_account_run_is_split_by_region(
    run_cli: RunCli, boto: Boto, tmp_path: Path, standin: StartStandin
) -> None:
    standin("globalaccelerator", Accelerators().handlers())
    create_db_instance(boto, "us-east-1", "east-db", multi_az=False)
    create_db_instance(boto, "eu-west-1", "west-db", multi_az=False)
    first, one = shard_run(run_cli, tmp_path, "1/2")
    second, two = shard_run(run_cli, tmp_path, "2/2")
    assert first == {("rds", "us-east-1"), ("globalaccelerator", "us-west-2")}
    assert second == {("rds", "eu-west-1")}
    assert [f["resource_name"] for f in one["findings"]] == ["east-db"]
    assert [f["resource_name"] for f in two["findings"]] == ["west-db"]
    assert one["regions"] == ["us-east-1"]
    marks = [{k: v for k, v in d["shard"].items() if k != "run"} for d in (one, two)]
    assert marks == [
        {"index": 1, "count": 2, "of": "regions"},
        {"index": 2, "count": 2, "of": "regions"},
    ]
    assert one["shard"]["run"] == two["shard"]["run"]
    for document in (one, two):
        validator().validate(document)
    assert one["account"]["account_id"] == ACCOUNT_ID


def test_aws_batch_and_kubernetes_indexes_choose_the_shard(
    run_cli: RunCli, boto: Boto, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_db_instance(boto, "eu-west-1", "west-db", multi_az=False)
    monkeypatch.setenv("AWS_BATCH_JOB_ARRAY_INDEX", "1")
    monkeypatch.setenv("AWS_BATCH_JOB_ARRAY_SIZE", "2")
    batch = run_cli("scan", "-s", "rds", "-r", REGIONS, "--shard", "auto", output=tmp_path / "b")
    assert batch.code == 0, batch.stderr
    assert [f["resource_name"] for f in batch.findings] == ["west-db"]
    [document] = batch.output.glob("*.json")
    assert document.name.endswith("_shard2of2.json")
    monkeypatch.delenv("AWS_BATCH_JOB_ARRAY_INDEX")
    monkeypatch.setenv("JOB_COMPLETION_INDEX", "0")
    indexed = run_cli(
        "scan",
        "-s",
        "rds",
        "-r",
        REGIONS,
        "--shard",
        "auto",
        "--shard-count",
        "2",
        output=tmp_path / "k",
    )
    assert indexed.code == 0, indexed.stderr
    assert indexed.findings == []
    assert indexed.pair_results == {("rds", "us-east-1"): "Success"}

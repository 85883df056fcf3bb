"""How many worker processes a scan uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from resiliency_analyser.config.workers import (
    WORKER_MEMORY,
    available_memory,
    default_workers,
    workers,
)
from resiliency_analyser.errors import UsageError
from resiliency_analyser.run.request import WorkerChoice
from tests.support.cli import RunCli

GB = 2**30


@pytest.mark.parametrize(
    ("cpus", "memory", "expected"),
    [
        (2, 16 * GB, 2),
        (8, 16 * GB, 8),
        (8, 2 * GB, 4),  # memory for four
        (8, WORKER_MEMORY - 1, 1),  # not even one fits: one process all the same
        (4, None, 4),  # memory unknown: the cores decide
        (1, 16 * GB, 1),
    ],
)
def test_the_default_is_a_worker_per_core_that_memory_holds(
    cpus: int, memory: int | None, expected: int
) -> None:
    assert default_workers(cpus, memory) == expected


def test_available_memory_is_read_from_meminfo(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       16318056 kB\nMemAvailable:    8000000 kB\n")
    assert available_memory(meminfo) == 8_000_000 * 1024
    assert available_memory(tmp_path / "absent") is None
    meminfo.write_text("MemTotal:       16318056 kB\n")
    assert available_memory(meminfo) is None


def test_typed_counts_are_kept_and_the_default_may_be_lowered() -> None:
    assert workers(3, single_threaded=False) == WorkerChoice(3)
    assert workers(1, single_threaded=True) == WorkerChoice(1)
    assert workers(None, single_threaded=True) == WorkerChoice(1)
    chosen = workers(None, single_threaded=False)
    assert chosen.auto
    assert chosen.count >= 1


@pytest.mark.parametrize(
    ("count", "single_threaded", "expected"),
    [
        (0, False, "--workers must be at least 1"),
        (-2, False, "--workers must be at least 1"),
        (2, True, "--single-threaded and --workers above 1 contradict each other"),
    ],
)
def test_bad_counts_are_usage_errors(count: int, single_threaded: bool, expected: str) -> None:
    with pytest.raises(UsageError, match=expected):
        workers(count, single_threaded=single_threaded)


def test_a_bad_count_is_one_line_and_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    run = run_cli("scan", "-r", "us-east-1", "--workers", "0", output=tmp_path / "out")
    assert run.code == 2
    assert run.stderr == "resiliency-analyser: error: --workers must be at least 1\n"
    assert not (tmp_path / "out").exists()

"""What the user watches while workers scan: a line per worker under the checks' bars."""

from __future__ import annotations

import io
import logging

import pytest
from rich.console import Console

from resiliency_analyser.checks.registry import BY_KEY
from resiliency_analyser.cli.progress import LogDisplay, RichDisplay
from resiliency_analyser.run.engine import plan_pairs


def test_the_terminal_shows_each_workers_cells() -> None:
    screen = io.StringIO()
    display = RichDisplay(Console(file=screen, force_terminal=True, width=120))
    display.start(plan_pairs([BY_KEY["rds"]], ["us-east-1", "eu-west-1", "ap-south-1"]))
    display.worker_cells(1, "us-east-1", 1, 0)
    display.worker_cells(2, "eu-west-1", 2, 0)
    display.worker_cells(2, "eu-west-1", 1, 1)
    display.stop()
    last = screen.getvalue().rsplit("rds", 1)[1]
    assert "worker 1" in last
    assert "0/1" in last
    assert "1 running" in last
    assert "us-east-1" in last
    worker_2 = last.split("worker 2", 1)[1]
    assert "1/2" in worker_2
    assert "eu-west-1" in worker_2


def test_logs_name_the_worker_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="resiliency_analyser"):
        LogDisplay().worker_cells(2, "eu-west-1", 1, 3)
    assert caplog.messages == ["worker 2: eu-west-1, 1 cells running, 3 done"]

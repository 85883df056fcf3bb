"""The real CLI run in-process, and readers for what a run printed and wrote."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from resiliency_analyser.cli.app import main


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str
    output: Path

    def csv(self, suffix: str = "") -> list[dict[str, str]]:
        """Rows of the one findings CSV (or, with ``_run_report``, the run report) written."""
        pattern = f"Resiliency_Findings_*{suffix}.csv"
        paths = [p for p in self.output.glob(pattern) if suffix or "_run_report" not in p.name]
        assert len(paths) == 1, paths
        with paths[0].open(newline="") as handle:
            return list(csv.DictReader(handle))

    @property
    def findings(self) -> list[dict[str, str]]:
        return self.csv()

    @property
    def report(self) -> list[dict[str, str]]:
        return self.csv("_run_report")

    @property
    def verdicts(self) -> dict[str, bool]:
        """resource_name -> potential_single_az_risk, asserting no name is reported twice."""
        findings = self.findings
        verdicts = {f["resource_name"]: f["potential_single_az_risk"] == "True" for f in findings}
        assert len(verdicts) == len(findings), "a resource was reported twice"
        return verdicts

    @property
    def pair_results(self) -> dict[tuple[str, str], str]:
        """(service, region) -> result, for every (check, region) row of the run report."""
        return {
            (r["service"], r["region"]): r["result"]
            for r in self.report
            if r["region"] != "Overall"
        }

    def finding(self, name: str) -> dict[str, str]:
        [row] = [f for f in self.findings if f["resource_name"] == name]
        return row


RunCli = Callable[..., CliRun]


def cli_runner(folder: Path, capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Runs the real CLI in-process; ``scan`` and ``demo`` write to ``folder`` unless given ``-o``
    (or ``output=``)."""

    def run(*args: str, output: Path | None = None) -> CliRun:
        written = output or folder
        argv = list(args)
        if args and args[0] in {"scan", "demo"} and "-o" not in args:
            argv += ["-o", str(written)]
        code = main(argv)
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err, written)

    return run

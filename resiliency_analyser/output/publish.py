"""After the scan: the whole-run files, stdout for piping, and the CI job's step summary."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from resiliency_analyser.output.atomic import write_atomic
from resiliency_analyser.output.formats import SUFFIXES, OutputFormat, render
from resiliency_analyser.output.markdown import markdown_summary

if TYPE_CHECKING:
    from resiliency_analyser.gate import GatePolicy
    from resiliency_analyser.scan import OutputOptions, ScanResult

log = logging.getLogger(__name__)

STEP_SUMMARY = "GITHUB_STEP_SUMMARY"


def needs_every_finding(
    formats: Collection[OutputFormat],
    to_stdout: OutputFormat | None,
    gate: GatePolicy,
    environ: Mapping[str, str],
) -> bool:
    """Whether any output asked for is built from the whole run rather than streamed."""
    return (
        any(fmt is not OutputFormat.CSV for fmt in formats)
        or to_stdout is not None
        or bool(environ.get(STEP_SUMMARY))
        or gate.fail_on is not None
        or gate.baseline is not None
    )


def write_run_files(result: ScanResult, output: OutputOptions, stem: str) -> ScanResult:
    """One file per run for each non-streaming format, replacing the day's earlier one."""
    written: list[Path] = []
    for fmt in output.formats:
        if fmt is OutputFormat.CSV:
            continue
        path = output.folder / f"{stem}{SUFFIXES[fmt]}"
        write_atomic(path, render(fmt, result, csv_extended=output.csv_extended))
        written.append(path)
    return replace(result, files=(*result.files, *written))


def append_step_summary(result: ScanResult) -> None:
    """GitHub Actions shows this file on the run's page; other steps may have written to it."""
    target = os.environ.get(STEP_SUMMARY)
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(markdown_summary(result))
    except OSError as error:
        log.warning("cannot write the step summary to %s: %s", target, error.strerror)


def publish(result: ScanResult, stdout: OutputFormat | None, *, csv_extended: bool) -> None:
    if stdout is not None:
        sys.stdout.write(render(stdout, result, csv_extended=csv_extended))
        sys.stdout.flush()
    append_step_summary(result)

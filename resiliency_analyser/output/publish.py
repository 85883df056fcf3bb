"""After the scan: the whole-run files, stdout for piping, and the CI job's step summary."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from resiliency_analyser.output.atomic import write_atomic
from resiliency_analyser.output.formats import FILE_TYPES, OutputFormat, render
from resiliency_analyser.output.markdown import markdown_summary

if TYPE_CHECKING:
    from resiliency_analyser.gate.policy import Review
    from resiliency_analyser.model.summary import ScanSummary

log = logging.getLogger(__name__)


def write_run_files(
    summary: ScanSummary,
    review: Review,
    formats: tuple[OutputFormat, ...],
    folder: Path,
    stem: str,
    *,
    csv_extended: bool,
) -> tuple[Path, ...]:
    """One file per run for each non-streaming format, replacing the day's earlier one."""
    written: list[Path] = []
    for fmt in formats:
        if fmt is OutputFormat.CSV:
            continue
        path = folder / f"{stem}{FILE_TYPES[fmt].suffix}"
        write_atomic(path, render(fmt, summary, review, csv_extended=csv_extended))
        written.append(path)
    return tuple(written)


def append_step_summary(summary: ScanSummary, review: Review, target: Path) -> None:
    """GitHub Actions shows this file on the run's page; other steps may have written to it."""
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(markdown_summary(summary, review))
    except OSError as error:
        log.warning("cannot write the step summary to %s: %s", target, error.strerror)


def publish(
    summary: ScanSummary,
    review: Review,
    stdout: OutputFormat | None,
    step_summary: Path | None,
    *,
    csv_extended: bool,
) -> None:
    if stdout is not None:
        sys.stdout.write(render(stdout, summary, review, csv_extended=csv_extended))
        sys.stdout.flush()
    if step_summary is not None:
        append_step_summary(summary, review, step_summary)

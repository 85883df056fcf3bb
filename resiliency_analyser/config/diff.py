"""The ``diff`` command's values: both runs read and checked, the format and gate chosen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from resiliency_analyser.config import values
from resiliency_analyser.config.arguments import DiffArguments
from resiliency_analyser.config.runs import read_run
from resiliency_analyser.output.diff import FailOn, RunSide
from resiliency_analyser.output.diff_text import DiffFormat


@dataclass(frozen=True)
class DiffRequest:
    old: RunSide
    new: RunSide
    format: DiffFormat
    output: Path | None
    """The file to write; stdout when None."""
    fail_on: FailOn | None


def run_side(path: Path) -> RunSide:
    return RunSide.of(str(path), [run.document for run in read_run(path)])


def diff_request(old: Path, new: Path, args: DiffArguments) -> DiffRequest:
    """Every value and both runs checked before anything is written."""
    chosen = values.choice(DiffFormat, args.output_format, "--format", "format")
    fail_on = values.choice(FailOn, args.fail_on, "--fail-on") if args.fail_on else None
    output = values.output_file(args.output)
    return DiffRequest(run_side(old), run_side(new), chosen, output, fail_on)

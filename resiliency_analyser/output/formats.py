"""The output formats a scan can write to files and to stdout, and rendering a finished run."""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from resiliency_analyser.errors import UsageError
from resiliency_analyser.options import split_values
from resiliency_analyser.output.findings_csv import csv_text
from resiliency_analyser.output.json_doc import json_document
from resiliency_analyser.output.jsonl import jsonl_text
from resiliency_analyser.output.markdown import markdown_summary

if TYPE_CHECKING:
    from resiliency_analyser.scan import ScanResult


class OutputFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    JSON = "json"
    MARKDOWN = "markdown"


SUFFIXES = {
    OutputFormat.CSV: ".csv",
    OutputFormat.JSONL: ".jsonl",
    OutputFormat.JSON: ".json",
    OutputFormat.MARKDOWN: ".md",
}


def parse_format(value: str, option: str) -> OutputFormat:
    try:
        return OutputFormat(value.strip().lower())
    except ValueError:
        choices = ", ".join(f.value for f in OutputFormat)
        raise UsageError(f"{option}: unknown format {value!r}; choose from {choices}") from None


def parse_formats(raw: Iterable[str] | None) -> tuple[OutputFormat, ...]:
    """Repeated or comma-separated; CSV when none is given."""
    values = split_values(raw)
    if raw is not None and list(raw) and not values:
        raise UsageError("--format is empty")
    chosen = [parse_format(v, "--format") for v in values] or [OutputFormat.CSV]
    return tuple(dict.fromkeys(chosen))


def output_choice(
    formats: Iterable[str] | None, stdout: str | None, *, csv_extended: bool
) -> tuple[tuple[OutputFormat, ...], OutputFormat | None]:
    """(file formats, stdout format) from ``--format``, ``--stdout`` and ``--csv-extended``."""
    files = parse_formats(formats)
    to_stdout = parse_format(stdout, "--stdout") if stdout is not None else None
    if csv_extended and OutputFormat.CSV not in files and to_stdout is not OutputFormat.CSV:
        raise UsageError("--csv-extended needs the csv format (--format csv or --stdout csv)")
    return files, to_stdout


def render(fmt: OutputFormat, result: ScanResult, *, csv_extended: bool) -> str:
    """The whole run in one format, sorted by service, region and resource."""
    records = result.review.records
    if fmt is OutputFormat.CSV:
        return csv_text(records, extended=csv_extended)
    if fmt is OutputFormat.JSONL:
        return jsonl_text(records)
    if fmt is OutputFormat.JSON:
        return json.dumps(json_document(result), indent=2, ensure_ascii=False) + "\n"
    return markdown_summary(result)

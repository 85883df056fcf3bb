"""The output formats a scan can write to files and to stdout, and rendering a finished run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from resiliency_analyser.output.findings_csv import csv_text
from resiliency_analyser.output.html import html_report
from resiliency_analyser.output.json_doc import json_document
from resiliency_analyser.output.jsonl import jsonl_text
from resiliency_analyser.output.markdown import markdown_summary

if TYPE_CHECKING:
    from resiliency_analyser.gate.policy import Review
    from resiliency_analyser.model.summary import ScanSummary


class OutputFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    JSON = "json"
    MARKDOWN = "markdown"
    OCSF = "ocsf"
    HTML = "html"


@dataclass(frozen=True)
class FileType:
    """How a format's file is named, and the Content-Type it is served with (S3 uploads)."""

    suffix: str
    media_type: str


# Neither JSON Lines type is registered with IANA; x-ndjson is the one most tools recognise. The
# JSON types take no charset parameter: JSON text is UTF-8 by definition (RFC 8259).
JSON_LINES = "application/x-ndjson"

FILE_TYPES = {
    OutputFormat.CSV: FileType(".csv", "text/csv; charset=utf-8"),
    OutputFormat.JSONL: FileType(".jsonl", JSON_LINES),
    OutputFormat.JSON: FileType(".json", "application/json"),
    OutputFormat.MARKDOWN: FileType(".md", "text/markdown; charset=utf-8"),
    OutputFormat.OCSF: FileType(".ocsf.jsonl", JSON_LINES),
    OutputFormat.HTML: FileType(".html", "text/html; charset=utf-8"),
}


def media_type(name: str) -> str:
    """The Content-Type of a file the run wrote, from its name (the run report is a CSV too)."""
    # The longest suffix first: an OCSF file's name ends in ".jsonl" as well.
    for kind in sorted(FILE_TYPES.values(), key=lambda kind: -len(kind.suffix)):
        if name.endswith(kind.suffix):
            return kind.media_type
    raise ValueError(f"no output format writes {name}")


def render(fmt: OutputFormat, summary: ScanSummary, review: Review, *, csv_extended: bool) -> str:
    """The whole run in one format, sorted by service, region and resource."""
    records = review.records
    if fmt is OutputFormat.CSV:
        return csv_text(records, extended=csv_extended)
    if fmt is OutputFormat.JSONL:
        return jsonl_text(records)
    if fmt is OutputFormat.JSON:
        return json.dumps(json_document(summary, review), indent=2, ensure_ascii=False) + "\n"
    if fmt is OutputFormat.OCSF:
        # The OCSF models take a tenth of a second to import: not on every command's start-up.
        from resiliency_analyser.output.ocsf import ocsf_text

        return ocsf_text(records, summary.account.partition)
    if fmt is OutputFormat.HTML:
        return html_report(summary, review)
    return markdown_summary(summary, review)

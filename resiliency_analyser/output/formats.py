"""The output formats a scan can write to files and to stdout, and rendering a finished run."""

from __future__ import annotations

import json
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


SUFFIXES = {
    OutputFormat.CSV: ".csv",
    OutputFormat.JSONL: ".jsonl",
    OutputFormat.JSON: ".json",
    OutputFormat.MARKDOWN: ".md",
    OutputFormat.OCSF: ".ocsf.jsonl",
    OutputFormat.HTML: ".html",
}


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

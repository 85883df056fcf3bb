"""Earlier runs' output files (``--format json`` documents or JSON Lines), read and checked whole.

A JSON document carries the run's account and run report; a JSON Lines file only its findings,
so it is read as a document holding ``findings`` alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from resiliency_analyser.errors import UsageError
from resiliency_analyser.gate.baseline import validation_problem
from resiliency_analyser.gate.user_files import read_user_file
from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.output.impact import ImpactEntry

Document = dict[str, Any]


class ReportRow(BaseModel):
    """A run-report object as the HTML report shows it."""

    model_config = ConfigDict(extra="ignore")

    service: str
    region: str
    result: str
    error_message: str = ""
    resources: int = 0
    risks: int = 0
    runtime_in_seconds: float = 0


class RunHeader(BaseModel):
    """What a JSON document says about its run besides the findings."""

    model_config = ConfigDict(extra="ignore")

    account: AccountInfo | None = None
    regions: list[str] = []
    run_report: list[ReportRow] = []


def _finding(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError(f"{where}: not a JSON object")
    try:
        ImpactEntry.model_validate(value)
    except ValidationError as error:
        raise UsageError(f"{where}: {validation_problem(error)}") from error
    return value


def _document_findings(findings: object, path: Path) -> list[dict[str, Any]]:
    if not isinstance(findings, list):
        raise UsageError(f"{path}: 'findings' is not a list")
    return [_finding(f, f"{path} finding {n}") for n, f in enumerate(findings, start=1)]


def _json_lines(text: str, path: Path) -> Document:
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise UsageError(f"{path} line {number}: not JSON: {error.msg}") from error
        findings.append(_finding(value, f"{path} line {number}"))
    return {"findings": findings}


def parse_run_file(text: str, path: Path) -> Document:
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        return _json_lines(text, path)
    if isinstance(whole, dict) and "schema_version" in whole:
        try:
            RunHeader.model_validate(whole)
        except ValidationError as error:
            raise UsageError(f"{path}: {validation_problem(error)}") from error
        whole["findings"] = _document_findings(whole.get("findings"), path)
        return whole
    return _json_lines(text, path)


def load_run_files(paths: Sequence[Path]) -> list[Document]:
    """Each file as a document; the first problem is one ``UsageError`` naming file and line."""
    if not paths:
        raise UsageError("give at least one run's .json or .jsonl file")
    return [parse_run_file(read_user_file(path, "run file"), path) for path in paths]

"""A run's files as text: a JSON document, a history summary, JSON Lines findings, each checked
whole. Fields this version does not know are ignored, so a newer run's files read too. The files
themselves (and what lies next to them) are found by ``config.runs``; the scan reads its history
from S3 with these too.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from resiliency_analyser.errors import UsageError
from resiliency_analyser.gate.baseline import validation_problem
from resiliency_analyser.output.impact import ImpactEntry

Document = dict[str, Any]


class ReportObject(BaseModel):
    """A run-report object of a JSON document (``account_id`` where the run wrote one)."""

    model_config = ConfigDict(extra="ignore")

    service: str
    region: str
    result: str
    """An outcome's name; not checked against this version's outcomes (a newer run may have
    more)."""
    account_id: str = ""
    error_message: str = ""
    resources: int = 0
    risks: int = 0
    runtime_in_seconds: float = 0


class AccountObject(BaseModel):
    model_config = ConfigDict(extra="ignore")

    account_id: str
    account_name: str = ""


class RunHeader(BaseModel):
    """What a JSON document (or a history summary) says about its run besides the findings."""

    model_config = ConfigDict(extra="ignore")

    account: AccountObject | None = None
    regions: list[str] = []
    run_report: list[ReportObject] = []
    started: str | None = None
    ended: str | None = None
    report_only_risks: bool | None = None


def _finding(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError(f"{where}: not a JSON object")
    try:
        ImpactEntry.model_validate(value)
    except ValidationError as error:
        raise UsageError(f"{where}: {validation_problem(error)}") from error
    return value


def _document_findings(findings: object, path: str | PurePath) -> list[dict[str, Any]]:
    if not isinstance(findings, list):
        raise UsageError(f"{path}: 'findings' is not a list")
    return [_finding(f, f"{path} finding {n}") for n, f in enumerate(findings, start=1)]


def json_lines(text: str, path: str | PurePath) -> list[dict[str, Any]]:
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise UsageError(f"{path} line {number}: not JSON: {error.msg}") from error
        findings.append(_finding(value, f"{path} line {number}"))
    return findings


def checked_header(whole: dict[str, Any], path: str | PurePath) -> Document:
    try:
        RunHeader.model_validate(whole)
    except ValidationError as error:
        raise UsageError(f"{path}: {validation_problem(error)}") from error
    return whole


def is_document(whole: object) -> bool:
    return isinstance(whole, dict) and "schema_version" in whole


def parse_run_file(text: str, path: str | PurePath) -> Document:
    """A JSON document as it is; JSON Lines as a document holding ``findings`` alone."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        return {"findings": json_lines(text, path)}
    if is_document(whole):
        document = checked_header(whole, path)
        document["findings"] = _document_findings(whole.get("findings"), path)
        return document
    return {"findings": json_lines(text, path)}

"""A previous run's JSON Lines findings, and what changed since: new, resolved, unchanged risks."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from resiliency_analyser.errors import UsageError
from resiliency_analyser.gate.records import FindingRecord, order_key, risk_key
from resiliency_analyser.gate.user_files import read_user_file
from resiliency_analyser.model.report import Outcome, PairResult


class BaselineEntry(BaseModel):
    """The fields of a JSON Lines finding that identify a risk; the others are not needed."""

    model_config = ConfigDict(frozen=True, strict=True, extra="ignore")

    service: str
    region: str
    account_id: str
    check_id: str
    resource_arn: str
    resource_name: str
    resource_id: str
    potential_single_az_risk: bool
    suppressed: bool = False


@dataclass(frozen=True)
class Baseline:
    path: Path
    entries: tuple[BaselineEntry, ...]


@dataclass(frozen=True)
class Comparison:
    """Open (unsuppressed) risks now against open risks then."""

    new: tuple[FindingRecord, ...]
    unchanged: tuple[FindingRecord, ...]
    resolved: tuple[BaselineEntry, ...]
    """Fixed, deleted or now accepted; only where this run scanned the same account, check and
    region successfully, so a failed or narrower scan does not look like progress."""


# pydantic's error types in our words: the user wrote JSON, not a pydantic model.
PROBLEMS = {
    "missing": "a required field is missing",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a string",
    "model_type": "not a JSON object (one finding per line, as --format jsonl writes)",
    "dict_type": "not a JSON object (one finding per line, as --format jsonl writes)",
}


def validation_problem(error: ValidationError) -> str:
    """A pydantic error as one line, in our words: where in the record, and what is wrong."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    cause = (first.get("ctx") or {}).get("error")
    problem = PROBLEMS.get(first["type"]) or (str(cause) if cause else first["msg"])
    return f"{where}: {problem}" if where else problem


def parse_baseline(lines: Sequence[str]) -> tuple[BaselineEntry, ...]:
    entries: list[BaselineEntry] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entries.append(BaselineEntry.model_validate(json.loads(line)))
        except json.JSONDecodeError as error:
            raise UsageError(f"line {number}: not JSON: {error.msg}") from error
        except ValidationError as error:
            raise UsageError(f"line {number}: {validation_problem(error)}") from error
    return tuple(entries)


def load_baseline(path: Path) -> Baseline:
    text = read_user_file(path, "baseline")
    try:
        return Baseline(path, parse_baseline(text.splitlines()))
    except UsageError as error:
        raise UsageError(f"baseline {path} {error}") from error


def compare(
    baseline: Baseline,
    records: Sequence[FindingRecord],
    results: Sequence[PairResult],
) -> Comparison:
    before = {
        risk_key(e): e for e in baseline.entries if e.potential_single_az_risk and not e.suppressed
    }
    now = [r for r in records if r.open_risk]
    now_keys = {risk_key(r.finding) for r in now}
    rescanned = {
        (r.account_id, r.service, r.region) for r in results if r.outcome is Outcome.SUCCESS
    }
    resolved = (
        entry
        for key, entry in before.items()
        if key not in now_keys and (entry.account_id, entry.service, entry.region) in rescanned
    )
    return Comparison(
        new=tuple(r for r in now if risk_key(r.finding) not in before),
        unchanged=tuple(r for r in now if risk_key(r.finding) in before),
        resolved=tuple(sorted(resolved, key=order_key)),
    )

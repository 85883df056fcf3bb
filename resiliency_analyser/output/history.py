"""``scan --history DIR``: each run's JSON Lines and summary kept in a folder (and in S3 with
``-b``), and read back for the report's trend of unaccepted risks per run and its "since the last
run" panel.

A run's files are ``Resiliency_Run_<account>_<start, UTC>.jsonl`` and ``.summary.json`` (its JSON
document less the findings): the account in the name keeps several accounts' runs in one folder
(or bucket prefix) apart, and the start sorts them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from resiliency_analyser.errors import UsageError
from resiliency_analyser.gate.baseline import validation_problem
from resiliency_analyser.output.atomic import write_atomic
from resiliency_analyser.output.diff import RunDiff, RunSide, compare_runs
from resiliency_analyser.output.json_doc import json_document
from resiliency_analyser.output.jsonl import jsonl_text
from resiliency_analyser.output.naming import HISTORY_PREFIX, SUMMARY_SUFFIX
from resiliency_analyser.output.run_text import Document, checked_header, is_document, json_lines

if TYPE_CHECKING:
    from resiliency_analyser.output.run_view import RunView

TREND_RUNS = 52
"""Runs the trend shows, this one included: a year of weekly scans."""


def account_prefix(account_id: str) -> str:
    """What the names of one account's runs start with."""
    return f"{HISTORY_PREFIX}_{account_id}_"


def history_stem(account_id: str, started: datetime) -> str:
    # To the microsecond: two runs may start within one second.
    return f"{account_prefix(account_id)}{started:%Y%m%dT%H%M%S.%fZ}"


class Totals(BaseModel):
    model_config = ConfigDict(extra="ignore")

    open_risks: int
    failed_pairs: int = 0


class Summary(BaseModel):
    """What the trend reads of a summary; the rest is a run document's header."""

    model_config = ConfigDict(extra="ignore")

    started: str
    totals: Totals


def parse_summary(text: str, where: str | PurePath) -> Document:
    """A summary file's text, checked; one ``UsageError`` naming it otherwise."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"{where}: not JSON: {error.msg}") from error
    if not is_document(whole):
        raise UsageError(f"{where}: not a run summary (no schema_version)")
    try:
        Summary.model_validate(whole)
    except ValidationError as error:
        raise UsageError(f"{where}: {validation_problem(error)}") from error
    return checked_header(whole, where)


@dataclass(frozen=True)
class HistoryEntry:
    """One earlier run of the history."""

    stem: str
    summary: Document
    findings: Callable[[], list[Document]] | None
    """Reads its findings (raising ``UsageError``); ``None`` where they were not kept or not
    fetched (only the last run's are needed)."""

    @property
    def totals(self) -> Totals:
        return Summary.model_validate(self.summary).totals


@dataclass(frozen=True)
class HistoryFolder:
    folder: Path
    """Created when the run writes to it, if missing."""
    entries: tuple[HistoryEntry, ...]
    """Its runs, read and checked before the scan."""


def history_keys(keys: Sequence[str], runs: int = TREND_RUNS) -> list[str]:
    """Of an account's objects, what the report reads: the last ``runs`` summaries, and the
    last run's findings."""
    summaries = sorted(k for k in keys if k.endswith(SUMMARY_SUFFIX))[-runs:]
    last = f"{summaries[-1].removesuffix(SUMMARY_SUFFIX)}.jsonl" if summaries else ""
    return [*summaries, *([last] if last in keys else [])]


def stored_entries(objects: Mapping[str, str], where: str) -> tuple[list[HistoryEntry], list[str]]:
    """The runs among ``objects`` (key -> text, as ``history_keys`` chose them), and a line for
    each that could not be read (it is skipped)."""
    entries, skipped = [], []
    for key in sorted(k for k in objects if k.endswith(SUMMARY_SUFFIX)):
        stem = key.removesuffix(SUMMARY_SUFFIX)
        try:
            summary = parse_summary(objects[key], f"{where}/{key}")
        except UsageError as error:
            skipped.append(f"skipped a run of the history: {error}")
            continue
        lines = objects.get(f"{stem}.jsonl")
        read = None if lines is None else partial(json_lines, lines, f"{where}/{stem}.jsonl")
        entries.append(HistoryEntry(PurePath(stem).name, summary, read))
    return entries, skipped


def summary_document(run: RunView) -> Document:
    return {k: v for k, v in json_document(run).items() if k != "findings"}


def history_texts(run: RunView) -> dict[str, str]:
    """File name -> text of this run's history entry."""
    stem = history_stem(run.account.account_id, run.started)
    summary = json.dumps(summary_document(run), indent=2, ensure_ascii=False) + "\n"
    return {f"{stem}.jsonl": jsonl_text(run), f"{stem}{SUMMARY_SUFFIX}": summary}


def write_history(run: RunView, folder: Path) -> tuple[Path, ...]:
    """Creates the folder only now (a usage error writes nothing); each file whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in history_texts(run).items():
        write_atomic(folder / name, text)
        written.append(folder / name)
    return tuple(written)


@dataclass(frozen=True)
class TrendPoint:
    started: str
    open_risks: int
    failed_pairs: int
    """A run with failed pairs may hide risks: its point is marked."""


@dataclass(frozen=True)
class RunHistory:
    """What the report shows of the history: the trend, this run last, and the comparison with
    the run before it."""

    points: tuple[TrendPoint, ...]
    since: RunDiff | None
    """``None`` for the first run of the history, or when the last run cannot be read."""
    notes: tuple[str, ...] = ()


def merged(*sources: Sequence[HistoryEntry]) -> list[HistoryEntry]:
    """One entry per run, in time order; the first source that has a run (the local folder)
    wins."""
    found: dict[str, HistoryEntry] = {}
    for source in sources:
        for entry in source:
            found.setdefault(entry.stem, entry)
    return [found[stem] for stem in sorted(found)]


def history_view(
    run: RunView, entries: Sequence[HistoryEntry], notes: Sequence[str] = ()
) -> RunHistory:
    """``entries``: the history's runs of any account; this run's account's are compared."""
    this = json_document(run)
    stem = history_stem(run.account.account_id, run.started)
    prefix = account_prefix(run.account.account_id)
    earlier = [e for e in entries if e.stem.startswith(prefix) and e.stem < stem]
    points = [
        TrendPoint(e.summary["started"], e.totals.open_risks, e.totals.failed_pairs)
        for e in earlier
    ]
    totals = this["totals"]
    points.append(TrendPoint(this["started"], totals["open_risks"], totals["failed_pairs"]))
    said = list(notes)
    since = None
    if earlier:
        last = earlier[-1]
        try:
            if last.findings is None:
                raise UsageError(f"the JSON Lines of {last.stem} were not found")
            previous = RunSide.of(last.stem, [{**last.summary, "findings": last.findings()}])
            since = compare_runs(previous, RunSide.of("this run", [this]))
        except UsageError as error:
            said.append(f"cannot compare with the last run: {error}")
    return RunHistory(tuple(points[-TREND_RUNS:]), since, tuple(said))

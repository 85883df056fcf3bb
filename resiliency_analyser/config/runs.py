"""Earlier runs' output files, read and checked whole: the one reader of every command that reads
runs (``impact``, ``diff``, and the scan's ``--history``).

A run is given as its ``--format json`` document, its JSON Lines findings, or an output folder
(every run's file in it: one account, an organization, or merged shards). A JSON document carries
the run's account and run report; a JSON Lines file only its findings, so its run report is looked
for next to it: the ``--history`` summary of the same name, else the same run's JSON document,
else the run report CSV (the block of the run whose times span the findings': the CSV collects
the day's runs). Fields this version does not know are ignored, so a newer run's files read too.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from resiliency_analyser.errors import UsageError
from resiliency_analyser.gate.user_files import read_user_file
from resiliency_analyser.model.findings import SEED_TIMESTAMP_FORMAT
from resiliency_analyser.model.report import OVERALL, RUN_REPORT_COLUMNS
from resiliency_analyser.output.naming import SUMMARY_SUFFIX, report_name
from resiliency_analyser.output.run_text import (
    Document,
    checked_header,
    is_document,
    json_lines,
    parse_run_file,
)


@dataclass(frozen=True)
class RunFile:
    """One run's file as read: its document, and where its run report came from."""

    path: Path
    document: Document
    report: Path | None
    """The file holding the run report (the document itself, or a file next to it); ``None``
    when none was found: which (check, region) pairs the run covered is then unknown."""


# Finding timestamps are ISO 8601 to the second, a run's start and end too (truncated, so a
# finding's second is never before its run's nor after it).
def _moment(text: object, layout: str | None = None) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.strptime(text, layout) if layout else datetime.fromisoformat(text)
    except ValueError:
        return None


def _spans(started: datetime | None, ended: datetime | None, findings: Sequence[Document]) -> bool:
    """Whether a run from ``started`` to ``ended`` could have made every one of the findings."""
    if started is None or ended is None:
        return False
    times = (_moment(f.get("timestamp")) for f in findings)
    return all(t is None or started <= t <= ended for t in times)


def _sibling_document(path: Path, findings: Sequence[Document]) -> Document | None:
    """The header of a JSON document or history summary written by the same run, if any."""
    if not path.is_file():
        return None
    try:
        whole = json.loads(read_user_file(path, "run file"))
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}: not JSON: {error.msg}") from error
    if not is_document(whole):
        return None
    header = checked_header(whole, path)
    if not _spans(_moment(header.get("started")), _moment(header.get("ended")), findings):
        return None
    return {k: v for k, v in header.items() if k != "findings"}


def _report_blocks(path: Path) -> list[list[dict[str, str]]]:
    """The run report CSV's runs: each ends with its ``Overall`` row (a day's file holds every
    run of that day; a run cut short before its ``Overall`` row is left out)."""
    text = read_user_file(path, "run report")
    rows = list(csv.DictReader(text.splitlines()))
    if rows and not set(RUN_REPORT_COLUMNS) <= set(rows[0]):
        missing = ", ".join(c for c in RUN_REPORT_COLUMNS if c not in rows[0])
        raise UsageError(f"{path}: not a run report (no column {missing})")
    blocks, block = [], []
    for row in rows:
        block.append(row)
        if row.get("service") == OVERALL:
            blocks.append(block)
            block = []
    return blocks


def _csv_header(path: Path, findings: Sequence[Document]) -> Document | None:
    """The run report of the run that made ``findings``, from the CSV written next to them."""
    if not path.is_file():
        return None
    for block in reversed(_report_blocks(path)):
        overall = block[-1]
        started = _moment(overall.get("start_time"), SEED_TIMESTAMP_FORMAT)
        ended = _moment(overall.get("end_time"), SEED_TIMESTAMP_FORMAT)
        if findings and not _spans(started, ended, findings):
            continue
        return {
            "account": {"account_id": overall.get("account_id", "")},
            "started": started.isoformat() if started else None,
            "ended": ended.isoformat() if ended else None,
            "run_report": [
                {
                    "account_id": row.get("account_id", ""),
                    "service": row.get("service", ""),
                    "region": row.get("region", ""),
                    "result": row.get("result", ""),
                    "error_message": row.get("error_message", ""),
                }
                for row in block[:-1]
            ],
        }
    return None


def stem_of(path: Path) -> str:
    """A run file's name without its suffix: ``X.jsonl``, ``X.json`` -> ``X``."""
    return path.name.removesuffix(".jsonl").removesuffix(".json")


def read_json_lines_run(path: Path, text: str) -> RunFile:
    """A JSON Lines run with the run report found next to it (see the module's docstring)."""
    findings = json_lines(text, path)
    stem = stem_of(path)
    candidates: Iterable[tuple[Path, Document | None]] = (
        (p, _sibling_document(p, findings))
        for p in (path.with_name(stem + SUMMARY_SUFFIX), path.with_name(stem + ".json"))
        if p != path
    )
    for source, header in candidates:
        if header is not None:
            return RunFile(path, {**header, "findings": findings}, source)
    report = path.with_name(report_name(stem))
    header = _csv_header(report, findings)
    if header is not None:
        return RunFile(path, {**header, "findings": findings}, report)
    return RunFile(path, {"findings": findings}, None)


def read_run_file(path: Path, text: str | None = None) -> RunFile:
    text = read_user_file(path, "run file") if text is None else text
    document = parse_run_file(text, path)
    if "schema_version" in document:
        return RunFile(path, document, path if "run_report" in document else None)
    return read_json_lines_run(path, text)


def _folder_document(path: Path) -> RunFile | None:
    """A folder's ``.json`` file as a run, or ``None`` for one that is not a run's document
    (another tool's, ``impact``'s or ``diff``'s output, a history summary)."""
    if path.name.endswith(SUMMARY_SUFFIX):
        return None
    text = read_user_file(path, "run file")
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not (is_document(whole) and isinstance(whole.get("findings"), list)):
        return None
    return read_run_file(path, text)


def read_folder(folder: Path, *, one_run: bool = True) -> list[RunFile]:
    """Every run's file in the folder: a ``.jsonl`` (with its run report), else the ``.json``
    document of that name; OCSF events and history summaries are not runs. ``one_run``: they
    must make one run (``merge`` checks its shards itself, naming a shard given twice)."""
    try:
        names = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError as error:
        raise UsageError(f"cannot read folder {folder}: {error.strerror}") from error
    lines = [p for p in names if p.name.endswith(".jsonl") and not p.name.endswith(".ocsf.jsonl")]
    covered = {stem_of(p) for p in lines}
    found = [
        *(read_run_file(p) for p in lines),
        *(_folder_document(p) for p in names if p.suffix == ".json" and stem_of(p) not in covered),
    ]
    runs = sorted((run for run in found if run is not None), key=lambda run: run.path)
    if not runs:
        raise UsageError(
            f"{folder} holds no run's .json or .jsonl file (scan with --format json or jsonl)"
        )
    if one_run:
        one_run_each(folder, runs)
    return runs


def report_pairs(document: Document) -> Iterable[tuple[str, str, str]]:
    """(account, check, region) of each run-report object; the document's account where the
    object names none (a run of one account)."""
    account = (document.get("account") or {}).get("account_id", "")
    for row in document.get("run_report", []):
        yield (row.get("account_id") or account, row["service"], row["region"])


def one_run_each(folder: Path, runs: Sequence[RunFile]) -> None:
    """Shards may split a run's accounts or regions over files, but two files reporting the same
    (account, check, region) are two runs: the folder holds several days, or a history."""
    seen: dict[tuple[str, str, str], Path] = {}
    for run in runs:
        for pair in dict.fromkeys(report_pairs(run.document)):
            if pair in seen:
                account, check, region = pair
                raise UsageError(
                    f"{folder} holds more than one run ({seen[pair].name} and {run.path.name} both "
                    f"scanned {check} in {region} of account {account}): give one run's file"
                )
            seen[pair] = run.path


def read_run(path: Path, *, one_run: bool = True) -> list[RunFile]:
    """A run's file, or every run's file in a folder."""
    return read_folder(path, one_run=one_run) if path.is_dir() else [read_run_file(path)]


def load_run_files(paths: Sequence[Path]) -> list[Document]:
    """Each file's (or folder's) documents; the first problem is one ``UsageError`` naming file
    and line."""
    if not paths:
        raise UsageError("give at least one run's .json or .jsonl file")
    return [run.document for path in paths for run in read_run(path)]

"""``--history DIR``: the folder checked, and the runs already in it read and checked before
anything is scanned (their findings only when the report compares with the last run)."""

from __future__ import annotations

from pathlib import Path

from resiliency_analyser.config.values import check_output_folder
from resiliency_analyser.gate.user_files import read_user_file
from resiliency_analyser.output.history import HistoryEntry, HistoryFolder, parse_summary
from resiliency_analyser.output.naming import HISTORY_PREFIX, SUMMARY_SUFFIX
from resiliency_analyser.output.run_text import Document, json_lines


def findings_of(path: Path) -> list[Document]:
    return json_lines(read_user_file(path, "history file"), path)


def entry(summary: Path) -> HistoryEntry:
    stem = summary.name.removesuffix(SUMMARY_SUFFIX)
    lines = summary.with_name(f"{stem}.jsonl")
    return HistoryEntry(
        stem,
        parse_summary(read_user_file(summary, "history summary"), summary),
        (lambda: findings_of(lines)) if lines.is_file() else None,
    )


def load_history(folder: Path | None) -> HistoryFolder | None:
    if folder is None:
        return None
    check_output_folder(folder, "history folder")
    found = sorted(folder.glob(f"{HISTORY_PREFIX}_*{SUMMARY_SUFFIX}")) if folder.is_dir() else []
    return HistoryFolder(folder, tuple(entry(path) for path in found))

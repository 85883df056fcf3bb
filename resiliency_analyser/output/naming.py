"""Output file names, as the original tool named them."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.model.shards import Shard

PREFIX = "Resiliency_Findings"
HISTORY_PREFIX = "Resiliency_Run"
"""How ``--history`` names a run's files: ``<prefix>_<account>_<start>``."""
SUMMARY_SUFFIX = ".summary.json"
"""A ``--history`` run's summary: its JSON document less the findings, next to its JSON Lines."""


def safe_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")


def findings_stem(
    started: datetime, account: AccountInfo, *, with_account_id: bool, shard: Shard | None = None
) -> str:
    """``Resiliency_Findings[_<account>[_<name>]]_<date>[_shard<K>of<N>]``: a shard's files
    named apart, so every shard of a run can write to one folder or S3 prefix."""
    parts = [PREFIX]
    if with_account_id:
        parts.append(account.account_id)
        if account.account_name:
            parts.append(safe_part(account.account_name))
    parts.append(started.strftime("%Y_%m_%d"))
    if shard is not None:
        parts.append(shard.name_part)
    return "_".join(parts)


def report_name(stem: str) -> str:
    """The run report CSV's name, next to the findings files of that stem."""
    return f"{stem}_run_report.csv"


def output_paths(folder: Path, stem: str) -> tuple[Path, Path]:
    """(findings CSV, run report CSV)."""
    return folder / f"{stem}.csv", folder / report_name(stem)

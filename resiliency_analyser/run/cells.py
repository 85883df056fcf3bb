"""What the parent and its worker processes say to each other: plain, picklable data.

A cell is one account's pairs in one region: the region's shared lookups (subnets, load
balancers, the AZ-ID map) stay within it, so a worker reads each once, as one process does.
The parent sends cells; a worker sends back each batch of findings, each pair's progress and
end, its log records, and each cell's end. Nothing here holds credentials: a worker makes its
own sessions from the profile, the environment and the role settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks.api import CheckOptions
from resiliency_analyser.model.accounts import MemberRole
from resiliency_analyser.model.findings import AccountInfo, Finding
from resiliency_analyser.model.report import PairResult
from resiliency_analyser.run.engine import Pair


@dataclass(frozen=True)
class WorkerSetup:
    """Everything a worker needs before its first cell, sent once."""

    caller: AccountInfo
    home_region: str
    profile: str | None
    assume_role: str | None
    """``--assume-role``: the caller's own account is scanned through this role."""
    member_role: MemberRole | None
    settings: ClientSettings
    """The parent's, with this worker's share of ``max_concurrency``; its endpoints too."""
    check_timeout: float
    check_options: CheckOptions
    only_risks: bool
    log_level: int


@dataclass(frozen=True)
class Cell:
    number: int
    account: AccountInfo
    pairs: tuple[tuple[str, str], ...]
    """(check key, region) of each pair, all in one region (a global check's in its home)."""


@dataclass(frozen=True)
class Found:
    cell: int
    findings: Sequence[Finding]


@dataclass(frozen=True)
class Progress:
    cell: int
    check: str
    region: str
    resources: int
    risks: int


@dataclass(frozen=True)
class Finished:
    cell: int
    result: PairResult


@dataclass(frozen=True)
class CellFailed:
    """The cell could not run (its account's role could not be assumed in the worker): its
    pairs not yet ended end with this."""

    cell: int
    outcome: str
    message: str


@dataclass(frozen=True)
class CellDone:
    cell: int


@dataclass(frozen=True)
class LogLine:
    """A worker's log record, re-logged by the parent, whose handlers mask credentials."""

    name: str
    level: int
    message: str


STOP = "stop"
"""Parent to worker: end every pair as a stopped scan does; cells sent later end at once."""


def region_cells(pairs: Sequence[Pair], first: str) -> list[list[Pair]]:
    """The pairs grouped by region, ``first`` first (the session's region, where an account's
    resources usually are: its long cell starts early), then the larger cells."""
    by_region: dict[str, list[Pair]] = {}
    for pair in pairs:
        by_region.setdefault(pair.region, []).append(pair)
    return sorted(by_region.values(), key=lambda c: (c[0].region != first, -len(c), c[0].region))

"""What one scan is asked to do, fully validated (``config`` builds it from the command line)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks.api import Check, CheckOptions
from resiliency_analyser.delivery.options import DeliveryOptions
from resiliency_analyser.gate.policy import GatePolicy
from resiliency_analyser.model.accounts import MemberRole
from resiliency_analyser.model.shards import Shard
from resiliency_analyser.output.formats import OutputFormat
from resiliency_analyser.output.history import HistoryFolder


@dataclass(frozen=True)
class OutputOptions:
    folder: Path
    truncate: bool = False
    with_account_id: bool = False
    only_risks: bool = False
    formats: tuple[OutputFormat, ...] = (OutputFormat.CSV,)
    csv_extended: bool = False
    keep_findings: bool = True
    """Hold every finding for whole-run outputs (JSON, Markdown, stdout, the gate); without them
    findings stream to the CSV and are not held."""
    stdout: OutputFormat | None = None
    """Also write the whole run to stdout in this format, after the scan."""
    step_summary: Path | None = None
    """A CI job's step summary file to append the Markdown summary to."""
    history: HistoryFolder | None = None
    """``--history``: where runs are kept, and the runs already there."""

    @property
    def write_csv(self) -> bool:
        return OutputFormat.CSV in self.formats


@dataclass(frozen=True)
class AccountScope:
    """Which accounts a run scans beyond the caller's own, as the user chose them (every id
    well-formed; whether each exists is known once the organization is listed)."""

    organization: bool = False
    """Every account of the organization, unless ``ous`` or ``accounts`` narrow it."""
    ous: tuple[str, ...] = ()
    exclude_ous: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    exclude_accounts: tuple[str, ...] = ()

    @property
    def units(self) -> tuple[str, ...]:
        """The organizational units named: only these make the run read the OU tree."""
        return tuple(dict.fromkeys((*self.ous, *self.exclude_ous)))


@dataclass(frozen=True)
class WorkerChoice:
    """How many processes scan: ``count`` at most, each over a share of the (account, region)
    cells, the parent writing every file; 1 is this process alone."""

    count: int = 1
    auto: bool = False
    """Not typed: a scan of few cells runs in this process, where starting workers would cost
    more than they save."""


@dataclass(frozen=True)
class ScanRequest:
    checks: Sequence[Check]
    regions: list[str] | None
    """``None``: every region enabled for the account (for each account, its own)."""
    output: OutputOptions
    check_timeout: float
    """Seconds each (check, region) may take before it is reported ``Timeout``."""
    settings: ClientSettings = field(default_factory=ClientSettings)
    profile: str | None = None
    assume_role: str | None = None
    gate: GatePolicy = field(default_factory=GatePolicy)
    delivery: DeliveryOptions = field(default_factory=DeliveryOptions)
    scope: AccountScope | None = None
    """``None``: the caller's account alone (the run's output is a single account's)."""
    member_role: MemberRole | None = None
    check_options: CheckOptions = field(default_factory=CheckOptions)
    """How the rules judge (``--min-azs``, ``--peer-tag``): the same for every (check, region)."""
    workers: WorkerChoice = field(default_factory=WorkerChoice)
    shard: Shard | None = None
    """``--shard``: only this slice of the accounts chosen (or of a single account's regions)."""

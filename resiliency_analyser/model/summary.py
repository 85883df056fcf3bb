"""What a finished scan covered: the accounts, regions, how every pair ended, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from resiliency_analyser.model.accounts import AccountScan
from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.model.report import Outcome, PairResult


@dataclass(frozen=True)
class ScanSummary:
    account: AccountInfo
    """The account the scan ran as (in an organization run, the scanning account)."""
    regions: list[str]
    results: list[PairResult]
    started: datetime
    ended: datetime
    accounts: tuple[AccountScan, ...] = ()
    """One per selected account of an organization run (``--organization``, ``--accounts``),
    in account id order; empty for a scan of the caller's own account alone."""

    @property
    def organization(self) -> bool:
        """Whether this run selected accounts: its outputs then show each account."""
        return bool(self.accounts)

    @property
    def failed(self) -> list[PairResult]:
        return [r for r in self.results if r.outcome.is_failure]

    @property
    def failed_accounts(self) -> list[AccountScan]:
        """Accounts not scanned fully: the role denied, the regions unreadable, or a pair failed."""
        return [a for a in self.accounts if a.outcome.is_failure]

    @property
    def interrupted(self) -> bool:
        return any(r.outcome is Outcome.CANCELLED for r in self.results) or any(
            a.outcome is Outcome.CANCELLED for a in self.accounts
        )

    @property
    def seconds(self) -> float:
        return (self.ended - self.started).total_seconds()

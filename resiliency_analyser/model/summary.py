"""What a finished scan covered: the account, regions, how every pair ended, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.model.report import Outcome, PairResult


@dataclass(frozen=True)
class ScanSummary:
    account: AccountInfo
    regions: list[str]
    results: list[PairResult]
    started: datetime
    ended: datetime

    @property
    def failed(self) -> list[PairResult]:
        return [r for r in self.results if r.outcome.is_failure]

    @property
    def interrupted(self) -> bool:
        return any(r.outcome is Outcome.CANCELLED for r in self.results)

    @property
    def seconds(self) -> float:
        return (self.ended - self.started).total_seconds()

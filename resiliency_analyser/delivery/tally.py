"""What every delivery sink keeps: backoff for retryable failures, the failures, the report row."""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar

from resiliency_analyser.aws.outcomes import Failure
from resiliency_analyser.model.report import Outcome, ReportRow


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff for entries an API reports as failed but retryable."""

    attempts: int = 6
    base_delay: float = 0.2
    max_delay: float = 5.0

    def delay(self, attempt: int) -> float:
        # Full jitter spreads concurrent retries so they do not throttle each other again.
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


@dataclass(kw_only=True)
class DeliveryStats(ABC):
    """One delivery to one place: items that finally failed, by error code, the first failure
    as classified, and when it started and ended; ``report_row`` is its run-report row."""

    service: ClassVar[str]
    """The run-report row's ``service``."""
    region: str
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    ended: datetime | None = None
    failed: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    first: Failure | None = None

    def record_failure(self, count: int, failure: Failure) -> None:
        self.failed += count
        self.errors[failure.code] += count
        if self.first is None:
            self.first = failure

    def failure_text(self) -> str:
        """``""`` when nothing failed; otherwise ``; failures: CODE xN, ...; first: ...``."""
        if not self.failed or self.first is None:
            return ""
        codes = ", ".join(f"{code} x{count}" for code, count in sorted(self.errors.items()))
        return f"; failures: {codes}; first: {self.first.text}"

    @property
    def outcome(self) -> Outcome:
        """The first failure's outcome. Items were lost whatever the cause, so a cause that is
        no failure for a scan pair (no endpoint in the region) is an ``Error`` here."""
        if not self.failed or self.first is None:
            return Outcome.SUCCESS
        return self.first.outcome if self.first.outcome.is_failure else Outcome.ERROR

    @abstractmethod
    def summary(self) -> str:
        """The counts, then ``failure_text``: the row's ``error_message``."""

    def report_row(self, account_id: str) -> ReportRow:
        return ReportRow(
            account_id=account_id,
            region=self.region,
            service=self.service,
            outcome=self.outcome,
            error_message=self.summary(),
            started=self.started,
            ended=self.ended or datetime.now(UTC),
        )

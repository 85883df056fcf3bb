"""What every delivery sink keeps count of: backoff for retryable failures, and the failures."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from resiliency_analyser.aws.outcomes import ACCESS_DENIED_CODES, THROTTLING_CODES
from resiliency_analyser.model.report import Outcome


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
class Failures:
    """Items that finally failed, by error code, and the first error in words."""

    failed: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    first_code: str = ""
    first_error: str = ""

    def record_failure(self, count: int, code: str, message: str) -> None:
        self.failed += count
        self.errors[code] += count
        if not self.first_error:
            self.first_code, self.first_error = code, f"{code}: {message}".strip()

    def failure_text(self) -> str:
        """``""`` when nothing failed; otherwise ``; failures: CODE xN, ...; first: ...``."""
        if not self.failed:
            return ""
        codes = ", ".join(f"{code} x{count}" for code, count in sorted(self.errors.items()))
        return f"; failures: {codes}; first: {self.first_error}"

    @property
    def outcome(self) -> Outcome:
        """The run-report outcome, named after the first failure's cause."""
        if not self.failed:
            return Outcome.SUCCESS
        if self.first_code in ACCESS_DENIED_CODES:
            return Outcome.ACCESS_DENIED
        if self.first_code in THROTTLING_CODES:
            return Outcome.THROTTLED
        return Outcome.ERROR

"""How each (check, region) pair of a run ended: the rows of the run report."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from resiliency_analyser.model.findings import Frozen, seed_timestamp

RUN_REPORT_COLUMNS: tuple[str, ...] = (
    "account_id",
    "region",
    "service",
    "result",
    "error_message",
    "start_time",
    "end_time",
    "runtime_in_seconds",
)


class Outcome(StrEnum):
    """How a (check, region) pair ended; docs/output.md explains each."""

    SUCCESS = "Success"
    ACCESS_DENIED = "AccessDenied"
    REGION_DISABLED = "RegionDisabled"
    NOT_AVAILABLE = "NotAvailable"
    THROTTLED = "Throttled"
    TIMEOUT = "Timeout"
    ERROR = "Error"
    CANCELLED = "Cancelled"

    @property
    def is_failure(self) -> bool:
        """Whether the pair could have hidden risks: these make the run exit 1.

        A service with no endpoint in a region has nothing to hide, and a cancelled pair is the
        user's choice (exit 130), so neither counts.
        """
        return self not in {Outcome.SUCCESS, Outcome.NOT_AVAILABLE, Outcome.CANCELLED}


class PairResult(Frozen):
    """How one (check, region) pair of the scan ended."""

    service: str
    region: str
    outcome: Outcome
    error_message: str = ""
    started: datetime
    ended: datetime
    resources: int = 0
    risks: int = 0

    @property
    def seconds(self) -> float:
        return (self.ended - self.started).total_seconds()

    def csv_row(self, account_id: str) -> tuple[str, ...]:
        return (
            account_id,
            self.region,
            self.service,
            self.outcome.value,
            self.error_message,
            seed_timestamp(self.started),
            seed_timestamp(self.ended),
            f"{self.seconds:.2f}",
        )

"""The rows of the run report: how each (check, region) pair, each delivery and the run ended."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
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
CALL_COLUMNS: tuple[str, ...] = ("calls", "throttled", "retried")
"""With ``--csv-extended``, after the columns above: how a pair spent its API budget."""
OVERALL = "Overall"
"""The ``region`` and ``service`` of the row about the whole run, and the ``region`` of the row
about one account of an organization run."""
ACCOUNT = "account"
"""The ``service`` of the row about one account of an organization run."""
NOT_APPLICABLE = "N/A"


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
    SKIPPED = "Skipped"
    """An account of the organization that is not ``ACTIVE`` (suspended, closing): not scanned."""

    @property
    def is_failure(self) -> bool:
        """Whether the pair could have hidden risks: these make the run exit 1.

        A service with no endpoint in a region has nothing to hide, a cancelled pair is the
        user's choice (exit 130), and a suspended account holds nothing to scan, so none counts.
        """
        return self not in {
            Outcome.SUCCESS,
            Outcome.NOT_AVAILABLE,
            Outcome.CANCELLED,
            Outcome.SKIPPED,
        }


class ReportRow(Frozen):
    """One row of the run report, whoever fills it: a (check, region) pair (``PairResult``), a
    delivery (``delivery.tally``) or the whole run (``overall``). ``csv_row`` is the one way to
    write a row."""

    account_id: str
    region: str
    service: str
    outcome: Outcome | None
    """``None`` only on the Overall row: a run has no single outcome."""
    error_message: str = ""
    started: datetime
    ended: datetime

    @classmethod
    def overall(cls, account_id: str, started: datetime, ended: datetime) -> ReportRow:
        """The run from start to end, always the report's last row."""
        return cls(
            account_id=account_id,
            region=OVERALL,
            service=OVERALL,
            outcome=None,
            error_message=NOT_APPLICABLE,
            started=started,
            ended=ended,
        )

    @property
    def seconds(self) -> float:
        return (self.ended - self.started).total_seconds()

    def csv_row(self, *, extended: bool = False) -> tuple[str, ...]:
        """The row's cells; ``extended`` adds ``CALL_COLUMNS`` (blank where no pair's calls
        are counted)."""
        return self._cells() + (self._call_cells() if extended else ())

    def _call_cells(self) -> tuple[str, ...]:
        return ("", "", "")

    def _cells(self) -> tuple[str, ...]:
        return (
            self.account_id,
            self.region,
            self.service,
            NOT_APPLICABLE if self.outcome is None else self.outcome.value,
            self.error_message,
            seed_timestamp(self.started),
            seed_timestamp(self.ended),
            f"{self.seconds:.2f}",
        )


class PairResult(ReportRow):
    """How one (check, region) pair of the scan ended."""

    outcome: Outcome
    resources: int = 0
    risks: int = 0
    calls: int = 0
    """Requests sent, each retry counted, the shared lookups it loaded included."""
    throttled: int = 0
    """Answers that were AWS throttling it."""
    retried: int = 0
    """Requests that were retries of an earlier one."""

    def _call_cells(self) -> tuple[str, ...]:
        return (str(self.calls), str(self.throttled), str(self.retried))


def outcome_counts(rows: Iterable[ReportRow]) -> str:
    """E.g. ``3 Success, 1 AccessDenied``, in the order ``Outcome`` lists them."""
    counts = Counter(r.outcome for r in rows)
    return ", ".join(f"{counts[o]} {o.value}" for o in Outcome if counts[o])


def run_report_columns(*, extended: bool) -> tuple[str, ...]:
    return RUN_REPORT_COLUMNS + (CALL_COLUMNS if extended else ())

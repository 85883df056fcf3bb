"""The findings CSV: the seed's 13 columns (or more with ``--csv-extended``), in a fixed order.

Rows still stream to the file during the scan, but each (check, region)'s rows wait until every
pair before it in the sorted plan has finished; so the file is sorted by account, service, region
and resource, and an interrupted run leaves a sorted prefix of whole rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from resiliency_analyser.errors import UsageError
from resiliency_analyser.gate.records import FindingRecord, order_key
from resiliency_analyser.model.findings import FINDING_COLUMNS
from resiliency_analyser.output.csv_file import CsvAppender, encode_rows

if TYPE_CHECKING:
    from resiliency_analyser.output.run_view import RunView

EXTENDED_COLUMNS: tuple[str, ...] = (
    *FINDING_COLUMNS,
    "check_id",
    "availability_zones",
    "severity",
    "remediation",
    "suppressed",
    "suppression_reason",
    "suppression_owner",
    "suppression_ticket",
    "suppression_expires",
    "az_ids",
)


def finding_columns(*, extended: bool) -> tuple[str, ...]:
    return EXTENDED_COLUMNS if extended else FINDING_COLUMNS


def csv_row(record: FindingRecord, *, extended: bool) -> tuple[str, ...]:
    row = record.finding.csv_row()
    if not extended:
        return row
    guidance, entry = record.guidance, record.suppression
    return (
        *row,
        record.finding.check_id,
        " ".join(record.finding.availability_zones),
        guidance.severity.value,
        guidance.remediation,
        str(entry is not None),
        entry.reason if entry else "",
        entry.owner if entry else "",
        entry.ticket if entry else "",
        entry.expires.isoformat() if entry and entry.expires else "",
        " ".join(zone_id or "unknown" for zone_id in record.finding.availability_zone_ids),
    )


def csv_text(run: RunView) -> str:
    """The whole run's findings, as the file written while scanning holds them."""
    extended = run.csv_extended
    rows = [
        finding_columns(extended=extended),
        *(csv_row(r, extended=extended) for r in run.review.records),
    ]
    return encode_rows(rows).decode("utf-8")


def check_header(path: Path, header: Sequence[str], *, truncate: bool) -> None:
    """Appending rows of other columns under an existing header would corrupt the file."""
    if truncate or not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as existing:
        first = existing.readline()
    if first != encode_rows([header]):
        raise UsageError(
            f"{path} has other columns than this run writes (--csv-extended differs?); "
            "use --truncate-output or another --output folder"
        )


PairKey = tuple[str, str, str]
"""(account id, check key, region): one pair of one account."""


class OrderedRows:
    """Rows held until every pair before theirs has finished, in (account, check, region) order.

    Each account's pairs are planned when it starts (its regions are its own); accounts are
    given in order up front, and one not planned yet holds back the rows of those after it.
    """

    def __init__(self, appender: CsvAppender, accounts: Sequence[str], *, extended: bool) -> None:
        self._appender = appender
        self._accounts = list(accounts)
        self._plans: dict[str, list[tuple[str, str]]] = {}
        self._account = 0
        self._next = 0
        self._held: dict[PairKey, list[FindingRecord]] = defaultdict(list)
        self._finished: set[PairKey] = set()
        self._extended = extended

    def plan(self, account_id: str, pairs: Iterable[tuple[str, str]]) -> None:
        """The account's (check, region) pairs; an account skipped plans none."""
        self._plans[account_id] = sorted(set(pairs))
        self._advance()

    def add(self, records: Iterable[FindingRecord]) -> None:
        for record in records:
            found = record.finding
            self._held[found.account_id, found.service, found.region].append(record)

    def finish(self, account_id: str, service: str, region: str) -> None:
        self._finished.add((account_id, service, region))
        self._advance()

    def _advance(self) -> None:
        while self._account < len(self._accounts):
            account = self._accounts[self._account]
            plan = self._plans.get(account)
            if plan is None:
                return
            while self._next < len(plan) and (account, *plan[self._next]) in self._finished:
                self._write((account, *plan[self._next]))
                self._next += 1
            if self._next < len(plan):
                return
            self._account += 1
            self._next = 0

    def flush(self) -> None:
        """At the end, or when the scan stops early: whatever is held, still in order."""
        for account in self._accounts[self._account :]:
            plan = self._plans.get(account, [])[self._next :]
            self._next = 0
            for service, region in plan:
                self._write((account, service, region))
        for key in sorted(self._held):  # rows of no planned pair: none, unless a bug
            self._write(key)
        self._account = len(self._accounts)

    def _write(self, key: PairKey) -> None:
        records = sorted(self._held.pop(key, []), key=lambda r: order_key(r.finding))
        self._appender.write(csv_row(r, extended=self._extended) for r in records)


@contextmanager
def open_findings_csv(
    path: Path, accounts: Sequence[str], *, extended: bool, truncate: bool
) -> Iterator[OrderedRows]:
    """Rows of ``accounts`` (in order) held back until their turn, then written."""
    columns = finding_columns(extended=extended)
    check_header(path, columns, truncate=truncate)
    with CsvAppender(path, columns, truncate=truncate) as appender:
        rows = OrderedRows(appender, accounts, extended=extended)
        try:
            yield rows
        finally:
            rows.flush()

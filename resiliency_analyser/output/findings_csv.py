"""The findings CSV: the seed's 13 columns (or more with ``--csv-extended``), in a fixed order.

Rows still stream to the file during the scan, but each (check, region)'s rows wait until every
pair before it in the sorted plan has finished; so the file is sorted by service, region and
resource, and an interrupted run leaves a sorted prefix of whole rows.
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


class OrderedRows:
    def __init__(
        self, appender: CsvAppender, plan: Iterable[tuple[str, str]], *, extended: bool
    ) -> None:
        self._appender = appender
        self._order = sorted(set(plan))
        self._next = 0
        self._held: dict[tuple[str, str], list[FindingRecord]] = defaultdict(list)
        self._finished: set[tuple[str, str]] = set()
        self._extended = extended

    def add(self, records: Iterable[FindingRecord]) -> None:
        for record in records:
            self._held[record.finding.service, record.finding.region].append(record)

    def finish(self, service: str, region: str) -> None:
        self._finished.add((service, region))
        while self._next < len(self._order) and self._order[self._next] in self._finished:
            self._write(self._order[self._next])
            self._next += 1

    def flush(self) -> None:
        """At the end, or when the scan stops early: whatever is held, still in plan order."""
        for pair in self._order[self._next :]:
            self._write(pair)
        self._next = len(self._order)

    def _write(self, pair: tuple[str, str]) -> None:
        records = sorted(self._held.pop(pair, []), key=lambda r: order_key(r.finding))
        self._appender.write(csv_row(r, extended=self._extended) for r in records)


@contextmanager
def open_findings_csv(
    path: Path | None, plan: Iterable[tuple[str, str]], *, extended: bool, truncate: bool
) -> Iterator[OrderedRows | None]:
    """``None`` when no CSV is wanted; otherwise rows held back until their turn, then written."""
    if path is None:
        yield None
        return
    columns = finding_columns(extended=extended)
    check_header(path, columns, truncate=truncate)
    with CsvAppender(path, columns, truncate=truncate) as appender:
        rows = OrderedRows(appender, plan, extended=extended)
        try:
            yield rows
        finally:
            rows.flush()

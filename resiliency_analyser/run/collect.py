"""Gathering the run's findings as they arrive: accepted risks marked, CSV fed, records kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.gate.suppressions import Suppression, SuppressionSet
from resiliency_analyser.model.findings import Finding


class RecordsOut(Protocol):
    """Where records go as they arrive (the findings CSVs, held until their turn)."""

    def add(self, records: Sequence[FindingRecord]) -> None: ...


class RecordingSink:
    """Keeps every record for the whole-run outputs (JSON, Markdown, the gate, Security Hub) when
    they are asked for (``keep``), by account; otherwise only which accepted-risk entries
    matched."""

    def __init__(self, suppressions: SuppressionSet, out: RecordsOut | None, *, keep: bool) -> None:
        self._suppressions = suppressions
        self._out = out
        self._keep = keep
        self._by_account: dict[str, list[FindingRecord]] = {}
        self.used: set[Suppression] = set()

    async def emit(self, findings: Sequence[Finding]) -> None:
        records = [FindingRecord(f, self._suppressions.match(f)) for f in findings]
        if self._keep:
            for record in records:
                self._by_account.setdefault(record.finding.account_id, []).append(record)
        self.used.update(s for r in records for s in r.matched)
        if self._out is not None:
            self._out.add(records)

    @property
    def records(self) -> list[FindingRecord]:
        return [r for found in self._by_account.values() for r in found]

    def records_of(self, account_id: str) -> list[FindingRecord]:
        return list(self._by_account.get(account_id, []))

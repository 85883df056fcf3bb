"""Gathering the run's findings as they arrive: accepted risks marked, CSV fed, records kept."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import Check
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.gate.suppressions import Suppression, SuppressionSet
from resiliency_analyser.model.findings import Finding
from resiliency_analyser.model.report import PairResult
from resiliency_analyser.output.findings_csv import OrderedRows
from resiliency_analyser.run.engine import ScanObserver


class RecordingSink:
    """Keeps every record for the whole-run outputs (JSON, Markdown, the gate) when they are
    asked for (``keep``); otherwise only which accepted-risk entries matched.

    Also an observer: a finished (check, region) lets its held CSV rows go out.
    """

    def __init__(
        self, suppressions: SuppressionSet, rows: OrderedRows | None, *, keep: bool
    ) -> None:
        self._suppressions = suppressions
        self._rows = rows
        self._keep = keep
        self.records: list[FindingRecord] = []
        self.used: set[Suppression] = set()

    async def emit(self, findings: Sequence[Finding]) -> None:
        records = [FindingRecord(f, self._suppressions.match(f)) for f in findings]
        if self._keep:
            self.records.extend(records)
        self.used.update(s for r in records for s in r.matched)
        if self._rows is not None:
            self._rows.add(records)

    def pair_progress(self, check: Check, region: str, resources: int, risks: int) -> None:
        return

    def pair_finished(self, result: PairResult) -> None:
        if self._rows is not None:
            self._rows.finish(result.service, result.region)


class Observers:
    """Several observers told the same thing, in order."""

    def __init__(self, *observers: ScanObserver) -> None:
        self._observers = observers

    def pair_progress(self, check: Check, region: str, resources: int, risks: int) -> None:
        for observer in self._observers:
            observer.pair_progress(check, region, resources, risks)

    def pair_finished(self, result: PairResult) -> None:
        for observer in self._observers:
            observer.pair_finished(result)

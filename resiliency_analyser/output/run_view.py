"""A finished run as every whole-run renderer reads it, built once after the scan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from resiliency_analyser.model.accounts import AccountScan
from resiliency_analyser.model.shards import ShardMark
from resiliency_analyser.model.summary import ScanSummary

if TYPE_CHECKING:
    from resiliency_analyser.gate.policy import Review
    from resiliency_analyser.output.history import RunHistory


@dataclass(frozen=True, kw_only=True)
class RunView(ScanSummary):
    """What was scanned, the gate's review of what was found (the findings, sorted, with their
    guidance and suppressions), and the choices that change how the run is written."""

    review: Review
    csv_extended: bool = False
    """The CSV's extra columns, in the file written while scanning and in ``--stdout csv``."""
    report_only_risks: bool = False
    """Only risks were written: a resource missing from the run may be fixed or deleted."""
    history: RunHistory | None = None
    """With ``--history``: the trend and the comparison with the last run, for the report."""
    shard: ShardMark | None = None
    """With ``--shard``: which slice of which run this is (``merge`` reads it back)."""

    def for_account(self, scan: AccountScan) -> RunView:
        """An organization run as one of its accounts' own files show it: that account's pairs,
        findings and row."""
        return RunView(
            account=scan.account,
            regions=list(scan.regions),
            results=[r for r in self.results if r.account_id == scan.account_id],
            started=scan.started,
            ended=scan.ended,
            accounts=(scan,),
            review=self.review.only(scan.account_id),
            csv_extended=self.csv_extended,
            report_only_risks=self.report_only_risks,
        )

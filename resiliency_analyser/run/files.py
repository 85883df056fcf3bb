"""The run's CSVs, written while it scans: one findings file and one run report for the run, or
with ``--filename-with-accountid`` a pair per account.

In either case each file's rows are the same, in the same order: the (check, region) rows as each
pair ends, an account's row when it ends (organization runs), then the EventBridge row, the
Security Hub rows and the Overall row. With a pair per account, the run's own rows (EventBridge,
Overall) go to the scanning account's pair; every other account's pair is complete, and closed,
when that account ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.model.accounts import AccountScan
from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.model.report import RUN_REPORT_COLUMNS, PairResult, ReportRow
from resiliency_analyser.model.shards import Shard
from resiliency_analyser.output.csv_file import CsvAppender
from resiliency_analyser.output.findings_csv import OrderedRows, open_findings_csv
from resiliency_analyser.output.naming import findings_stem, output_paths
from resiliency_analyser.run.request import OutputOptions


class CsvPair:
    """One findings CSV (when the CSV format is asked for) and its run report, open."""

    def __init__(
        self, folder: Path, stem: str, accounts: Sequence[str], output: OutputOptions
    ) -> None:
        self._stack = ExitStack()
        self.stem = stem
        path, report_path = output_paths(folder, stem)
        self.findings_path = path if output.write_csv else None
        self.report_path = report_path
        try:
            self.rows: OrderedRows | None = None
            if self.findings_path is not None:
                self.rows = self._stack.enter_context(
                    open_findings_csv(
                        self.findings_path,
                        accounts,
                        extended=output.csv_extended,
                        truncate=output.truncate,
                    )
                )
            self.report = self._stack.enter_context(
                CsvAppender(report_path, RUN_REPORT_COLUMNS, truncate=output.truncate)
            )
        except BaseException:
            self._stack.close()
            raise
        self.held: list[ReportRow] = []
        """Rows that wait for the end of the run (Security Hub's): they follow EventBridge's."""

    @property
    def paths(self) -> tuple[Path, ...]:
        return (
            (self.report_path,)
            if self.findings_path is None
            else (
                self.findings_path,
                self.report_path,
            )
        )

    def write(self, rows: Iterable[ReportRow]) -> None:
        self.report.write(row.csv_row() for row in rows)

    def close(self) -> None:
        self._stack.close()


class CsvFiles:
    """Routes each finding and run-report row to its file; ``organization``: accounts get rows."""

    def __init__(
        self,
        folder: Path,
        started: datetime,
        output: OutputOptions,
        run_account: AccountInfo,
        accounts: Sequence[AccountInfo],
        *,
        organization: bool,
        shard: Shard | None = None,
    ) -> None:
        self._folder = folder
        self._shard = shard
        self._started = started
        self._output = output
        self._run_account = run_account
        self._organization = organization
        self._order = [a.account_id for a in accounts]
        self._per_account = output.with_account_id
        self._pairs: dict[str, CsvPair] = {}
        """The pairs open, by account (``""`` for the run's one pair)."""
        self._opened: list[CsvPair] = []
        self._planned: set[str] = set()
        if not self._per_account:
            self._open(
                "",
                findings_stem(started, run_account, with_account_id=False, shard=shard),
                self._order,
            )

    def __enter__(self) -> CsvFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        for pair in list(self._pairs.values()):
            pair.close()

    def _open(self, key: str, stem: str, accounts: Sequence[str]) -> CsvPair:
        pair = self._pairs[key] = CsvPair(self._folder, stem, accounts, self._output)
        self._opened.append(pair)
        return pair

    def _pair(self, account: AccountInfo | str) -> CsvPair:
        """The pair an account's rows go to, opened on its first row."""
        if not self._per_account:
            return self._pairs[""]
        if isinstance(account, str):
            return self._pairs[account]
        if account.account_id not in self._pairs:
            stem = findings_stem(self._started, account, with_account_id=True, shard=self._shard)
            self._open(account.account_id, stem, [account.account_id])
        return self._pairs[account.account_id]

    @property
    def opened(self) -> list[CsvPair]:
        """Every pair, in the order they were opened."""
        return list(self._opened)

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(path for pair in self._opened for path in pair.paths)

    def run_pair(self) -> CsvPair:
        """The pair holding the run's own rows: the run's, or the scanning account's."""
        return self._pair(self._run_account) if self._per_account else self._pairs[""]

    def plan(self, account: AccountInfo, pairs: Iterable[tuple[str, str]]) -> None:
        """The account's (check, region) pairs, before any of them ends."""
        self._planned.add(account.account_id)
        rows = self._pair(account).rows
        if rows is not None:
            rows.plan(account.account_id, pairs)

    def add(self, records: Sequence[FindingRecord]) -> None:
        by_pair: dict[str, list[FindingRecord]] = {}
        for record in records:
            by_pair.setdefault(record.finding.account_id, []).append(record)
        for account_id, found in by_pair.items():
            rows = self._pair(account_id).rows
            if rows is not None:
                rows.add(found)

    def pair_finished(self, result: PairResult) -> None:
        pair = self._pair(result.account_id)
        pair.write([result])
        if pair.rows is not None:
            pair.rows.finish(result.account_id, result.service, result.region)

    def account_done(self, scan: AccountScan, rows: Sequence[ReportRow]) -> None:
        """The account's row (organization runs) and its delivery rows; an account's own pair
        ends with them, unless it holds the run's rows too."""
        if scan.account_id not in self._planned:
            self.plan(scan.account, ())
        pair = self._pair(scan.account)
        if self._organization:
            pair.write([scan.report_row()])
        if pair is self.run_pair():
            pair.held.extend(rows)
            return
        pair.write(rows)
        self._pairs.pop(scan.account_id).close()

    def finish(self, run_rows: Sequence[ReportRow], overall: ReportRow) -> None:
        """The run's own rows, after every account: EventBridge's, the held delivery rows,
        then the Overall row."""
        pair = self.run_pair()
        held = sorted(pair.held, key=lambda r: (r.account_id, r.region))
        pair.write([*run_rows, *held, overall])
        for open_pair in self._pairs.values():
            if open_pair.rows is not None:
                open_pair.rows.flush()

"""What the user watches on stderr: live progress on a terminal, log lines elsewhere, a summary."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.status import Status
from rich.table import Table

from resiliency_analyser.checks.api import Check
from resiliency_analyser.model.accounts import AccountScan, account_counts
from resiliency_analyser.model.report import Outcome, PairResult, outcome_counts

if TYPE_CHECKING:
    from resiliency_analyser.gate.policy import Review
    from resiliency_analyser.run.engine import Pair

log = logging.getLogger("resiliency_analyser")


def counted(number: int, noun: str) -> str:
    """``1 risk``, ``2 risks``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


class LogDisplay:
    """For CI logs and pipes: one line per finished (check, region), at INFO."""

    def begin(self, step: str) -> None:
        log.info("%s", step)

    def start(self, pairs: Sequence[Pair]) -> None:
        log.info("scanning %d (check, region) pairs", len(pairs))

    def expect_accounts(self, count: int) -> None:
        log.info("scanning %s", counted(count, "account"))

    def account_finished(self, scan: AccountScan) -> None:
        name = f" ({scan.account.account_name})" if scan.account.account_name else ""
        log.log(
            logging.WARNING if scan.outcome.is_failure else logging.INFO,
            "account %s%s: %s%s",
            scan.account_id,
            name,
            scan.outcome.value,
            f": {scan.message}" if scan.message else "",
        )

    def worker_cells(self, worker: int, region: str, running: int, done: int) -> None:
        log.debug("worker %d: %s, %d cells running, %d done", worker, region, running, done)

    def pair_progress(self, check: Check, region: str, resources: int, risks: int) -> None:
        return

    def pair_finished(self, result: PairResult) -> None:
        if result.outcome is Outcome.SUCCESS:
            log.info(
                "%s %s: %s, %s (%.2fs)",
                result.service,
                result.region,
                counted(result.resources, "resource"),
                counted(result.risks, "risk"),
                result.seconds,
            )
            return
        log.log(
            logging.WARNING if result.outcome.is_failure else logging.INFO,
            "%s %s: %s %s",
            result.service,
            result.region,
            result.outcome.value,
            result.error_message,
        )

    def stop(self) -> None:
        return


class RichDisplay:
    """A bar per check across its regions, with a running count of resources and risks."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<18}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[resources]}, [bold]{task.fields[risks]}[/]"),
            TextColumn("[red]{task.fields[failed]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}
        self._counts: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        self._failed: dict[str, int] = defaultdict(int)
        self._status: Status | None = None
        self._accounts: TaskID | None = None
        self._account_outcomes: Counter[str] = Counter()
        self._workers: dict[int, TaskID] = {}

    def begin(self, step: str) -> None:
        """A step before the scan's bars exist (starting the demo, identifying the account)."""
        if self._status is None:
            self._status = self._progress.console.status(step)
            self._status.start()
        else:
            self._status.update(step)

    def _end_step(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def start(self, pairs: Sequence[Pair]) -> None:
        """An account's pairs: each check's bar grows by them (an organization run calls this
        as each account starts)."""
        self._end_step()
        totals: dict[str, int] = defaultdict(int)
        for pair in pairs:
            totals[pair.check.key] += 1
        for key, total in totals.items():
            if key in self._tasks:
                task = self._tasks[key]
                self._progress.update(task, total=(self._progress.tasks[task].total or 0) + total)
                continue
            self._tasks[key] = self._progress.add_task(
                key,
                total=total,
                resources=counted(0, "resource"),
                risks=counted(0, "risk"),
                failed="",
            )
        self._progress.start()

    def expect_accounts(self, count: int) -> None:
        """A bar of the accounts ended, above the checks'."""
        self._accounts = self._progress.add_task(
            "accounts", total=count, resources="", risks="", failed=""
        )

    def account_finished(self, scan: AccountScan) -> None:
        if self._accounts is None:
            return
        outcomes = self._account_outcomes
        if scan.outcome is Outcome.SKIPPED:
            outcomes["skipped"] += 1
        elif scan.outcome.is_failure:
            outcomes["failed"] += 1
        self._progress.update(
            self._accounts,
            advance=1,
            resources=f"{outcomes['skipped']} skipped" if outcomes["skipped"] else "",
            failed=f"{outcomes['failed']} failed" if outcomes["failed"] else "",
        )

    def worker_cells(self, worker: int, region: str, running: int, done: int) -> None:
        """A line per worker process under the checks' bars: the cells (regions) it has ended,
        of those it was given so far, and the one it last took or ended."""
        if worker not in self._workers:
            self._workers[worker] = self._progress.add_task(
                f"worker {worker}", total=0, resources="", risks="", failed=""
            )
        self._progress.update(
            self._workers[worker],
            completed=done,
            total=done + running,
            resources=f"{running} running",
            risks=region,
        )

    def _refresh(self, key: str) -> None:
        counts = self._counts[key].values()
        failed = self._failed[key]
        self._progress.update(
            self._tasks[key],
            resources=counted(sum(c[0] for c in counts), "resource"),
            risks=counted(sum(c[1] for c in counts), "risk"),
            failed=f"{failed} failed" if failed else "",
        )

    def pair_progress(self, check: Check, region: str, resources: int, risks: int) -> None:
        self._counts[check.key][region] = (resources, risks)
        self._refresh(check.key)

    def pair_finished(self, result: PairResult) -> None:
        self._counts[result.service][result.region] = (result.resources, result.risks)
        if result.outcome.is_failure:
            self._failed[result.service] += 1
        self._refresh(result.service)
        self._progress.advance(self._tasks[result.service])

    def stop(self) -> None:
        self._end_step()
        self._progress.stop()


def summary_table(
    results: Sequence[PairResult], review: Review, *, organization: bool = False
) -> Table:
    """A row per check, alphabetically, then the totals; ``organization``: with the number of
    accounts each check ran in."""
    table = Table(title="Resiliency scan summary", show_footer=True)
    accepted = Counter(r.finding.service for r in review.suppressed)
    by_service: dict[str, list[PairResult]] = defaultdict(list)
    for result in results:
        by_service[result.service].append(result)

    def spread(rows: Sequence[PairResult]) -> list[str]:
        accounts = [str(len({r.account_id for r in rows}))] if organization else []
        return [*accounts, str(len({r.region for r in rows}))]

    columns = (SUMMARY_COLUMNS[0], "accounts", *SUMMARY_COLUMNS[1:])
    totals = (
        "total",
        *spread(results),
        str(sum(r.resources for r in results)),
        str(sum(r.risks for r in results)),
        str(sum(accepted.values())),
        outcome_counts(results),
    )
    for column, total in zip(columns if organization else SUMMARY_COLUMNS, totals, strict=True):
        numeric = column in {"resources", "risks", "accepted"}
        table.add_column(column, footer=total, justify="right" if numeric else "left")
    for service, rows in sorted(by_service.items()):
        outcomes = outcome_counts(rows)
        table.add_row(
            service,
            *spread(rows),
            str(sum(r.resources for r in rows)),
            str(sum(r.risks for r in rows)),
            str(accepted[service]),
            f"[red]{outcomes}[/]" if any(r.outcome.is_failure for r in rows) else outcomes,
        )
    return table


SUMMARY_COLUMNS = ("service", "regions", "resources", "risks", "accepted", "outcomes")


NAMED_LIMIT = 20
"""Failed pairs and accounts named on stderr in an organization run; the run report has each."""


def failure_lines(results: Sequence[PairResult], *, organization: bool = False) -> list[str]:
    """Each failed pair; in an organization run with its account, the first ``NAMED_LIMIT``."""
    failed = [r for r in results if r.outcome.is_failure]
    if not organization:
        return [f"{r.service} in {r.region}: {r.outcome.value}: {r.error_message}" for r in failed]
    lines = [
        f"{r.account_id} {r.service} in {r.region}: {r.outcome.value}: {r.error_message}"
        for r in failed[:NAMED_LIMIT]
    ]
    return lines + more_line(len(failed), "failed pairs")


def more_line(count: int, what: str) -> list[str]:
    if count <= NAMED_LIMIT:
        return []
    return [f"and {count - NAMED_LIMIT} more {what} (the run report has a row for each)"]


def account_label(scan: AccountScan) -> str:
    name = scan.account.account_name
    return f"{scan.account_id} ({name})" if name else scan.account_id


def account_lines(accounts: Sequence[AccountScan]) -> list[str]:
    """How many accounts were scanned, skipped and failed, naming the skipped and the failed."""
    if not accounts:
        return []
    skipped = [a for a in accounts if a.outcome is Outcome.SKIPPED]
    failed = [a for a in accounts if a.outcome.is_failure]
    counts = account_counts(accounts)
    shown = [f"{counts[k]} {k}" for k in ("scanned", "skipped", "failed", "interrupted")]
    if not counts["interrupted"]:
        shown.pop()
    lines = [f"accounts: {', '.join(shown)}, of {counted(len(accounts), 'account')}"]
    lines += [f"skipped {account_label(a)}: {a.status}" for a in skipped[:NAMED_LIMIT]]
    lines += more_line(len(skipped), "skipped accounts")
    lines += [
        f"failed {account_label(a)}: {a.outcome.value}: {a.message}" for a in failed[:NAMED_LIMIT]
    ]
    return lines + more_line(len(failed), "failed accounts")

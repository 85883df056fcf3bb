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
from resiliency_analyser.model.report import Outcome, PairResult

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
        self._end_step()
        totals: dict[str, int] = defaultdict(int)
        for pair in pairs:
            totals[pair.check.key] += 1
        for key, total in totals.items():
            self._tasks[key] = self._progress.add_task(
                key,
                total=total,
                resources=counted(0, "resource"),
                risks=counted(0, "risk"),
                failed="",
            )
        self._progress.start()

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


def outcome_counts(results: Sequence[PairResult]) -> str:
    """E.g. ``3 Success, 1 AccessDenied``, in the order ``Outcome`` lists them."""
    counts = Counter(r.outcome for r in results)
    return ", ".join(f"{counts[o]} {o.value}" for o in Outcome if counts[o])


def summary_table(results: Sequence[PairResult], review: Review) -> Table:
    """A row per check, alphabetically, then the totals."""
    table = Table(title="Resiliency scan summary", show_footer=True)
    accepted = Counter(r.finding.service for r in review.suppressed)
    by_service: dict[str, list[PairResult]] = defaultdict(list)
    for result in results:
        by_service[result.service].append(result)
    totals = (
        "total",
        str(len({r.region for r in results})),
        str(sum(r.resources for r in results)),
        str(sum(r.risks for r in results)),
        str(sum(accepted.values())),
        outcome_counts(results),
    )
    for column, total in zip(SUMMARY_COLUMNS, totals, strict=True):
        numeric = column in {"resources", "risks", "accepted"}
        table.add_column(column, footer=total, justify="right" if numeric else "left")
    for service, rows in sorted(by_service.items()):
        outcomes = outcome_counts(rows)
        table.add_row(
            service,
            str(len(rows)),
            str(sum(r.resources for r in rows)),
            str(sum(r.risks for r in rows)),
            str(accepted[service]),
            f"[red]{outcomes}[/]" if any(r.outcome.is_failure for r in rows) else outcomes,
        )
    return table


SUMMARY_COLUMNS = ("service", "regions", "resources", "risks", "accepted", "outcomes")


def failure_lines(results: Sequence[PairResult]) -> list[str]:
    return [
        f"{r.service} in {r.region}: {r.outcome.value}: {r.error_message}"
        for r in results
        if r.outcome.is_failure
    ]

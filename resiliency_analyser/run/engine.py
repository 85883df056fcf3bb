"""The orchestrator: one coroutine per (check, region), all concurrent, findings streamed out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.names import zone_region
from resiliency_analyser.aws.outcomes import classify
from resiliency_analyser.aws.pacing import CallCounts, counting
from resiliency_analyser.checks.api import (
    Assessment,
    Check,
    CheckOptions,
    RegionScope,
    SharedLookups,
    concurrently,
)
from resiliency_analyser.checks.lookups import ZONE_IDS
from resiliency_analyser.checks.registry import records_event
from resiliency_analyser.errors import AnalyserError
from resiliency_analyser.model.accounts import AccountScan
from resiliency_analyser.model.findings import AccountInfo, Finding, FindingSink
from resiliency_analyser.model.report import Outcome, PairResult

log = logging.getLogger(__name__)


class ScanObserver(Protocol):
    """Told as the scan moves, to drive progress display and the run report."""

    def pair_progress(self, check: Check, region: str, resources: int, risks: int) -> None: ...

    def pair_finished(self, result: PairResult) -> None: ...


class UndeclaredCheckId(AnalyserError):
    """A check emitted a check id its ``CHECK`` has no guidance for: a bug in that check, which
    would otherwise surface only when an output looks the guidance up."""

    def __init__(self, check: Check, check_ids: set[str]) -> None:
        super().__init__(
            f"check {check.key!r} emitted check ids its CHECK.guidance does not declare: "
            f"{', '.join(sorted(check_ids))}"
        )


@dataclass(frozen=True)
class Pair:
    check: Check
    region: str


class Display(ScanObserver, Protocol):
    """What the user watches: told the plan before the scan (each account's, as it starts), each
    step during it, each account's end, then the end."""

    def begin(self, step: str) -> None:
        """A step before the scan (identifying the account, listing the organization)."""

    def start(self, pairs: Sequence[Pair]) -> None: ...

    def expect_accounts(self, count: int) -> None:
        """An organization run's number of accounts, before any starts."""

    def account_finished(self, scan: AccountScan) -> None: ...

    def worker_cells(self, worker: int, region: str, running: int, done: int) -> None:
        """Worker process ``worker`` (from 1, with ``--workers``) took or ended a cell in
        ``region``: it now runs ``running`` cells and has ended ``done``."""

    def stop(self) -> None: ...


def plan_pairs(checks: Sequence[Check], regions: Sequence[str]) -> list[Pair]:
    """Regional checks run in every region; global ones once, in their API's home region."""
    pairs: list[Pair] = []
    for check in checks:
        if check.home_region:
            pairs.append(Pair(check, check.home_region))
        else:
            pairs.extend(Pair(check, region) for region in regions)
    return pairs


def end_unscanned(
    account: AccountInfo,
    observer: ScanObserver,
    pairs: Sequence[Pair],
    outcome: Outcome,
    error_message: str,
) -> list[PairResult]:
    """Pairs that end without a call (a region the account has not enabled, a run stopped
    before they began), each told to ``observer``."""
    at = datetime.now(UTC)
    results = [
        PairResult(
            account_id=account.account_id,
            service=pair.check.key,
            region=pair.region,
            outcome=outcome,
            error_message=error_message,
            started=at,
            ended=at,
        )
        for pair in pairs
    ]
    for result in results:
        observer.pair_finished(result)
    return results


class PairRunner(Protocol):
    """Runs an account's pairs: a ``Scanner`` in this process, or the worker processes'."""

    async def run(self, pairs: Sequence[Pair]) -> list[PairResult]: ...

    def end_unscanned(
        self, pairs: Sequence[Pair], outcome: Outcome, error_message: str
    ) -> list[PairResult]: ...

    def stop(self) -> None: ...


class Scanner:
    def __init__(
        self,
        clients: AwsClients,
        account: AccountInfo,
        sink: FindingSink,
        observer: ScanObserver,
        *,
        only_risks: bool,
        check_timeout: float,
        options: CheckOptions,
        shared: SharedLookups | None = None,
    ) -> None:
        """``shared``: the account's lookups, when other scanners of it share them (a worker's
        cells of one account)."""
        self._clients = clients
        self._account = account
        self._sink = sink
        self._observer = observer
        self._only_risks = only_risks
        self._check_timeout = check_timeout
        self._options = options
        self._shared = shared or SharedLookups()
        self._tasks: list[asyncio.Task[PairResult]] = []
        self._stopping = False

    async def run(self, pairs: Sequence[Pair]) -> list[PairResult]:
        if self._stopping:
            return self.end_unscanned(pairs, Outcome.CANCELLED, "scan interrupted before it began")
        self._tasks = [asyncio.ensure_future(self._run_pair(pair)) for pair in pairs]
        return list(await asyncio.gather(*self._tasks))

    def end_unscanned(
        self, pairs: Sequence[Pair], outcome: Outcome, error_message: str
    ) -> list[PairResult]:
        return end_unscanned(self._account, self._observer, pairs, outcome, error_message)

    def stop(self) -> None:
        """Issue no more calls: every unfinished pair ends ``Cancelled`` and ``run`` returns."""
        self._stopping = True
        for task in self._tasks:
            task.cancel()

    async def _run_pair(self, pair: Pair) -> PairResult:
        started = datetime.now(UTC)
        resources = risks = 0
        outcome, error_message = Outcome.SUCCESS, ""
        budget = asyncio.timeout(self._check_timeout)
        counts = CallCounts()
        try:
            with counting(counts):
                async with budget:
                    async for findings in self._scan(pair):
                        resources += len(findings)
                        risks += sum(f.potential_single_az_risk for f in findings)
                        await self._sink.emit([f for f in findings if self._written(f)])
                        self._observer.pair_progress(pair.check, pair.region, resources, risks)
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            # Cancellation asked for by stop() is this pair's end, not its task's.
            if (task := asyncio.current_task()) is not None:
                task.uncancel()
            outcome, error_message = Outcome.CANCELLED, "scan interrupted before this pair ended"
        except Exception as error:
            # One failing (check, region) must not stop the others; it is reported, not dropped.
            log.debug("%s in %s failed", pair.check.key, pair.region, exc_info=True)
            if budget.expired():
                outcome = Outcome.TIMEOUT
                error_message = f"not finished within --check-timeout {self._check_timeout:g} s"
            else:
                failure = classify(error)
                outcome, error_message = failure.outcome, failure.text
        return self._finished(pair, started, outcome, error_message, resources, risks, counts)

    def _finished(
        self,
        pair: Pair,
        started: datetime,
        outcome: Outcome,
        error_message: str,
        resources: int = 0,
        risks: int = 0,
        counts: CallCounts | None = None,
    ) -> PairResult:
        counts = counts or CallCounts()
        result = PairResult(
            account_id=self._account.account_id,
            service=pair.check.key,
            region=pair.region,
            outcome=outcome,
            error_message=error_message,
            started=started,
            ended=datetime.now(UTC),
            resources=resources,
            risks=risks,
            calls=counts.calls,
            throttled=counts.throttled,
            retried=counts.retried,
        )
        self._observer.pair_finished(result)
        return result

    def _written(self, finding: Finding) -> bool:
        """Every finding; with ``only_risks`` the risks, what goes down with one, and the events
        AWS reported (an autoshift), which are no resource's verdict."""
        return (
            not self._only_risks
            or finding.potential_single_az_risk
            or bool(finding.root_cause)
            or records_event(finding.check_id)
        )

    async def _scan(self, pair: Pair) -> AsyncIterator[list[Finding]]:
        """The check's assessments as findings of this account and region, batch by batch."""
        scope = RegionScope(self._clients, pair.region, self._account, self._shared, self._options)
        async for batch in pair.check.scan(scope):
            undeclared = {a.check_id for a in batch} - pair.check.guidance.keys()
            if undeclared:
                raise UndeclaredCheckId(pair.check, undeclared)
            ids = await self._zone_ids(scope, batch)
            at = datetime.now(UTC)
            yield [
                Finding.of(
                    a,
                    service=pair.check.key,
                    region=pair.region,
                    account=self._account,
                    at=at,
                    zone_ids=ids,
                )
                for a in batch
            ]

    async def _zone_ids(self, scope: RegionScope, batch: Sequence[Assessment]) -> dict[str, str]:
        """AZ name -> AZ ID for the zones the batch names, each region's listing read once.

        Zones are looked up in their own region: a global check's endpoints live elsewhere. The
        lookups are this account's alone (one ``SharedLookups`` per scanner): the mapping differs
        between accounts.
        """
        regions = sorted({zone_region(z) for a in batch for z in a.availability_zones} - {""})
        found = await concurrently(*(scope.in_region(r).shared(ZONE_IDS) for r in regions))
        return {zone: zone_id for mapping in found for zone, zone_id in mapping.items()}

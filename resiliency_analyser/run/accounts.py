"""Scanning the chosen accounts: a few at once, in account order, each with its own session,
clients and shared lookups; whatever stops one account (its role, its regions) is that account's
row, and the others go on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from botocore.exceptions import BotoCoreError, ClientError

from resiliency_analyser.aws.account import enabled_regions
from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.members import AccountSessions
from resiliency_analyser.aws.outcomes import classify
from resiliency_analyser.checks.api import Check
from resiliency_analyser.delivery.deliveries import Delivery
from resiliency_analyser.model.accounts import AccountScan, scanned_outcome
from resiliency_analyser.model.findings import FindingSink
from resiliency_analyser.model.report import Outcome, PairResult, ReportRow
from resiliency_analyser.model.shards import Shard
from resiliency_analyser.run.collect import RecordingSink
from resiliency_analyser.run.engine import Display, PairRunner, Scanner, ScanObserver, plan_pairs
from resiliency_analyser.run.files import CsvFiles
from resiliency_analyser.run.request import ScanRequest
from resiliency_analyser.run.selection import (
    SelectedAccount,
    account_regions,
    disabled_pairs,
    owned_pairs,
)
from resiliency_analyser.run.workers import WorkerPool

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    """An account to scan, and its regions when the run already knows them (a single-account
    run checks them before anything is written); else they are read in the account."""

    account: SelectedAccount
    regions: Sequence[str] | None = None
    region_shard: Shard | None = None
    """A single account's run split by region: only the pairs of the regions this shard owns
    (``regions`` already are; a global check's pair goes with its API's region)."""


@dataclass
class AccountRun:
    scan: AccountScan
    results: list[PairResult] = field(default_factory=list)


class ReportingObserver:
    """Writes each run-report row the moment its pair ends, then tells the display."""

    def __init__(self, files: CsvFiles, display: ScanObserver) -> None:
        self._files = files
        self._display = display

    def pair_progress(self, check: Check, region: str, resources: int, risks: int) -> None:
        self._display.pair_progress(check, region, resources, risks)

    def pair_finished(self, result: PairResult) -> None:
        self._files.pair_finished(result)
        self._display.pair_finished(result)


class AccountScans:
    """The accounts of one run, ``settings.max_accounts`` at a time; all share the run's bound
    on requests in flight, its sinks and its files."""

    def __init__(
        self,
        request: ScanRequest,
        sessions: AccountSessions,
        caller_clients: AwsClients,
        home_region: str,
        *,
        sink: FindingSink,
        recorder: RecordingSink,
        files: CsvFiles,
        display: Display,
        delivery: Delivery,
        organization: bool,
        pool: WorkerPool | None = None,
    ) -> None:
        self._request = request
        self._sessions = sessions
        self._caller_clients = caller_clients
        self._home_region = home_region
        self._sink = sink
        self._recorder = recorder
        self._files = files
        self._display = display
        self._observer = ReportingObserver(files, display)
        self._delivery = delivery
        self._organization = organization
        self._pool = pool
        self._slots = asyncio.Semaphore(request.settings.max_accounts)
        self._running: dict[str, PairRunner] = {}
        self._stopping = False

    def stop(self) -> None:
        """No account starts any more and every running one stops as a scan does: its
        unfinished pairs end ``Cancelled``."""
        self._stopping = True
        for scanner in self._running.values():
            scanner.stop()
        if self._pool is not None:
            self._pool.stop()

    async def run(self, targets: Sequence[Target]) -> list[AccountRun]:
        """Every target's run, in the targets' order; accounts start in that order too, so the
        findings CSV, written in account order, holds rows back only for those in flight."""
        return list(await asyncio.gather(*(self._account(t) for t in targets)))

    async def _account(self, target: Target) -> AccountRun:
        async with self._slots:
            started = datetime.now(UTC)
            try:
                run = await self._scan(target, started)
            except Exception as error:
                # Whatever ends one account is its row: the other accounts go on.
                log.debug("account %s failed", target.account.info.account_id, exc_info=True)
                failure = classify(error)
                run = _Scanned.ended(target.account, started, failure.outcome, failure.text)
        self._files.account_done(run.scan, run.hub_rows)
        if self._organization:
            self._display.account_finished(run.scan)
        return AccountRun(run.scan, run.results)

    async def _scan(self, target: Target, started: datetime) -> _Scanned:
        selected = target.account
        account = selected.info
        if self._stopping:
            return _Scanned.ended(selected, started, Outcome.CANCELLED, "scan interrupted first")
        if not selected.active:
            return _Scanned.ended(
                selected, started, Outcome.SKIPPED, f"account status {selected.status}"
            )
        try:
            session = await self._sessions.session(account.account_id)
        except (ClientError, BotoCoreError) as error:
            role = self._sessions.role_arn(account.account_id)
            failure = classify(error)
            return _Scanned.ended(
                selected, started, failure.outcome, f"cannot assume {role}: {failure.text}"
            )
        own = account.account_id == self._sessions.caller.account_id
        clients = (
            self._caller_clients
            if own
            else AwsClients(session, self._request.settings, self._caller_clients.in_flight)
        )
        try:
            return await self._scan_with(target, clients, started)
        finally:
            if not own:
                await clients.close()

    async def _scan_with(self, target: Target, clients: AwsClients, started: datetime) -> _Scanned:
        selected, request = target.account, self._request
        account = selected.info
        regions, disabled = list(target.regions or []), list[str]()
        if target.regions is None:
            try:
                enabled = await enabled_regions(clients, self._home_region)
            except (ClientError, BotoCoreError) as error:
                failure = classify(error)
                return _Scanned.ended(
                    selected,
                    started,
                    failure.outcome,
                    f"cannot list the account's regions: {failure.text}",
                )
            regions, disabled = account_regions(request.regions, enabled)
        if self._stopping:
            return _Scanned.ended(selected, started, Outcome.CANCELLED, "scan interrupted first")
        pairs = owned_pairs(plan_pairs(request.checks, regions), target.region_shard)
        not_enabled = disabled_pairs(request.checks, disabled)
        self._files.plan(account, [(p.check.key, p.region) for p in (*pairs, *not_enabled)])
        self._display.start([*pairs, *not_enabled])
        scanner: PairRunner = (
            Scanner(
                clients,
                account,
                self._sink,
                self._observer,
                only_risks=request.output.only_risks,
                check_timeout=request.check_timeout,
                options=request.check_options,
            )
            if self._pool is None
            else self._pool.scanner(account, self._sink, self._observer, self._home_region)
        )
        results = [
            *scanner.end_unscanned(
                not_enabled,
                Outcome.REGION_DISABLED,
                f"region not enabled in account {account.account_id}",
            )
        ]
        self._running[account.account_id] = scanner
        try:
            results += await scanner.run(pairs)
        finally:
            del self._running[account.account_id]
        hub_rows = await self._delivery.import_to_security_hub(
            self._recorder.records_of(account.account_id),
            results,
            {account.account_id: clients},
            account.partition,
        )
        outcome, message = scanned_outcome(results)
        scan = AccountScan(
            account=account,
            status=selected.status,
            outcome=outcome,
            message=message,
            regions=tuple(sorted({r.region for r in results})),
            started=started,
            ended=datetime.now(UTC),
        )
        return _Scanned(scan, results, hub_rows)


@dataclass
class _Scanned:
    scan: AccountScan
    results: list[PairResult] = field(default_factory=list)
    hub_rows: list[ReportRow] = field(default_factory=list)

    @classmethod
    def ended(
        cls, selected: SelectedAccount, started: datetime, outcome: Outcome, message: str
    ) -> _Scanned:
        """An account that ends before any of its pairs runs."""
        return cls(
            AccountScan(
                account=selected.info,
                status=selected.status,
                outcome=outcome,
                message=message,
                started=started,
                ended=datetime.now(UTC),
            )
        )

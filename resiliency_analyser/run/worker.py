"""A worker process: its own event loop over the cells the parent sends, its findings and pair
ends sent back. It writes no file and ignores Ctrl-C and SIGTERM: the parent, which owns every
file, tells it when to stop; should the parent die, the pipe's end stops it."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import aioboto3

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.members import AccountSessions
from resiliency_analyser.aws.outcomes import classify
from resiliency_analyser.aws.session import assumed_role_session, base_session
from resiliency_analyser.checks.api import Check, SharedLookups
from resiliency_analyser.checks.registry import BY_KEY
from resiliency_analyser.model.findings import Finding
from resiliency_analyser.model.report import PairResult
from resiliency_analyser.run.cells import (
    STOP,
    Cell,
    CellDone,
    CellFailed,
    Finished,
    Found,
    LogLine,
    Progress,
    WorkerSetup,
)
from resiliency_analyser.run.engine import Pair, Scanner
from resiliency_analyser.run.interrupt import STOP_SIGNALS, ignored

log = logging.getLogger(__name__)


class Outbox:
    """The pipe to the parent. Once the parent is gone (ended at once on a second Ctrl-C),
    nothing is sent: the worker ends its cells and exits, and nobody reads them any more."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.gone = False

    def send(self, message: object) -> None:
        if self.gone:
            return
        try:
            self._connection.send(message)
        except OSError:
            self.gone = True


class PipeHandler(logging.Handler):
    def __init__(self, outbox: Outbox) -> None:
        super().__init__()
        self._outbox = outbox
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self._outbox.send(LogLine(record.name, record.levelno, self.format(record)))


def serve(connection: Connection, setup: WorkerSetup) -> None:
    """The process's entry point."""
    ignored(STOP_SIGNALS)
    outbox = Outbox(connection)
    logger = logging.getLogger("resiliency_analyser")
    logger.handlers = [PipeHandler(outbox)]
    logger.setLevel(setup.log_level)
    logger.propagate = False
    logging.getLogger().addHandler(logging.NullHandler())
    try:
        asyncio.run(Worker(connection, outbox, setup).serve())
    except Exception as error:
        # Its cells end failed in the parent, naming this worker; the reason goes to the log.
        log.debug("worker failed", exc_info=True)
        log.error("%s failed: %s", multiprocessing.current_process().name, classify(error).text)
        sys.exit(1)
    finally:
        connection.close()


class PipeOut:
    """The scanner's sink and observer: everything goes to the parent, in the order it
    happens (a pair's findings before its end)."""

    def __init__(self, outbox: Outbox, cell: int) -> None:
        self._outbox = outbox
        self._cell = cell

    async def emit(self, findings: Sequence[Finding]) -> None:
        if findings:
            self._outbox.send(Found(self._cell, findings))

    def pair_progress(self, check: Check, region: str, resources: int, risks: int) -> None:
        self._outbox.send(Progress(self._cell, check.key, region, resources, risks))

    def pair_finished(self, result: PairResult) -> None:
        self._outbox.send(Finished(self._cell, result))


@dataclass
class _Clients:
    """An account's clients and shared lookups in this worker, kept while any of its cells
    runs: its cells share them, and so its API budgets (one token bucket per region and AWS
    bucket) and each listing, as in one process."""

    opening: asyncio.Task[AwsClients]
    lookups: SharedLookups = field(default_factory=SharedLookups)
    cells: int = 0


class Worker:
    def __init__(self, connection: Connection, outbox: Outbox, setup: WorkerSetup) -> None:
        self._connection = connection
        self._outbox = outbox
        self._setup = setup
        self._scanners: dict[int, Scanner] = {}
        self._clients: dict[str, _Clients] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = False

    async def serve(self) -> None:
        setup = self._setup
        sessions = AccountSessions(
            await self._caller_session(),
            setup.caller,
            setup.member_role,
            setup.settings,
            setup.home_region,
        )
        in_flight = asyncio.Semaphore(setup.settings.max_concurrency)
        inbox: asyncio.Queue[Any] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        loop.add_reader(self._connection.fileno(), self._receive, inbox)
        try:
            while (message := await inbox.get()) is not None:
                if message == STOP:
                    self._stop()
                    continue
                task = asyncio.create_task(self._cell(message, sessions, in_flight))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            if self._tasks:
                await asyncio.wait(self._tasks)
        finally:
            loop.remove_reader(self._connection.fileno())

    def _receive(self, inbox: asyncio.Queue[Any]) -> None:
        try:
            inbox.put_nowait(self._connection.recv())
        except (EOFError, OSError):
            # The parent is gone (or ended at once on a second Ctrl-C): stop as it would ask.
            self._stop()
            asyncio.get_running_loop().remove_reader(self._connection.fileno())
            inbox.put_nowait(None)

    async def _caller_session(self) -> aioboto3.Session:
        """The caller's session, made here as the parent made its own (never sent)."""
        setup = self._setup
        session = base_session(setup.profile)
        if setup.assume_role is None:
            return session
        caller = setup.caller
        arn = f"arn:{caller.partition}:iam::{caller.account_id}:role/{setup.assume_role}"
        return await assumed_role_session(session, arn)

    def _stop(self) -> None:
        self._stopping = True
        for scanner in self._scanners.values():
            scanner.stop()

    async def _cell(
        self, cell: Cell, sessions: AccountSessions, in_flight: asyncio.Semaphore
    ) -> None:
        setup, out = self._setup, PipeOut(self._outbox, cell.number)
        account_id = cell.account.account_id
        try:
            clients = await self._account_clients(account_id, sessions, in_flight)
            scanner = Scanner(
                clients,
                cell.account,
                out,
                out,
                only_risks=setup.only_risks,
                check_timeout=setup.check_timeout,
                options=setup.check_options,
                shared=self._clients[account_id].lookups,
            )
            self._scanners[cell.number] = scanner
            if self._stopping:
                scanner.stop()
            await scanner.run([Pair(BY_KEY[key], region) for key, region in cell.pairs])
        except Exception as error:
            log.debug("cell of %s failed", account_id, exc_info=True)
            failure = classify(error)
            self._outbox.send(CellFailed(cell.number, failure.outcome.value, failure.text))
        finally:
            self._scanners.pop(cell.number, None)
            await self._release(account_id)
            self._outbox.send(CellDone(cell.number))

    async def _account_clients(
        self, account_id: str, sessions: AccountSessions, in_flight: asyncio.Semaphore
    ) -> AwsClients:
        """The account's clients, opened by its first cell (its session made once)."""
        held = self._clients.get(account_id)
        if held is None:
            held = self._clients[account_id] = _Clients(
                asyncio.ensure_future(self._open(account_id, sessions, in_flight))
            )
        held.cells += 1
        return await asyncio.shield(held.opening)

    async def _open(
        self, account_id: str, sessions: AccountSessions, in_flight: asyncio.Semaphore
    ) -> AwsClients:
        session = await sessions.session(account_id)
        return AwsClients(session, self._setup.settings, in_flight)

    async def _release(self, account_id: str) -> None:
        """The account's clients close with its last cell running here."""
        held = self._clients[account_id]
        held.cells -= 1
        if held.cells:
            return
        del self._clients[account_id]
        opening = held.opening
        if not opening.done():
            opening.cancel()
            await asyncio.wait([opening])
        elif not opening.cancelled() and opening.exception() is None:
            await opening.result().close()

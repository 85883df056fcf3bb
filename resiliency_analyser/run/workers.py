"""The worker processes of a run (``--workers``), as the parent sees them.

Each worker runs its own event loop over the cells it is sent (one account's pairs in one
region), a few at a time, asking for more as each ends, so a long cell on one worker does not
leave the others idle. Everything a worker finds comes back here, in the order it happened, and
goes to the same sinks and observer a scan in this process feeds: the parent alone writes the
files, so their rows are whole and in the same order however many workers there are.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from resiliency_analyser.aws.outcomes import classify
from resiliency_analyser.checks.registry import BY_KEY
from resiliency_analyser.model.findings import AccountInfo, FindingSink
from resiliency_analyser.model.report import Outcome, PairResult
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
    region_cells,
)
from resiliency_analyser.run.engine import Display, Pair, ScanObserver, end_unscanned
from resiliency_analyser.run.interrupt import STOP_SIGNALS, blocked
from resiliency_analyser.run.worker import serve

log = logging.getLogger(__name__)

CELLS_AT_ONCE = 4
"""Cells a worker runs together: enough pairs to keep its share of the requests in flight busy,
few enough that the last cells go to whichever worker frees up first."""

EXIT_WAIT = 10.0
"""Seconds a worker has to end once told there are no more cells, before it is killed."""


@dataclass
class _Cell:
    cell: Cell
    pairs: Sequence[Pair]
    sink: FindingSink
    observer: ScanObserver
    done: asyncio.Future[list[PairResult]]
    results: dict[tuple[str, str], PairResult] = field(default_factory=dict)
    failure: tuple[Outcome, str] | None = None

    def end(self, outcome: Outcome, message: str) -> None:
        """Ends the pairs that have not ended, then the cell."""
        left = [p for p in self.pairs if (p.check.key, p.region) not in self.results]
        for result in end_unscanned(self.cell.account, self.observer, left, outcome, message):
            self.results[result.service, result.region] = result
        if not self.done.done():
            self.done.set_result([self.results[p.check.key, p.region] for p in self.pairs])


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    inbox: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    cells: dict[int, _Cell] = field(default_factory=dict)
    done: int = 0
    alive: bool = True


class WorkerPool:
    """``count`` worker processes for one run; ``async with`` starts and ends them."""

    def __init__(self, setups: Sequence[WorkerSetup], display: Display, *, by_region: bool) -> None:
        """``by_region``: an account's cells are its regions (a single account's run), else
        the account whole (an organization's, whose accounts are cells enough)."""
        self._setups = setups
        self._display = display
        self._by_region = by_region
        self._workers: list[_Worker] = []
        self._pumps: list[asyncio.Task[None]] = []
        self._queued: deque[_Cell] = deque()
        self._numbers = 0
        self._stopping = False
        self._closed = False

    async def __aenter__(self) -> WorkerPool:
        self.start()
        return self

    async def __aexit__(self, error: type[BaseException] | None, *exc: object) -> None:
        await self.close(failed=error is not None)

    def start(self) -> None:
        # Spawned, not forked: a fork would copy this process's event loop, sockets and
        # threads mid-flight; a fresh interpreter loads models, endpoint data and TLS once.
        context = multiprocessing.get_context("spawn")
        loop = asyncio.get_running_loop()
        for number, setup in enumerate(self._setups):
            mine, theirs = context.Pipe()
            process = context.Process(
                target=serve,
                args=(theirs, setup),
                name=f"resiliency-analyser-worker-{number + 1}",
                daemon=True,
            )
            # Blocked while it starts, so a Ctrl-C meant for the parent cannot break the new
            # interpreter's start-up; it ignores them from then on (``worker.serve``).
            with blocked(STOP_SIGNALS):
                process.start()
            theirs.close()
            worker = _Worker(process, mine)
            self._workers.append(worker)
            loop.add_reader(mine.fileno(), self._receive, worker)
            self._pumps.append(asyncio.create_task(self._pump(worker)))

    async def close(self, *, failed: bool = False) -> None:
        """Tells each worker there are no more cells and waits for it to end; ``failed``: the
        run is ending on an error, so its cells are stopped first."""
        if self._closed:
            return
        self._closed = True
        if failed:
            self.stop()
        for worker in self._workers:
            self._send(worker, None)
        for worker in self._workers:
            await asyncio.to_thread(worker.process.join, EXIT_WAIT)
            if worker.process.is_alive():
                log.warning("worker %s did not end: killed", worker.process.name)
                worker.process.kill()
                await asyncio.to_thread(worker.process.join)
        # Each pump ends at its pipe's end, once it has handled every message before it.
        await asyncio.gather(*self._pumps)

    def scanner(
        self, account: AccountInfo, sink: FindingSink, observer: ScanObserver, first_region: str
    ) -> PooledScanner:
        return PooledScanner(
            self, account, sink, observer, first_region if self._by_region else None
        )

    async def run_cell(
        self,
        account: AccountInfo,
        pairs: Sequence[Pair],
        sink: FindingSink,
        observer: ScanObserver,
    ) -> list[PairResult]:
        """The cell's pair results, in ``pairs`` order, once a worker has ended each."""
        self._numbers += 1
        cell = _Cell(
            Cell(self._numbers, account, tuple((p.check.key, p.region) for p in pairs)),
            pairs,
            sink,
            observer,
            asyncio.get_running_loop().create_future(),
        )
        if self._stopping:
            cell.end(Outcome.CANCELLED, "scan interrupted before it began")
        else:
            self._queued.append(cell)
            self._dispatch()
        return await cell.done

    def stop(self) -> None:
        """Cells not sent end ``Cancelled``; the workers end theirs as a stopped scan does."""
        if self._stopping:
            return
        self._stopping = True
        while self._queued:
            self._queued.popleft().end(Outcome.CANCELLED, "scan interrupted before it began")
        for worker in self._workers:
            self._send(worker, STOP)

    def _dispatch(self) -> None:
        while self._queued:
            alive = [w for w in self._workers if w.alive]
            if not alive:
                self._queued.popleft().end(Outcome.ERROR, "no worker process left to scan it")
                continue
            worker = min(alive, key=lambda w: len(w.cells))
            if len(worker.cells) >= CELLS_AT_ONCE:
                return
            cell = self._queued.popleft()
            worker.cells[cell.cell.number] = cell
            self._send(worker, cell.cell)
            self._show(worker, cell)

    def _send(self, worker: _Worker, message: object) -> None:
        if not worker.alive:
            return
        # Should it have died, its pipe's end, read by the pump, ends its cells.
        with contextlib.suppress(OSError):
            worker.connection.send(message)

    def _receive(self, worker: _Worker) -> None:
        try:
            worker.inbox.put_nowait(worker.connection.recv())
        except (EOFError, OSError):
            asyncio.get_running_loop().remove_reader(worker.connection.fileno())
            worker.inbox.put_nowait(None)

    async def _pump(self, worker: _Worker) -> None:
        """The worker's messages, one at a time, in the order it sent them."""
        while (message := await worker.inbox.get()) is not None:
            try:
                await self._handle(worker, message)
            except Exception as error:
                # A sink that fails must not leave the run waiting for the cell for ever: the
                # pairs of the cell not ended yet end with the failure.
                log.debug("handling %s failed", type(message).__name__, exc_info=True)
                cell = worker.cells.get(getattr(message, "cell", -1))
                if cell is not None:
                    failure = classify(error)
                    cell.failure = (failure.outcome, failure.text)
        self._lost(worker)

    async def _handle(self, worker: _Worker, message: object) -> None:
        match message:
            case Found(cell=number, findings=findings):
                await worker.cells[number].sink.emit(findings)
            case Progress(cell=number, check=key, region=region):
                worker.cells[number].observer.pair_progress(
                    BY_KEY[key], region, message.resources, message.risks
                )
            case Finished(cell=number, result=result):
                cell = worker.cells[number]
                cell.results[result.service, result.region] = result
                cell.observer.pair_finished(result)
            case CellFailed(cell=number, outcome=outcome, message=text):
                worker.cells[number].failure = (Outcome(outcome), text)
            case CellDone(cell=number):
                cell = worker.cells.pop(number)
                outcome, text = cell.failure or (Outcome.ERROR, "the worker did not end this pair")
                cell.end(outcome, text)
                worker.done += 1
                self._show(worker, cell)
                self._dispatch()
            case LogLine(name=name, level=level, message=text):
                logging.getLogger(name).log(level, "%s", text)

    def _show(self, worker: _Worker, cell: _Cell) -> None:
        number = self._workers.index(worker) + 1
        where = cell.pairs[0].region if self._by_region else cell.cell.account.account_id
        self._display.worker_cells(number, where, len(worker.cells), worker.done)

    def _lost(self, worker: _Worker) -> None:
        """The worker's pipe ended: at the run's end, or it died; then its cells end failed."""
        worker.alive = False
        worker.connection.close()
        if not worker.cells:
            return
        worker.process.join(EXIT_WAIT)
        why = f"worker process {worker.process.name} ended (exit code {worker.process.exitcode})"
        log.warning("%s with %d cells unfinished", why, len(worker.cells))
        for cell in worker.cells.values():
            cell.end(Outcome.ERROR, why)
        worker.cells.clear()
        self._dispatch()


class PooledScanner:
    """An account's pairs run by the pool, in one cell or a cell per region; as a ``Scanner``
    does, each pair ends once, told to the observer, and the results come in ``pairs``
    order."""

    def __init__(
        self,
        pool: WorkerPool,
        account: AccountInfo,
        sink: FindingSink,
        observer: ScanObserver,
        first_region: str | None,
    ) -> None:
        """``first_region``: the account's cells are its regions, this one first; ``None``:
        the account is one cell."""
        self._pool = pool
        self._account = account
        self._sink = sink
        self._observer = observer
        self._first = first_region

    async def run(self, pairs: Sequence[Pair]) -> list[PairResult]:
        cells = [pairs] if self._first is None else region_cells(pairs, self._first)
        done = await asyncio.gather(
            *(self._pool.run_cell(self._account, c, self._sink, self._observer) for c in cells)
        )
        by_pair = {(r.service, r.region): r for results in done for r in results}
        return [by_pair[p.check.key, p.region] for p in pairs]

    def end_unscanned(
        self, pairs: Sequence[Pair], outcome: Outcome, error_message: str
    ) -> list[PairResult]:
        return end_unscanned(self._account, self._observer, pairs, outcome, error_message)

    def stop(self) -> None:
        self._pool.stop()

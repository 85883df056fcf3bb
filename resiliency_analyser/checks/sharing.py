"""How pairs share a lookup: each runs once per scan and region, however many pairs ask for it.

The lookups themselves are declared in ``checks/lookups.py``; a pair reads one with
``scope.shared(LOOKUP)``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from resiliency_analyser.checks.api import RegionScope

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class Lookup(Generic[T]):
    """Records several pairs need, loaded once and shared. The object itself is the key: two
    lookups are never confused by a name spelt twice."""

    name: str
    """What it holds, for people (the debug log names it)."""
    load: Callable[[RegionScope], Awaitable[T]]
    """Loads the records through the scope of the region they are read in."""
    region: str | None = None
    """``None``: loaded once per region, in the region that asks. A region: loaded once per scan,
    there, whichever region asks (global resources listed in one region)."""


class _Running:
    """A lookup's task and how many pairs are waiting for it right now."""

    def __init__(self, task: asyncio.Future[Any]) -> None:
        self.task = task
        self.waiters = 0


class SharedLookups:
    """The lookups of one account's scan, each loaded once per region.

    A lookup runs in a task of its own, shielded from the cancellation of whichever pair started
    it, since other pairs may be waiting for it too. When the last pair waiting for it ends before
    it does, it is cancelled and awaited: a lookup nobody waits for spends no more calls, and a
    pair that asks later loads it afresh.
    """

    def __init__(self) -> None:
        self._running: dict[tuple[Lookup[Any], str], _Running] = {}

    async def once(self, lookup: Lookup[T], scope: RegionScope) -> T:
        """``lookup`` loaded through ``scope`` (the region it is read in), or its first load's
        result or error when a pair asked before."""
        key = (lookup, scope.region)
        running = self._running.get(key)
        if running is None:
            running = self._running[key] = _Running(asyncio.ensure_future(lookup.load(scope)))
        running.waiters += 1
        try:
            result: T = await asyncio.shield(running.task)
            return result
        finally:
            running.waiters -= 1
            if not running.waiters and not running.task.done():
                # Only a waiter's cancellation ends the shield before the task does.
                del self._running[key]
                await abandon(running.task, f"{lookup.name} of {scope.region}")


async def abandon(task: asyncio.Future[Any], name: str) -> None:
    """Cancels a lookup no pair waits for any more, and waits until it has ended."""
    log.debug("%s: no pair waits for it any more", name)
    task.cancel()
    await asyncio.wait([task])
    if not task.cancelled():
        task.exception()  # retrieved: no waiter is left to report it to

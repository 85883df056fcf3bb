"""Fan-out inside a (check, region) pair: calls that run together end together.

``concurrently`` runs its calls as one ``asyncio.TaskGroup``: when one fails, the others are
cancelled and awaited before the error goes on, so a pair that has ended sends no more requests.
The error is the first one, raised as itself, so the pair's outcome names it (``AccessDenied``
stays ``AccessDenied``) rather than an ``ExceptionGroup``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
D = TypeVar("D")

Call = Coroutine[Any, Any, T]


@overload
async def concurrently(first: Call[A], second: Call[B], /) -> tuple[A, B]: ...


@overload
async def concurrently(first: Call[A], second: Call[B], third: Call[C], /) -> tuple[A, B, C]: ...


@overload
async def concurrently(
    first: Call[A], second: Call[B], third: Call[C], fourth: Call[D], /
) -> tuple[A, B, C, D]: ...


@overload
async def concurrently(*calls: Call[T]) -> tuple[T, ...]: ...


async def concurrently(*calls: Call[Any]) -> tuple[Any, ...]:
    """The results of ``calls``, in order, run concurrently; the first error of any, raised as
    itself once the others are cancelled and have ended."""
    if len(calls) < 2:
        return tuple([await call for call in calls])
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(call) for call in calls]
    except BaseExceptionGroup as failed:
        first = failed.exceptions[0]
        # The group as context would only repeat ``first``; a cause of its own stays.
        raise first from first.__cause__
    return tuple(task.result() for task in tasks)


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    """Consecutive slices of at most ``size`` items, for APIs that cap names per call."""
    return [list(items[start : start + size]) for start in range(0, len(items), size)]

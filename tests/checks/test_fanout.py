"""``concurrently``: calls run together and end together, the first error raised as itself."""

from __future__ import annotations

import asyncio

import pytest

from resiliency_analyser.checks.api import concurrently


class Denied(Exception):
    pass


async def value(result: object, delay: float = 0.0) -> object:
    await asyncio.sleep(delay)
    return result


async def fails(error: Exception, delay: float = 0.0) -> None:
    await asyncio.sleep(delay)
    raise error


async def waits(name: str, ended: list[str]) -> None:
    try:
        await asyncio.sleep(10)
    finally:
        ended.append(name)


def test_results_come_in_the_order_of_the_calls() -> None:
    assert asyncio.run(concurrently(value(1, 0.02), value("two"))) == (1, "two")
    assert asyncio.run(concurrently(*(value(n, 0.01 * (3 - n)) for n in range(3)))) == (0, 1, 2)
    assert asyncio.run(concurrently(value("alone"))) == ("alone",)
    assert asyncio.run(concurrently()) == ()


def test_the_first_error_ends_the_others_before_it_is_raised_as_itself() -> None:
    denied = Denied("first")
    ended: list[str] = []

    async def cleanup_fails() -> None:
        try:
            await asyncio.sleep(10)
        finally:
            raise ValueError("while cancelled")  # a second error, after the first

    async def run() -> None:
        with pytest.raises(Denied) as raised:
            await concurrently(
                waits("a", ended), fails(denied, 0.01), cleanup_fails(), waits("b", ended)
            )
        assert raised.value is denied
        assert sorted(ended) == ["a", "b"]

    asyncio.run(run())


def test_an_error_crosses_nested_groups_as_itself() -> None:
    denied = Denied("inner")
    ended: list[str] = []

    async def run() -> None:
        with pytest.raises(Denied) as raised:
            await concurrently(
                concurrently(waits("inner", ended), fails(denied, 0.01)), waits("outer", ended)
            )
        assert raised.value is denied
        assert sorted(ended) == ["inner", "outer"]

    asyncio.run(run())


def test_cancelling_the_caller_ends_every_call() -> None:
    """A pair's time budget running out cancels its calls; they end before it reports."""
    ended: list[str] = []

    async def run() -> None:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.02):
                await concurrently(waits("a", ended), waits("b", ended))
        assert sorted(ended) == ["a", "b"]

    asyncio.run(run())

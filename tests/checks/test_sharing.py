"""Shared lookups: loaded once per region however many pairs ask; cancelled, and awaited, when
the last pair waiting for one ends first; loaded afresh by a pair that asks after that."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aioboto3

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks.api import AccountInfo, Lookup, RegionScope, SharedLookups
from tests.support.moto import ACCOUNT_ID


class Loads:
    """A made-up lookup's loader that answers only once released, noting each load's region and
    how it ended."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.ended: list[str] = []
        self.release = asyncio.Event()

    async def __call__(self, scope: RegionScope) -> str:
        self.started.append(scope.region)
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.ended.append("cancelled")
            raise
        self.ended.append("loaded")
        return f"records of {scope.region}"


def with_scope(test: Callable[[RegionScope], Awaitable[None]]) -> None:
    """Runs ``test`` with a us-east-1 scope; nothing here calls AWS."""

    async def run() -> None:
        async with AwsClients(aioboto3.Session(), ClientSettings()) as clients:
            account = AccountInfo(account_id=ACCOUNT_ID)
            await test(RegionScope(clients, "us-east-1", account, SharedLookups()))

    asyncio.run(run())


async def started(*tasks: asyncio.Task[str]) -> None:
    await asyncio.sleep(0.01)
    assert not any(task.done() for task in tasks)


def test_a_lookup_is_loaded_once_per_region_and_once_in_its_own_region() -> None:
    regional, fixed = Loads(), Loads()
    lookup, global_lookup = Lookup("regional", regional), Lookup("global", fixed, "us-west-2")

    async def test(scope: RegionScope) -> None:
        regional.release.set()
        fixed.release.set()
        assert await scope.shared(lookup) == "records of us-east-1"
        assert await scope.shared(lookup) == "records of us-east-1"
        assert await scope.in_region("eu-west-1").shared(lookup) == "records of eu-west-1"
        assert await scope.shared(global_lookup) == "records of us-west-2"
        assert await scope.in_region("eu-west-1").shared(global_lookup) == "records of us-west-2"

    with_scope(test)
    assert regional.started == ["us-east-1", "eu-west-1"]
    assert fixed.started == ["us-west-2"]


def test_a_lookup_another_pair_waits_for_goes_on_when_one_pair_ends() -> None:
    loads = Loads()
    lookup = Lookup("made up", loads)

    async def test(scope: RegionScope) -> None:
        ending = asyncio.create_task(scope.shared(lookup))
        waiting = asyncio.create_task(scope.shared(lookup))
        await started(ending, waiting)
        ending.cancel()
        await asyncio.wait([ending])
        assert loads.ended == []
        loads.release.set()
        assert await waiting == "records of us-east-1"

    with_scope(test)
    assert loads.started == ["us-east-1"]


def test_a_lookup_nobody_waits_for_is_cancelled_before_its_last_pair_ends() -> None:
    loads = Loads()
    lookup = Lookup("made up", loads)

    async def test(scope: RegionScope) -> None:
        first, second = (asyncio.create_task(scope.shared(lookup)) for _ in range(2))
        await started(first, second)
        first.cancel()
        second.cancel()
        await asyncio.wait([first, second])
        assert loads.ended == ["cancelled"]
        loads.release.set()
        assert await scope.shared(lookup) == "records of us-east-1"

    with_scope(test)
    assert loads.started == ["us-east-1", "us-east-1"]
    assert loads.ended == ["cancelled", "loaded"]

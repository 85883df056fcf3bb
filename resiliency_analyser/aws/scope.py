"""What a check sees: its region, the account, bounded AWS calls and lookups shared per region."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from resiliency_analyser.aws.clients import AwsClients, AwsResponse
from resiliency_analyser.checks.base import arn
from resiliency_analyser.models import AccountInfo

T = TypeVar("T")


class SharedLookups:
    """Runs each named per-region lookup once per scan, however many checks ask for it."""

    def __init__(self) -> None:
        self._tasks: dict[tuple[str, str], asyncio.Task[Any]] = {}

    async def once(self, name: str, region: str, load: Callable[[], Awaitable[T]]) -> T:
        key = (name, region)
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.ensure_future(load())
            self._tasks[key] = task
        result: T = await asyncio.shield(task)
        return result

    def cancel(self) -> None:
        """Stop lookups still running; the shield that lets checks share them also hides them
        from the checks' own cancellation."""
        for task in self._tasks.values():
            task.cancel()


class RegionScope:
    def __init__(
        self, clients: AwsClients, region: str, account: AccountInfo, shared: SharedLookups
    ) -> None:
        self.clients = clients
        self.region = region
        self.account = account
        self._shared = shared

    async def call(self, service: str, operation: str, **params: Any) -> AwsResponse:
        return await self.clients.call(service, self.region, operation, **params)

    def pages(self, service: str, operation: str, **params: Any) -> AsyncIterator[AwsResponse]:
        return self.clients.pages(service, self.region, operation, **params)

    async def items(
        self, service: str, operation: str, key: str, **params: Any
    ) -> list[dict[str, Any]]:
        return await self.clients.items(service, self.region, operation, key, **params)

    def arn(self, service: str, resource: str) -> str:
        return arn(self.account, self.region, service, resource)

    async def subnet_zones(self) -> dict[str, str]:
        """Subnet id -> Availability Zone for every subnet in the region, fetched once a scan."""

        async def load() -> dict[str, str]:
            subnets = await self.items("ec2", "describe_subnets", "Subnets")
            return {subnet["SubnetId"]: subnet["AvailabilityZone"] for subnet in subnets}

        return await self._shared.once("subnet_zones", self.region, load)

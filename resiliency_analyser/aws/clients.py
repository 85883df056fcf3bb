"""One aioboto3 session per run, one client per (service, region), every request bounded."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import aioboto3
from aiobotocore.config import AioConfig
from botocore.exceptions import ClientError

from resiliency_analyser.aws.endpoints import ServiceNotInRegion, lacks_endpoint
from resiliency_analyser.aws.models import add_model_extras
from resiliency_analyser.aws.pacing import Pacing
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.aws.tls import SharedTlsHttpSession
from resiliency_analyser.errors import AnalyserError

AwsResponse = dict[str, Any]


def botocore_config(settings: ClientSettings) -> AioConfig:
    return AioConfig(
        http_session_cls=SharedTlsHttpSession,
        retries={"mode": settings.retry_mode, "total_max_attempts": settings.max_attempts},
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        max_pool_connections=settings.per_client_concurrency,
        user_agent_appid="resiliency-analyser",
    )


class UnfollowedPages(AnalyserError):
    """A listing without a botocore paginator answered with a next-page token that nothing
    follows: the check needs an explicit token loop (``AwsClients.token_pages``)."""

    def __init__(self, service: str, operation: str, token_key: str) -> None:
        super().__init__(
            f"{service} {operation} answered with a next page ({token_key}) that botocore has "
            "no paginator for; the check must follow it with a token loop"
        )


class ClientsClosed(AnalyserError):
    """A request asked of the client pool after it was closed: whatever asked outlived the run
    that owned the pool, a bug that must not turn into a request nobody waits for."""

    def __init__(self, service: str, region: str) -> None:
        super().__init__(f"{service} in {region} asked of an AWS client pool already closed")


NOT_FOUND_SUFFIXES = ("NotFound", "NotFoundException", "NotFoundFault")
"""Error codes ending so say the resource named is gone (``ResourceNotFoundException``,
``InvalidSubnetID.NotFound``, ``DBClusterNotFoundFault``)."""


def is_not_found(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code", "")).endswith(NOT_FOUND_SUFFIXES)


def next_page_token(client: Any, operation: str, response: AwsResponse) -> str | None:
    """The output member of ``operation`` holding a next-page token, if the response has one."""
    api_name = client.meta.method_to_api_mapping[operation]
    output = client.meta.service_model.operation_model(api_name).output_shape
    members = output.members if output is not None else {}
    tokens = [
        name
        for name, shape in members.items()
        if shape.type_name == "string" and name.lower().endswith(("token", "marker"))
    ]
    return next((str(name) for name in tokens if response.get(name)), None)


class AwsClients:
    """Creates each (service, region) client once, on first use, and bounds requests.

    A global semaphore caps requests in flight for the whole run and a per-client one caps each
    (service, region), so one heavy service cannot starve the rest. Every attempt waits for a
    token of its AWS budget (``pacing``): the pool holds one bucket per (region, throttling
    bucket), so per account, since each account of an organization run has its own pool (its
    own credentials); they all share the run's ``in_flight`` semaphore.
    """

    def __init__(
        self,
        session: aioboto3.Session,
        settings: ClientSettings,
        in_flight: asyncio.Semaphore | None = None,
    ) -> None:
        add_model_extras(session._session)
        self._session = session
        self._settings = settings
        self._config = botocore_config(settings)
        self._stack = AsyncExitStack()
        self._clients: dict[tuple[str, str], asyncio.Task[Any]] = {}
        self._limits: dict[tuple[str, str], asyncio.Semaphore] = {}
        self._global = in_flight or asyncio.Semaphore(settings.max_concurrency)
        self._pacing = Pacing(settings.max_attempts)
        self._closed = False
        # Creating a client is pure CPU. Built one at a time, with a yield after each, a client's
        # requests go out while the next is built; otherwise every first request of the scan
        # waits until all clients exist.
        self._creating = asyncio.Lock()

    @property
    def session(self) -> aioboto3.Session:
        return self._session

    @property
    def in_flight(self) -> asyncio.Semaphore:
        """The bound on requests in flight, for the pools of other accounts to share."""
        return self._global

    async def __aenter__(self) -> AwsClients:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Closes every client; any use after this raises ``ClientsClosed``."""
        self._closed = True
        creating = [task for task in self._clients.values() if not task.done()]
        for task in creating:
            task.cancel()
        if creating:
            await asyncio.wait(creating)
        await self._stack.aclose()
        self._clients.clear()

    def _refuse_if_closed(self, service: str, region: str) -> None:
        if self._closed:
            raise ClientsClosed(service, region)

    async def client(self, service: str, region: str) -> Any:
        self._refuse_if_closed(service, region)
        key = (service, region)
        task = self._clients.get(key)
        if task is None:
            # A task, not the client, is cached so concurrent first users share one creation.
            task = asyncio.ensure_future(self._create(service, region))
            self._clients[key] = task
            self._limits[key] = asyncio.Semaphore(self._settings.per_client_concurrency)
        # Shielded: one caller's cancellation must not fail the others' creation, and creating a
        # client sends no request, so letting it finish spends nothing.
        return await asyncio.shield(task)

    async def _create(self, service: str, region: str) -> Any:
        async with self._creating:
            client = await self._build(service, region)
            await asyncio.sleep(0)
            return client

    async def _build(self, service: str, region: str) -> Any:
        if await lacks_endpoint(self._session, service, region):
            raise ServiceNotInRegion(service, region)
        context = self._session.client(
            service,
            region_name=region,
            config=self._config,
            endpoint_url=dict(self._settings.service_endpoints).get(
                service, self._settings.endpoint_url
            ),
        )
        client = await self._stack.enter_async_context(context)
        self._pacing.attach(client, region)
        return client

    async def _bounded(
        self, service: str, region: str, request: Callable[[], Awaitable[Any]]
    ) -> Any:
        async with self._global, self._limits[(service, region)]:
            # A request that waited for its turn while the pool closed is not sent.
            self._refuse_if_closed(service, region)
            return await request()

    async def offers(self, service: str, region: str) -> bool:
        """Whether AWS offers ``service`` in ``region`` (so a client there can be built)."""
        return not await lacks_endpoint(self._session, service, region)

    async def call(self, service: str, region: str, operation: str, **params: Any) -> AwsResponse:
        client = await self.client(service, region)
        method = getattr(client, operation)
        response: AwsResponse = await self._bounded(service, region, lambda: method(**params))
        return response

    async def call_unless_gone(
        self, service: str, region: str, operation: str, **params: Any
    ) -> AwsResponse | None:
        """``call``, or ``None`` when the answer is that the resource named is not found."""
        try:
            return await self.call(service, region, operation, **params)
        except ClientError as error:
            if is_not_found(error):
                return None
            raise

    async def pages(
        self, service: str, region: str, operation: str, **params: Any
    ) -> AsyncIterator[AwsResponse]:
        """Every page of a listing, through botocore's paginator; each page is one bounded call.

        An operation without a paginator is called once; should its answer carry a next-page
        token, ``UnfollowedPages`` is raised rather than records silently dropped.
        """
        client = await self.client(service, region)
        if not client.can_paginate(operation):
            response = await self.call(service, region, operation, **params)
            if token := next_page_token(client, operation, response):
                raise UnfollowedPages(service, operation, token)
            yield response
            return
        iterator = client.get_paginator(operation).paginate(**params).__aiter__()
        while True:
            try:
                page: AwsResponse = await self._bounded(service, region, iterator.__anext__)
            except StopAsyncIteration:
                return
            yield page

    async def token_pages(
        self, service: str, region: str, operation: str, token_key: str, **params: Any
    ) -> AsyncIterator[AwsResponse]:
        """Every page of a listing botocore has no paginator for: ``token_key`` names the member
        carrying the next page's token in the response and the next request alike."""
        while True:
            page = await self.call(service, region, operation, **params)
            yield page
            if not page.get(token_key):
                return
            params = {**params, token_key: page[token_key]}

    async def items(
        self, service: str, region: str, operation: str, key: str, **params: Any
    ) -> list[dict[str, Any]]:
        """All records under ``key`` across every page."""
        records: list[dict[str, Any]] = []
        async for page in self.pages(service, region, operation, **params):
            records.extend(page.get(key, []))
        return records

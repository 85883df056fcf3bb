"""A local endpoint in front of the simulated account that adds a fixed latency to every call.

It records each upstream answer on a first pass and replays it on the measured pass, so the
measured scan waits only on the configured latency, not on the simulator's own CPU. Every request
is logged with its start and end time, signed service and region, and operation.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import aiohttp
from aiohttp import web

from resiliency_analyser.demo.standin import credential_scope

HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection", "keep-alive"}
NOW_PARAMETERS = re.compile(r"(?:^|&)(?:StartTime|EndTime)=[^&]*")
"""A window ending now (CloudWatch ``GetMetricData``): each pass asks its own."""


def timeless(body: str) -> str:
    """A form body without the parameters that name the current time, so a later pass's request
    for the same data is replayed rather than missed."""
    return NOW_PARAMETERS.sub("", body)


@dataclass(frozen=True)
class Logged:
    start: float
    end: float
    service: str
    region: str
    operation: str
    key: tuple[str, ...]
    status: int


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def operation_of(request: web.Request, body: bytes) -> str:
    target = request.headers.get("X-Amz-Target")
    if target:
        return target.rpartition(".")[2]
    if request.content_type == "application/x-www-form-urlencoded":
        action = parse_qs(body.decode()).get("Action")
        if action:
            return action[0]
    return f"{request.method} {request.path}"


@dataclass
class ReplayProxy:
    """Serves one upstream per local port; ``latency`` seconds are added to every answer."""

    upstreams: dict[str, str]
    latency: float = 0.0
    log: list[Logged] = field(default_factory=list)
    cache: dict[tuple[str, ...], Answer] = field(default_factory=dict)
    misses: int = 0
    urls: dict[str, str] = field(default_factory=dict)
    _session: aiohttp.ClientSession | None = None

    def handler(
        self, upstream: str, loop: asyncio.AbstractEventLoop, session: aiohttp.ClientSession
    ) -> Any:
        async def handle(request: web.Request) -> web.Response:
            start = loop.time()
            body = await request.read()
            region, service = credential_scope(request.headers.get("Authorization", ""))
            key = (
                upstream,
                service,
                region,
                request.method,
                request.path_qs,
                # JSON protocols name the operation in this header, not in the body.
                request.headers.get("X-Amz-Target", ""),
                timeless(body.decode("latin-1")),
            )
            answer = self.cache.get(key)
            if answer is None:
                self.misses += 1
                headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
                async with session.request(
                    request.method, upstream + request.path_qs, headers=headers, data=body
                ) as response:
                    answer = Answer(
                        response.status,
                        {k: v for k, v in response.headers.items() if k.lower() not in HOP_HEADERS},
                        await response.read(),
                    )
                self.cache[key] = answer
            await asyncio.sleep(max(0.0, self.latency - (loop.time() - start)))
            self.log.append(
                Logged(
                    start,
                    loop.time(),
                    service,
                    region,
                    operation_of(request, body),
                    key,
                    answer.status,
                )
            )
            return web.Response(status=answer.status, headers=answer.headers, body=answer.body)

        return handle

    @contextmanager
    def running(self) -> Iterator[ReplayProxy]:
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        runners: list[web.AppRunner] = []

        async def start() -> None:
            self._session = session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
            for name, upstream in self.upstreams.items():
                app = web.Application(client_max_size=64 * 1024 * 1024)
                app.router.add_route("*", "/{tail:.*}", self.handler(upstream, loop, session))
                runner = web.AppRunner(app, access_log=None)
                await runner.setup()
                site = web.TCPSite(runner, "127.0.0.1", 0)
                await site.start()
                port = runner.addresses[0][1]
                self.urls[name] = f"http://127.0.0.1:{port}"
                runners.append(runner)
            ready.set()

        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        asyncio.run_coroutine_threadsafe(start(), loop).result()
        ready.wait()
        try:
            yield self
        finally:

            async def stop() -> None:
                for runner in runners:
                    await runner.cleanup()

            asyncio.run_coroutine_threadsafe(stop(), loop).result()
            if self._session is not None:
                asyncio.run_coroutine_threadsafe(self._session.close(), loop).result()
            loop.call_soon_threadsafe(loop.stop)
            thread.join()

"""One sink that hands every batch of findings to several, so the engine needs to know of one."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from resiliency_analyser.model.findings import Finding, FindingSink


class FanOutSink:
    def __init__(self, sinks: Sequence[FindingSink]) -> None:
        self._sinks = tuple(sinks)

    async def emit(self, findings: Sequence[Finding]) -> None:
        await asyncio.gather(*(sink.emit(findings) for sink in self._sinks))

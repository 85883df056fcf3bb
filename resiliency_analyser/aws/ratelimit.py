"""A token bucket: at most ``rate`` calls a second on average, ``burst`` at once, per limit."""

from __future__ import annotations

import asyncio
import time


class TokenBucket:
    """APIs that throttle per account and region (Security Hub) get one bucket per pair, so
    the run stays under the quota instead of leaning on throttling errors and retries."""

    def __init__(self, rate: float, burst: int) -> None:
        self._rate = rate
        self._burst = burst
        self._tokens = float(burst)
        self._last = time.monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now

    async def take(self) -> None:
        """Waits until a call may go out; callers are served in turn."""
        async with self._lock:
            self._refill()
            if self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self._rate)
                self._refill()
            self._tokens -= 1

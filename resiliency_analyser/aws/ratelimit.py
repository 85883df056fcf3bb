"""Token buckets: at most ``rate`` calls a second on average, ``burst`` at once, per limit."""

from __future__ import annotations

import asyncio
import time

MIN_RATE = 0.5
"""Calls a second a bucket never goes below, however often it is throttled."""
RECOVERY = 0.05
"""After a throttling answer, each answered call gives back this share of the starting rate."""
UNPUBLISHED_HEADROOM = 4
"""An unpublished budget may grow to this many times its conservative start."""
LEARNED_SHARE = 0.9
"""Of the rate an unpublished budget was refused at, the share it keeps to from then on."""
COOL_DOWN = 1.0
"""Seconds after a cut in which further throttling answers cut no more: calls in flight
together are refused together, and that is one sign the budget is spent, not several."""


class TokenBucket:
    """One limit shared by every caller that spends it: a caller waits for a token instead of
    sending a call AWS would refuse."""

    def __init__(self, rate: float, burst: float) -> None:
        self._rate = rate
        self._burst = burst
        self._tokens = float(burst)
        self._last = time.monotonic()
        self._lock = asyncio.Lock()

    @property
    def rate(self) -> float:
        return self._rate

    def _refill(self) -> None:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now

    async def take(self) -> None:
        """Waits until a call may go out; callers are served in turn."""
        async with self._lock:
            self._refill()
            while self._tokens < 1:
                # The bucket may be emptied (a throttling answer) while this caller sleeps.
                await asyncio.sleep((1 - self._tokens) / self._rate)
                self._refill()
            self._tokens -= 1


class AdaptiveBucket(TokenBucket):
    """A bucket that believes AWS's answers over its numbers.

    A throttling answer means the budget is smaller than thought (someone else in the account
    spends it too, or the number was a guess): the bucket empties and halves its rate (once per
    ``COOL_DOWN``), then each answered call wins back a little, up to the published rate. A budget AWS does not publish
    starts low, grows while calls are answered, and at each throttling answer learns its
    ceiling: just under the rate that was refused (so it settles under the real budget).
    """

    def __init__(self, rate: float, burst: float, *, published: bool) -> None:
        super().__init__(rate, burst)
        self._start = rate
        self._ceiling = rate if published else rate * UNPUBLISHED_HEADROOM
        self._published = published
        self._cut = -COOL_DOWN

    def answered(self) -> None:
        self._rate = min(self._ceiling, self._rate + self._start * RECOVERY)

    def throttled(self) -> None:
        self._refill()
        self._tokens = min(self._tokens, 0.0)
        if self._last - self._cut < COOL_DOWN:
            return
        self._cut = self._last
        if not self._published:
            # Refused again at or under the ceiling learned: the budget is lower still.
            self._ceiling = max(MIN_RATE, min(self._ceiling, self._rate * LEARNED_SHARE))
        self._rate = max(MIN_RATE, self._rate / 2)

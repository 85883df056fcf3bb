"""One run split over several machines: which slice of the run a shard scans, and how its files
say which shard of which run they hold (``merge`` puts the slices back together)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# The multiplier of the 64-bit linear congruential step in Lamping and Veach's jump consistent
# hash ("A Fast, Minimal Memory, Consistent Hash Algorithm", 2014).
_JUMP = 2862933555777941757
_MASK = (1 << 64) - 1


def slot(key: str, count: int) -> int:
    """Which of ``count`` slots (0-based) ``key`` falls in: stable across runs and machines (no
    per-process hash seed), and a jump consistent hash, so adding a key moves no other one and
    going from N to N+1 slots moves only a 1/(N+1) share of the keys."""
    state = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    bucket, jump = -1, 0
    while jump < count:
        bucket = jump
        state = (state * _JUMP + 1) & _MASK
        jump = int((bucket + 1) * ((1 << 31) / ((state >> 33) + 1)))
    return bucket


class ShardOf(StrEnum):
    """What a run's slices are made of."""

    ACCOUNTS = "accounts"
    """An organization run (``--organization``, ``--accounts``): the selected accounts."""
    REGIONS = "regions"
    """A single account's run: its regions (a global check goes with its API's region)."""


@dataclass(frozen=True)
class Shard:
    """The ``index``-th (from 1) of ``count`` slices of a run."""

    index: int
    count: int

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def name_part(self) -> str:
        """In the shard's file names, so every shard can write to one folder or S3 prefix."""
        return f"shard{self.index}of{self.count}"

    def owns(self, key: str) -> bool:
        return slot(key, self.count) == self.index - 1


def run_fingerprint(of: ShardOf, keys: Iterable[str], checks: Iterable[str]) -> str:
    """What every shard of one run shares: the whole selection before it is sliced (the accounts
    or regions) and the checks. Shards of another run, or of the same run with other options,
    differ; ``merge`` refuses to put those together."""
    text = "\n".join([of.value, *sorted(set(keys)), "", *sorted(set(checks))])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ShardMark:
    """What a shard's JSON document records about it (its ``shard`` object)."""

    shard: Shard
    of: ShardOf
    run: str
    """The run's fingerprint (``run_fingerprint``)."""

    def json_object(self) -> dict[str, Any]:
        return {
            "index": self.shard.index,
            "count": self.shard.count,
            "of": self.of.value,
            "run": self.run,
        }

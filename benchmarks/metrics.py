"""Figures from the proxy's request log: calls, duplicates, concurrency, critical path."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from benchmarks.replay_proxy import Logged

STARTUP_OPERATIONS = {
    "GetCallerIdentity",
    "DescribeOrganization",
    "DescribeAccount",
    "DescribeRegions",
}
SHARED_LOOKUPS = {"DescribeSubnets"}


def duplicates(log: Sequence[Logged]) -> Counter[str]:
    """Calls identical to an earlier one (same endpoint, region, operation and parameters)."""
    seen: set[tuple[str, ...]] = set()
    repeated: Counter[str] = Counter()
    for entry in sorted(log, key=lambda e: e.start):
        if entry.key in seen:
            repeated[f"{entry.service}:{entry.operation}"] += 1
        seen.add(entry.key)
    return repeated


def max_in_flight(log: Sequence[Logged]) -> int:
    events = sorted([(e.start, 1) for e in log] + [(e.end, -1) for e in log])
    current = peak = 0
    for _, step in events:
        current += step
        peak = max(peak, current)
    return peak


def longest_chain(entries: Sequence[Logged]) -> int:
    """The most calls in a row where each starts only after the previous one has ended."""
    ordered = sorted(entries, key=lambda e: e.start)
    chain: list[int] = []
    for i, entry in enumerate(ordered):
        before = [chain[j] for j in range(i) if ordered[j].end <= entry.start]
        chain.append(1 + max(before, default=0))
    return max(chain, default=0)


def critical_path_calls(log: Sequence[Logged]) -> tuple[int, int]:
    """(start-up chain, longest chain within one service and region, counting the shared subnet
    lookup of that region as part of each service's chain since checks wait on it)."""
    startup = [e for e in log if e.operation in STARTUP_OPERATIONS]
    groups: dict[tuple[str, str], list[Logged]] = defaultdict(list)
    shared: dict[str, list[Logged]] = defaultdict(list)
    for entry in log:
        if entry.operation in STARTUP_OPERATIONS:
            continue
        if entry.operation in SHARED_LOOKUPS:
            shared[entry.region].append(entry)
        else:
            groups[entry.service, entry.region].append(entry)
    per_pair = [longest_chain(entries + shared[region]) for (_, region), entries in groups.items()]
    return longest_chain(startup), max(per_pair, default=0)

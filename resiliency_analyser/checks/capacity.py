"""Capacity per AZ, and what is left of it when one AZ fails: the N-1 rules `balance` applies to
Auto Scaling groups, EKS node groups, ECS services and target groups.

Static stability (Well-Architected REL11-BP05) asks that the AZs left after one fails carry the
load without first having to launch anything. These rules read where the capacity runs and how
the group is sized, not load metrics: how much of it one AZ holds, how much the group keeps after
losing its largest AZ, and whether it can grow back. Every text names the AZs by AZ ID, the name
that means the same zone in every account.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from resiliency_analyser.checks.verdicts import Verdict

MANY_ZONES_SHARE = 0.50
TWO_ZONES_SHARE = 0.66
"""Trusted Advisor's "ELB Target Imbalance" alert criteria: one AZ holding more than 50 % of the
capacity, or more than 66 %; a group over two AZs holds more than half in one of them whenever it
is uneven at all, so the higher threshold applies there."""
NEAR_EVEN = 1
"""Trusted Advisor leaves out groups whose most and least populated AZs differ by 1 or less: the
best a small group can do (3 over 2 AZs is 2 and 1)."""


@dataclass(frozen=True)
class Spread:
    """A group's capacity per AZ, over every AZ it runs or can run in (those holding none count
    as 0): instances, nodes, tasks or healthy targets, or an Auto Scaling group's weighted
    capacity units."""

    counts: Mapping[str, int]
    unit: str
    """What is counted, singular: ``in-service instance``, ``running task``."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def zones(self) -> int:
        """N: the AZs it runs or can run in."""
        return len(self.counts)

    @property
    def occupied(self) -> tuple[str, ...]:
        return tuple(sorted(z for z, n in self.counts.items() if n > 0))

    @property
    def where(self) -> tuple[str, ...]:
        """The AZs a finding names: where its capacity runs, else where it can run."""
        return self.occupied or tuple(sorted(self.counts))

    @property
    def largest(self) -> str:
        """The AZ holding the most (the first by name of a tie); '' when it holds nothing."""
        return max(sorted(self.counts), key=lambda z: self.counts[z]) if self.total else ""

    @property
    def left(self) -> int:
        """What the group keeps after losing its largest AZ."""
        return self.total - self.counts.get(self.largest, 0)

    @property
    def share(self) -> float:
        return self.counts.get(self.largest, 0) / self.total if self.total else 0.0

    @property
    def gap(self) -> int:
        """The most populated AZ's count less the least populated's."""
        return max(self.counts.values()) - min(self.counts.values()) if self.counts else 0


def spread_of(zones: Iterable[str], placed: Iterable[tuple[str, int]], unit: str) -> Spread:
    """``placed``: (AZ, capacity) for each instance, node, task or target; ``zones``: the AZs it
    can run in, where it may hold none."""
    counts: Counter[str] = Counter({zone: 0 for zone in zones if zone})
    for zone, amount in placed:
        if zone:
            counts[zone] += amount
    return Spread(dict(counts), unit)


def pooled(spreads: Iterable[Spread], unit: str) -> Spread:
    """Several groups' capacity as one group's: a peer group's members together."""
    counts: Counter[str] = Counter()
    for spread in spreads:
        counts.update({zone: 0 for zone in spread.counts})
        counts.update(spread.counts)
    return Spread(dict(counts), unit)


def label(zone: str, zone_ids: Mapping[str, str]) -> str:
    """The AZ's ID (``use1-az4``), or its name where the region's zones do not list it."""
    return zone_ids.get(zone, zone)


def counts_text(spread: Spread, zone_ids: Mapping[str, str]) -> str:
    """E.g. ``in-service instances per AZ: use1-az1 4, use1-az2 1, use1-az4 0``."""
    by_id = sorted((label(z, zone_ids), n) for z, n in spread.counts.items())
    listed = ", ".join(f"{zone} {count}" for zone, count in by_id) or "none"
    return f"{spread.unit}s per AZ: {listed}"


def percent(share: float, above: float | None = None) -> str:
    """``share`` in whole percent; with one decimal where rounding would make a share above the
    threshold ``above`` read as equal to it (50.4 % is more than 50 %)."""
    rounded = round(share * 100)
    if above is not None and share > above and rounded <= above * 100:
        return f"{share * 100:.1f}"
    return str(rounded)


def threshold(zones: int) -> float:
    return TWO_ZONES_SHARE if zones == 2 else MANY_ZONES_SHARE


def imbalance(spread: Spread, check_id: str, zone_ids: Mapping[str, str]) -> Verdict:
    """One AZ holds more than Trusted Advisor's threshold of the capacity of a group whose AZs
    differ by more than one. Only for a group running in two or more AZs: one in a single AZ is
    the single-AZ checks' risk."""
    largest = label(spread.largest, zone_ids)
    limit = threshold(spread.zones)
    held = (
        f"{largest} holds {percent(spread.share, limit)} % "
        f"({spread.counts.get(spread.largest, 0)} of {spread.total})"
    )
    allowed = f"{percent(limit)} % over {'2' if spread.zones == 2 else '3 or more'} AZs"
    if spread.share <= limit:
        return Verdict(check_id, False, f"balanced: {held}, not more than {allowed}")
    if spread.gap <= NEAR_EVEN:
        return Verdict(
            check_id,
            False,
            f"{held}, but its AZs differ by {spread.gap} at most: as even as "
            f"{spread.total} can be over {spread.zones} AZs",
        )
    return Verdict(
        check_id,
        True,
        f"imbalanced: {held}, more than {allowed}; losing it takes that share of the capacity",
    )


@dataclass(frozen=True)
class Size:
    """A bound of a group's size, and how a message names it: the least it must keep after
    losing an AZ (an Auto Scaling group's minimum size, half an ECS service's desired count),
    or the most it can grow to (its maximum size)."""

    value: float
    text: str
    """E.g. ``its minimum size 4``."""


def headroom(
    spread: Spread,
    desired: int,
    floor: Size,
    maximum: Size | None,
    check_id: str,
    zone_ids: Mapping[str, str],
) -> Verdict | None:
    """After losing its largest AZ the group keeps less than ``floor``; or its ``maximum`` size
    cannot hold desired x N/(N-1), the size at which the other N-1 AZs carry today's desired
    capacity on their own (static stability), so it cannot scale to it when they must. None
    when neither applies: capacity in one AZ, and no maximum or nothing desired."""
    problems: list[str] = []
    fine: list[str] = []
    if len(spread.occupied) >= 2:
        after = (
            f"after losing {label(spread.largest, zone_ids)}, {spread.left} {spread.unit}(s) left"
        )
        if spread.left < floor.value:
            problems.append(f"{after}, below {floor.text}")
        else:
            fine.append(f"{after}, at least {floor.text}")
    n = spread.zones
    if maximum is not None and n >= 2 and desired > 0:
        needed = math.ceil(desired * n / (n - 1))
        sized = f"desired {desired} x {n}/{n - 1}"
        if maximum.value < needed:
            problems.append(
                f"{maximum.text} cannot reach {needed} ({sized}), the size at which its other "
                f"{n - 1} AZ(s) carry today's load on their own"
            )
        else:
            fine.append(f"{maximum.text} holds {needed} ({sized})")
    if problems:
        return Verdict(check_id, True, "no headroom: " + "; ".join(problems))
    return Verdict(check_id, False, "headroom: " + "; ".join(fine)) if fine else None


def free_addresses(
    consumers: Mapping[str, int],
    free: Mapping[str, int],
    unit: str,
    check_id: str,
    zone_ids: Mapping[str, str],
) -> Verdict | None:
    """The subnets of the AZs left after one fails lack the free addresses to relaunch what ran
    in it (one address each, at least). ``consumers``: AZ -> what takes an address there;
    ``free``: AZ -> free addresses of the group's subnets there. The AZ whose loss leaves the
    largest shortfall is named; None when nothing runs."""
    worst: tuple[int, str, int, int] | None = None
    for zone, count in sorted(consumers.items()):
        if count <= 0:
            continue
        others = sum(n for z, n in free.items() if z != zone)
        if worst is None or count - others > worst[0]:
            worst = (count - others, zone, count, others)
    if worst is None:
        return None
    shortfall, zone, count, others = worst
    text = (
        f"its subnets outside {label(zone, zone_ids)} have {others} free address(es) for the "
        f"{count} {unit}(s) to relaunch when it fails"
    )
    return Verdict(
        check_id, shortfall > 0, text + (f": {shortfall} short" if shortfall > 0 else "")
    )


def empty_zones(spread: Spread, check_id: str, zone_ids: Mapping[str, str]) -> Verdict:
    """An AZ the group is enabled in holds none of its capacity while others hold some."""
    empty = sorted(label(z, zone_ids) for z, n in spread.counts.items() if n == 0)
    if not empty:
        return Verdict(check_id, False, f"every enabled AZ has a {spread.unit}")
    return Verdict(
        check_id,
        True,
        f"no {spread.unit} in {', '.join(empty)}: it runs in {len(spread.occupied)} of its "
        f"{spread.zones} AZs, and losing {label(spread.largest, zone_ids)} takes "
        f"{percent(spread.share)} % of it",
    )

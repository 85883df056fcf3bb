"""The CI gate's policy: accepted risks, a baseline to compare with, and what fails the run."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol

from resiliency_analyser.gate.baseline import Baseline, Comparison, compare
from resiliency_analyser.gate.records import FindingRecord, Identified, order_key
from resiliency_analyser.gate.suppressions import Suppression, SuppressionSet
from resiliency_analyser.model.report import PairResult


class FailOn(StrEnum):
    RISK = "risk"
    """Any unsuppressed risk."""
    NEW = "new"
    """An unsuppressed risk that was not an unsuppressed risk in the baseline."""


@dataclass(frozen=True)
class Verdict:
    fail_on: FailOn
    failing: tuple[FindingRecord, ...]

    @property
    def failed(self) -> bool:
        return bool(self.failing)

    def sentence(self) -> str:
        kind = "new unaccepted" if self.fail_on is FailOn.NEW else "unaccepted"
        return gate_sentence(self.fail_on, kind, len(self.failing))


def gate_sentence(fail_on: str, kind: str, failing: int) -> str:
    """``Gate passed (--fail-on risk): no unaccepted risks``, or how many failed it."""
    if not failing:
        return f"Gate passed (--fail-on {fail_on}): no {kind} risks"
    return f"Gate failed (--fail-on {fail_on}): {failing} {kind} risk{'s' if failing != 1 else ''}"


@dataclass(frozen=True)
class Review:
    """What the run's findings mean for the pipeline."""

    records: tuple[FindingRecord, ...]
    """Every finding written, sorted by service, region, resource."""
    expired: tuple[Suppression, ...] = ()
    unused: tuple[Suppression, ...] = ()
    """Active entries that matched no risk this run."""
    comparison: Comparison | None = None
    verdict: Verdict | None = None

    @property
    def open_risks(self) -> tuple[FindingRecord, ...]:
        return tuple(r for r in self.records if r.open_risk)

    @property
    def suppressed(self) -> tuple[FindingRecord, ...]:
        return tuple(r for r in self.records if r.matched)

    def only(self, account_id: str) -> Review:
        """One account's part of the review (its own files in an organization run); the entries
        expired or unused stay the whole file's."""

        def own(records: tuple[FindingRecord, ...]) -> tuple[FindingRecord, ...]:
            return tuple(r for r in records if r.finding.account_id == account_id)

        found, verdict = self.comparison, self.verdict
        return replace(
            self,
            records=own(self.records),
            comparison=None
            if found is None
            else Comparison(
                new=own(found.new),
                unchanged=own(found.unchanged),
                resolved=tuple(e for e in found.resolved if e.account_id == account_id),
            ),
            verdict=None if verdict is None else replace(verdict, failing=own(verdict.failing)),
        )

    def lapsed(self, record: FindingRecord) -> Suppression | None:
        """The expired entry that would still accept this risk, if any: why it now counts."""
        if not record.open_risk:
            return None
        return next((s for s in self.expired if s.matches(record.finding)), None)


@dataclass(frozen=True)
class GatePolicy:
    suppressions: SuppressionSet = field(default_factory=SuppressionSet)
    baseline: Baseline | None = None
    fail_on: FailOn | None = None

    def with_units(self, under: Mapping[str, frozenset[str]]) -> GatePolicy:
        """The policy once the organization's OUs the suppressions name are read."""
        return replace(self, suppressions=self.suppressions.resolved(under))

    def review(
        self,
        records: Sequence[FindingRecord],
        results: Sequence[PairResult],
        used: Collection[Suppression] = (),
    ) -> Review:
        """``used``: entries that matched findings not among ``records`` (not held)."""
        ordered = tuple(sorted(records, key=lambda r: order_key(r.finding)))
        used = {*used, *(s for r in ordered for s in r.matched)}
        comparison = compare(self.baseline, ordered, results) if self.baseline else None
        verdict = None
        if self.fail_on is FailOn.RISK:
            verdict = Verdict(self.fail_on, tuple(r for r in ordered if r.open_risk))
        elif self.fail_on is FailOn.NEW and comparison is not None:
            verdict = Verdict(self.fail_on, comparison.new)
        return Review(
            records=ordered,
            expired=self.suppressions.expired,
            unused=tuple(s for s in self.suppressions.active if s not in used),
            comparison=comparison,
            verdict=verdict,
        )


def review_lines(review: Review) -> list[str]:
    """For stderr at the end of the run."""
    lines = [f"expired suppression: {s.describe()}" for s in review.expired]
    lines += [f"unused suppression: {s.describe()}" for s in review.unused]
    found = review.comparison
    if found is not None:
        lines.append(
            f"since the baseline: {len(found.new)} new, {len(found.resolved)} resolved, "
            f"{len(found.unchanged)} unchanged unaccepted risks"
        )
    if review.verdict is not None:
        lines.append(review.verdict.sentence())
        lines += failing_lines([r.finding for r in review.verdict.failing])
    return lines


GATE_LINES = 20
"""Failing risks named on stderr; the JSON and Markdown outputs list every one."""


class Stated(Identified, Protocol):
    """A risk as the gate names it: where, and why."""

    @property
    def message(self) -> str: ...


def failing_lines(failing: Sequence[Stated], limit: int = GATE_LINES) -> list[str]:
    """The risks that failed the gate, one line each: what to fix or accept."""
    lines = []
    for found in failing[:limit]:
        name = found.resource_name or found.resource_id or found.resource_arn
        lines.append(f"  {found.check_id} {found.region} {name}: {found.message}")
    if len(failing) > limit:
        lines.append(f"  and {len(failing) - limit} more")
    return lines

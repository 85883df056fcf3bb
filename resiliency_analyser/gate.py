"""The CI gate: apply accepted risks, compare with a baseline, and decide whether the run fails."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from resiliency_analyser.baseline import Baseline, Comparison, compare, load_baseline
from resiliency_analyser.errors import UsageError
from resiliency_analyser.interrupt import EXIT_INTERRUPTED
from resiliency_analyser.models import PairResult
from resiliency_analyser.records import FindingRecord, order_key
from resiliency_analyser.suppressions import Suppression, SuppressionSet, load_suppressions

if TYPE_CHECKING:
    from resiliency_analyser.scan import ScanResult

EXIT_SCAN_FAILED = 1
EXIT_GATE_FAILED = 3


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
        if not self.failing:
            return f"Gate passed (--fail-on {self.fail_on}): no {kind} risks"
        return (
            f"Gate failed (--fail-on {self.fail_on}): {len(self.failing)} {kind} "
            f"risk{'s' if len(self.failing) != 1 else ''}"
        )


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

    def review(
        self,
        records: Sequence[FindingRecord],
        results: Sequence[PairResult],
        account_id: str,
        used: Collection[Suppression] = (),
    ) -> Review:
        """``used``: entries that matched findings not among ``records`` (not held)."""
        ordered = tuple(sorted(records, key=lambda r: order_key(r.finding)))
        used = {*used, *(s for r in ordered for s in r.matched)}
        comparison = compare(self.baseline, ordered, results, account_id) if self.baseline else None
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


def gate_policy(
    *, suppressions: Path | None, baseline: Path | None, fail_on: str | None, today: date
) -> GatePolicy:
    """From the CLI's values; every file is read and checked before anything is scanned."""
    choice = None
    if fail_on is not None:
        try:
            choice = FailOn(fail_on.strip().lower())
        except ValueError:
            choices = ", ".join(f.value for f in FailOn)
            raise UsageError(
                f"--fail-on: unknown value {fail_on!r}; choose from {choices}"
            ) from None
    if choice is FailOn.NEW and baseline is None:
        raise UsageError("--fail-on new needs --baseline PREVIOUS.jsonl (a previous run's jsonl)")
    return GatePolicy(
        suppressions=load_suppressions(suppressions, today) if suppressions else SuppressionSet(),
        baseline=load_baseline(baseline) if baseline else None,
        fail_on=choice,
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
    return lines


def exit_code(result: ScanResult) -> int:
    """An interrupted run says so first; then scan and delivery failures, as a gate that passed on
    a partial scan proves nothing."""
    if result.interrupted:
        return EXIT_INTERRUPTED
    if result.failed or result.delivery.failed:
        return EXIT_SCAN_FAILED
    verdict = result.review.verdict
    return EXIT_GATE_FAILED if verdict is not None and verdict.failed else 0

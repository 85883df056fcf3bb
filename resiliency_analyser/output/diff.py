"""What changed between two runs, from their documents as the run reader gives them.

A finding is the same across runs when its account, region, check id and resource (ARN, else id,
else name: ``risk_key``) are; its message, severity and AZs may change. Every risk of either run
lands in one group: new, resolved, still open, changed, or not rechecked (a risk of the old run
in a pair the new run could not scan: it is not resolved). Pairs one run covered and the other
did not are the coverage changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from resiliency_analyser.checks.registry import BY_KEY, records_event
from resiliency_analyser.gate.policy import gate_sentence as sentence
from resiliency_analyser.gate.records import RiskKey, risk_key
from resiliency_analyser.model.guidance import SEVERITY_RANK
from resiliency_analyser.model.report import Outcome
from resiliency_analyser.output.impact import ImpactEntry, grouping

PairKey = tuple[str, str, str]
"""(account, check, region): what a run-report row is about."""

SCANNED = frozenset({Outcome.SUCCESS.value, Outcome.NOT_AVAILABLE.value})
"""A pair ended so: every resource it has was assessed (a service with no endpoint has none)."""
INCOMPLETE = frozenset(o.value for o in Outcome if o.is_failure or o is Outcome.CANCELLED)
"""A pair ended so may hide risks; another outcome's name (from a newer run) is not counted."""


def _accounts(document: Mapping[str, Any]) -> set[str]:
    account = (document.get("account") or {}).get("account_id")
    return {f["account_id"] for f in document.get("findings", [])} | (
        {account} if account else set()
    )


def _outcomes(documents: Iterable[Mapping[str, Any]]) -> dict[PairKey, str]:
    """Every check's (account, check, region) row; rows about deliveries, accounts or the whole
    run are not pairs."""
    found: dict[PairKey, str] = {}
    for document in documents:
        account = (document.get("account") or {}).get("account_id", "")
        for row in document.get("run_report") or []:
            if row["service"] in BY_KEY:
                found[row.get("account_id") or account, row["service"], row["region"]] = row[
                    "result"
                ]
    return found


def _lists_non_risks(documents: Sequence[Mapping[str, Any]]) -> bool | None:
    """Whether the run wrote the findings that are not risks too: then a resource it covered and
    does not list is gone. A run that says nothing tells by listing one; one that goes down with
    a risk (a root cause) or records an event (an autoshift) does not tell, as
    --report-only-risks writes those too."""
    told = [d.get("report_only_risks") for d in documents]
    if any(t is True for t in told):
        return False
    shown = [
        t is False
        or any(
            not f["potential_single_az_risk"]
            and not f.get("root_cause")
            and not records_event(f["check_id"])
            for f in d.get("findings", [])
        )
        for t, d in zip(told, documents, strict=True)
    ]
    return True if shown and all(shown) else None


@dataclass(frozen=True)
class RunSide:
    """One run (of one or more files) as the comparison sees it."""

    label: str
    """How the user named it: a path."""
    entries: Mapping[RiskKey, ImpactEntry]
    """Every finding once (shards may overlap)."""
    outcomes: Mapping[PairKey, str]
    unreported: frozenset[str]
    """Accounts with findings in a file that came without a run report: their coverage is
    unknown."""
    lists_non_risks: bool | None
    """``None``: the files do not say, and hold no finding that is not a risk."""
    started: str = ""
    """The earliest start among its files; '' when none says."""

    @classmethod
    def of(cls, label: str, documents: Sequence[Mapping[str, Any]]) -> RunSide:
        found = (ImpactEntry.model_validate(f) for d in documents for f in d.get("findings", []))
        starts = sorted(str(d["started"]) for d in documents if d.get("started"))
        return cls(
            label=label,
            entries={risk_key(e): e for e in found},
            outcomes=_outcomes(documents),
            unreported=frozenset(
                a for d in documents if d.get("run_report") is None for a in _accounts(d)
            ),
            lists_non_risks=_lists_non_risks(documents),
            started=starts[0] if starts else "",
        )

    def scanned(self, pair: PairKey) -> bool | None:
        """Whether every resource of the pair was assessed; ``None`` when no report says."""
        if pair in self.outcomes:
            return self.outcomes[pair] in SCANNED
        return None if pair[0] in self.unreported else False

    @property
    def risks(self) -> dict[RiskKey, ImpactEntry]:
        return {k: e for k, e in self.entries.items() if e.potential_single_az_risk}

    @property
    def open_risks(self) -> int:
        return sum(1 for e in self.risks.values() if not e.suppressed)

    @property
    def accounts(self) -> list[str]:
        return sorted({e.account_id for e in self.entries.values()} | {p[0] for p in self.outcomes})

    @property
    def incomplete(self) -> list[PairKey]:
        """Pairs whose outcome says they may hide risks."""
        return sorted(p for p, result in self.outcomes.items() if result in INCOMPLETE)


def pair_of(entry: ImpactEntry) -> PairKey:
    return (entry.account_id, entry.service, entry.region)


class Resolution(StrEnum):
    FIXED = "fixed"
    """The new run lists the resource, no longer a risk."""
    GONE = "gone"
    """The new run scanned its pair, lists every finding, and not this resource."""
    FIXED_OR_GONE = "fixed_or_gone"
    """Absent from a run that lists only risks (--report-only-risks): either."""


@dataclass(frozen=True)
class Resolved:
    entry: ImpactEntry
    """As the old run had it."""
    how: Resolution


def zones(entry: ImpactEntry) -> str:
    where = ", ".join(entry.availability_zones) or "none"
    return f"{where} (fails with {entry.location})" if entry.location else where


# What may change of the same risk, each as text to show before and after.
CHANGES: dict[str, Callable[[ImpactEntry], str]] = {
    "severity": lambda e: e.severity.value,
    "message": lambda e: e.message,
    "availability_zones": zones,
    "accepted": lambda e: "accepted" if e.suppressed else "not accepted",
}


@dataclass(frozen=True)
class Changed:
    """A risk in both runs, different in what ``fields`` name."""

    old: ImpactEntry
    new: ImpactEntry
    fields: tuple[str, ...]

    def values(self, name: str) -> tuple[str, str]:
        return CHANGES[name](self.old), CHANGES[name](self.new)

    @property
    def lapsed(self) -> bool:
        """Accepted before, not now: an unaccepted risk the old run did not have open."""
        return self.old.suppressed and not self.new.suppressed


@dataclass(frozen=True)
class Unverified:
    """A risk of the old run that the new run could not look at again: not resolved."""

    entry: ImpactEntry
    result: str | None
    """The new run's outcome for the pair; ``None``: it did not scan it."""


@dataclass(frozen=True)
class CoverageChange:
    """A pair scanned in one run and failed, or not scanned, in the other."""

    account_id: str
    service: str
    region: str
    old: str | None
    """The old run's outcome; ``None``: not scanned."""
    new: str | None
    first_seen: int = 0
    """New risks found in it that the old run could not see."""
    unverified: int = 0
    """Old risks in it the new run could not look at again."""


class FailOn(StrEnum):
    NEW_RISK = "new-risk"
    """An unaccepted risk the old run did not have unaccepted (new, or its acceptance lapsed)."""
    RISK = "risk"
    """Any unaccepted risk in the new run."""


@dataclass(frozen=True)
class RunDiff:
    old: RunSide
    new: RunSide
    new_risks: tuple[ImpactEntry, ...]
    """By severity, then account, check and resource."""
    resolved: tuple[Resolved, ...]
    still_open: tuple[ImpactEntry, ...]
    """Risks in both runs, unchanged (as the new run has them)."""
    changed: tuple[Changed, ...]
    unverified: tuple[Unverified, ...]
    coverage: tuple[CoverageChange, ...]
    notes: tuple[str, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new_risks),
            "resolved": len(self.resolved),
            "still_open": len(self.still_open),
            "changed": len(self.changed),
            "not_rechecked": len(self.unverified),
            "coverage_changes": len(self.coverage),
        }

    def failing(self, fail_on: FailOn) -> tuple[ImpactEntry, ...]:
        """The risks that fail the gate, as the new run has them."""
        if fail_on is FailOn.RISK:
            return tuple(
                sorted((e for e in self.new.risks.values() if not e.suppressed), key=severity_order)
            )
        lapsed = (c.new for c in self.changed if c.lapsed)
        found = [*(e for e in self.new_risks if not e.suppressed), *lapsed]
        return tuple(sorted(found, key=severity_order))


def severity_order(entry: ImpactEntry) -> tuple[Any, ...]:
    return (SEVERITY_RANK[entry.severity], *grouping(entry))


def gate_sentence(fail_on: FailOn, failing: Sequence[ImpactEntry]) -> str:
    kind = "new unaccepted" if fail_on is FailOn.NEW_RISK else "unaccepted"
    return sentence(fail_on, kind, len(failing))


def _resolution(new: RunSide, key: RiskKey) -> Resolution:
    if key in new.entries:
        return Resolution.FIXED
    return Resolution.GONE if new.lists_non_risks else Resolution.FIXED_OR_GONE


def _coverage(
    old: RunSide, new: RunSide, first_seen: Mapping[PairKey, int], unverified: Mapping[PairKey, int]
) -> list[CoverageChange]:
    """Pairs exactly one run scanned (a pair neither run could scan is no change; one without an
    endpoint in a region has nothing to cover)."""
    changes = []
    for pair in sorted({*old.outcomes, *new.outcomes}):
        if pair[0] in old.unreported or pair[0] in new.unreported:
            continue
        before, now = old.outcomes.get(pair), new.outcomes.get(pair)
        results = {before, now}
        if Outcome.SUCCESS.value in results and not results <= SCANNED:
            account, service, region = pair
            changes.append(
                CoverageChange(
                    account, service, region, before, now, first_seen[pair], unverified[pair]
                )
            )
    return changes


def _notes(old: RunSide, new: RunSide, resolved: Sequence[Resolved]) -> list[str]:
    notes = []
    for side, name in ((old, "OLD"), (new, "NEW")):
        if side.unreported:
            notes.append(
                f"{name} ({side.label}) came without a run report for account(s) "
                f"{', '.join(sorted(side.unreported))}: which checks and regions it covered is "
                "unknown, so coverage changes are not shown for them"
                + (" and a resolved risk may be in a pair that failed" if side is new else "")
                + " (give the run's .json, or keep its run report CSV next to the .jsonl)."
            )
    if any(r.how is Resolution.FIXED_OR_GONE for r in resolved):
        reason = (
            "was written with --report-only-risks"
            if new.lists_non_risks is False
            else "lists no finding that is not a risk and does not say whether it was written "
            "with --report-only-risks"
        )
        notes.append(
            f"NEW {reason}: a resolved risk whose resource it does not list may be fixed or "
            "deleted (fixed_or_gone)."
        )
    return notes


def compare_runs(old: RunSide, new: RunSide) -> RunDiff:
    before, now = old.risks, new.risks
    new_risks = sorted((e for k, e in now.items() if k not in before), key=severity_order)
    changed, still_open = [], []
    for key in sorted(now.keys() & before.keys(), key=lambda k: grouping(now[k])):
        fields = tuple(n for n, value in CHANGES.items() if value(before[key]) != value(now[key]))
        if fields:
            changed.append(Changed(before[key], now[key], fields))
        else:
            still_open.append(now[key])
    resolved, unverified = [], []
    for key in sorted(before.keys() - now.keys(), key=lambda k: grouping(before[k])):
        entry = before[key]
        # A resource the new run lists is known, whatever became of the rest of its pair.
        if key in new.entries or new.scanned(pair_of(entry)) is not False:
            resolved.append(Resolved(entry, _resolution(new, key)))
        else:
            unverified.append(Unverified(entry, new.outcomes.get(pair_of(entry))))
    first_seen: dict[PairKey, int] = defaultdict(int)
    for entry in new_risks:
        if old.scanned(pair_of(entry)) is False:
            first_seen[pair_of(entry)] += 1
    hidden: dict[PairKey, int] = defaultdict(int)
    for item in unverified:
        hidden[pair_of(item.entry)] += 1
    return RunDiff(
        old=old,
        new=new,
        new_risks=tuple(new_risks),
        resolved=tuple(resolved),
        still_open=tuple(still_open),
        changed=tuple(changed),
        unverified=tuple(unverified),
        coverage=tuple(_coverage(old, new, first_seen, hidden)),
        notes=tuple(_notes(old, new, resolved)),
    )

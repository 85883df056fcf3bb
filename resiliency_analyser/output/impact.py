"""What the failure of each AZ ID takes down, from findings as the JSON outputs hold them.

A risk located in one AZ (a single-AZ resource there, or a multi-AZ resource whose last path runs
through it) fails with that AZ. AZ IDs, not names, group the findings: one account's
``us-east-1a`` is another's ``us-east-1c``, so only IDs put several accounts' resources under the
same physical zone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from pydantic import BaseModel, ConfigDict

from resiliency_analyser.aws.names import zone_region
from resiliency_analyser.checks.registry import records_event
from resiliency_analyser.gate.records import FindingRecord, RiskKey, order_key, risk_key
from resiliency_analyser.model.findings import RootCause
from resiliency_analyser.model.guidance import Severity
from resiliency_analyser.output.jsonl import finding_object

SEVERITIES = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)


def zone_pairs(names: Sequence[str], ids: Sequence[str]) -> list[tuple[str, str]]:
    """(AZ name, AZ ID) for each zone; the ID is '' where unknown (or a run from before IDs)."""
    return list(zip_longest(names, ids[: len(names)], fillvalue=""))


class ImpactEntry(BaseModel):
    """The fields of a JSON Lines finding the impact view needs; the others are not read."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    service: str
    region: str
    account_id: str
    account_name: str = ""
    check_id: str
    resource_arn: str = ""
    resource_name: str = ""
    resource_id: str = ""
    potential_single_az_risk: bool
    message: str = ""
    severity: Severity = Severity.NONE
    remediation: str = ""
    availability_zones: tuple[str, ...] = ()
    availability_zone_ids: tuple[str, ...] = ()
    location: str = ""
    location_id: str = ""
    suppressed: bool = False
    root_cause: RootCause | None = None

    @property
    def resource(self) -> str:
        return self.resource_name or self.resource_id or self.resource_arn

    @property
    def root_key(self) -> RiskKey | None:
        """The risk key of the root's finding, for a resource that goes down with one."""
        root = self.root_cause
        if root is None:
            return None
        return (root.check_id, self.account_id, self.region, root.resource_arn)


@dataclass(frozen=True)
class ZoneImpact:
    """One AZ ID and the risks its failure would realise."""

    zone_id: str
    region: str
    names: Mapping[str, str]
    """Account id -> that account's name for this zone."""
    open: tuple[ImpactEntry, ...]
    """Unaccepted risks, by account, check and resource."""
    accepted: tuple[ImpactEntry, ...]
    """Risks a suppression accepts: shown apart."""
    autoshifts: tuple[ImpactEntry, ...] = ()
    """The autoshifts AWS started away from this zone (findings that are never risks), by
    account, region and start: what its failures have already done."""

    def counts(self) -> dict[str, int]:
        """Unaccepted risks per severity, the accepted ones, and AWS's autoshifts away from it."""
        by_severity = Counter(e.severity for e in self.open)
        return {
            **{s.value: by_severity[s] for s in SEVERITIES},
            "accepted": len(self.accepted),
            "autoshifts": len(self.autoshifts),
        }


@dataclass(frozen=True)
class Impact:
    zones: tuple[ZoneImpact, ...]
    """Every AZ ID some risk, or an autoshift AWS started, is located in, sorted."""
    unplaced: tuple[ImpactEntry, ...]
    """Risks no single AZ ID takes down: spread over AZs yet judged at risk, no AZ at all (a
    region-wide finding), or an AZ whose ID the run could not read."""
    findings: int
    accounts: tuple[str, ...]
    dependents: Mapping[RiskKey, tuple[ImpactEntry, ...]] = field(default_factory=dict)
    """Root's risk key -> the resources that go down with it (findings with that root cause)."""

    def only(self, zone_id: str) -> Impact:
        """The view of one AZ ID (none of it when no risk or autoshift is located there)."""
        zones = tuple(z for z in self.zones if z.zone_id == zone_id)
        return Impact(zones, (), self.findings, self.accounts, self.dependents)

    def goes_down_with(self, root: ImpactEntry) -> tuple[ImpactEntry, ...]:
        """The resources that go down with the risk ``root`` reports."""
        return self.dependents.get(risk_key(root), ())

    def shown_dependents(self) -> int:
        """How many resources go down with the risks this view shows."""
        shown = [*(e for z in self.zones for e in (*z.open, *z.accepted)), *self.unplaced]
        return sum(len(self.goes_down_with(e)) for e in shown)


def entries(objects: Iterable[Mapping[str, Any]]) -> list[ImpactEntry]:
    return [ImpactEntry.model_validate(o) for o in objects]


def impact_of_records(records: Iterable[FindingRecord]) -> Impact:
    """The impact view of a run in progress, read as its JSON output would be."""
    return impact_of(entries(finding_object(r) for r in records))


def impact_of(found: Sequence[ImpactEntry]) -> Impact:
    """Groups the risks, and the autoshifts AWS started, by the AZ ID they are located in; a
    finding in several files counts once."""
    unique = list({risk_key(e): e for e in found}.values())
    risks = [e for e in unique if e.potential_single_az_risk]
    located: dict[str, list[ImpactEntry]] = defaultdict(list)
    unplaced = []
    for entry in risks:
        if entry.location_id:
            located[entry.location_id].append(entry)
        else:
            unplaced.append(entry)
    shifted: dict[str, list[ImpactEntry]] = defaultdict(list)
    for entry in unique:
        if entry.location_id and records_event(entry.check_id):
            shifted[entry.location_id].append(entry)
    zones = tuple(
        zone_impact(zone_id, located[zone_id], shifted[zone_id])
        for zone_id in sorted(located.keys() | shifted.keys())
    )
    dependents: dict[RiskKey, list[ImpactEntry]] = defaultdict(list)
    for entry in unique:
        if (root := entry.root_key) is not None and not entry.potential_single_az_risk:
            dependents[root].append(entry)
    return Impact(
        zones=zones,
        unplaced=tuple(sorted(unplaced, key=grouping)),
        findings=len(unique),
        accounts=tuple(sorted({e.account_id for e in unique})),
        dependents={root: tuple(sorted(found, key=grouping)) for root, found in dependents.items()},
    )


def grouping(entry: ImpactEntry) -> tuple[str, ...]:
    """By account, then check, then resource."""
    return (entry.account_id, entry.check_id, *order_key(entry))


def zone_impact(
    zone_id: str, found: Sequence[ImpactEntry], autoshifts: Sequence[ImpactEntry] = ()
) -> ZoneImpact:
    ordered = sorted(found, key=grouping)
    shifts = sorted(autoshifts, key=grouping)
    first = (ordered or shifts)[0]
    return ZoneImpact(
        zone_id=zone_id,
        # A global check's finding is in its API's region; the zone's own name says where it is.
        region=zone_region(first.location) or first.region,
        names={e.account_id: e.location for e in (*shifts, *ordered)},
        open=tuple(e for e in ordered if not e.suppressed),
        accepted=tuple(e for e in ordered if e.suppressed),
        autoshifts=tuple(shifts),
    )

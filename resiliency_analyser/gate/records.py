"""A finding as the run's outputs see it: with its guidance and the suppressions accepting it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from resiliency_analyser.checks.registry import guidance_for
from resiliency_analyser.gate.suppressions import Suppression
from resiliency_analyser.model.findings import Finding
from resiliency_analyser.model.guidance import Guidance

RiskKey = tuple[str, str, str, str]
"""(check_id, account_id, region, resource): the same risk across runs."""


class Identified(Protocol):
    """What names a finding, whether from this run or read back from a baseline."""

    @property
    def service(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def account_id(self) -> str: ...
    @property
    def check_id(self) -> str: ...
    @property
    def resource_arn(self) -> str: ...
    @property
    def resource_name(self) -> str: ...
    @property
    def resource_id(self) -> str: ...


def order_key(item: Identified) -> tuple[str, ...]:
    """Outputs are sorted by account, service, region, then resource, so runs diff cleanly (and an
    organization's findings come account by account)."""
    return (
        item.account_id,
        item.service,
        item.region,
        item.resource_arn,
        item.resource_name,
        item.resource_id,
        item.check_id,
    )


def risk_key(item: Identified) -> RiskKey:
    """The ARN names a resource best; some services have only an id or a name."""
    resource = item.resource_arn or item.resource_id or item.resource_name
    return (item.check_id, item.account_id, item.region, resource)


@dataclass(frozen=True)
class FindingRecord:
    finding: Finding
    matched: tuple[Suppression, ...] = ()
    """Every active suppression entry matching this risk; the first one is the one shown."""

    @property
    def suppression(self) -> Suppression | None:
        return self.matched[0] if self.matched else None

    @property
    def open_risk(self) -> bool:
        """A risk nobody has accepted: what the gate looks at."""
        return self.finding.potential_single_az_risk and not self.matched

    @property
    def guidance(self) -> Guidance:
        return guidance_for(self.finding.check_id, risk=self.finding.potential_single_az_risk)

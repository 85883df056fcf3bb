"""What the project knows about each check id: how bad its risk is, the one thing to do about it,
and what Security Hub calls the resource it judges; each check declares its own."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"
    """For findings that are not risks."""


SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2, Severity.NONE: 3}
"""Most severe first."""


@dataclass(frozen=True)
class Guidance:
    severity: Severity
    remediation: str
    resource_type: str
    """The ASFF resource type (a member of Security Hub's ``ResourceDetails``, e.g.
    ``AwsRdsDbInstance``) of the resource the id judges; ``Other`` where ASFF has none."""

    def of_finding(self, *, risk: bool) -> Guidance:
        """What a finding of this id carries: one that is not a risk needs no action (severity
        ``none``, no remediation), but its resource is still of this type."""
        return self if risk else replace(self, severity=Severity.NONE, remediation="")


OTHER_TYPE = "Other"
"""The resource type ASFF takes for a resource it has no type of its own for."""

"""What the project knows about each check id: what an AZ failure takes away when its risk is
real, how bad that is by one policy, the one thing to do about it, what Security Hub calls the
resource it judges, and the published controls it corresponds to; each check declares its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"
    """For findings that are not risks."""


SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2, Severity.NONE: 3}
"""Most severe first."""


class Fails(StrEnum):
    """What a check id's risk loses when its AZ fails."""

    DATA = "stored data"
    PATH = "the only path"
    CAPACITY = "capacity"


FAILS_MEANING: Mapping[Fails, str] = {
    Fails.DATA: "the only copy of data the service keeps, or its only writer: a database, file "
    "system, queue or key store is unavailable, and writes since the last backup may be lost",
    Fails.PATH: "the one way traffic reaches a service or a network: resources that are "
    "themselves healthy, in AZs that did not fail, are cut off with it",
    Fails.CAPACITY: "compute that serves a workload (instances, tasks, functions, nodes, caches "
    "of data kept elsewhere): the workload stops or shrinks, nothing is lost, and it runs again "
    "once redeployed",
}


class Outage(StrEnum):
    """How much of what fails is gone, and for how long."""

    FULL = "down"
    SELF_HEALING = "recovers by itself"
    PARTIAL = "degraded, not down"


OUTAGE_MEANING: Mapping[Outage, str] = {
    Outage.FULL: "it stops, and stays stopped until someone acts or the AZ recovers",
    Outage.SELF_HEALING: "it stops, and its service relaunches it in another AZ without anyone "
    "acting (an Auto Scaling group, an ECS service, an EKS node group that spans AZs); nothing "
    "serves meanwhile",
    Outage.PARTIAL: "part of it keeps serving: less capacity, some partitions, or a chance of "
    "stopping, with the rest (and every copy of the data) in other AZs",
}


SEVERITY_POLICY: Mapping[tuple[Fails, Outage], Severity] = {
    (Fails.DATA, Outage.FULL): Severity.HIGH,
    (Fails.DATA, Outage.SELF_HEALING): Severity.MEDIUM,
    (Fails.DATA, Outage.PARTIAL): Severity.MEDIUM,
    (Fails.PATH, Outage.FULL): Severity.HIGH,
    (Fails.PATH, Outage.SELF_HEALING): Severity.MEDIUM,
    (Fails.PATH, Outage.PARTIAL): Severity.MEDIUM,
    (Fails.CAPACITY, Outage.FULL): Severity.MEDIUM,
    (Fails.CAPACITY, Outage.SELF_HEALING): Severity.LOW,
    (Fails.CAPACITY, Outage.PARTIAL): Severity.LOW,
}
"""The one severity policy: every check id's severity is the one its (what fails, outage) pair
has here. Losing data, or the path that healthy AZs depend on, is high; losing capacity that a
redeploy restores is medium; anything that keeps serving or heals itself is one step lower."""


FSBP = "AWS Foundational Security Best Practices v1.0.0"
"""The Security Hub standard whose control ids ``Guidance.fsbp`` names."""
WELL_ARCHITECTED = "AWS Well-Architected Framework"
"""The framework whose best practice ids (``REL10-BP01``) ``Guidance.well_architected`` names."""


@dataclass(frozen=True)
class Guidance:
    severity: Severity
    """Declared where the check id is, and held to ``SEVERITY_POLICY[fails, outage]`` by a test
    (``none`` for an ``event``)."""
    remediation: str
    resource_type: str
    """The ASFF resource type (a member of Security Hub's ``ResourceDetails``, e.g.
    ``AwsRdsDbInstance``) of the resource the id judges; ``Other`` where ASFF has none."""
    fails: Fails = field(kw_only=True)
    outage: Outage = field(default=Outage.FULL, kw_only=True)
    fsbp: tuple[str, ...] = field(default=(), kw_only=True)
    """The AWS Foundational Security Best Practices controls (``RDS.5``) the id corresponds to:
    only controls that standard has; none where it has none."""
    well_architected: tuple[str, ...] = field(default=(), kw_only=True)
    """The Well-Architected Reliability best practices (``REL10-BP01``) the id's risk breaks."""
    event: bool = field(default=False, kw_only=True)
    """Its findings record something AWS did (an autoshift away from an AZ), never a risk: its
    severity is ``none`` and the severity policy does not apply; ``fails`` and ``outage`` say
    what the event took away and how."""

    def of_finding(self, *, risk: bool) -> Guidance:
        """What a finding of this id carries: one that is not a risk needs no action (severity
        ``none``, no remediation), but its resource is still of this type and the controls it was
        judged by stay."""
        return self if risk else replace(self, severity=Severity.NONE, remediation="")

    @property
    def related_requirements(self) -> tuple[str, ...]:
        """Each control as ``<standard>/<id>``, the form Security Hub's findings name them in."""
        return (
            *(f"{FSBP}/{control}" for control in self.fsbp),
            *(f"{WELL_ARCHITECTED}/{practice}" for practice in self.well_architected),
        )


OTHER_TYPE = "Other"
"""The resource type ASFF takes for a resource it has no type of its own for."""

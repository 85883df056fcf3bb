"""What a rule says about a resource, and the finding it becomes in an account and region."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

SEED_TIMESTAMP_FORMAT = "%Y_%m_%d_%H_%M_%S_%z"

FINDING_COLUMNS: tuple[str, ...] = (
    "service",
    "region",
    "account_id",
    "account_name",
    "payer_account_id",
    "payer_account_name",
    "resource_arn",
    "resource_name",
    "resource_id",
    "potential_single_az_risk",
    "engine",
    "message",
    "timestamp",
)


def seed_timestamp(moment: datetime) -> str:
    """Format a time the way the original tool's CSVs do, e.g. ``2022_11_29_16_20_43_+0000``."""
    return moment.strftime(SEED_TIMESTAMP_FORMAT)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


CHECK_ID_PATTERN = r"^[a-z0-9_]+\.[a-z0-9_]+$"


class RootCause(Frozen):
    """The finding that reports the risk a resource goes down with: one failure is one risk,
    reported on the resource whose fix removes it (a single-instance Elastic Beanstalk
    environment, not its Auto Scaling group too)."""

    check_id: str = Field(pattern=CHECK_ID_PATTERN)
    resource_arn: str = Field(min_length=1)
    """The root's finding's ``resource_arn``, in the same account and region."""


class Assessment(Frozen):
    """A rule's verdict on one resource, before the run's account context is attached."""

    check_id: str = Field(pattern=CHECK_ID_PATTERN)
    resource_arn: str = ""
    resource_name: str = ""
    resource_id: str = ""
    risk: bool
    engine: str = ""
    message: str = Field(min_length=1)
    availability_zones: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    """(key, value) pairs, only where the listing API returns them (no extra call per resource)."""
    location: str = ""
    """The one AZ (among ``availability_zones``) whose failure takes the resource down, where the
    check knows it; a risk seen in exactly one AZ is located there without saying so."""
    root_cause: RootCause | None = None
    """Set when the resource goes down with another resource's risk: then it is not a risk of
    its own (the root's finding reports it once), and its message names the root."""

    @model_validator(mode="after")
    def _location_is_one_of_the_zones(self) -> Assessment:
        if self.location and self.location not in self.availability_zones:
            raise ValueError(f"location {self.location!r} is not among availability_zones")
        if self.root_cause is not None and self.risk:
            raise ValueError("a finding with a root cause is not a risk of its own")
        return self

    @property
    def located(self) -> str:
        if self.location:
            return self.location
        return self.availability_zones[0] if self.risk and len(self.availability_zones) == 1 else ""


class AccountInfo(Frozen):
    account_id: str = Field(pattern=r"^\d{12}$")
    account_name: str = ""
    payer_account_id: str = "N/A"
    payer_account_name: str = ""
    partition: str = "aws"


class Finding(Frozen):
    """The only shape that reaches output: one assessed resource in one account and region."""

    service: str
    region: str
    account_id: str
    account_name: str
    payer_account_id: str
    payer_account_name: str
    resource_arn: str
    resource_name: str
    resource_id: str
    potential_single_az_risk: bool
    engine: str
    message: str
    timestamp: datetime
    check_id: str
    availability_zones: tuple[str, ...] = ()
    availability_zone_ids: tuple[str, ...] = ()
    """The AZ ID of each of ``availability_zones``, in the same order; '' where the account's
    zone listing does not name the zone."""
    tags: tuple[tuple[str, str], ...] = ()
    location: str = ""
    """The AZ name whose failure alone takes the resource down; '' when no single AZ does."""
    location_id: str = ""
    root_cause: RootCause | None = None
    """The risk this resource goes down with, reported on its root's finding; this one is then
    not a risk (the gate, the counts and Security Hub count the root)."""

    @classmethod
    def of(
        cls,
        assessment: Assessment,
        *,
        service: str,
        region: str,
        account: AccountInfo,
        at: datetime,
        zone_ids: Mapping[str, str] | None = None,
    ) -> Finding:
        """``zone_ids``: AZ name -> AZ ID in the scanned account, for the zones it names."""
        ids = zone_ids or {}
        location = assessment.located
        return cls(
            service=service,
            region=region,
            account_id=account.account_id,
            account_name=account.account_name,
            payer_account_id=account.payer_account_id,
            payer_account_name=account.payer_account_name,
            resource_arn=assessment.resource_arn,
            resource_name=assessment.resource_name,
            resource_id=assessment.resource_id,
            potential_single_az_risk=assessment.risk,
            engine=assessment.engine,
            message=assessment.message,
            timestamp=at,
            check_id=assessment.check_id,
            availability_zones=assessment.availability_zones,
            availability_zone_ids=tuple(ids.get(z, "") for z in assessment.availability_zones),
            tags=assessment.tags,
            location=location,
            location_id=ids.get(location, ""),
            root_cause=assessment.root_cause,
        )

    def csv_row(self) -> tuple[str, ...]:
        return (
            self.service,
            self.region,
            self.account_id,
            self.account_name,
            self.payer_account_id,
            self.payer_account_name,
            self.resource_arn,
            self.resource_name,
            self.resource_id,
            str(self.potential_single_az_risk),
            self.engine,
            self.message,
            seed_timestamp(self.timestamp),
        )


class FindingSink(Protocol):
    """Where findings stream to as the scan finds them: the outputs, the event bus."""

    async def emit(self, findings: Sequence[Finding]) -> None: ...

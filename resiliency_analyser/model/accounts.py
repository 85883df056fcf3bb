"""The accounts of an organization run: as Organizations lists them, and how each one's scan ended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from resiliency_analyser.model.findings import AccountInfo, Frozen
from resiliency_analyser.model.report import ACCOUNT, OVERALL, Outcome, PairResult, ReportRow

ACTIVE = "ACTIVE"
"""The only account status that is scanned; ``SUSPENDED``, ``PENDING_CLOSURE`` and any status
Organizations adds later are skipped."""


@dataclass(frozen=True)
class MemberRole:
    """The role the scan assumes in every member account (``--role-name``)."""

    name: str
    session_name: str
    """As CloudTrail records the sessions (``--role-session-name``)."""
    external_id: str | None = None

    def arn(self, partition: str, account_id: str) -> str:
        return f"arn:{partition}:iam::{account_id}:role/{self.name}"


class OrgAccount(Frozen):
    """One account as ``ListAccounts`` lists it: the names come from here, never from a
    ``DescribeAccount`` per account."""

    account_id: str
    name: str = ""
    status: str = ACTIVE


class AccountScan(Frozen):
    """How one account of an organization run ended: scanned, skipped for its status, or not
    scanned because its role could not be assumed (or its regions not read)."""

    account: AccountInfo
    status: str = ACTIVE
    outcome: Outcome
    message: str = ""
    regions: tuple[str, ...] = ()
    started: datetime
    ended: datetime

    @property
    def account_id(self) -> str:
        return self.account.account_id

    def report_row(self) -> ReportRow:
        """The account's row in the run report: region ``Overall``, service ``account``."""
        return ReportRow(
            account_id=self.account_id,
            region=OVERALL,
            service=ACCOUNT,
            outcome=self.outcome,
            error_message=self.message,
            started=self.started,
            ended=self.ended,
        )


def scanned_outcome(results: Sequence[PairResult]) -> tuple[Outcome, str]:
    """An account's outcome from its pairs: the first failed pair's (in the report's order), or
    ``Cancelled`` when the run stopped before some ended, else ``Success``."""
    ordered = sorted(results, key=lambda r: (r.service, r.region))
    failed = [r for r in ordered if r.outcome.is_failure]
    if failed:
        first = failed[0]
        return first.outcome, (
            f"{len(failed)} of {len(results)} (check, region) pairs failed; first: "
            f"{first.service} in {first.region}: {first.outcome.value}: {first.error_message}"
        )
    cancelled = sum(r.outcome is Outcome.CANCELLED for r in results)
    if cancelled:
        return Outcome.CANCELLED, (
            f"interrupted: {cancelled} of {len(results)} (check, region) pairs did not finish"
        )
    return Outcome.SUCCESS, ""


def account_counts(accounts: Sequence[AccountScan]) -> dict[str, int]:
    """How the accounts of a run ended, each in one category: ``scanned`` (every pair
    succeeded), ``skipped`` (not ``ACTIVE``), ``failed`` (its role, its regions or a pair failed),
    ``interrupted``."""
    return {
        "accounts": len(accounts),
        "scanned": sum(a.outcome is Outcome.SUCCESS for a in accounts),
        "skipped": sum(a.outcome is Outcome.SKIPPED for a in accounts),
        "failed": sum(a.outcome.is_failure for a in accounts),
        "interrupted": sum(a.outcome is Outcome.CANCELLED for a in accounts),
    }

"""Reading the organization: its accounts in one listing pass, and the accounts under the
organizational units a run names (only then is the OU tree read).

Organizations serves an account one request at a time: a second one in flight is refused with
``TooManyRequestsException`` ("another request is already in progress"). Every call here waits
for the one before it, and the SDK's retries back off on that answer like on any throttling.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.outcomes import classify
from resiliency_analyser.errors import FatalError, UsageError
from resiliency_analyser.model.accounts import ACTIVE, OrgAccount

SERVICE = "organizations"
# Organizations has one endpoint per partition.
ORGANIZATIONS_REGION = {
    "aws": "us-east-1",
    "aws-us-gov": "us-gov-west-1",
    "aws-cn": "cn-northwest-1",
}
LISTING_PAGE = 20
"""The most accounts ``ListAccounts`` returns a page."""
NOT_IN_ORGANIZATION = "AWSOrganizationsNotInUseException"
NO_SUCH_PARENT = "ParentNotFoundException"
CANNOT_LIST = frozenset({"AccessDeniedException", "AccessDenied", NOT_IN_ORGANIZATION})
"""Answers that say this caller cannot list the organization's accounts (rather than that
listing failed on the way)."""


def organizations_region(partition: str, home_region: str) -> str:
    return ORGANIZATIONS_REGION.get(partition, home_region)


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def account_state(record: Mapping[str, Any]) -> str:
    """``State`` where Organizations sends it; ``Status`` (retired in September 2026) before."""
    return str(record.get("State") or record.get("Status") or ACTIVE)


class CannotList(UsageError):
    """The caller may not list the organization: not its management account nor a delegated
    administrator, or not in an organization at all."""

    def __init__(self, account_id: str, error: ClientError) -> None:
        failure = classify(error)
        if error_code(error) == NOT_IN_ORGANIZATION:
            why = f"account {account_id} is not in an AWS Organization"
        else:
            why = (
                f"account {account_id} may not list the organization's accounts ({failure.text}); "
                "run from the management account or a delegated administrator"
            )
        super().__init__(why)


class UnknownUnits(UsageError):
    """Organizational units named that the organization does not hold."""

    def __init__(self, units: list[str]) -> None:
        super().__init__(f"no such organizational unit in the organization: {', '.join(units)}")
        self.units = units


class Organization:
    """The organization as the caller's clients read it, one call at a time."""

    def __init__(self, clients: AwsClients, account_id: str, partition: str, home_region: str):
        self._clients = clients
        self._account_id = account_id
        self._region = organizations_region(partition, home_region)
        self._one_at_a_time = asyncio.Lock()
        self._subtrees: dict[str, frozenset[str]] = {}

    async def _items(self, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
        async with self._one_at_a_time:
            try:
                return await self._clients.items(SERVICE, self._region, operation, key, **params)
            except ClientError as error:
                if error_code(error) in CANNOT_LIST:
                    raise CannotList(self._account_id, error) from error
                raise

    async def accounts(self) -> list[OrgAccount]:
        """Every account of the organization, with its name and state: ``ListAccounts``, 20 a
        page, once."""
        try:
            listed = await self._items(
                "list_accounts", "Accounts", PaginationConfig={"PageSize": LISTING_PAGE}
            )
        except (ClientError, BotoCoreError) as error:
            raise FatalError(
                f"cannot list the organization's accounts: {classify(error).text}"
            ) from error
        return [
            OrgAccount(account_id=a["Id"], name=a.get("Name", ""), status=account_state(a))
            for a in listed
        ]

    async def accounts_under(self, units: Iterable[str]) -> dict[str, frozenset[str]]:
        """Each unit (an OU, or the root) -> the ids of every account under it, nested OUs
        included; every unit that does not exist is named in one ``UsageError``."""
        found: dict[str, frozenset[str]] = {}
        unknown: list[str] = []
        for unit in dict.fromkeys(units):
            try:
                found[unit] = await self._subtree(unit)
            except ClientError as error:
                if error_code(error) != NO_SUCH_PARENT:
                    raise FatalError(
                        f"cannot read organizational unit {unit}: {classify(error).text}"
                    ) from error
                unknown.append(unit)
            except BotoCoreError as error:
                raise FatalError(
                    f"cannot read organizational unit {unit}: {classify(error).text}"
                ) from error
        if unknown:
            raise UnknownUnits(unknown)
        return found

    async def _subtree(self, unit: str) -> frozenset[str]:
        """Read once per unit, however many named units it lies under."""
        if unit not in self._subtrees:
            children = await self._items(
                "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=unit
            )
            accounts = await self._items("list_accounts_for_parent", "Accounts", ParentId=unit)
            under = {a["Id"] for a in accounts}
            for child in children:
                under |= await self._subtree(child["Id"])
            self._subtrees[unit] = frozenset(under)
        return self._subtrees[unit]

"""Reading the organization: one listing pass of 20 a page, the OU tree only under the OUs named,
one call at a time, and the caller's inability to list said as one line."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import aioboto3
import pytest

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.organization import CannotList, Organization
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.demo.standin import StandinError, paged
from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.accounts import OrgAccount
from tests.support.faults import FaultProxy
from tests.support.moto import ACCOUNT_ID
from tests.support.organization import Org
from tests.support.standins import StartStandin


def read(url: str, job: Any) -> Any:
    async def run() -> Any:
        settings = ClientSettings(endpoint_url=url)
        async with AwsClients(aioboto3.Session(), settings) as clients:
            return await job(Organization(clients, ACCOUNT_ID, "aws", "us-east-1"))

    return asyncio.run(run())


def test_accounts_are_listed_in_one_pass_of_20_a_page(aws_env: str) -> None:
    org = Org.create(aws_env)
    for i in range(24):
        org.account(f"member-{i:02d}")
    org.close("member-03")
    with FaultProxy(aws_env) as proxy:
        listed = read(proxy.url, lambda o: o.accounts())
    assert len(listed) == 25
    assert {a.account_id for a in listed} == set(org.accounts.values())
    assert (
        OrgAccount(account_id=org.accounts["member-03"], name="member-03", status="SUSPENDED")
        in listed
    )
    assert [s.operation for s in proxy.seen] == ["ListAccounts", "ListAccounts"]


def test_the_accounts_under_an_ou_include_nested_ones_each_unit_read_once(aws_env: str) -> None:
    org = Org.create(aws_env)
    org.unit("prod")
    org.unit("payments", parent="prod")
    org.unit("cards", parent="payments")
    org.unit("sandbox")
    for name, unit in (("web", "prod"), ("pay", "payments"), ("card", "cards"), ("lab", "sandbox")):
        org.account(name, unit)
    units = [org.units["payments"], org.units["prod"], org.root]
    with FaultProxy(aws_env) as proxy:
        under = read(proxy.url, lambda o: o.accounts_under(units))
    ids = org.accounts
    assert under == {
        org.units["payments"]: {ids["pay"], ids["card"]},
        org.units["prod"]: {ids["web"], ids["pay"], ids["card"]},
        org.root: set(ids.values()),
    }
    reads = [s.operation for s in proxy.seen]
    assert reads.count("ListAccountsForParent") == 5, "root, prod, payments, cards, sandbox: once"
    assert "ListRoots" not in reads
    assert "ListAccounts" not in reads


def test_unknown_units_are_named_together(aws_env: str) -> None:
    org = Org.create(aws_env)
    org.unit("prod")
    units = ["ou-zzzz-zzzzzzzz", org.units["prod"], "ou-yyyy-yyyyyyyy"]
    with pytest.raises(UsageError, match="unit in the organization: ou-zzzz-zzzzzzzz, ou-yyyy-"):
        read(aws_env, lambda o: o.accounts_under(units))


def test_an_account_outside_an_organization_cannot_list_it(standin: StartStandin) -> None:
    def not_in_use(params: dict[str, Any], region: str) -> dict[str, Any]:
        raise StandinError("AWSOrganizationsNotInUseException", "not in an organization")

    server = standin("organizations", {"ListAccounts": not_in_use})
    with pytest.raises(CannotList, match=f"^account {ACCOUNT_ID} is not in an AWS Organization$"):
        read(server.url, lambda o: o.accounts())


def test_calls_go_one_at_a_time(standin: StartStandin) -> None:
    """Organizations refuses a second request in flight; asked concurrently, the reader still
    sends one at a time."""
    in_flight, most = 0, 0
    lock = threading.Lock()

    def one_at_a_time(handler: Any) -> Any:
        def handle(params: dict[str, Any], region: str) -> dict[str, Any]:
            nonlocal in_flight, most
            with lock:
                in_flight += 1
                most = max(most, in_flight)
                busy = in_flight > 1
            try:
                if busy:
                    raise StandinError(
                        "TooManyRequestsException",
                        "AWS Organizations can't complete your request because another request "
                        "is already in progress. Try again later.",
                    )
                time.sleep(0.02)
                return dict(handler(params, region))
            finally:
                with lock:
                    in_flight -= 1

        return handle

    accounts = [{"Id": f"{i:012d}", "Name": f"a{i}", "State": "ACTIVE"} for i in range(45)]
    server = standin(
        "organizations",
        {
            "ListAccounts": one_at_a_time(
                paged("organizations", "ListAccounts", lambda p, r: accounts, 20)
            ),
            "ListOrganizationalUnitsForParent": one_at_a_time(
                lambda p, r: {"OrganizationalUnits": []}
            ),
            "ListAccountsForParent": one_at_a_time(
                lambda p, r: {"Accounts": accounts[:3] if p["ParentId"] == "ou-a-1" else []}
            ),
        },
    )

    async def both(organization: Organization) -> Any:
        return await asyncio.gather(
            organization.accounts(),
            organization.accounts_under(["ou-a-1", "ou-b-2", "ou-c-3"]),
        )

    listed, under = read(server.url, both)
    assert (len(listed), most) == (45, 1)
    assert under["ou-a-1"] == {a["Id"] for a in accounts[:3]}
    assert sum(r[1] == "ListAccounts" for r in server.requests) == 3, "45 at 20 a page"


def test_another_request_in_progress_is_retried_with_backoff(standin: StartStandin) -> None:
    refused = 0

    def busy_twice(params: dict[str, Any], region: str) -> dict[str, Any]:
        nonlocal refused
        if refused < 2:
            refused += 1
            raise StandinError(
                "TooManyRequestsException",
                "AWS Organizations can't complete your request because another request is "
                "already in progress. Try again later.",
            )
        return {"Accounts": [{"Id": "111122223333", "Name": "a", "State": "ACTIVE"}]}

    server = standin("organizations", {"ListAccounts": busy_twice})
    [listed] = read(server.url, lambda o: o.accounts())
    assert listed.account_id == "111122223333"
    assert len(server.requests) == 3

"""Choosing accounts and regions: pure rules on what Organizations and EC2 list."""

from __future__ import annotations

import pytest

from resiliency_analyser.checks.registry import BY_KEY
from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.accounts import OrgAccount
from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.run.request import AccountScope
from resiliency_analyser.run.selection import (
    account_regions,
    disabled_pairs,
    select_accounts,
)

MASTER, WEB, API, CARDS, OLD = (f"{i:012d}" for i in range(1, 6))
CALLER = AccountInfo(account_id=MASTER, payer_account_id=MASTER)
LISTING = [
    OrgAccount(account_id=MASTER, name="master"),
    OrgAccount(account_id=WEB, name="web"),
    OrgAccount(account_id=API, name="api"),
    OrgAccount(account_id=CARDS, name="cards"),
    OrgAccount(account_id=OLD, name="old", status="SUSPENDED"),
]
# prod holds web and api, and payments (cards) nested in it; sandbox holds old.
UNDER = {
    "ou-prod-11111111": frozenset({WEB, API, CARDS}),
    "ou-prod-22222222": frozenset({CARDS}),
    "ou-sand-33333333": frozenset({OLD}),
    "ou-none-44444444": frozenset(),
}
PROD, PAYMENTS, SANDBOX, EMPTY = UNDER


@pytest.mark.parametrize(
    ("scope", "chosen", "notes"),
    [
        (AccountScope(organization=True), [MASTER, WEB, API, CARDS, OLD], []),
        (AccountScope(organization=True, ous=(PROD,)), [WEB, API, CARDS], []),
        (AccountScope(organization=True, ous=(PROD,), exclude_ous=(PAYMENTS,)), [WEB, API], []),
        (AccountScope(organization=True, ous=(PAYMENTS,), accounts=(MASTER,)), [MASTER, CARDS], []),
        (AccountScope(organization=True, exclude_accounts=(OLD, MASTER)), [WEB, API, CARDS], []),
        (AccountScope(accounts=(API, WEB)), [WEB, API], []),
        (AccountScope(exclude_accounts=(WEB,)), [MASTER], ["--exclude-accounts " + WEB]),
        (
            AccountScope(organization=True, ous=(PROD, EMPTY), exclude_ous=(SANDBOX,)),
            [WEB, API, CARDS],
            [f"--ou {EMPTY}: no account under it", f"--exclude-ou {SANDBOX}: none"],
        ),
    ],
)
def test_accounts_are_chosen_then_left_out(
    scope: AccountScope, chosen: list[str], notes: list[str]
) -> None:
    selection = select_accounts(scope, CALLER, LISTING, UNDER)
    assert [a.info.account_id for a in selection.accounts] == chosen
    assert len(selection.notes) == len(notes)
    assert all(n.startswith(prefix) for n, prefix in zip(selection.notes, notes, strict=True))


def test_names_and_the_payer_come_from_the_listing() -> None:
    selection = select_accounts(AccountScope(organization=True), CALLER, LISTING, UNDER)
    by_id = {a.info.account_id: a for a in selection.accounts}
    assert by_id[WEB].info.account_name == "web"
    assert (by_id[WEB].info.payer_account_id, by_id[WEB].info.payer_account_name) == (
        MASTER,
        "master",
    )
    assert [a.info.account_id for a in selection.accounts if not a.active] == [OLD]
    assert by_id[OLD].status == "SUSPENDED"
    assert selection.caller.account_name == "master"


def test_accounts_named_without_a_listing_are_taken_as_given() -> None:
    selection = select_accounts(AccountScope(accounts=(CARDS, WEB)), CALLER, None, {})
    assert [(a.info.account_id, a.info.account_name, a.active) for a in selection.accounts] == [
        (WEB, "", True),
        (CARDS, "", True),
    ]


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        (AccountScope(accounts=("999999999999", WEB)), "no such account in the organization: 9"),
        (AccountScope(exclude_accounts=("999999999998",)), "no such account"),
        (AccountScope(organization=True, ous=(PAYMENTS,), exclude_ous=(PROD,)), "no account left"),
        (AccountScope(organization=True, ous=(EMPTY,)), "no account left to scan"),
    ],
)
def test_a_choice_that_names_nothing_is_a_usage_error(scope: AccountScope, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        select_accounts(scope, CALLER, LISTING, UNDER)


@pytest.mark.parametrize(
    ("requested", "enabled", "scanned", "disabled"),
    [
        (None, ["us-east-1", "eu-west-1"], ["eu-west-1", "us-east-1"], []),
        (["us-east-1", "af-south-1"], ["us-east-1"], ["us-east-1"], ["af-south-1"]),
        (["af-south-1"], ["us-east-1"], [], ["af-south-1"]),
    ],
)
def test_regions_are_each_accounts_own(
    requested: list[str] | None, enabled: list[str], scanned: list[str], disabled: list[str]
) -> None:
    assert account_regions(requested, enabled) == (scanned, disabled)


def test_a_disabled_region_holds_the_regional_checks_only() -> None:
    pairs = disabled_pairs([BY_KEY["rds"], BY_KEY["globalaccelerator"]], ["af-south-1"])
    assert [(p.check.key, p.region) for p in pairs] == [("rds", "af-south-1")]

"""Each account's session: the caller's own for its account, the member role's for the others,
assumed once with the external id and session name asked for, and refreshed before it expires."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import aioboto3
import pytest
from botocore.exceptions import ClientError

from resiliency_analyser.aws.members import AccountSessions
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.demo.standin import StandinError
from resiliency_analyser.model.accounts import MemberRole
from resiliency_analyser.model.findings import AccountInfo
from tests.support.moto import ACCOUNT_ID
from tests.support.standins import StartStandin

MEMBER = "111122223333"
ROLE = MemberRole(name="Audit", session_name="weekly-scan", external_id="org-7f3a")


def sts_issuing(lifetime: timedelta, keys: list[str]) -> dict[str, Any]:
    """AssumeRole answering credentials that expire after ``lifetime``; refused for role Nope."""

    def assume(params: dict[str, Any], region: str) -> dict[str, Any]:
        if params["RoleArn"].endswith("/Nope"):
            raise StandinError("AccessDenied", "not authorized to perform: sts:AssumeRole", 403)
        keys.append(f"ASIA{len(keys):016d}")
        return {
            "Credentials": {
                "AccessKeyId": keys[-1],
                "SecretAccessKey": "secret",
                "SessionToken": "token",
                "Expiration": datetime.now(UTC) + lifetime,
            },
            "AssumedRoleUser": {"AssumedRoleId": "AROA:x", "Arn": params["RoleArn"]},
        }

    return {"AssumeRole": assume}


def sessions(role: MemberRole = ROLE) -> AccountSessions:
    caller = AccountInfo(account_id=ACCOUNT_ID)
    return AccountSessions(aioboto3.Session(), caller, role, ClientSettings(), "us-east-1")


async def access_key(session: aioboto3.Session) -> str:
    credentials = await session.get_credentials()
    return str((await credentials.get_frozen_credentials()).access_key)


@pytest.mark.parametrize(
    ("lifetime", "assumed"), [(timedelta(hours=1), 1), (timedelta(minutes=5), 3)]
)
def test_a_member_session_is_assumed_once_and_refreshed_before_it_expires(
    standin: StartStandin, lifetime: timedelta, assumed: int
) -> None:
    keys: list[str] = []
    server = standin("sts", sts_issuing(lifetime, keys))

    async def run() -> list[str]:
        chosen = sessions()
        session = await chosen.session(MEMBER)
        assert await chosen.session(MEMBER) is session, "cached per account"
        return [await access_key(session), await access_key(session)]

    used = asyncio.run(run())
    # Within ten minutes of expiry the credentials refresh before they are used.
    assert len(keys) == assumed
    assert used == keys[-2:] if assumed > 1 else used == [keys[0], keys[0]]
    [(_, operation, params), *_] = server.requests
    assert operation == "AssumeRole"
    assert (params["RoleArn"], params["RoleSessionName"], params["ExternalId"]) == (
        f"arn:aws:iam::{MEMBER}:role/Audit",
        "weekly-scan",
        "org-7f3a",
    )


def test_member_sessions_share_the_models_and_endpoint_data_read_once(
    standin: StartStandin,
) -> None:
    standin("sts", sts_issuing(timedelta(hours=1), []))

    async def run() -> list[aioboto3.Session]:
        chosen = sessions()
        return [await chosen.session(ACCOUNT_ID), await chosen.session(MEMBER)]

    caller, member = asyncio.run(run())
    loader = caller._session.get_component("data_loader")
    assert member._session.get_component("data_loader") is loader


def test_the_callers_account_uses_the_callers_credentials(standin: StartStandin) -> None:
    server = standin("sts", sts_issuing(timedelta(hours=1), []))
    chosen = sessions()
    assert asyncio.run(chosen.session(ACCOUNT_ID)) is not None
    assert chosen.role_arn(ACCOUNT_ID) == ""
    assert server.requests == []


def test_a_role_that_cannot_be_assumed_fails_at_once(standin: StartStandin) -> None:
    standin("sts", sts_issuing(timedelta(hours=1), []))
    chosen = sessions(MemberRole(name="Nope", session_name="s1"))
    with pytest.raises(ClientError, match="AccessDenied"):
        asyncio.run(chosen.session(MEMBER))

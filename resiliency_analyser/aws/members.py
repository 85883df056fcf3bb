"""The session each account of an organization run is scanned with: the caller's own for its
account, the member role's for every other, created once per account and kept for the run."""

from __future__ import annotations

from functools import partial

import aioboto3

from resiliency_analyser.aws.clients import botocore_config
from resiliency_analyser.aws.ratelimit import TokenBucket
from resiliency_analyser.aws.session import assumed_role_session
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.accounts import MemberRole
from resiliency_analyser.model.findings import AccountInfo

ASSUME_RATE, ASSUME_BURST = 5.0, 5
"""``AssumeRole`` calls a second, whichever accounts they are for: far below STS's request quota,
so a few hundred accounts never meet it, while the accounts in flight (a few) start at once."""


class AccountSessions:
    """One session per account, cached: its credentials refresh themselves before they expire
    (an hour for an assumed role), so a long scan, or a Security Hub import after it, goes on
    with the same session. Every ``AssumeRole`` (first ones and refreshes) keeps to one rate."""

    def __init__(
        self,
        caller_session: aioboto3.Session,
        caller: AccountInfo,
        role: MemberRole | None,
        settings: ClientSettings,
        home_region: str,
    ) -> None:
        self._caller = caller
        self._home_region = home_region
        self._base = caller_session
        self._role = role
        self._settings = settings
        self._sessions = {caller.account_id: caller_session}
        self._assume = TokenBucket(ASSUME_RATE, ASSUME_BURST)

    @property
    def caller(self) -> AccountInfo:
        return self._caller

    def role_arn(self, account_id: str) -> str:
        """The role an account is scanned through; '' for the caller's own account."""
        if account_id == self._caller.account_id or self._role is None:
            return ""
        return self._role.arn(self._caller.partition, account_id)

    async def session(self, account_id: str) -> aioboto3.Session:
        """The account's session, its first credentials fetched now: a role that cannot be
        assumed fails here (a ``ClientError``), once, rather than in every pair."""
        found = self._sessions.get(account_id)
        if found is not None:
            return found
        if self._role is None:
            raise UsageError(f"--role-name is needed to scan account {account_id}")
        session = await assumed_role_session(
            self._base,
            self.role_arn(account_id),
            external_id=self._role.external_id,
            session_name=self._role.session_name,
            sts_client=self._sts_client(),
            before_each=self._assume.take,
        )
        credentials = await session.get_credentials()
        await credentials.get_frozen_credentials()
        self._sessions[account_id] = session
        return session

    def _sts_client(self) -> partial[object]:
        """STS clients as the run's others are: its endpoint, retries and timeouts."""
        settings = self._settings
        return partial(
            self._base._session.create_client,
            region_name=self._home_region,
            endpoint_url=dict(settings.service_endpoints).get("sts", settings.endpoint_url),
            config=botocore_config(settings),
        )

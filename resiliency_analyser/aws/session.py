"""Building the run's single aioboto3 session: profile, static keys, or an assumed role."""

from __future__ import annotations

from typing import Any

import aioboto3
from aiobotocore.credentials import (
    AioAssumeRoleCredentialFetcher,
    AioCredentialResolver,
    AioDeferredRefreshableCredentials,
)
from aiobotocore.session import AioSession
from botocore.credentials import CredentialProvider
from botocore.exceptions import ProfileNotFound

from resiliency_analyser.errors import UsageError

SESSION_NAME = "resiliency-analyser"


def base_session(
    profile: str | None, region: str | None = None, static_keys: tuple[str, str] | None = None
) -> aioboto3.Session:
    keys: dict[str, str] = {}
    if static_keys:
        keys = {"aws_access_key_id": static_keys[0], "aws_secret_access_key": static_keys[1]}
    try:
        return aioboto3.Session(profile_name=profile, region_name=region, **keys)
    except ProfileNotFound as error:
        # The profile may come from AWS_PROFILE rather than --profile: name the one looked up.
        raise UsageError(f"AWS profile not found: {error.kwargs['profile']}") from error


class _AssumedRoleProvider(CredentialProvider):  # type: ignore[misc]
    METHOD = "assume-role"

    def __init__(self, credentials: AioDeferredRefreshableCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    async def load(self) -> Any:
        return self._credentials


async def assumed_role_session(base: aioboto3.Session, role_arn: str) -> aioboto3.Session:
    """A session whose credentials come from the role and refresh themselves before expiry."""
    source = await base.get_credentials()
    fetcher = AioAssumeRoleCredentialFetcher(
        client_creator=base._session.create_client,
        source_credentials=source,
        role_arn=role_arn,
        extra_args={"RoleSessionName": SESSION_NAME},
    )
    credentials = AioDeferredRefreshableCredentials(
        refresh_using=fetcher.fetch_credentials, method=_AssumedRoleProvider.METHOD
    )
    botocore_session = AioSession()
    botocore_session.register_component(
        "credential_provider", AioCredentialResolver([_AssumedRoleProvider(credentials)])
    )
    return aioboto3.Session(botocore_session=botocore_session, region_name=base.region_name)

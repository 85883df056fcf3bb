"""Building the run's single aioboto3 session: profile, static keys, or an assumed role."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aioboto3
from aiobotocore.credentials import (
    AioAssumeRoleCredentialFetcher,
    AioCredentialResolver,
    AioDeferredRefreshableCredentials,
)
from aiobotocore.session import AioSession
from botocore.credentials import CredentialProvider
from botocore.exceptions import (
    CredentialRetrievalError,
    InvalidConfigError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    SSOError,
    TokenRetrievalError,
)
from botocore.session import Session as BotocoreSession

from resiliency_analyser.aws.names import SESSION_NAME
from resiliency_analyser.aws.outcomes import one_line
from resiliency_analyser.errors import UsageError


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
        name = error.kwargs["profile"]
        unreadable = unreadable_config_files()
        if unreadable:
            # botocore skips a file it cannot open, so its profiles look absent.
            raise UsageError(
                f"AWS profile {name}: cannot read {', '.join(unreadable)} (permission denied); "
                "in a container, run it as the files' owner: --user $(id -u):$(id -g)"
            ) from error
        raise UsageError(f"AWS profile not found: {name}") from error


def unreadable_config_files() -> list[str]:
    """The AWS config and credentials files that exist but this process may not read (the file
    itself, or the folder holding it, belongs to another user)."""
    botocore_session = BotocoreSession()
    paths = (
        Path(str(botocore_session.get_config_variable(name))).expanduser()
        for name in ("config_file", "credentials_file")
    )
    return [str(p) for p in paths if unreadable(p)]


def unreadable(path: Path) -> bool:
    try:
        return path.is_file() and not os.access(path, os.R_OK)
    except PermissionError:
        return True


async def check_credentials(session: aioboto3.Session) -> None:
    """Resolves the credentials now, so a profile's SSO login, credential_process or
    source_profile problem is one line naming the profile, not an SDK error mid-scan."""
    profile = session.profile_name
    try:
        credentials = await session.get_credentials()
        if credentials is not None:
            await credentials.get_frozen_credentials()
    except (SSOError, TokenRetrievalError) as error:
        raise UsageError(
            f"AWS profile {profile}: the SSO session has expired or was never started; "
            f"run: aws sso login --profile {profile}"
        ) from error
    except CredentialRetrievalError as error:
        raise UsageError(
            f"AWS profile {profile}: getting credentials from {error.kwargs.get('provider')} "
            f"failed: {one_line(str(error.kwargs.get('error_msg', error)))}"
        ) from error
    except (InvalidConfigError, PartialCredentialsError) as error:
        raise UsageError(f"AWS profile {profile}: {one_line(str(error))}") from error
    except OSError as error:
        # credential_process names a program that cannot be started.
        raise UsageError(
            f"AWS profile {profile}: credential_process cannot be run: "
            f"{error.strerror}: {error.filename}"
        ) from error
    if credentials is None:
        raise NoCredentialsError()


class _AssumedRoleProvider(CredentialProvider):  # type: ignore[misc]
    METHOD = "assume-role"

    def __init__(self, credentials: AioDeferredRefreshableCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    async def load(self) -> Any:
        return self._credentials


async def assumed_role_session(
    base: aioboto3.Session,
    role_arn: str,
    *,
    external_id: str | None = None,
    session_name: str = SESSION_NAME,
    sts_client: Callable[..., Any] | None = None,
    before_each: Callable[[], Awaitable[None]] | None = None,
) -> aioboto3.Session:
    """A session whose credentials come from the role and refresh themselves before expiry.

    ``sts_client`` creates the STS client each ``AssumeRole`` goes through (the run's endpoint
    and retries); ``before_each`` is awaited before each one (a rate limit)."""
    source = await base.get_credentials()
    extra_args = {"RoleSessionName": session_name}
    if external_id is not None:
        extra_args["ExternalId"] = external_id
    fetcher = AioAssumeRoleCredentialFetcher(
        client_creator=sts_client or base._session.create_client,
        source_credentials=source,
        role_arn=role_arn,
        extra_args=extra_args,
    )

    async def fetch() -> Any:
        if before_each is not None:
            await before_each()
        return await fetcher.fetch_credentials()

    credentials = AioDeferredRefreshableCredentials(
        refresh_using=fetch, method=_AssumedRoleProvider.METHOD
    )
    botocore_session = AioSession()
    botocore_session.register_component(
        "credential_provider", AioCredentialResolver([_AssumedRoleProvider(credentials)])
    )
    # The base's loader, with the service models and endpoint data it has read: each account's
    # session would read them again otherwise (a process loads them once).
    botocore_session.register_component("data_loader", base._session.get_component("data_loader"))
    return aioboto3.Session(botocore_session=botocore_session, region_name=base.region_name)

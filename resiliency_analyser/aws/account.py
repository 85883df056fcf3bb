"""Who we are scanning: identity from STS, names from Organizations, enabled regions from EC2."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import aioboto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.organization import error_code, organizations_region
from resiliency_analyser.aws.outcomes import one_line
from resiliency_analyser.aws.session import check_credentials
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.findings import AccountInfo

log = logging.getLogger(__name__)


async def account_name(clients: AwsClients, region: str, account_id: str) -> str:
    response = await clients.call("organizations", region, "describe_account", AccountId=account_id)
    return str(response["Account"].get("Name", ""))


async def discover_account(
    clients: AwsClients, home_region: str, *, names: bool = True
) -> AccountInfo:
    """``names``: read the account's and the payer's names with ``DescribeAccount``; an
    organization run leaves them to its one ``ListAccounts`` pass."""
    identity = await clients.call("sts", home_region, "get_caller_identity")
    account_id = str(identity["Account"])
    partition = str(identity["Arn"]).split(":")[1]
    org_region = organizations_region(partition, home_region)
    try:
        organization = await clients.call("organizations", org_region, "describe_organization")
    except ClientError as error:
        if error_code(error) == "AWSOrganizationsNotInUseException":
            return AccountInfo(account_id=account_id, partition=partition)
        log.warning(
            "Organizations is not readable (%s); account and payer names left blank",
            error_code(error),
        )
        return AccountInfo(account_id=account_id, payer_account_id="", partition=partition)
    payer_id = str(organization["Organization"]["MasterAccountId"])
    found: dict[str, str] = {}
    for wanted in dict.fromkeys((account_id, payer_id) if names else ()):
        try:
            found[wanted] = await account_name(clients, org_region, wanted)
        except ClientError as error:
            log.warning(
                "Organizations DescribeAccount denied for %s (%s); its name is left blank",
                wanted,
                error_code(error),
            )
    return AccountInfo(
        account_id=account_id,
        account_name=found.get(account_id, ""),
        payer_account_id=payer_id,
        payer_account_name=found.get(payer_id, ""),
        partition=partition,
    )


IDENTIFY_SECONDS = 12.0
"""How long finding out who we are may take: without a network, or behind a proxy that does not
answer, the scan's own retries and timeouts would leave a blank terminal for most of a minute."""


def probe_settings(settings: ClientSettings) -> ClientSettings:
    """Few, short attempts: these first calls only tell whether AWS answers at all."""
    return replace(
        settings,
        max_attempts=min(settings.max_attempts, 3),
        connect_timeout=min(settings.connect_timeout, 3.0),
        read_timeout=min(settings.read_timeout, 8.0),
    )


async def identify_account(
    session: aioboto3.Session, settings: ClientSettings, home_region: str, *, names: bool = True
) -> AccountInfo:
    """The account the credentials belong to; every way this fails is one ``UsageError`` line,
    within ``IDENTIFY_SECONDS``, with every client it opened closed."""
    try:
        async with asyncio.timeout(IDENTIFY_SECONDS):
            await check_credentials(session)
            async with AwsClients(session, probe_settings(settings)) as clients:
                return await discover_account(clients, home_region, names=names)
    except TimeoutError as error:
        raise UsageError(
            f"cannot reach AWS to identify the account: no answer within {IDENTIFY_SECONDS:g} s "
            "(no network, or a proxy or endpoint that does not answer)"
        ) from error
    except NoCredentialsError as error:
        raise UsageError(
            "no AWS credentials found: set AWS_PROFILE/--profile, environment keys, or an instance role"
        ) from error
    except ClientError as error:
        details = error.response.get("Error", {})
        raise UsageError(
            one_line(
                f"AWS rejected the credentials: {details.get('Code')}: {details.get('Message')}"
            )
        ) from error
    except BotoCoreError as error:
        raise UsageError(
            f"cannot reach AWS to identify the account: {one_line(str(error))}"
        ) from error


async def enabled_regions(clients: AwsClients, home_region: str) -> list[str]:
    response = await clients.call("ec2", home_region, "describe_regions")
    return sorted(r["RegionName"] for r in response.get("Regions", []))


def resolve_regions(requested: list[str] | None, enabled: list[str]) -> list[str]:
    """``None`` means every enabled region; anything not enabled is a usage error naming it."""
    if requested is None:
        return enabled
    missing = [r for r in requested if r not in enabled]
    if missing:
        raise UsageError(f"region(s) not enabled for this account or unknown: {', '.join(missing)}")
    return requested

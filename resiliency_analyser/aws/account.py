"""Who we are scanning: identity from STS, names from Organizations, enabled regions from EC2."""

from __future__ import annotations

import logging

from botocore.exceptions import ClientError

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.findings import AccountInfo

log = logging.getLogger(__name__)

# Organizations has one endpoint per partition.
ORGANIZATIONS_REGION = {
    "aws": "us-east-1",
    "aws-us-gov": "us-gov-west-1",
    "aws-cn": "cn-northwest-1",
}


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


async def account_name(clients: AwsClients, region: str, account_id: str) -> str:
    response = await clients.call("organizations", region, "describe_account", AccountId=account_id)
    return str(response["Account"].get("Name", ""))


async def discover_account(clients: AwsClients, home_region: str) -> AccountInfo:
    identity = await clients.call("sts", home_region, "get_caller_identity")
    account_id = str(identity["Account"])
    partition = str(identity["Arn"]).split(":")[1]
    org_region = ORGANIZATIONS_REGION.get(partition, home_region)
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
    names: dict[str, str] = {}
    for wanted in dict.fromkeys((account_id, payer_id)):
        try:
            names[wanted] = await account_name(clients, org_region, wanted)
        except ClientError as error:
            log.warning(
                "Organizations DescribeAccount denied for %s (%s); its name is left blank",
                wanted,
                error_code(error),
            )
    return AccountInfo(
        account_id=account_id,
        account_name=names.get(account_id, ""),
        payer_account_id=payer_id,
        payer_account_name=names.get(payer_id, ""),
        partition=partition,
    )


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

"""An organization on the moto server: OUs, member accounts, and clients acting in each account.

moto gives credentials from ``AssumeRole`` into another account id that account's own resources,
so each member's resources are seeded through such credentials; it answers every account's
``DescribeAvailabilityZones`` and ``DescribeRegions`` alike, so ``per_account`` serves each
account its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3

from resiliency_analyser.demo.standin import Handler, calling_account
from tests.support.moto import ACCOUNT_ID, Boto

ROLE = "Audit"


def assumed_boto(moto_url: str, account_id: str) -> Boto:
    """Plain boto3 clients acting in ``account_id`` (a role assumed there)."""
    if account_id == ACCOUNT_ID:
        return lambda service, region="us-east-1": boto3.client(
            service, region_name=region, endpoint_url=moto_url
        )
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=moto_url)
    keys = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/seeder", RoleSessionName="seeding"
    )["Credentials"]

    def make(service: str, region: str = "us-east-1") -> Any:
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=moto_url,
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
            aws_session_token=keys["SessionToken"],
        )

    return make


@dataclass
class Org:
    """The organization of the moto server's default account (its management account)."""

    moto_url: str
    root: str = ""
    units: dict[str, str] = field(default_factory=dict)
    """OU name -> id."""
    accounts: dict[str, str] = field(default_factory=dict)
    """Account name -> id (the management account is ``master``)."""

    @classmethod
    def create(cls, moto_url: str) -> Org:
        org = cls(moto_url)
        client = org.client()
        client.create_organization(FeatureSet="ALL")
        org.root = client.list_roots()["Roots"][0]["Id"]
        org.accounts["master"] = ACCOUNT_ID
        return org

    def client(self) -> Any:
        return boto3.client("organizations", region_name="us-east-1", endpoint_url=self.moto_url)

    def unit(self, name: str, parent: str = "") -> str:
        """A new OU under ``parent`` (an OU's name; the root by default)."""
        parent_id = self.units[parent] if parent else self.root
        created = self.client().create_organizational_unit(ParentId=parent_id, Name=name)
        self.units[name] = created["OrganizationalUnit"]["Id"]
        return self.units[name]

    def account(self, name: str, unit: str = "") -> str:
        """A new member account, moved into ``unit`` (an OU's name) when given."""
        client = self.client()
        status = client.create_account(AccountName=name, Email=f"{name}@example.com")
        account_id = str(status["CreateAccountStatus"]["AccountId"])
        if unit:
            client.move_account(
                AccountId=account_id, SourceParentId=self.root, DestinationParentId=self.units[unit]
            )
        self.accounts[name] = account_id
        return account_id

    def close(self, name: str) -> None:
        """The account then lists as ``SUSPENDED``."""
        self.client().close_account(AccountId=self.accounts[name])

    def boto(self, name: str) -> Boto:
        return assumed_boto(self.moto_url, self.accounts[name])


def per_account(handlers: Mapping[str, Handler], default: Handler) -> Handler:
    """A stand-in handler answering each calling account with its own handler (by account id)."""

    def handle(params: dict[str, Any], region: str) -> dict[str, Any]:
        return handlers.get(calling_account(), default)(params, region)

    return handle


def regions_listing(*regions: str) -> Handler:
    """EC2 ``DescribeRegions`` of an account that has enabled these regions only."""

    def handle(params: dict[str, Any], region: str) -> dict[str, Any]:
        return {
            "Regions": [{"RegionName": r, "Endpoint": f"ec2.{r}.amazonaws.com"} for r in regions]
        }

    return handle

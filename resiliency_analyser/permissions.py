"""The least-privilege IAM policy for a scan, derived from the check registry and the sinks used."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from resiliency_analyser.checks.api import Check
from resiliency_analyser.delivery.keys import object_key
from resiliency_analyser.output.naming import HISTORY_PREFIX

# Calls a scan makes in every account it scans, before and besides the checks.
ACCOUNT_ACTIONS: tuple[str, ...] = (
    "sts:GetCallerIdentity",
    "ec2:DescribeRegions",
    # Once per region whose AZs findings name, to give each AZ name its AZ ID.
    "ec2:DescribeAvailabilityZones",
)

# Naming the caller's account and its organization's management (payer) account.
IDENTITY_ACTIONS: tuple[str, ...] = (
    "organizations:DescribeOrganization",
    "organizations:DescribeAccount",
)

BASE_ACTIONS: tuple[str, ...] = (*ACCOUNT_ACTIONS, *IDENTITY_ACTIONS)
"""Calls every scan makes in the caller's own account before any check runs."""

ORGANIZATION_ACTIONS: tuple[str, ...] = (
    "organizations:DescribeOrganization",
    "organizations:ListAccounts",
    "organizations:ListRoots",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListAccountsForParent",
)
"""What ``scan --organization`` calls to choose the accounts: the listing, the OU tree."""

DEFAULT_FOLDER = PurePath("output")


@dataclass(frozen=True)
class PolicyScope:
    """What a scan does besides reading: each set field adds one statement on exactly its ARN."""

    bucket: str | None = None
    folder: PurePath = DEFAULT_FOLDER
    history: PurePath | None = None
    """``--history``: with a bucket, the runs kept and read back under this prefix."""
    kms_key_arn: str | None = None
    event_bus_arn: str | None = None
    role_arn: str | None = None
    organization: bool = False
    """Whether the scan lists the organization's accounts (``--organization``)."""
    member_role: str | None = None
    """The role the scan assumes in every other account (``--role-name``)."""
    partition: str = "aws"
    security_hub: bool = False
    account_id: str = "*"
    """The scanned account, naming its Security Hub resources; ``*`` for any."""


def check_actions(checks: Iterable[Check]) -> set[str]:
    return {action for check in checks for action in check.actions}


def read_actions(checks: Iterable[Check]) -> list[str]:
    """What the scanning principal reads in its own account."""
    return sorted({*BASE_ACTIONS, *check_actions(checks)})


def member_actions(checks: Iterable[Check]) -> list[str]:
    """What a scan reads in an account it reaches through the member role: the organization's
    listing names the accounts, so no Organizations call is made there."""
    return sorted({*ACCOUNT_ACTIONS, *check_actions(checks)})


def statement(sid: str, actions: list[str], resource: str) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource}


def policy(checks: Iterable[Check], scope: PolicyScope | None = None) -> dict[str, Any]:
    scope = scope or PolicyScope()
    # Describe/List calls on these services do not support resource-level permissions.
    statements = [statement("ResiliencyAnalyserReadOnly", read_actions(checks), "*")]
    if scope.role_arn:
        statements.append(statement("AssumeScanRole", ["sts:AssumeRole"], scope.role_arn))
    if scope.organization:
        # ListAccounts, ListRoots and DescribeOrganization support no resource-level permission.
        statements.append(statement("ListOrganizationAccounts", list(ORGANIZATION_ACTIONS), "*"))
    if scope.member_role:
        member_roles = f"arn:{scope.partition}:iam::*:role/{scope.member_role}"
        statements.append(statement("AssumeMemberRole", ["sts:AssumeRole"], member_roles))
    if scope.bucket:
        objects = f"arn:{scope.partition}:s3:::{scope.bucket}/{object_key(scope.folder, '*')}"
        statements.append(statement("UploadFindingsToS3", ["s3:PutObject"], objects))
    if scope.bucket and scope.history is not None:
        statements.extend(history_statements(scope.partition, scope.bucket, scope.history))
    if scope.bucket and scope.kms_key_arn:
        # S3 asks KMS for a data key on the uploader's behalf for each SSE-KMS object, and to
        # decrypt each one read back.
        actions = ["kms:GenerateDataKey"]
        if scope.history is not None:
            actions.append("kms:Decrypt")
        statements.append(statement("EncryptUploadsWithKms", actions, scope.kms_key_arn))
    if scope.event_bus_arn:
        statements.append(
            statement("PublishFindingsToEventBridge", ["events:PutEvents"], scope.event_bus_arn)
        )
    if scope.security_hub:
        statements.extend(security_hub_statements(scope.partition, scope.account_id))
    return {"Version": "2012-10-17", "Statement": statements}


def history_statements(partition: str, bucket: str, history: PurePath) -> list[dict[str, Any]]:
    """Writing the runs' history under its prefix, and reading it back (listing only that
    prefix) for the trend and the comparison with the last run."""
    runs = object_key(history, f"{HISTORY_PREFIX}_*")
    listing = statement("ListRunHistory", ["s3:ListBucket"], f"arn:{partition}:s3:::{bucket}")
    listing["Condition"] = {"StringLike": {"s3:prefix": runs}}
    return [
        statement(
            "KeepRunHistory",
            ["s3:GetObject", "s3:PutObject"],
            f"arn:{partition}:s3:::{bucket}/{runs}",
        ),
        listing,
    ]


def security_hub_statements(partition: str, account_id: str) -> list[dict[str, Any]]:
    """Importing only into the account's own default product, reading only its own hub; any
    region, as the scan imports where each finding is."""
    prefix = f"arn:{partition}:securityhub:*:{account_id}"
    return [
        statement(
            "ImportFindingsToSecurityHub",
            ["securityhub:BatchImportFindings"],
            f"{prefix}:product/{account_id}/default",
        ),
        statement(
            "ReadImportedSecurityHubFindings", ["securityhub:GetFindings"], f"{prefix}:hub/default"
        ),
    ]


def policy_json(checks: Iterable[Check], scope: PolicyScope | None = None) -> str:
    return json.dumps(policy(checks, scope), indent=2) + "\n"

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

# Calls every scan makes before any check runs.
BASE_ACTIONS: tuple[str, ...] = (
    "sts:GetCallerIdentity",
    "ec2:DescribeRegions",
    "organizations:DescribeOrganization",
    "organizations:DescribeAccount",
    # Once per region whose AZs findings name, to give each AZ name its AZ ID.
    "ec2:DescribeAvailabilityZones",
)

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
    partition: str = "aws"
    security_hub: bool = False
    account_id: str = "*"
    """The scanned account, naming its Security Hub resources; ``*`` for any."""


def read_actions(checks: Iterable[Check]) -> list[str]:
    return sorted({*BASE_ACTIONS, *(action for check in checks for action in check.actions)})


def _statement(sid: str, actions: list[str], resource: str) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource}


def policy(checks: Iterable[Check], scope: PolicyScope | None = None) -> dict[str, Any]:
    scope = scope or PolicyScope()
    # Describe/List calls on these services do not support resource-level permissions.
    statements = [_statement("ResiliencyAnalyserReadOnly", read_actions(checks), "*")]
    if scope.role_arn:
        statements.append(_statement("AssumeScanRole", ["sts:AssumeRole"], scope.role_arn))
    if scope.bucket:
        objects = f"arn:{scope.partition}:s3:::{scope.bucket}/{object_key(scope.folder, '*')}"
        statements.append(_statement("UploadFindingsToS3", ["s3:PutObject"], objects))
    if scope.bucket and scope.history is not None:
        statements.extend(history_statements(scope.partition, scope.bucket, scope.history))
    if scope.bucket and scope.kms_key_arn:
        # S3 asks KMS for a data key on the uploader's behalf for each SSE-KMS object, and to
        # decrypt each one read back.
        actions = ["kms:GenerateDataKey"]
        if scope.history is not None:
            actions.append("kms:Decrypt")
        statements.append(_statement("EncryptUploadsWithKms", actions, scope.kms_key_arn))
    if scope.event_bus_arn:
        statements.append(
            _statement("PublishFindingsToEventBridge", ["events:PutEvents"], scope.event_bus_arn)
        )
    if scope.security_hub:
        statements.extend(security_hub_statements(scope.partition, scope.account_id))
    return {"Version": "2012-10-17", "Statement": statements}


def history_statements(partition: str, bucket: str, history: PurePath) -> list[dict[str, Any]]:
    """Writing the runs' history under its prefix, and reading it back (listing only that
    prefix) for the trend and the comparison with the last run."""
    runs = object_key(history, f"{HISTORY_PREFIX}_*")
    listing = _statement("ListRunHistory", ["s3:ListBucket"], f"arn:{partition}:s3:::{bucket}")
    listing["Condition"] = {"StringLike": {"s3:prefix": runs}}
    return [
        _statement(
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
        _statement(
            "ImportFindingsToSecurityHub",
            ["securityhub:BatchImportFindings"],
            f"{prefix}:product/{account_id}/default",
        ),
        _statement(
            "ReadImportedSecurityHubFindings", ["securityhub:GetFindings"], f"{prefix}:hub/default"
        ),
    ]


def policy_json(checks: Iterable[Check], scope: PolicyScope | None = None) -> str:
    return json.dumps(policy(checks, scope), indent=2) + "\n"

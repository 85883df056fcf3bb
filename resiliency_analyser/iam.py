"""The least-privilege IAM policy for a scan, derived from the check registry."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from resiliency_analyser.checks.base import Check

# Calls every scan makes before any check runs.
BASE_ACTIONS: tuple[str, ...] = (
    "sts:GetCallerIdentity",
    "ec2:DescribeRegions",
    "organizations:DescribeOrganization",
    "organizations:DescribeAccount",
)


def read_actions(checks: Iterable[Check]) -> list[str]:
    return sorted({*BASE_ACTIONS, *(action for check in checks for action in check.actions)})


def policy(checks: Iterable[Check]) -> dict[str, Any]:
    # Describe/List calls on these services do not support resource-level permissions.
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ResiliencyAnalyserReadOnly",
                "Effect": "Allow",
                "Action": read_actions(checks),
                "Resource": "*",
            }
        ],
    }


def policy_json(checks: Iterable[Check]) -> str:
    return json.dumps(policy(checks), indent=2) + "\n"

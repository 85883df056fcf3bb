"""The ``iam-policy`` command's raw values, checked and turned into the checks and policy scope."""

from __future__ import annotations

from resiliency_analyser.checks.api import Check
from resiliency_analyser.config import values
from resiliency_analyser.config.arguments import PolicyArguments
from resiliency_analyser.errors import UsageError
from resiliency_analyser.permissions import PolicyScope


def policy_request(args: PolicyArguments) -> tuple[list[Check], PolicyScope]:
    checks = values.parse_services(args.services)
    values.validate_bucket(args.bucket)
    values.validate_kms_key_arn(args.kms_key_id)
    values.validate_event_bus_arn(args.event_bus_arn)
    values.validate_account_id("--account-id", args.account_id)
    partition = values.validate_partition(args.partition)
    if args.kms_key_id and not args.bucket:
        raise UsageError("--kms-key-id applies only with -b/--bucket")
    role_arn = None
    if args.assume_role is not None:
        if args.account_id is None:
            raise UsageError("--assume-role needs --account-id: the role's ARN names its account")
        role = values.validate_role_name("--assume-role", args.assume_role)
        role_arn = f"arn:{partition}:iam::{args.account_id}:role/{role}"
    if args.organization and args.role_name is None:
        raise UsageError(
            "--organization needs --role-name: the role the scan assumes in each member account"
        )
    member_role = None
    if args.role_name is not None:
        # Also without --organization: a scan of named accounts (--accounts) assumes it.
        member_role = values.validate_role_name("--role-name", args.role_name)
    scope = PolicyScope(
        bucket=args.bucket,
        folder=args.output,
        history=args.history,
        kms_key_arn=args.kms_key_id,
        event_bus_arn=args.event_bus_arn,
        role_arn=role_arn,
        organization=args.organization,
        member_role=member_role,
        partition=partition,
        security_hub=args.security_hub,
        account_id=args.account_id or "*",
    )
    return checks, scope

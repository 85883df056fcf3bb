"""The ``iam-policy`` command: the least-privilege policy for a scan with given options."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resiliency_analyser.cli.parameters import (
    PANEL_CREDENTIALS,
    PANEL_DELIVERY,
    PANEL_SCOPE,
    Bucket,
    EventBusArn,
    SecurityHub,
    Services,
    examples,
)

EPILOG = examples(
    "resiliency-analyser iam-policy > policy.json",
    "resiliency-analyser iam-policy -s rds,lambda -b reports-bucket -o reports",
    "resiliency-analyser iam-policy --partition aws-cn > policy.json",
)


def iam_policy(
    services: Services = None,
    bucket: Bucket = None,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            rich_help_panel=PANEL_DELIVERY,
            help="The scan's -o folder: the uploads' key prefix.",
        ),
    ] = Path("output"),
    kms_key_id: Annotated[
        str | None,
        typer.Option(
            "--kms-key-id",
            metavar="KEY_ARN",
            rich_help_panel=PANEL_DELIVERY,
            help="ARN of the KMS key for uploads.",
        ),
    ] = None,
    event_bus_arn: EventBusArn = None,
    assume_role: Annotated[
        str | None,
        typer.Option(
            "--assume-role",
            metavar="ROLE_NAME",
            rich_help_panel=PANEL_CREDENTIALS,
            help="Role the scan assumes (needs --account-id).",
        ),
    ] = None,
    account_id: Annotated[
        str | None,
        typer.Option(
            "--account-id",
            rich_help_panel=PANEL_CREDENTIALS,
            help="Account of the role given to --assume-role, and the one --security-hub imports into.",
        ),
    ] = None,
    security_hub: SecurityHub = False,
    partition: Annotated[
        str,
        typer.Option(
            "--partition",
            rich_help_panel=PANEL_SCOPE,
            help="AWS partition: aws, aws-us-gov or aws-cn.",
        ),
    ] = "aws",
) -> None:
    """Print the least-privilege IAM policy for a scan with these options."""
    from resiliency_analyser.config.policy import PolicyArguments, policy_request
    from resiliency_analyser.permissions import policy_json

    checks, scope = policy_request(
        PolicyArguments(
            services=services,
            bucket=bucket,
            output=output,
            kms_key_id=kms_key_id,
            event_bus_arn=event_bus_arn,
            assume_role=assume_role,
            account_id=account_id,
            partition=partition,
            security_hub=security_hub,
        )
    )
    typer.echo(policy_json(checks, scope), nl=False)

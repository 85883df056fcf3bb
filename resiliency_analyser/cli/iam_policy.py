"""The ``iam-policy`` command: the least-privilege policy for a scan with given options."""

from __future__ import annotations

import typer

from resiliency_analyser.cli.parameters import examples, takes
from resiliency_analyser.config.arguments import PolicyArguments

EPILOG = examples(
    "resiliency-analyser iam-policy > policy.json",
    "resiliency-analyser iam-policy -s rds,lambda -b reports-bucket -o reports",
    "resiliency-analyser iam-policy --partition aws-cn > policy.json",
    "resiliency-analyser iam-policy --organization --role-name ResiliencyReader",
)


@takes(PolicyArguments)
def iam_policy(arguments: PolicyArguments) -> None:
    """Print the least-privilege IAM policy for a scan with these options."""
    from resiliency_analyser.config.policy import policy_request
    from resiliency_analyser.permissions import policy_json

    checks, scope = policy_request(arguments)
    typer.echo(policy_json(checks, scope), nl=False)

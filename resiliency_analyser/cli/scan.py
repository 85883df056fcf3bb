"""The ``scan`` command: its options, declared on ``ScanArguments``, handed whole to ``config``
and then to the run."""

from __future__ import annotations

import typer

from resiliency_analyser.cli.logs import LogLevel, configure_logging
from resiliency_analyser.cli.parameters import LogLevelOption, examples, takes
from resiliency_analyser.config.arguments import ScanArguments

EPILOG = examples(
    "resiliency-analyser scan -r us-east-1 -s rds,lambda",
    "resiliency-analyser scan --profile prod --report-only-risks -o reports/",
    "resiliency-analyser scan --format jsonl,markdown --stdout jsonl",
    "resiliency-analyser scan --suppressions accepted.yaml --fail-on risk",
    "resiliency-analyser scan --fail-on new --baseline last.jsonl",
    "resiliency-analyser scan -b my-findings-bucket --kms-key-id alias/findings",
    "resiliency-analyser scan --organization --exclude-ou ou-ab12-sandbox1",
)


@takes(ScanArguments)
def scan(arguments: ScanArguments, log_level: LogLevelOption = LogLevel.WARNING) -> None:
    """Scan an AWS account for single-AZ resiliency risks and write the findings CSVs."""
    from resiliency_analyser.aws.session import base_session
    from resiliency_analyser.cli.console import execute
    from resiliency_analyser.config.scan import scan_request

    configure_logging(log_level)
    request = scan_request(arguments)
    result = execute(request, base_session(request.profile))
    if result.exit_code:
        raise typer.Exit(result.exit_code)

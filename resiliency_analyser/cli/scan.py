"""The ``scan`` command: its options, handed whole to ``config`` and then to the run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resiliency_analyser.aws.settings import ClientSettings, RetryMode
from resiliency_analyser.cli.logs import LogLevel, configure_logging
from resiliency_analyser.cli.parameters import (
    PANEL_CREDENTIALS,
    PANEL_DELIVERY,
    PANEL_OUTPUT,
    PANEL_TUNING,
    Baseline,
    Bucket,
    CsvExtended,
    EventBusArn,
    FailOnOption,
    Formats,
    LogLevelOption,
    OutputFolder,
    Regions,
    ReportOnlyRisks,
    SecurityHub,
    Services,
    StdoutFormat,
    Suppressions,
    examples,
    given,
)
from resiliency_analyser.config.tuning import DEFAULT_CHECK_TIMEOUT

EPILOG = examples(
    "resiliency-analyser scan -r us-east-1 -s rds,lambda",
    "resiliency-analyser scan --profile prod --report-only-risks -o reports/",
    "resiliency-analyser scan --format jsonl,markdown --stdout jsonl",
    "resiliency-analyser scan --suppressions accepted.yaml --fail-on risk",
    "resiliency-analyser scan --fail-on new --baseline last.jsonl",
    "resiliency-analyser scan -b my-findings-bucket --kms-key-id alias/findings",
)


def scan(
    ctx: typer.Context,
    services: Services = None,
    regions: Regions = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            "--aws-profile",
            rich_help_panel=PANEL_CREDENTIALS,
            help="AWS CLI profile to use (default: AWS_PROFILE, else the default chain).",
        ),
    ] = None,
    assume_role: Annotated[
        str | None,
        typer.Option(
            "--assume-role",
            "--aws-assume-role",
            metavar="ROLE_NAME",
            rich_help_panel=PANEL_CREDENTIALS,
            help="Name of a role in the same account to assume for the whole scan.",
        ),
    ] = None,
    endpoint_url: Annotated[
        str | None,
        typer.Option(
            "--endpoint-url",
            metavar="URL",
            rich_help_panel=PANEL_CREDENTIALS,
            help="Send every AWS request to this URL (e.g. LocalStack), as the AWS CLI's option.",
        ),
    ] = None,
    output: OutputFolder = Path("output"),
    formats: Formats = None,
    stdout_format: StdoutFormat = None,
    csv_extended: CsvExtended = False,
    report_only_risks: ReportOnlyRisks = False,
    truncate_output: Annotated[
        bool,
        typer.Option(
            "--truncate-output",
            rich_help_panel=PANEL_OUTPUT,
            help="Start the day's files afresh instead of appending.",
        ),
    ] = False,
    filename_with_accountid: Annotated[
        bool,
        typer.Option(
            "--filename-with-accountid",
            rich_help_panel=PANEL_OUTPUT,
            help="Put the account id and name in the file names.",
        ),
    ] = False,
    bucket: Bucket = None,
    bucket_owner: Annotated[
        str | None,
        typer.Option(
            "--bucket-owner",
            metavar="ACCOUNT_ID",
            rich_help_panel=PANEL_DELIVERY,
            help="Account that must own the bucket (default: the scanned account).",
        ),
    ] = None,
    kms_key_id: Annotated[
        str | None,
        typer.Option(
            "--kms-key-id",
            rich_help_panel=PANEL_DELIVERY,
            help="Encrypt uploads with this KMS key (SSE-KMS) instead of SSE-S3.",
        ),
    ] = None,
    event_bus_arn: EventBusArn = None,
    security_hub: SecurityHub = False,
    security_hub_all: Annotated[
        bool,
        typer.Option(
            "--security-hub-all",
            help="As --security-hub, and import the findings that are not risks too, as passed.",
            rich_help_panel=PANEL_DELIVERY,
        ),
    ] = False,
    suppressions: Suppressions = None,
    fail_on: FailOnOption = None,
    baseline: Baseline = None,
    max_concurrency: Annotated[
        int,
        typer.Option(
            "-m",
            "--max-concurrency",
            "--max-concurrent-threads",
            rich_help_panel=PANEL_TUNING,
            help="Most AWS requests in flight at once across the scan.",
        ),
    ] = ClientSettings.max_concurrency,
    max_concurrency_per_service: Annotated[
        int,
        typer.Option(
            "--max-concurrency-per-service",
            rich_help_panel=PANEL_TUNING,
            help="Most requests in flight to one service in one region (AWS throttles per "
            "account, region and API).",
        ),
    ] = ClientSettings.per_client_concurrency,
    single_threaded: Annotated[
        bool,
        typer.Option(
            "--single-threaded",
            rich_help_panel=PANEL_TUNING,
            help="One AWS request at a time (= -m 1).",
        ),
    ] = False,
    retry_mode: Annotated[
        RetryMode | None,
        typer.Option(
            "--retry-mode",
            case_sensitive=False,
            rich_help_panel=PANEL_TUNING,
            help="botocore retry mode. Default: AWS_RETRY_MODE if set, else standard.",
        ),
    ] = None,
    max_attempts: Annotated[
        int | None,
        typer.Option(
            "--max-attempts",
            rich_help_panel=PANEL_TUNING,
            help="Attempts per AWS request, the first included. Default: AWS_MAX_ATTEMPTS if "
            "set, else 8.",
        ),
    ] = None,
    check_timeout: Annotated[
        float,
        typer.Option(
            "--check-timeout",
            metavar="SECONDS",
            rich_help_panel=PANEL_TUNING,
            help="Time budget of each (check, region); past it the pair is reported Timeout.",
        ),
    ] = DEFAULT_CHECK_TIMEOUT,
    log_level: LogLevelOption = LogLevel.WARNING,
) -> None:
    """Scan an AWS account for single-AZ resiliency risks and write the findings CSVs."""
    from resiliency_analyser.aws.session import base_session
    from resiliency_analyser.cli.console import execute
    from resiliency_analyser.config.scan import ScanArguments, scan_request

    configure_logging(log_level)
    request = scan_request(
        ScanArguments(
            services=services,
            regions=regions,
            # None when not typed, so --single-threaded can tell a conflict from the default.
            max_concurrency=given(ctx, "max_concurrency", max_concurrency),
            max_concurrency_per_service=max_concurrency_per_service,
            single_threaded=single_threaded,
            output=output,
            profile=profile,
            assume_role=assume_role,
            endpoint_url=endpoint_url,
            bucket=bucket,
            bucket_owner=bucket_owner,
            kms_key_id=kms_key_id,
            event_bus_arn=event_bus_arn,
            security_hub=security_hub,
            security_hub_all=security_hub_all,
            truncate_output=truncate_output,
            filename_with_accountid=filename_with_accountid,
            report_only_risks=report_only_risks,
            formats=formats,
            stdout_format=stdout_format,
            csv_extended=csv_extended,
            suppressions=suppressions,
            fail_on=fail_on,
            baseline=baseline,
            retry_mode=retry_mode,
            max_attempts=max_attempts,
            check_timeout=check_timeout,
        )
    )
    result = execute(request, base_session(request.profile))
    if result.exit_code:
        raise typer.Exit(result.exit_code)

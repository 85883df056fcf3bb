"""The ``scan`` command: its options, handed whole to ``config`` and then to the run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resiliency_analyser.aws.settings import ClientSettings, RetryMode
from resiliency_analyser.cli.logs import LogLevel, configure_logging
from resiliency_analyser.cli.parameters import (
    PANEL_DELIVERY,
    Bucket,
    EventBusArn,
    LogLevelOption,
    Regions,
    SecurityHub,
    Services,
)
from resiliency_analyser.config.tuning import DEFAULT_CHECK_TIMEOUT


def scan(
    services: Services = None,
    regions: Regions = None,
    max_concurrency: Annotated[
        int,
        typer.Option(
            "-m",
            "--max-concurrency",
            "--max-concurrent-threads",
            help="Most AWS requests in flight at once across the scan.",
        ),
    ] = ClientSettings.max_concurrency,
    max_concurrency_per_service: Annotated[
        int,
        typer.Option(
            "--max-concurrency-per-service",
            help="Most requests in flight to one service in one region (AWS throttles per "
            "account, region and API).",
        ),
    ] = ClientSettings.per_client_concurrency,
    single_threaded: Annotated[
        bool, typer.Option("--single-threaded", help="One AWS request at a time (= -m 1).")
    ] = False,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Folder for the output files; created if missing."),
    ] = Path("output"),
    profile: Annotated[
        str | None, typer.Option("--profile", "--aws-profile", help="AWS CLI profile to use.")
    ] = None,
    assume_role: Annotated[
        str | None,
        typer.Option(
            "--assume-role",
            "--aws-assume-role",
            metavar="ROLE_NAME",
            help="Name of a role in the same account to assume for the whole scan.",
        ),
    ] = None,
    bucket: Bucket = None,
    bucket_owner: Annotated[
        str | None,
        typer.Option(
            "--bucket-owner",
            metavar="ACCOUNT_ID",
            help="Account that must own the bucket (default: the scanned account).",
        ),
    ] = None,
    kms_key_id: Annotated[
        str | None,
        typer.Option(
            "--kms-key-id", help="Encrypt uploads with this KMS key (SSE-KMS) instead of SSE-S3."
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
    log_level: LogLevelOption = LogLevel.WARNING,
    truncate_output: Annotated[
        bool,
        typer.Option(
            "--truncate-output", help="Start the day's files afresh instead of appending."
        ),
    ] = False,
    filename_with_accountid: Annotated[
        bool,
        typer.Option(
            "--filename-with-accountid", help="Put the account id and name in the file names."
        ),
    ] = False,
    report_only_risks: Annotated[
        bool, typer.Option("--report-only-risks", help="Write only findings that are risks.")
    ] = False,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="Findings file format: csv, jsonl, json, markdown, ocsf or html; repeated or comma-separated. Default csv.",
        ),
    ] = None,
    stdout_format: Annotated[
        str | None,
        typer.Option(
            "--stdout", metavar="FORMAT", help="Also write the findings to stdout in this format."
        ),
    ] = None,
    csv_extended: Annotated[
        bool,
        typer.Option(
            "--csv-extended",
            help="Add check id, AZs, severity, remediation and suppression columns to the CSV.",
        ),
    ] = False,
    suppressions: Annotated[
        Path | None,
        typer.Option(
            "--suppressions", metavar="FILE", help="YAML file of accepted risks to mark suppressed."
        ),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="risk|new",
            help="Exit 3 on any unsuppressed risk, or only on ones not in --baseline.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="A previous run's JSON Lines findings to compare with.",
        ),
    ] = None,
    retry_mode: Annotated[
        RetryMode | None,
        typer.Option(
            "--retry-mode",
            case_sensitive=False,
            help="botocore retry mode. Default: AWS_RETRY_MODE if set, else standard.",
        ),
    ] = None,
    max_attempts: Annotated[
        int | None,
        typer.Option(
            "--max-attempts",
            help="Attempts per AWS request, the first included. Default: AWS_MAX_ATTEMPTS if set, else 8.",
        ),
    ] = None,
    check_timeout: Annotated[
        float,
        typer.Option(
            "--check-timeout",
            metavar="SECONDS",
            help="Time budget of each (check, region); past it the pair is reported Timeout.",
        ),
    ] = DEFAULT_CHECK_TIMEOUT,
) -> None:
    """Scan an AWS account for single-AZ resiliency risks and write the findings CSVs."""
    from resiliency_analyser.aws.session import base_session
    from resiliency_analyser.cli.console import execute
    from resiliency_analyser.config.scan import ScanArguments, scan_request
    from resiliency_analyser.output.publish import publish

    configure_logging(log_level)
    request = scan_request(
        ScanArguments(
            services=services,
            regions=regions,
            max_concurrency=max_concurrency,
            max_concurrency_per_service=max_concurrency_per_service,
            single_threaded=single_threaded,
            output=output,
            profile=profile,
            assume_role=assume_role,
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
    out = request.output
    publish(result, result.review, out.stdout, out.step_summary, csv_extended=out.csv_extended)
    if result.exit_code:
        raise typer.Exit(result.exit_code)

"""The ``resiliency-analyser`` command. Heavy imports wait until a command runs, so help is fast."""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from resiliency_analyser import __version__, tuning
from resiliency_analyser.errors import FatalError, UsageError
from resiliency_analyser.tuning import RetryMode

if TYPE_CHECKING:
    import aioboto3

    from resiliency_analyser.aws.clients import ClientSettings
    from resiliency_analyser.scan import ScanRequest, ScanResult

PROG = "resiliency-analyser"

EPILOG = """\
Examples:

  resiliency-analyser scan -r us-east-1 -s rds,lambda

  resiliency-analyser scan -r ALL --profile prod --report-only-risks -o reports/

  resiliency-analyser scan --suppressions accepted.yaml --fail-on new --baseline last.jsonl --format jsonl

  resiliency-analyser demo
"""

app = typer.Typer(
    name=PROG,
    help="Find AWS resources that a single Availability Zone failure would take down.",
    epilog=EPILOG,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {__version__}")
        raise typer.Exit


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Find AWS resources that a single Availability Zone failure would take down."""


def configure_logging(level: LogLevel) -> None:
    """Our loggers only, to the current stderr; the SDK's own logs would echo request headers."""
    from resiliency_analyser.redact import RedactSecrets

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    logger = logging.getLogger("resiliency_analyser")
    logger.handlers = [handler]
    logger.setLevel(level.value)
    logger.propagate = False


def execute(request: ScanRequest, session: aioboto3.Session) -> ScanResult:
    """Run the scan pipeline with progress on stderr and the summary at the end."""
    import asyncio

    from rich.console import Console

    from resiliency_analyser.gate import review_lines
    from resiliency_analyser.interrupt import sigterm_as_interrupt
    from resiliency_analyser.progress import LogDisplay, RichDisplay, failure_lines, summary_table
    from resiliency_analyser.scan import run_scan

    console = Console(stderr=True)
    display = RichDisplay(console) if console.is_terminal else LogDisplay()
    with sigterm_as_interrupt():
        result = asyncio.run(run_scan(request, session, display))
    console.print(summary_table(result.results))
    for line in failure_lines(result.results):
        console.print(f"[red]failed[/] {line}", highlight=False)
    for line in review_lines(result.review):
        console.print(line, highlight=False, soft_wrap=True)
    for path in result.files:
        console.print(f"wrote {path}", highlight=False, soft_wrap=True)
    for line in result.delivery.lines():
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    return result


Services = Annotated[
    list[str] | None,
    typer.Option(
        "-s",
        "--services",
        metavar="KEYS",
        help="Checks to run: keys from 'resiliency-analyser services', repeated or comma-separated, or ALL.",
    ),
]
Bucket = Annotated[
    str | None,
    typer.Option(
        "-b", "--bucket", help="S3 bucket to upload the run's files to, under the -o folder."
    ),
]
EventBusArn = Annotated[
    str | None,
    typer.Option("--event-bus-arn", help="EventBridge bus ARN to publish findings to."),
]
Regions = Annotated[
    list[str] | None,
    typer.Option(
        "-r",
        "--regions",
        metavar="REGIONS",
        help="Regions to scan, repeated or comma-separated, or ALL (every region enabled for the account).",
    ),
]


@app.command()
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
    ] = 64,
    max_concurrency_per_service: Annotated[
        int,
        typer.Option(
            "--max-concurrency-per-service",
            help="Most requests in flight to one service in one region (AWS throttles per "
            "account, region and API).",
        ),
    ] = 10,
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
    log_level: Annotated[
        LogLevel, typer.Option("--log-level", case_sensitive=False, help="Log detail on stderr.")
    ] = LogLevel.WARNING,
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
            help="Findings file format: csv, jsonl, json or markdown; repeated or comma-separated. Default csv.",
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
    ] = tuning.DEFAULT_CHECK_TIMEOUT,
) -> None:
    """Scan an AWS account for single-AZ resiliency risks and write the findings CSVs."""
    from resiliency_analyser import options

    configure_logging(log_level)
    checks = options.parse_services(services)
    region_list = options.parse_regions(regions)
    concurrency = 1 if single_threaded else options.validate_concurrency(max_concurrency)
    per_service = options.validate_concurrency(
        max_concurrency_per_service, "--max-concurrency-per-service"
    )
    delivery = options.delivery_options(bucket, bucket_owner, kms_key_id, event_bus_arn)
    folder = options.prepare_output_folder(output)
    settings = client_settings(concurrency, per_service, retry_mode, max_attempts)
    budget = tuning.check_timeout(check_timeout)

    import os
    from datetime import UTC, datetime

    from resiliency_analyser.aws.session import base_session, validate_role_name
    from resiliency_analyser.gate import exit_code, gate_policy
    from resiliency_analyser.output.formats import output_choice
    from resiliency_analyser.output.publish import needs_every_finding, publish
    from resiliency_analyser.scan import OutputOptions, ScanRequest

    file_formats, to_stdout = output_choice(formats, stdout_format, csv_extended=csv_extended)
    gate = gate_policy(
        suppressions=suppressions,
        baseline=baseline,
        fail_on=fail_on,
        today=datetime.now(UTC).date(),
    )

    if assume_role is not None:
        validate_role_name(assume_role)
    request = ScanRequest(
        checks=checks,
        regions=region_list,
        output=OutputOptions(
            folder=folder,
            truncate=truncate_output,
            with_account_id=filename_with_accountid,
            only_risks=report_only_risks,
            formats=file_formats,
            csv_extended=csv_extended,
            keep_findings=needs_every_finding(file_formats, to_stdout, gate, os.environ),
        ),
        settings=settings,
        assume_role=assume_role,
        gate=gate,
        check_timeout=budget,
        delivery=delivery,
    )
    result = execute(request, base_session(profile))
    publish(result, to_stdout, csv_extended=csv_extended)
    code = exit_code(result)
    if code:
        raise typer.Exit(code)


def client_settings(
    concurrency: int, per_service: int, retry_mode: RetryMode | None, max_attempts: int | None
) -> ClientSettings:
    import os

    from resiliency_analyser.aws.clients import ClientSettings

    return ClientSettings(
        max_concurrency=concurrency,
        per_client_concurrency=min(concurrency, per_service),
        retry_mode=tuning.retry_mode(retry_mode, os.environ),
        max_attempts=tuning.max_attempts(max_attempts, os.environ),
    )


@app.command()
def services() -> None:
    """List every check: its key, the AWS service, and its rule."""
    from resiliency_analyser.registry import CHECKS

    for check in CHECKS:
        typer.echo(f"{check.key:<18} {check.service:<28} {check.rule}")


@app.command("iam-policy")
def iam_policy(
    services: Services = None,
    bucket: Bucket = None,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The scan's -o folder: the uploads' key prefix.")
    ] = Path("output"),
    kms_key_id: Annotated[
        str | None,
        typer.Option("--kms-key-id", metavar="KEY_ARN", help="ARN of the KMS key for uploads."),
    ] = None,
    event_bus_arn: EventBusArn = None,
    assume_role: Annotated[
        str | None,
        typer.Option(
            "--assume-role", metavar="ROLE_NAME", help="Role the scan assumes (needs --account-id)."
        ),
    ] = None,
    account_id: Annotated[
        str | None,
        typer.Option("--account-id", help="Account of the role given to --assume-role."),
    ] = None,
    partition: Annotated[
        str, typer.Option("--partition", help="AWS partition: aws, aws-us-gov or aws-cn.")
    ] = "aws",
) -> None:
    """Print the least-privilege IAM policy for a scan with these options."""
    from resiliency_analyser import options
    from resiliency_analyser.aws.session import validate_role_name
    from resiliency_analyser.iam import PolicyScope, policy_json

    checks = options.parse_services(services)
    options.validate_bucket(bucket)
    options.validate_kms_key_arn(kms_key_id)
    options.validate_event_bus_arn(event_bus_arn)
    options.validate_account_id("--account-id", account_id)
    if partition not in options.PARTITIONS:
        raise UsageError(
            f"--partition must be one of {', '.join(options.PARTITIONS)}: {partition!r}"
        )
    if kms_key_id and not bucket:
        raise UsageError("--kms-key-id applies only with -b/--bucket")
    role_arn = None
    if assume_role is not None:
        if account_id is None:
            raise UsageError("--assume-role needs --account-id: the role's ARN names its account")
        role_arn = f"arn:{partition}:iam::{account_id}:role/{validate_role_name(assume_role)}"
    scope = PolicyScope(
        bucket=bucket,
        folder=output,
        kms_key_arn=kms_key_id,
        event_bus_arn=event_bus_arn,
        role_arn=role_arn,
        partition=partition,
    )
    typer.echo(policy_json(checks, scope), nl=False)


@app.command()
def demo(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder for the CSV files; created if missing.")
    ] = Path("output"),
    log_level: Annotated[
        LogLevel, typer.Option("--log-level", case_sensitive=False, help="Log detail on stderr.")
    ] = LogLevel.WARNING,
) -> None:
    """Scan an embedded simulated account (a local moto server); no AWS credentials needed."""
    from resiliency_analyser import options

    configure_logging(log_level)
    folder = options.prepare_output_folder(output)
    try:
        from resiliency_analyser.demo.account import DemoAccount
    except ImportError as error:
        raise UsageError(
            f"the demo needs the 'demo' extra: pip install 'resiliency-analyser[demo]' ({error.name} missing)"
        ) from error
    from resiliency_analyser.gate import exit_code

    with DemoAccount() as account:
        result = execute(account.scan_request(folder), account.session())
    raise typer.Exit(exit_code(result))


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error is one line on stderr and an exit code, never a traceback."""
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    try:
        # Bare, the command shows its help, as --help would, rather than a usage error.
        code = command.main(args=args or ["--help"], prog_name=PROG, standalone_mode=False)
    except typer.Exit as done:
        return int(done.exit_code)
    except typer.TyperException as error:
        message = getattr(error, "format_message", error.__str__)()
        typer.echo(f"{PROG}: error: {message}", err=True)
        return 2
    except UsageError as error:
        typer.echo(f"{PROG}: error: {error}", err=True)
        return 2
    except FatalError as error:
        typer.echo(f"{PROG}: {error}", err=True)
        return 1
    except (KeyboardInterrupt, typer.Abort):
        typer.echo(f"{PROG}: interrupted", err=True)
        return 130
    except Exception as error:
        logging.getLogger("resiliency_analyser").debug("internal error", exc_info=True)
        typer.echo(
            f"{PROG}: internal error: {type(error).__name__}: {error} "
            "(--log-level DEBUG shows where)",
            err=True,
        )
        return 1
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())

"""The ``demo`` command: a real scan of the embedded simulated account."""

from __future__ import annotations

import gc

import typer

from resiliency_analyser.cli.logs import LogLevel, configure_logging
from resiliency_analyser.cli.parameters import LogLevelOption, examples, takes
from resiliency_analyser.config.arguments import ScanArguments
from resiliency_analyser.errors import UsageError

EPILOG = examples(
    "resiliency-analyser demo",
    "resiliency-analyser demo --format json,markdown --csv-extended",
    "resiliency-analyser demo --stdout jsonl > last.jsonl",
    "resiliency-analyser demo --fail-on new --baseline last.jsonl",
    "resiliency-analyser demo --organization --format html",
)


# -s, --min-azs, --peer-tag and the scan's output and gate options; the demo's account sets the
# rest (its regions and endpoints, no credentials, files started afresh).
OPTIONS = (
    "services",
    "organization",
    "min_azs",
    "peer_tags",
    "output",
    "formats",
    "stdout_format",
    "csv_extended",
    "report_only_risks",
    "history",
    "suppressions",
    "fail_on",
    "baseline",
)


@takes(ScanArguments, only=OPTIONS)
def demo(arguments: ScanArguments, log_level: LogLevelOption = LogLevel.WARNING) -> None:
    """Scan an embedded simulated account (a local moto server); no AWS credentials needed.

    It takes the scan's output and gate options, so every format and the gate can be tried
    without AWS; --organization makes it an organization's management account, with members.
    The user's AWS configuration and proxy settings are ignored.
    """
    from resiliency_analyser.cli.console import display_for, execute, stderr_console
    from resiliency_analyser.config.scan import scan_request, without_aws_settings

    configure_logging(log_level)
    request = scan_request(arguments, environ=without_aws_settings())
    console = stderr_console()
    display = display_for(console)
    display.begin("starting the simulated account…")
    try:
        from resiliency_analyser.demo.account import DemoAccount
    except ImportError as error:
        display.stop()
        raise UsageError(
            f"the demo needs the 'demo' extra: pip install 'resiliency-analyser[demo]' ({error.name} missing)"
        ) from error

    try:
        with DemoAccount(on_step=display.begin, organization=arguments.organization) as account:
            result = execute(
                account.scan_request(arguments.output, like=request),
                account.session(),
                console,
                display,
            )
    finally:
        display.stop()
    # The simulator leaves a large object graph whose collection at interpreter exit kept the
    # prompt away for seconds; nothing of it needs finalising.
    gc.freeze()
    raise typer.Exit(result.exit_code)

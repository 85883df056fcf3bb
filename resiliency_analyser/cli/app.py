"""The ``resiliency-analyser`` command. Heavy imports wait until a command runs, so help is fast."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from resiliency_analyser import __version__
from resiliency_analyser.cli.command import Command
from resiliency_analyser.cli.demo import EPILOG as DEMO_EPILOG
from resiliency_analyser.cli.demo import demo
from resiliency_analyser.cli.diff import EPILOG as DIFF_EPILOG
from resiliency_analyser.cli.diff import diff
from resiliency_analyser.cli.iam_policy import EPILOG as IAM_POLICY_EPILOG
from resiliency_analyser.cli.iam_policy import iam_policy
from resiliency_analyser.cli.impact import impact
from resiliency_analyser.cli.merge import EPILOG as MERGE_EPILOG
from resiliency_analyser.cli.merge import merge
from resiliency_analyser.cli.parameters import examples
from resiliency_analyser.cli.scan import EPILOG as SCAN_EPILOG
from resiliency_analyser.cli.scan import scan
from resiliency_analyser.cli.services import services
from resiliency_analyser.errors import AnalyserError, ExitCode

PROG = "resiliency-analyser"

EPILOG = examples(
    "resiliency-analyser demo --format markdown",
    "resiliency-analyser scan -r us-east-1 -s rds,lambda",
    "resiliency-analyser scan --profile prod --report-only-risks -o reports/",
    "resiliency-analyser scan --fail-on new --baseline last.jsonl",
    "resiliency-analyser impact output/*.jsonl --az use1-az4",
    "resiliency-analyser diff last/run.json output/ --format markdown",
    "resiliency-analyser merge s3://my-findings/runs/2026-12-08/",
    "resiliency-analyser scan --help",
)

app = typer.Typer(
    name=PROG,
    help="Find AWS resources that a single Availability Zone failure would take down.",
    epilog=EPILOG,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    # Help as wide as the terminal (click stops at 80 columns otherwise).
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 200},
)


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


app.command(cls=Command, epilog=SCAN_EPILOG)(scan)
app.command(cls=Command)(services)
app.command("iam-policy", cls=Command, epilog=IAM_POLICY_EPILOG)(iam_policy)
app.command(cls=Command, epilog=DEMO_EPILOG)(demo)
app.command(cls=Command)(impact)
app.command(cls=Command, epilog=DIFF_EPILOG)(diff)
app.command(cls=Command, epilog=MERGE_EPILOG)(merge)


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
        return ExitCode.USAGE
    except AnalyserError as error:
        kind = "error: " if error.exit_code is ExitCode.USAGE else ""
        typer.echo(f"{PROG}: {kind}{error}", err=True)
        return error.exit_code
    except (KeyboardInterrupt, typer.Abort):
        typer.echo(f"{PROG}: interrupted", err=True)
        return ExitCode.INTERRUPTED
    except Exception as error:
        logging.getLogger("resiliency_analyser").debug("internal error", exc_info=True)
        typer.echo(
            f"{PROG}: internal error: {type(error).__name__}: {error} "
            "(--log-level DEBUG shows where)",
            err=True,
        )
        return ExitCode.SCAN_FAILED
    return code if isinstance(code, int) else ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())

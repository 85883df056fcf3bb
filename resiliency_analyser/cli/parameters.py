"""Options more than one command takes, declared once so their names and help stay alike."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, TypeVar

import typer
from typer._click.core import ParameterSource

from resiliency_analyser.cli.logs import LogLevel

# The help panels that group a command's options (rich_help_panel=...), in the order a reader
# meets them.
PANEL_SCOPE = "What to scan"
PANEL_CREDENTIALS = "Credentials"
PANEL_OUTPUT = "Output"
PANEL_DELIVERY = "Delivery"
PANEL_GATE = "CI gate"
PANEL_TUNING = "Tuning"
PANELS = (PANEL_SCOPE, PANEL_CREDENTIALS, PANEL_OUTPUT, PANEL_DELIVERY, PANEL_GATE, PANEL_TUNING)


def complete_services(incomplete: str) -> list[str]:
    """Shell completion of ``-s``: the keys, after any already typed before a comma."""
    from resiliency_analyser.checks.registry import ALL, BY_KEY

    typed, _, last = incomplete.rpartition(",")
    prefix = f"{typed}," if typed else ""
    return [f"{prefix}{key}" for key in (*sorted(BY_KEY), ALL) if key.startswith(last)]


EXAMPLE_WIDTH = 78
"""Every example fits an 80-column terminal, so none wraps mid-command."""


def examples(*commands: str) -> str:
    """A help epilog listing ``commands`` line by line, never re-flowed (click's ``\\b``)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {c}" for c in commands)


Services = Annotated[
    list[str] | None,
    typer.Option(
        "-s",
        "--services",
        metavar="KEYS",
        autocompletion=complete_services,
        rich_help_panel=PANEL_SCOPE,
        help="Checks to run: keys from 'resiliency-analyser services' (any case), repeated or "
        "comma-separated.  [default: ALL]",
    ),
]
Bucket = Annotated[
    str | None,
    typer.Option(
        "-b",
        "--bucket",
        rich_help_panel=PANEL_DELIVERY,
        help="S3 bucket to upload the run's files to, under the -o folder.",
    ),
]
EventBusArn = Annotated[
    str | None,
    typer.Option(
        "--event-bus-arn",
        rich_help_panel=PANEL_DELIVERY,
        help="EventBridge bus ARN to publish findings to.",
    ),
]
SecurityHub = Annotated[
    bool,
    typer.Option(
        "--security-hub",
        help="Import the risks into Security Hub, in each finding's own account and region.",
        rich_help_panel=PANEL_DELIVERY,
    ),
]
Regions = Annotated[
    list[str] | None,
    typer.Option(
        "-r",
        "--regions",
        "--region",
        metavar="REGIONS",
        rich_help_panel=PANEL_SCOPE,
        help="Regions to scan, repeated or comma-separated; ALL is every region enabled for the "
        "account.  [default: ALL]",
    ),
]


LogLevelOption = Annotated[
    LogLevel,
    typer.Option(
        "--log-level",
        case_sensitive=False,
        rich_help_panel=PANEL_TUNING,
        help="Log detail on stderr (INFO: a line per finished check and region).",
    ),
]

# The output and gate options ``scan`` and ``demo`` share, so the demo can show every format and
# the gate without AWS.
OutputFolder = Annotated[
    Path,
    typer.Option(
        "-o",
        "--output",
        rich_help_panel=PANEL_OUTPUT,
        help="Folder for the output files; created if missing.",
    ),
]
Formats = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        metavar="FORMAT",
        rich_help_panel=PANEL_OUTPUT,
        help="Also write the findings as jsonl, json, markdown, html or ocsf, repeated or "
        "comma-separated. "
        "The findings CSV and the run report are always written.",
    ),
]
StdoutFormat = Annotated[
    str | None,
    typer.Option(
        "--stdout",
        metavar="FORMAT",
        rich_help_panel=PANEL_OUTPUT,
        help="Also write the findings to stdout in this format (csv, jsonl, json, markdown, html, ocsf).",
    ),
]
CsvExtended = Annotated[
    bool,
    typer.Option(
        "--csv-extended",
        rich_help_panel=PANEL_OUTPUT,
        help="Add check id, AZs, severity, remediation and suppression columns to the CSV.",
    ),
]
ReportOnlyRisks = Annotated[
    bool,
    typer.Option(
        "--report-only-risks",
        rich_help_panel=PANEL_OUTPUT,
        help="Write only findings that are risks.",
    ),
]
Suppressions = Annotated[
    Path | None,
    typer.Option(
        "--suppressions",
        metavar="FILE",
        rich_help_panel=PANEL_GATE,
        help="YAML file of accepted risks to mark suppressed.",
    ),
]
FailOnOption = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        metavar="risk|new",
        rich_help_panel=PANEL_GATE,
        help="Exit 3 on any unsuppressed risk, or only on ones not in --baseline.",
    ),
]
Baseline = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        metavar="FILE",
        rich_help_panel=PANEL_GATE,
        help="A previous run's JSON Lines findings to compare with.",
    ),
]


Value = TypeVar("Value")


def given(ctx: typer.Context, name: str, value: Value) -> Value | None:
    """The option's value if the user typed it, else ``None``."""
    return value if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE else None

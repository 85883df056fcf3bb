"""Options more than one command takes, declared once so their names and help stay alike."""

from __future__ import annotations

from typing import Annotated

import typer

from resiliency_analyser.cli.logs import LogLevel

# The help panels that group a command's options (rich_help_panel=...), in the order a reader
# meets them.
PANEL_SCOPE = "What to scan"
PANEL_CREDENTIALS = "Credentials"
PANEL_OUTPUT = "Output"
PANEL_DELIVERY = "Delivery"
PANEL_GATE = "CI gate"
PANEL_TUNING = "Tuning"

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
        metavar="REGIONS",
        help="Regions to scan, repeated or comma-separated, or ALL (every region enabled for the account).",
    ),
]


LogLevelOption = Annotated[
    LogLevel, typer.Option("--log-level", case_sensitive=False, help="Log detail on stderr.")
]

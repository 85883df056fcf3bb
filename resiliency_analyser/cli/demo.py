"""The ``demo`` command: a real scan of the embedded simulated account."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resiliency_analyser.cli.logs import LogLevel, configure_logging
from resiliency_analyser.cli.parameters import LogLevelOption
from resiliency_analyser.errors import UsageError


def demo(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder for the CSV files; created if missing.")
    ] = Path("output"),
    log_level: LogLevelOption = LogLevel.WARNING,
) -> None:
    """Scan an embedded simulated account (a local moto server); no AWS credentials needed."""
    from resiliency_analyser.cli.console import execute
    from resiliency_analyser.config.values import prepare_output_folder

    configure_logging(log_level)
    folder = prepare_output_folder(output)
    try:
        from resiliency_analyser.demo.account import DemoAccount
    except ImportError as error:
        raise UsageError(
            f"the demo needs the 'demo' extra: pip install 'resiliency-analyser[demo]' ({error.name} missing)"
        ) from error

    with DemoAccount() as account:
        result = execute(account.scan_request(folder), account.session())
    raise typer.Exit(result.exit_code)

"""The ``services`` command: every check's key, service and rule."""

from __future__ import annotations

import typer


def services() -> None:
    """List every check: its key, the AWS service, and its rule."""
    from resiliency_analyser.checks.registry import CHECKS

    for check in CHECKS:
        typer.echo(f"{check.key:<18} {check.service:<28} {check.rule}")

"""The ``services`` command: every check's key, service and rule."""

from __future__ import annotations

import shutil
import sys
import textwrap

import typer

KEY_WIDTH = 18
SERVICE_WIDTH = 28


def services() -> None:
    """List every check: its key, the AWS service, and its rule."""
    from resiliency_analyser.checks.registry import CHECKS

    # On a terminal the rule wraps at word boundaries under its own column; piped, each check
    # stays on one line, for grep.
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 0
    indent = " " * (KEY_WIDTH + SERVICE_WIDTH + 2)
    for check in sorted(CHECKS, key=lambda c: c.key):
        line = f"{check.key:<{KEY_WIDTH}} {check.service:<{SERVICE_WIDTH}} {check.rule}"
        if width > len(indent) + 20:
            line = textwrap.fill(
                line, width=width - 1, subsequent_indent=indent, break_on_hyphens=False
            )
        typer.echo(line)

"""The one root exception the CLI turns into a single line, and every exit code the tool uses."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SCAN_FAILED = 1
    """A (check, region) pair, a delivery or the run itself failed: the scan may hide risks."""
    USAGE = 2
    """Bad input or configuration: one line on stderr, nothing scanned."""
    GATE_FAILED = 3
    """``--fail-on`` found a risk nobody accepted."""
    INTERRUPTED = 130
    """Ctrl-C or SIGTERM, as shells report a process ended by SIGINT."""


class AnalyserError(Exception):
    """Every error the tool raises on purpose; ``exit_code`` says how the process ends."""

    exit_code = ExitCode.SCAN_FAILED


class UsageError(AnalyserError):
    """The user's input or configuration is wrong."""

    exit_code = ExitCode.USAGE


class FatalError(AnalyserError):
    """The run cannot go on (e.g. an output it must write is unreachable)."""

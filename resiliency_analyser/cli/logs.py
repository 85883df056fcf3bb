"""Log lines on stderr: our loggers only, every line masked for credentials."""

from __future__ import annotations

import logging
import sys
from enum import StrEnum


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


def configure_logging(level: LogLevel) -> None:
    """Our loggers only, to the current stderr; the SDK's own logs would echo request headers."""
    from resiliency_analyser.cli.redact import RedactSecrets
    from resiliency_analyser.config.secrets import secret_values

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secret_values()))
    logger = logging.getLogger("resiliency_analyser")
    logger.handlers = [handler]
    logger.setLevel(level.value)
    logger.propagate = False
    # Other libraries' records (the SDK's credential-refresh tracebacks, asyncio's) would reach
    # Python's last-resort handler and print on stderr: errors reach the user as our own line.
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())

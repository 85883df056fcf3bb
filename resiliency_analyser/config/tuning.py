"""Retry and time-budget choices: a CLI option wins, then the standard AWS variable, then ours."""

from __future__ import annotations

import math
from collections.abc import Mapping

from resiliency_analyser.aws.settings import DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_MODE, RetryMode
from resiliency_analyser.errors import UsageError

DEFAULT_CHECK_TIMEOUT = 300.0
"""Seconds one (check, region) may take: ample for large accounts, still bounded for a hung API."""


def retry_mode(option: RetryMode | None, environ: Mapping[str, str]) -> RetryMode:
    if option is not None:
        return option
    value = environ.get("AWS_RETRY_MODE", "").strip()
    if not value:
        return DEFAULT_RETRY_MODE
    try:
        return RetryMode(value)
    except ValueError:
        choices = ", ".join(RetryMode)
        raise UsageError(f"AWS_RETRY_MODE must be one of {choices}: {value!r}") from None


def max_attempts(option: int | None, environ: Mapping[str, str]) -> int:
    if option is not None:
        if option < 1:
            raise UsageError("--max-attempts must be at least 1")
        return option
    value = environ.get("AWS_MAX_ATTEMPTS", "").strip()
    if not value:
        return DEFAULT_MAX_ATTEMPTS
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"AWS_MAX_ATTEMPTS must be a whole number of at least 1: {value!r}")
    return int(value)


def check_timeout(seconds: float) -> float:
    if not math.isfinite(seconds) or seconds <= 0:
        raise UsageError("--check-timeout must be a positive number of seconds")
    return seconds

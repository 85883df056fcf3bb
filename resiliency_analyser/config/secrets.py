"""The credential values set in the environment, so every log line can mask them."""

from __future__ import annotations

import os
from collections.abc import Mapping

SECRET_VARIABLES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
MIN_LENGTH = 8
"""Shorter values would mask innocent text; real secrets are far longer."""


def secret_values(environ: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    return tuple(
        value for name in SECRET_VARIABLES if len(value := environ.get(name, "")) >= MIN_LENGTH
    )

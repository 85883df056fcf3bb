"""Retry settings: the option wins, then the standard AWS variable, then the defaults."""

from __future__ import annotations

import pytest

from resiliency_analyser.aws.clients import botocore_config
from resiliency_analyser.aws.settings import ClientSettings, RetryMode
from resiliency_analyser.config.tuning import max_attempts, retry_mode


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        (None, {}, RetryMode.STANDARD),
        (None, {"AWS_RETRY_MODE": "adaptive"}, RetryMode.ADAPTIVE),
        (None, {"AWS_RETRY_MODE": " "}, RetryMode.STANDARD),
        (RetryMode.LEGACY, {"AWS_RETRY_MODE": "adaptive"}, RetryMode.LEGACY),
    ],
)
def test_retry_mode(option: RetryMode | None, env: dict[str, str], expected: RetryMode) -> None:
    assert retry_mode(option, env) is expected


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        (None, {}, 8),
        (None, {"AWS_MAX_ATTEMPTS": "12"}, 12),
        (3, {"AWS_MAX_ATTEMPTS": "12"}, 3),
        (1, {}, 1),
    ],
)
def test_max_attempts(option: int | None, env: dict[str, str], expected: int) -> None:
    assert max_attempts(option, env) == expected


def test_client_config_carries_the_retry_settings_and_cli_timeouts() -> None:
    config = botocore_config(ClientSettings(retry_mode=RetryMode.ADAPTIVE, max_attempts=5))
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 5}
    assert (config.connect_timeout, config.read_timeout) == (5.0, 20.0)
    assert botocore_config(ClientSettings()).retries == {
        "mode": "standard",
        "total_max_attempts": 8,
    }

"""The moto server the tests run against, and the environment pointing every AWS client at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

ACCOUNT_ID = "123456789012"  # moto's default account

Boto = Callable[..., Any]
"""``boto("rds", "eu-west-1")``: a plain boto3 client on the moto server, for seeding."""


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on a free local port, serving while in the ``with``; yields its URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def fresh_account(moto_url: str, monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Empties the moto server and points every AWS client of the process at it, with fake
    keys only: no profile, config or credentials file, or instance metadata is read."""
    requests.post(f"{moto_url}/moto-api/reset", timeout=10)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def boto_clients(moto_url: str) -> Boto:
    """Makes plain boto3 clients on the moto server."""

    def make(service: str, region: str = "us-east-1") -> Any:
        return boto3.client(service, region_name=region, endpoint_url=moto_url)

    return make

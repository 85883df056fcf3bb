"""Fixtures: a moto server per test session, reset before each test, the CLI and stand-ins."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path

import pytest

from resiliency_analyser.demo.standin import Handler, ServiceStandin
from tests.support.cli import RunCli, cli_runner
from tests.support.moto import Boto, boto_clients, fresh_account, moto_server
from tests.support.standins import StartStandin, deny, serve_standin


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture(autouse=True)
def aws_env(moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point every AWS client of the process at an empty moto server, with fake keys only."""
    fresh_account(moto_url, monkeypatch, tmp_path)
    return moto_url


@pytest.fixture
def boto(aws_env: str) -> Boto:
    """``boto("rds", "eu-west-1")``: a plain boto3 client on the moto server, for seeding."""
    return boto_clients(aws_env)


@pytest.fixture
def run_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run the real CLI in-process with ``-o`` pointing at a fresh folder."""
    return cli_runner(tmp_path / "out", capsys)


@pytest.fixture
def standin() -> Iterator[StartStandin]:
    """``standin("dax", handlers)``: that service's clients talk to a stand-in for the test."""
    with ExitStack() as stack:

        def start(
            service: str, handlers: Mapping[str, Handler], upstream: str | None = None
        ) -> ServiceStandin:
            return stack.enter_context(serve_standin(service, handlers, upstream))

        yield start


@pytest.fixture
def denied_rds(standin: StartStandin) -> ServiceStandin:
    """RDS answers AccessDenied to every listing, in every region."""
    return standin("rds", {"DescribeDBInstances": deny, "DescribeDBClusters": deny})

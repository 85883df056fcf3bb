"""A moto server per test session, reset before each test, and helpers to drive the real CLI."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from resiliency_analyser.cli.app import main
from resiliency_analyser.demo.standin import Handler, ServiceStandin

ACCOUNT_ID = "123456789012"  # moto's default account


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def aws_env(moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point every AWS client of the process at the moto server, with fake keys only."""
    requests.post(f"{moto_url}/moto-api/reset", timeout=10)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return moto_url


Boto = Callable[..., Any]


@pytest.fixture
def boto(aws_env: str) -> Boto:
    """``boto("rds", "eu-west-1")``: a plain boto3 client on the moto server, for seeding."""

    def make(service: str, region: str = "us-east-1") -> Any:
        return boto3.client(service, region_name=region, endpoint_url=aws_env)

    return make


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str
    output: Path

    def csv(self, suffix: str = "") -> list[dict[str, str]]:
        """Rows of the one findings CSV (or, with ``_run_report``, the run report) written."""
        pattern = f"Resiliency_Findings_*{suffix}.csv"
        paths = [p for p in self.output.glob(pattern) if suffix or "_run_report" not in p.name]
        assert len(paths) == 1, paths
        with paths[0].open(newline="") as handle:
            return list(csv.DictReader(handle))

    @property
    def findings(self) -> list[dict[str, str]]:
        return self.csv()

    @property
    def report(self) -> list[dict[str, str]]:
        return self.csv("_run_report")

    @property
    def verdicts(self) -> dict[str, bool]:
        """resource_name -> potential_single_az_risk, asserting no name is reported twice."""
        findings = self.findings
        verdicts = {f["resource_name"]: f["potential_single_az_risk"] == "True" for f in findings}
        assert len(verdicts) == len(findings), "a resource was reported twice"
        return verdicts

    @property
    def pair_results(self) -> dict[tuple[str, str], str]:
        """(service, region) -> result, for every (check, region) row of the run report."""
        return {
            (r["service"], r["region"]): r["result"]
            for r in self.report
            if r["region"] != "Overall"
        }

    def finding(self, name: str) -> dict[str, str]:
        [row] = [f for f in self.findings if f["resource_name"] == name]
        return row


RunCli = Callable[..., CliRun]


@pytest.fixture
def run_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run the real CLI in-process with ``-o`` pointing at a fresh folder."""

    def run(*args: str, output: Path | None = None) -> CliRun:
        folder = output or tmp_path / "out"
        argv = list(args)
        if args and args[0] in {"scan", "demo"} and "-o" not in args:
            argv += ["-o", str(folder)]
        code = main(argv)
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err, folder)

    return run


StartStandin = Callable[[str, Mapping[str, Handler]], ServiceStandin]


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[StartStandin]:
    """``standin("dax", handlers)``: that service's clients talk to a stand-in for the test."""
    with ExitStack() as stack:

        def start(service: str, handlers: Mapping[str, Handler]) -> ServiceStandin:
            server = stack.enter_context(ServiceStandin(service, handlers))
            monkeypatch.setenv(server.endpoint_variable, server.url)
            return server

        yield start

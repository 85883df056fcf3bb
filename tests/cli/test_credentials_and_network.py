"""What a new user meets first: profiles that cannot give credentials, AWS out of reach, and error
bodies that are not AWS's. Each is one line and exit 2 (or one-line cells), within seconds."""

from __future__ import annotations

import gc
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from resiliency_analyser.aws.account import IDENTIFY_SECONDS
from resiliency_analyser.demo.standin import LocalEndpoint
from tests.cli.test_usage import assert_usage_error
from tests.support.cli import RunCli

PROFILES = """\
[profile corp-sso]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = Audit

[profile corp-session]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Audit

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile missing-program]
credential_process = /nonexistent/bin/get-aws-credentials

[profile failing-program]
credential_process = /bin/sh -c "echo 'token expired, run vault login' >&2; exit 3"

[profile keyless-role]
role_arn = arn:aws:iam::111122223333:role/Audit
source_profile = keyless

[profile keyless]
region = us-east-1
"""


@pytest.fixture
def aws_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The profiles above, no environment keys, and an empty SSO token cache."""
    config = tmp_path / "aws-config"
    config.write_text(PROFILES)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    return config


@pytest.mark.usefixtures("aws_config")
@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        (
            "corp-sso",
            "AWS profile corp-sso: the SSO session has expired or was never started; "
            "run: aws sso login --profile corp-sso",
        ),
        ("corp-session", "run: aws sso login --profile corp-session"),
        (
            "missing-program",
            "AWS profile missing-program: credential_process cannot be run: No such file or "
            "directory: /nonexistent/bin/get-aws-credentials",
        ),
        (
            "failing-program",
            "AWS profile failing-program: getting credentials from custom-process failed: "
            "token expired, run vault login",
        ),
        ("keyless-role", 'AWS profile keyless-role: The source profile "keyless" must have'),
    ],
)
def test_a_profile_that_cannot_give_credentials_is_one_line_naming_it(
    run_cli: RunCli, profile: str, expected: str
) -> None:
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "--profile", profile)
    assert_usage_error(run, expected)
    assert "Traceback" not in run.stderr


@pytest.mark.usefixtures("aws_config")
def test_the_profile_from_the_environment_is_the_one_named(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "corp-sso")
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds")
    assert_usage_error(run, "aws sso login --profile corp-sso")


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """Accepts connections and never answers, like a proxy or firewall that drops requests."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


@pytest.fixture
def refusing_endpoint() -> str:
    """A port nothing listens on: connections are refused at once."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("endpoint", ["silent_endpoint", "refusing_endpoint"])
def test_unreachable_aws_is_one_line_within_15_seconds_with_nothing_leaked(
    run_cli: RunCli,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    endpoint: str,
) -> None:
    # A terminal, so the live status is what the user sees from the start.
    monkeypatch.setenv("FORCE_COLOR", "1")
    url = request.getfixturevalue(endpoint)
    started = time.monotonic()
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "--endpoint-url", url)
    elapsed = time.monotonic() - started
    gc.collect()  # an unclosed client session is reported when it is collected
    assert elapsed < 15, elapsed
    assert IDENTIFY_SECONDS < 15
    assert run.code == 2
    assert "identifying the account…" in run.stderr
    [line] = [line for line in run.stderr.splitlines() if "error:" in line]
    assert "cannot reach AWS to identify the account" in line
    assert "Unclosed" not in run.stderr + caplog.text
    assert "Traceback" not in run.stderr


class HtmlPage(BaseHTTPRequestHandler):
    """A corporate proxy's error page, in place of the service's JSON error."""

    PAGE = (
        b"<html>\n<head><title>403 Forbidden</title></head>\n<body>\n"
        b"  <h1>Gateway says no</h1>\n  <p>Your request was blocked by policy.</p>\n"
        + b"  <p>"
        + b"details " * 100
        + b"</p>\n</body>\n</html>\n"
    )

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(403)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.PAGE)))
        self.end_headers()
        self.wfile.write(self.PAGE)

    def log_message(self, format: str, *args: object) -> None:
        return


def test_an_html_error_page_is_one_trimmed_line_in_log_summary_and_report(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LocalEndpoint(HtmlPage) as page:
        monkeypatch.setenv("AWS_ENDPOINT_URL_DAX", page.url)
        run = run_cli("scan", "-r", "us-east-1", "-s", "dax", "--log-level", "INFO")
    assert run.code == 1
    [cell] = [r["error_message"] for r in run.report if r["service"] == "dax"]
    assert "Gateway says no" in cell
    assert "\n" not in cell
    assert len(cell) <= 300
    mentions = [line for line in run.stderr.splitlines() if "Gateway says no" in line]
    assert len(mentions) == 2, run.stderr  # the log line and the summary's failure line
    assert all("dax" in line and len(line) < 400 for line in mentions), mentions
    assert "</html>" not in run.stderr

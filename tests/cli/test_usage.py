"""Bad input is one clear line and exit 2; help and version are fast and import no SDK."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from resiliency_analyser import __version__
from resiliency_analyser.demo.standin import StandinError
from tests.support.cli import CliRun, RunCli
from tests.support.moto import Boto
from tests.support.standins import serve_standin


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["scan", "--bogus"], "No such option: --bogus"),
        (["scan", "-s", "rds,nosuch"], "unknown service(s): nosuch"),
        (["scan", "-s", "ALL,rds"], "ALL cannot be combined"),
        (["scan", "-s", ","], "--services is empty"),
        (["scan", "-r", "mars-1"], "not a region name: mars-1"),
        (
            ["scan", "-r", "us-east-1,xx-nowhere-9"],
            "not enabled for this account or unknown: xx-nowhere-9",
        ),
        (["scan", "-m", "0"], "--max-concurrency must be at least 1"),
        (
            ["scan", "--max-concurrency-per-service", "0"],
            "--max-concurrency-per-service must be at least 1",
        ),
        (["scan", "-m", "many"], "unable to parse string as an integer"),
        (["scan", "--min-azs", "1"], "--min-azs must be at least 2"),
        (["scan", "--min-azs", "three"], "unable to parse string as an integer"),
        (["demo", "--min-azs", "0"], "--min-azs must be at least 2"),
        (["scan", "-b", "Not_A_Bucket"], "not a valid S3 bucket name"),
        (["scan", "-b", "ab"], "not a valid S3 bucket name"),
        (
            ["scan", "--event-bus-arn", "arn:aws:sns:us-east-1:123456789012:topic"],
            "not an EventBridge",
        ),
        (
            ["scan", "--event-bus-arn", "arn:aws:events:us-east-1:123:event-bus/x"],
            "not an EventBridge",
        ),
        (["scan", "--assume-role", "bad role"], "must be an IAM role name"),
        (["scan", "--profile", "no-such-profile"], "AWS profile not found: no-such-profile"),
        (["scan", "--log-level", "LOUD"], "--log-level"),
        (["nosuchcommand"], "No such command"),
        (["scan", "-r", ","], "--regions is empty"),
        (["scan", "-r", "ALL,us-east-1"], "ALL cannot be combined"),
        (["scan", "--max-attempts", "0"], "--max-attempts must be at least 1"),
        (["scan", "--retry-mode", "eager"], "--retry-mode"),
        (["scan", "--check-timeout", "0"], "--check-timeout must be a positive number"),
        (["scan", "--check-timeout", "nan"], "--check-timeout must be a positive number"),
        (["scan", "--peer-tag", " "], "--peer-tag: a tag key cannot be empty"),
        (["scan", "--peer-tag", "k" * 129], "--peer-tag: a tag key has at most 128 characters"),
        (["demo", "--peer-tag", ""], "--peer-tag: a tag key cannot be empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run_cli: RunCli, args: list[str], expected: str) -> None:
    assert_usage_error(run_cli(*args), expected)


def assert_usage_error(run: CliRun, expected: str) -> None:
    assert run.code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("resiliency-analyser: error: ")
    assert expected in lines[0]
    assert run.stdout == ""


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"AWS_MAX_ATTEMPTS": "lots"}, "AWS_MAX_ATTEMPTS must be a whole number of at least 1"),
        ({"AWS_MAX_ATTEMPTS": "0"}, "AWS_MAX_ATTEMPTS must be a whole number of at least 1"),
        ({"AWS_RETRY_MODE": "eager"}, "AWS_RETRY_MODE must be one of standard, adaptive, legacy"),
        ({"AWS_PROFILE": "gone"}, "AWS profile not found: gone"),
    ],
)
def test_bad_environment_is_one_line_and_exit_2(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert_usage_error(run_cli("scan", "-r", "us-east-1", "-s", "rds"), expected)


def test_no_credentials_is_a_usage_error(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert_usage_error(run_cli("scan", "-r", "us-east-1"), "no AWS credentials found")


def test_expired_credentials_are_a_usage_error(run_cli: RunCli) -> None:
    def expired(params: dict[str, Any], region: str) -> dict[str, Any]:
        raise StandinError(
            "ExpiredToken", "The security token included in the request is expired", 403
        )

    with serve_standin("sts", {"GetCallerIdentity": expired}):
        run = run_cli("scan", "-r", "us-east-1", "-s", "rds")
    assert_usage_error(run, "AWS rejected the credentials: ExpiredToken: The security token")


@pytest.mark.parametrize(
    ("where", "expected"),
    [("file", "file is not a folder"), ("file/sub", "file/sub cannot be created: ")],
)
def test_unwritable_output_folder_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, where: str, expected: str
) -> None:
    (tmp_path / "file").write_text("")
    run = run_cli("scan", "-o", str(tmp_path / where))
    assert_usage_error(run, expected)


def test_bucket_accepted_with_valid_names(boto: Boto, run_cli: RunCli) -> None:
    boto("s3").create_bucket(Bucket="my-reports.bucket-1")
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "-b", "my-reports.bucket-1")
    assert run.code == 0, run.stderr


def test_version_and_help(run_cli: RunCli) -> None:
    assert run_cli("--version").stdout == f"resiliency-analyser {__version__}\n"
    help_text = run_cli("scan", "--help").stdout
    for option in ("--services", "--regions", "--max-concurrent-threads", "--aws-profile"):
        assert option in help_text
    assert "Examples" in run_cli("--help").stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["scan", "--help"],
        ["--version"],
        ["services"],
        ["iam-policy"],
        [
            "iam-policy",
            "-s",
            "rds",
            "-b",
            "reports-bucket",
            "--assume-role",
            "Audit",
            "--account-id",
            "111122223333",
        ],
        ["iam-policy", "--organization", "--role-name", "ResiliencyReader"],
    ],
    ids=" ".join,
)
def test_fast_paths_do_not_import_the_aws_sdk(argv: list[str]) -> None:
    """Help, version, ``services`` and ``iam-policy`` make no AWS call, so they load no SDK."""
    code = (
        "import sys\n"
        "from resiliency_analyser.cli.app import main\n"
        f"assert main({argv!r}) == 0\n"
        "assert not any(m.split('.')[0] in {'aioboto3', 'aiobotocore', 'boto3', 'botocore'} "
        "for m in sys.modules), sorted(m for m in sys.modules if 'boto' in m)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=False
    )
    assert done.returncode == 0, done.stderr


def test_module_entry_point_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "resiliency_analyser", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip() == f"resiliency-analyser {__version__}"


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder this process cannot write to: by its mode, or (for root, which CI runs as, and
    which ignores modes) by the immutable attribute."""
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    if os.geteuid() != 0:
        yield folder
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode:
        pytest.skip("root may write anywhere and this file system has no immutable attribute")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_output_folder_is_a_usage_error(run_cli: RunCli, read_only_folder: Path) -> None:
    assert_usage_error(
        run_cli("scan", "-o", str(read_only_folder)), "output folder is not writable"
    )


def test_bare_command_shows_help(run_cli: RunCli) -> None:
    run = run_cli()
    assert run.code == 0
    assert run.stdout.startswith("Usage: resiliency-analyser")
    assert "scan" in run.stdout
    assert run.stderr == ""

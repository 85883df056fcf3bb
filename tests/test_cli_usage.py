"""Bad input is one clear line and exit 2; help and version are fast and import no SDK."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from resiliency_analyser import __version__
from tests.conftest import Boto, RunCli


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
        (["scan", "-m", "many"], "unable to parse string as an integer"),
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
    ],
)
def test_bad_input_is_one_line_and_exit_2(run_cli: RunCli, args: list[str], expected: str) -> None:
    run = run_cli(*args)
    assert run.code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("resiliency-analyser: error: ")
    assert expected in lines[0]
    assert run.stdout == ""


def test_no_credentials_is_a_usage_error(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    run = run_cli("scan", "-r", "us-east-1")
    assert run.code == 2
    assert "no AWS credentials found" in run.stderr


def test_unwritable_output_folder_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    run = run_cli("scan", "-o", str(blocker / "sub"))
    assert run.code == 2
    assert "cannot create output folder" in run.stderr


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


def test_help_does_not_import_the_aws_sdk() -> None:
    code = (
        "import sys\n"
        "from resiliency_analyser.cli import main\n"
        "main(['--help']); main(['scan', '--help']); main(['--version'])\n"
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

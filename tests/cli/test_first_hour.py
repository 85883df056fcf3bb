"""A new user's habits and first runs: options as the AWS CLI spells them, conflicts refused,
nothing left behind by a usage error, the gate saying why it failed, help that fits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks.registry import CHECKS
from resiliency_analyser.cli.app import EPILOG
from resiliency_analyser.cli.demo import EPILOG as DEMO_EPILOG
from resiliency_analyser.cli.iam_policy import EPILOG as IAM_POLICY_EPILOG
from resiliency_analyser.cli.parameters import EXAMPLE_WIDTH, PANELS
from resiliency_analyser.cli.scan import EPILOG as SCAN_EPILOG
from tests.cli.test_usage import assert_usage_error
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import create_db_instance, seed_rds_instances

SDK = "{'aioboto3', 'aiobotocore', 'boto3', 'botocore'}"


def test_aws_cli_spellings_are_accepted(boto: Boto, run_cli: RunCli, aws_env: str) -> None:
    create_db_instance(boto, "us-east-1", "orders", multi_az=False)
    os.environ.pop("AWS_ENDPOINT_URL")  # only --endpoint-url leads to the server now
    run = run_cli("scan", "--region", "us-east-1", "-s", "RDS", "--endpoint-url", aws_env)
    assert run.code == 0, run.stderr
    assert run.verdicts == {"orders": True}


@pytest.mark.parametrize("every", ["all", "All", "ALL"])
def test_all_and_keys_in_any_case_mean_the_same(run_cli: RunCli, every: str) -> None:
    assert run_cli("iam-policy", "-s", every).stdout == run_cli("iam-policy").stdout
    mixed = run_cli("iam-policy", "-s", "Rds,LAMBDA").stdout
    assert mixed == run_cli("iam-policy", "-s", "rds,lambda").stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--stdout", "jsonl", "--stdout", "json"], "--stdout given more than once"),
        (["--stdout=jsonl", "--stdout", "json"], "--stdout given more than once"),
        (["-o", "a", "--output=b"], "-o/--output given more than once"),
        (["-m", "5", "-m6"], "-m/--max-concurrency given more than once"),
        (["--single-threaded", "-m", "5"], "--single-threaded and -m/--max-concurrency contradict"),
        # Typed, the default's own value contradicts too: the option is told from one left out.
        (
            ["-m", str(ClientSettings.max_concurrency), "--single-threaded"],
            "--single-threaded and -m/--max-concurrency contradict",
        ),
        (["--endpoint-url", "localhost:4566"], "--endpoint-url must be an http:// or https:// URL"),
        (["-o", "/etc/passwd"], "output folder /etc/passwd is not a folder"),
    ],
)
def test_conflicting_or_malformed_options_are_usage_errors(
    run_cli: RunCli, args: list[str], expected: str
) -> None:
    assert_usage_error(run_cli("scan", "-r", "us-east-1", *args), expected)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--fail-on", "new"], "--fail-on new needs --baseline"),
        (["--suppressions", "SUPPRESSIONS"], "line 1: unknown key 'suppresions'"),
        (["-r", "us-east-1,eu-north-9"], "not enabled for this account or unknown: eu-north-9"),
        (["-r", "us-east-1", "--profile", "absent"], "AWS profile not found: absent"),
        (["-r", "us-east-1", "NO_KEYS"], "no AWS credentials found"),
    ],
)
def test_a_usage_error_leaves_no_output_folder(
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    expected: str,
) -> None:
    suppressions = tmp_path / "accepted.yaml"
    suppressions.write_text("suppresions: []\n")
    if "NO_KEYS" in args:
        monkeypatch.delenv("AWS_ACCESS_KEY_ID")
        monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    argv = [str(suppressions) if a == "SUPPRESSIONS" else a for a in args if a != "NO_KEYS"]
    folder = tmp_path / "reports" / "today"
    run = run_cli("scan", "-s", "rds", *argv, output=folder)
    assert_usage_error(run, expected)
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("text", ["", "\n", "# nothing accepted yet\n"])
def test_an_empty_suppressions_file_accepts_nothing(
    boto: Boto, run_cli: RunCli, tmp_path: Path, text: str
) -> None:
    create_db_instance(boto, "us-east-1", "orders", multi_az=False)
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(text)
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "--suppressions", str(accepted))
    assert run.code == 0, run.stderr
    assert run.finding("orders")["potential_single_az_risk"] == "True"


def summary_row(stderr: str, first: str) -> list[str]:
    [line] = [line for line in stderr.splitlines() if re.match(rf"[│┃] {first} ", line)]
    return [cell.strip() for cell in re.split(r"[│┃]", line)[1:-1]]


def test_the_gate_names_the_risks_that_failed_it_and_the_summary_counts_accepted(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    seed_rds_instances(boto, 25)
    create_db_instance(boto, "us-east-1", "accepted-db", multi_az=False)
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text("suppressions:\n  - {resource: accepted-db, reason: dev}\n")
    run = run_cli(
        "scan", "-r", "us-east-1", "-s", "rds", "--fail-on", "risk", "--suppressions", str(accepted)
    )
    assert run.code == 3
    lines = run.stderr.splitlines()
    gate = lines.index("Gate failed (--fail-on risk): 25 unaccepted risks")
    named = lines[gate + 1 : gate + 22]
    assert named[0] == (
        "  rds.instance_multi_az us-east-1 db-0000: RDS instance has Multi-AZ disabled "
        "(AZ: us-east-1a)"
    )
    assert [line.split()[2] for line in named[:20]] == [f"db-{i:04d}:" for i in range(20)]
    assert named[20] == "  and 5 more"
    assert "accepted-db" not in "\n".join(named)
    header = summary_row(run.stderr, "service")
    assert header == ["service", "regions", "resources", "risks", "accepted", "outcomes"]
    assert summary_row(run.stderr, "rds") == ["rds", "1", "26", "26", "1", "1 Success"]
    assert summary_row(run.stderr, "total") == ["total", "1", "26", "26", "1", "1 Success"]


def test_format_adds_to_the_csv_as_the_help_says(boto: Boto, run_cli: RunCli) -> None:
    create_db_instance(boto, "us-east-1", "orders", multi_az=False)
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "--format", "jsonl", "--csv-extended")
    assert run.code == 0, run.stderr
    written = sorted(p.name for p in run.output.iterdir())
    assert len(written) == 3
    assert [name.endswith(".csv") for name in written] == [True, False, True], written
    assert "check_id" in run.findings[0], "--csv-extended applies to the CSV that is written"
    assert "The findings CSV and the run report are always written" in " ".join(
        run_cli("scan", "--help").stdout.split()
    )


def test_counts_read_as_english(boto: Boto, run_cli: RunCli) -> None:
    create_db_instance(boto, "us-east-1", "orders", multi_az=False)
    run = run_cli("scan", "-r", "us-east-1", "-s", "vpce,rds", "--log-level", "INFO")
    assert "rds us-east-1: 1 resource, 1 risk (" in run.stderr
    assert "vpce us-east-1: 0 resources, 0 risks (" in run.stderr
    rows = [line for line in run.stderr.splitlines() if re.match(r"│ (vpce|rds) ", line)]
    assert [row.split()[1] for row in rows] == ["rds", "vpce"], "alphabetical, not as asked"


def help_text(*args: str, columns: int) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "resiliency_analyser", *args, "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": str(columns)},
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("columns", [80, 160])
def test_scan_help_groups_its_options_and_shows_whole_examples(columns: int) -> None:
    text = help_text("scan", columns=columns)
    lines = text.splitlines()
    sections = [line[:-1] for line in lines if line and line[0] != " " and line[-1] == ":"]
    assert sections == [*PANELS, "Options"]
    assert text.count("[default: ALL]") == 2
    for epilog, command in ((SCAN_EPILOG, "scan"), (EPILOG, ""), (DEMO_EPILOG, "demo")):
        shown = help_text(*[command] if command else [], columns=columns)
        examples = [line.strip() for line in epilog.splitlines() if line.startswith("  ")]
        assert examples
        for example in examples:
            assert f"    {example}\n" in shown, example


@pytest.mark.parametrize("epilog", [EPILOG, SCAN_EPILOG, DEMO_EPILOG, IAM_POLICY_EPILOG])
def test_every_example_fits_an_80_column_terminal(epilog: str) -> None:
    assert all(len(line) + 2 <= EXAMPLE_WIDTH for line in epilog.splitlines())


def on_a_terminal(argv: list[str], columns: int) -> str:
    """The command's stdout as a terminal of ``columns`` columns shows it."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES"}}
    process = subprocess.Popen(argv, stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_services_fits_the_terminal_and_wraps_between_words() -> None:
    shown = on_a_terminal([sys.executable, "-m", "resiliency_analyser", "services"], 80)
    lines = shown.splitlines()
    assert all(len(line) < 80 for line in lines), max(lines, key=len)
    text = " ".join(" ".join(lines).split())
    for check in CHECKS:
        assert " ".join(check.rule.split()) in text, check.key


def test_piped_services_keep_one_line_per_check() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "resiliency_analyser", "services"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(done.stdout.splitlines()) == len(CHECKS)


def completion(words: str) -> subprocess.CompletedProcess[str]:
    """Runs the shell's completion request the way bash's completion function does, checking
    it loads no AWS SDK (the completion runs at every Tab)."""
    code = (
        "import sys\n"
        "from resiliency_analyser.cli.app import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"assert not any(m.split('.')[0] in {SDK} for m in sys.modules)\n"
    )
    env = {
        **os.environ,
        "_RESILIENCY_ANALYSER_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )


def test_shell_completion_completes_commands_options_and_keys_without_the_sdk() -> None:
    assert completion("resiliency-analyser sc").stdout.split() == ["scan"]
    assert "--region" in completion("resiliency-analyser scan --reg").stdout.split()
    assert completion("resiliency-analyser scan -s rds,d").stdout.split() == [
        f"rds,{c.key}" for c in sorted(CHECKS, key=lambda c: c.key) if c.key.startswith("d")
    ]


def test_install_completion_writes_the_shell_script(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    done = subprocess.run(
        [sys.executable, "-m", "resiliency_analyser", "--install-completion", "bash"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "resiliency-analyser" in (tmp_path / ".bashrc").read_text()
    [script] = (tmp_path / ".bash_completions").iterdir()
    assert "_RESILIENCY_ANALYSER_COMPLETE=complete_bash" in script.read_text()

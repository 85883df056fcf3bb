"""The scan holds up against throttling, denial, disabled regions, hung and dropped connections.

Every run goes through the real CLI and aioboto3 clients to the moto server, through a local
endpoint (tests/support/faults.py) that injects the faults on the wire.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.cli import CliRun, RunCli
from tests.support.faults import FaultProxy, Faults
from tests.support.moto import Boto
from tests.support.seeding import PASSWORD, make_subnets

REGIONS = ("us-east-1", "eu-west-1")
CHECKS = "rds,lambda,opensearch"

Key = tuple[str, str, str, str, str]


def seed_world(boto: Boto) -> None:
    """In each region: a risky and a safe RDS instance, Lambda function and OpenSearch domain."""
    role = boto("iam").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    instance = {
        "Engine": "mysql",
        "DBInstanceClass": "db.t3.micro",
        "MasterUsername": "admin",
        "MasterUserPassword": PASSWORD,
        "AllocatedStorage": 20,
    }
    function = {"Runtime": "python3.12", "Role": role, "Handler": "h.h"}
    for region in REGIONS:
        rds = boto("rds", region)
        rds.create_db_instance(DBInstanceIdentifier="db-single", MultiAZ=False, **instance)
        rds.create_db_instance(DBInstanceIdentifier="db-multi", MultiAZ=True, **instance)
        # Subnets in AZs a, a and b.
        subnets = make_subnets(boto, region)
        group = boto("ec2", region).describe_security_groups()["SecurityGroups"][0]["GroupId"]
        lam = boto("lambda", region)
        for name, layout in (("fn-one-az", subnets[:2]), ("fn-two-az", subnets[1:])):
            lam.create_function(
                FunctionName=name,
                Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
                VpcConfig={"SubnetIds": layout, "SecurityGroupIds": [group]},
                **function,
            )
        ops = boto("opensearch", region)
        ops.create_domain(DomainName="search-one", ClusterConfig={"InstanceCount": 1})
        zone_aware = {
            "ZoneAwarenessEnabled": True,
            "ZoneAwarenessConfig": {"AvailabilityZoneCount": 2},
        }
        ops.create_domain(DomainName="search-ha", ClusterConfig={"InstanceCount": 2, **zone_aware})


def finding_keys(rows: list[dict[str, str]]) -> set[Key]:
    """What a finding says, without the moment it was written."""
    return {
        (
            r["service"],
            r["region"],
            r["resource_arn"],
            r["potential_single_az_risk"],
            r["message"],
        )
        for r in rows
    }


def outcomes(run: CliRun) -> dict[tuple[str, str], str]:
    return {
        (r["service"], r["region"]): r["result"] for r in run.report if r["region"] != "Overall"
    }


def scan_args(*extra: str) -> tuple[str, ...]:
    return ("scan", "-r", ",".join(REGIONS), "-s", CHECKS, *extra)


@pytest.fixture(scope="module")
def clean_runs() -> dict[str, set[Key]]:
    return {}


@pytest.fixture
def clean(boto: Boto, run_cli: RunCli, tmp_path: Path, clean_runs: dict[str, set[Key]]) -> set[Key]:
    """Seeds the world; returns its findings from a run straight to moto (once per module: the
    world and its ARNs are the same every time it is seeded)."""
    seed_world(boto)
    if "keys" not in clean_runs:
        run = run_cli(*scan_args(), output=tmp_path / "clean")
        assert run.code == 0, run.stderr
        assert set(outcomes(run).values()) == {"Success"}
        clean_runs["keys"] = finding_keys(run.findings)
    assert len(clean_runs["keys"]) == 12
    return clean_runs["keys"]


ProxyFactory = Callable[[Faults], FaultProxy]


@pytest.fixture
def through_proxy(aws_env: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProxyFactory]:
    """Start a fault-injecting endpoint and point every AWS client of the process at it."""
    started: list[FaultProxy] = []

    def start(faults: Faults) -> FaultProxy:
        proxy = FaultProxy(aws_env, faults).__enter__()
        started.append(proxy)
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        return proxy

    yield start
    for proxy in started:
        proxy.__exit__(None, None, None)


@pytest.mark.parametrize(
    "faults",
    [Faults(seed=1, throttle=0.1), Faults(seed=2, drop=0.1)],
    ids=["throttled-10%", "dropped-10%"],
)
def test_retries_absorb_throttling_and_dropped_connections(
    clean: set[Key], run_cli: RunCli, through_proxy: ProxyFactory, faults: Faults
) -> None:
    proxy = through_proxy(faults)
    run = run_cli(*scan_args())
    assert run.code == 0, run.stderr
    assert finding_keys(run.findings) == clean
    assert set(outcomes(run).values()) == {"Success"}
    injected = proxy.count("throttle") + proxy.count("drop")
    assert injected >= 3, "the seed must inject faults for this test to mean anything"


def test_a_denied_service_leaves_the_others_intact(
    clean: set[Key], run_cli: RunCli, through_proxy: ProxyFactory
) -> None:
    through_proxy(Faults(deny=frozenset({"es"})))
    run = run_cli(*scan_args())
    assert run.code == 1
    got = outcomes(run)
    assert {pair for pair, result in got.items() if result != "Success"} == {
        ("opensearch", region) for region in REGIONS
    }
    assert {got["opensearch", region] for region in REGIONS} == {"AccessDenied"}
    assert finding_keys(run.findings) == {k for k in clean if k[0] != "opensearch"}
    denied = [r for r in run.report if r["result"] == "AccessDenied"]
    assert all(r["error_message"].startswith("AccessDeniedException: ") for r in denied)
    stderr = " ".join(run.stderr.split())
    for region in REGIONS:
        assert f"opensearch in {region}: AccessDenied" in stderr


def test_a_hung_endpoint_ends_as_timeout_within_the_budget(
    clean: set[Key], run_cli: RunCli, through_proxy: ProxyFactory
) -> None:
    through_proxy(Faults(hang=frozenset({"rds"})))
    began = time.monotonic()
    # The budget leaves room for the healthy pairs on a busy two-core CI machine.
    run = run_cli(*scan_args("--check-timeout", "4"))
    elapsed = time.monotonic() - began
    assert run.code == 1
    got = outcomes(run)
    assert {got["rds", region] for region in REGIONS} == {"Timeout"}
    assert {r for pair, r in got.items() if pair[0] != "rds"} == {"Success"}
    for row in run.report:
        if row["result"] == "Timeout":
            # The budget, plus slack for a machine busy with other work.
            assert 4 <= float(row["runtime_in_seconds"]) < 8
            assert row["error_message"] == "not finished within --check-timeout 4 s"
    assert finding_keys(run.findings) == {k for k in clean if k[0] != "rds"}
    assert elapsed < 20


def test_a_region_that_rejects_the_token_is_region_disabled(
    clean: set[Key], run_cli: RunCli, through_proxy: ProxyFactory
) -> None:
    through_proxy(Faults(disabled_regions=frozenset({"eu-west-1"})))
    run = run_cli(*scan_args())
    assert run.code == 1
    for (service, region), result in outcomes(run).items():
        assert result == ("RegionDisabled" if region == "eu-west-1" else "Success"), service
    assert finding_keys(run.findings) == {k for k in clean if k[1] != "eu-west-1"}


@pytest.mark.parametrize(
    ("env_attempts", "option", "expected"),
    [("3", None, 3), ("3", "2", 2)],
    ids=["AWS_MAX_ATTEMPTS", "option-over-env"],
)
def test_persistent_throttling_is_throttled_after_the_configured_attempts(
    run_cli: RunCli,
    through_proxy: ProxyFactory,
    monkeypatch: pytest.MonkeyPatch,
    env_attempts: str | None,
    option: str | None,
    expected: int,
) -> None:
    if env_attempts:
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", env_attempts)
    # Adaptive mode would also pace the retries; the attempts are what is checked here.
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    proxy = through_proxy(Faults(throttle_always=frozenset({"lambda"})))
    extra = ("--max-attempts", option) if option else ()
    run = run_cli("scan", "-r", "us-east-1", "-s", "lambda,rds", *extra)
    assert run.code == 1
    [row] = [r for r in run.report if r["service"] == "lambda"]
    assert row["result"] == "Throttled"
    assert row["error_message"] == (
        f"TooManyRequestsException: Rate exceeded (after {expected} attempts)"
    )
    assert proxy.count("throttle", "lambda") == expected
    assert outcomes(run)["rds", "us-east-1"] == "Success"


def test_adaptive_retry_mode_scans(
    clean: set[Key], run_cli: RunCli, through_proxy: ProxyFactory
) -> None:
    through_proxy(Faults(seed=3, throttle=0.1))
    run = run_cli(*scan_args("--retry-mode", "adaptive"))
    assert run.code == 0, run.stderr
    assert finding_keys(run.findings) == clean


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV that must hold only whole rows: it ends a line, and every row is full."""
    data = path.read_bytes()
    assert data.endswith(b"\n"), f"{path.name} ends mid-row"
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    for row in rows:
        assert None not in row, row
        assert None not in row.values(), row
    return rows


def start_cli(proxy: FaultProxy, output: Path, *args: str) -> subprocess.Popen[str]:
    """The CLI as its own process, as a user runs it, with every AWS client on the proxy."""
    env = {**os.environ, "AWS_ENDPOINT_URL": proxy.url}
    return subprocess.Popen(
        [sys.executable, "-m", "resiliency_analyser", *args, "-o", str(output)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_report_rows(output: Path, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        reports = list(output.glob("*_run_report.csv"))
        if reports and len(read_csv(reports[0])) >= count:
            return
        time.sleep(0.05)
    raise AssertionError("the scan never got that far")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupting_a_scan_keeps_whole_rows_and_reports_cancelled_pairs(
    clean: set[Key], through_proxy: ProxyFactory, tmp_path: Path, signum: signal.Signals
) -> None:
    proxy = through_proxy(Faults(hang=frozenset({"es"})))
    output = tmp_path / "interrupted"
    process = start_cli(proxy, output, *scan_args())
    # rds and lambda finish in both regions; opensearch hangs until the interrupt.
    wait_for_report_rows(output, 4, process)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    [findings_path] = [p for p in output.glob("*.csv") if "_run_report" not in p.name]
    [report_path] = output.glob("*_run_report.csv")
    findings = read_csv(findings_path)
    assert finding_keys(findings) <= clean
    assert {(f["service"], f["potential_single_az_risk"]) for f in findings} >= {
        ("rds", "True"),
        ("lambda", "True"),
    }
    report = {(r["service"], r["region"]): r for r in read_csv(report_path)}
    for region in REGIONS:
        assert report["opensearch", region]["result"] == "Cancelled"
        assert report["rds", region]["result"] == "Success"
    assert report["Overall", "Overall"]
    assert "Cancelled" in stderr


def test_interrupting_twice_still_leaves_whole_rows(
    clean: set[Key], through_proxy: ProxyFactory, tmp_path: Path
) -> None:
    proxy = through_proxy(Faults(hang=frozenset({"es"})))
    output = tmp_path / "interrupted"
    process = start_cli(proxy, output, *scan_args())
    wait_for_report_rows(output, 4, process)
    process.send_signal(signal.SIGINT)
    assert process.stderr is not None
    assert "interrupt again to exit at once" in process.stderr.readline()
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    for path in output.glob("*.csv"):
        rows = read_csv(path)
        if "_run_report" not in path.name:
            assert finding_keys(rows) <= clean


# Writes big rows as fast as it can under stop_on_signals, with a stop that never ends the loop,
# so only the second interrupt can end the process.
ENDLESS_WRITER = """
import asyncio, sys
from pathlib import Path
from resiliency_analyser.run.interrupt import stop_on_signals
from resiliency_analyser.output.csv_file import CsvAppender

async def main() -> None:
    with CsvAppender(Path(sys.argv[1]), ("n", "text"), truncate=True) as out:
        with stop_on_signals(lambda: print("stopping", flush=True)):
            n = 0
            while True:
                out.write([(str(n), "x" * 2000)] * 20)
                n += 1
                await asyncio.sleep(0.001)

asyncio.run(main())
"""


def test_a_second_interrupt_exits_at_once_between_whole_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    process = subprocess.Popen(
        [sys.executable, "-c", ENDLESS_WRITER, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not (path.exists() and path.stat().st_size > 100_000):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    assert process.stdout is not None
    assert process.stdout.readline() == "stopping\n"
    assert process.poll() is None, "the first interrupt must only ask the work to stop"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 130
    assert stderr.endswith("resiliency-analyser: interrupted again: exiting now\n")
    rows = read_csv(path)
    assert rows
    assert {len(r["text"]) for r in rows} == {2000}

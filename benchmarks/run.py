"""Benchmark a full scan (every check, every region) of a large simulated account.

    python -m benchmarks.run [--latency 0.1] [--scale 1] [--profile] [--budgets]

Seeds the account, records every answer once, then runs ``resiliency-analyser scan -s ALL -r
ALL`` as a subprocess against the replaying endpoint with the given latency per call, and prints
wall time, CPU time, peak RSS, API calls, duplicates, most calls in flight and the critical-path
bound. ``--profile`` samples the measured run with py-spy and splits its CPU. ``--budgets``
has the endpoint throttle the measured runs like AWS (``aws/budgets``' published numbers, one
bucket per region and AWS bucket) and adds the least time those budgets allow for the calls the
run made, the throttling answers, and the run report's call counts.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import botocore.session

from benchmarks.metrics import critical_path_calls, duplicates, max_in_flight
from benchmarks.profile_split import split_profile
from benchmarks.replay_proxy import Logged, ReplayProxy
from resiliency_analyser.aws.budgets import seconds_for
from resiliency_analyser.demo.account import DemoAccount
from resiliency_analyser.demo.world import DEMO_KEYS, DemoWorld

HEAVY_REGION = "us-east-1"


def endpoint_variable(service: str) -> str:
    service_id = botocore.session.get_session().get_service_model(service).service_id
    return "AWS_ENDPOINT_URL_" + str(service_id).upper().replace(" ", "_").replace("-", "_")


def seed_heavy_region(world: DemoWorld, scale: int) -> None:
    from benchmarks.heavy import seed_heavy

    seed_heavy(world, HEAVY_REGION, scale)


def scan_env(proxy: ReplayProxy) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=DEMO_KEYS[0],
        AWS_SECRET_ACCESS_KEY=DEMO_KEYS[1],
        AWS_DEFAULT_REGION=HEAVY_REGION,
        AWS_ENDPOINT_URL=proxy.urls["moto"],
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    for service, url in proxy.urls.items():
        if service != "moto":
            env[endpoint_variable(service)] = url
    return env


UNBOUNDED = ("-m", "100000", "--max-concurrency-per-service", "100000")
MEASURED = ("--csv-extended",)
"""The run report then counts each pair's calls, throttling answers and retries."""
SCAN = ("scan", "-s", "ALL", "-r", "ALL", "--truncate-output")


def run_scan(
    env: dict[str, str],
    output: Path,
    profile_to: Path | None,
    *extra: str,
    checkout: Path | None = None,
) -> dict[str, Any]:
    """One scan as a subprocess; ``checkout`` runs another checkout's code, with its own venv."""
    python = str(checkout / ".venv" / "bin" / "python") if checkout else sys.executable
    command = [python, "-m", "resiliency_analyser", *SCAN, "-o", str(output), *extra]
    if profile_to is not None:
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        command = [
            py_spy,
            "record",
            "--format",
            "raw",
            "--rate",
            "250",
            "--nonblocking",
            "-o",
            str(profile_to),
            "--",
            *command,
        ]
    started = time.perf_counter()
    # The working folder comes first on the path: it decides which checkout's code runs.
    process = subprocess.Popen(
        command, env=env, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    # Exit 1 is a (check, region) the simulator cannot serve; the figures still hold.
    if process.returncode not in (0, 1):
        raise SystemExit(f"scan exited {process.returncode}:\n{stderr[-3000:]}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "pairs_not_successful": failed_pairs(output),
        "report_calls": call_counts(output),
    }


def measured_runs(
    env: dict[str, str], work: Path, proxy: ReplayProxy, repeat: int, checkout: Path | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The measured scans, alternating with ``checkout``'s if given, so that both meet the same
    machine; the proxy's log keeps this checkout's last run."""
    runs: list[dict[str, Any]] = []
    against: list[dict[str, Any]] = []
    for turn in range(repeat):
        if checkout is not None:
            proxy.log.clear()
            proxy.misses = 0
            proxy.buckets.clear()
            before = run_scan(env, work / f"against{turn}", None, checkout=checkout)
            against.append(before | {"replay_misses": proxy.misses, "api_calls": len(proxy.log)})
        proxy.log.clear()
        proxy.misses = 0
        proxy.buckets.clear()  # AWS's buckets are full again after the pause between runs
        runs.append(run_scan(env, work / f"measure{turn}", None, *MEASURED))
    return medians(runs), medians(against) if against else None


def worker_runs(
    env: dict[str, str], work: Path, proxy: ReplayProxy, repeat: int, counts: list[int]
) -> dict[str, dict[str, Any]]:
    """The measured scan with each ``--workers`` count, the counts alternating turn by turn:
    medians of each, and the calls (duplicates too) of its last run."""
    runs: dict[int, list[dict[str, Any]]] = {n: [] for n in counts}
    calls: dict[int, dict[str, int]] = {}
    for turn in range(repeat):
        for n in counts:
            proxy.log.clear()
            runs[n].append(run_scan(env, work / f"workers{n}-{turn}", None, "--workers", str(n)))
            calls[n] = {
                "api_calls": len(proxy.log),
                "duplicate_calls": sum(duplicates(list(proxy.log)).values()),
            }
    return {str(n): medians(runs[n]) | calls[n] for n in counts}


def medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each timed figure over the runs (each run's own, too), and every failed
    pair any run had."""
    timed = ("wall_s", "cpu_s", "peak_rss_mb")
    figures: dict[str, Any] = {key: statistics.median(r[key] for r in runs) for key in timed}
    if len(runs) > 1:
        figures["runs"] = [{key: r[key] for key in timed} for r in runs]
    figures["pairs_not_successful"] = sorted({p for r in runs for p in r["pairs_not_successful"]})
    figures["report_calls"] = runs[-1]["report_calls"]
    if "replay_misses" in runs[0]:
        figures["replay_misses"] = sum(r["replay_misses"] for r in runs)
        figures["api_calls"] = statistics.median(r["api_calls"] for r in runs)
    return figures


def report_rows(output: Path) -> list[dict[str, str]]:
    [report] = output.glob("*_run_report.csv")
    with report.open(newline="") as handle:
        return list(csv.DictReader(handle))


def call_counts(output: Path) -> dict[str, int]:
    """The run report's ``calls``, ``throttled`` and ``retried``, summed over the pairs (an
    older checkout's report has none)."""
    rows = report_rows(output)
    return {
        column: sum(int(r[column]) for r in rows if r.get(column))
        for column in ("calls", "throttled", "retried")
        if rows and column in rows[0]
    }


def budget_figures(proxy: ReplayProxy, log: list[Logged], wall: float) -> dict[str, Any]:
    """The least time the budgets allow for the calls the run had answered (each region's and
    bucket's, the slowest of them), the throttling answers, and wall time over that bound."""
    answered: dict[tuple[str, str], int] = {}
    for entry in log:
        if entry.bucket and not entry.throttled:
            answered[(entry.region, entry.bucket)] = (
                answered.get((entry.region, entry.bucket), 0) + 1
            )
    seconds = {
        key: seconds_for(count, proxy.buckets[key].budget) for key, count in answered.items()
    }
    slowest = max(seconds, key=lambda key: seconds[key])
    return {
        "budget_bound_s": seconds[slowest],
        "slowest_bucket": f"{slowest[1]} in {slowest[0]} ({answered[slowest]} calls)",
        "throttled_answers": sum(e.throttled for e in log),
        "wall_over_budget_bound": wall / seconds[slowest] if seconds[slowest] else None,
    }


def failed_pairs(output: Path) -> list[str]:
    rows = report_rows(output)
    return [
        f"{r['service']} {r['region']}: {r['result']}"
        for r in rows
        if r["result"] not in ("Success", "N/A", "NotAvailable")
    ]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to each call")
    parser.add_argument("--scale", type=int, default=1, help="multiply the heavy region")
    parser.add_argument(
        "--profile", action="store_true", help="also sample a run with py-spy and split its CPU"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", type=Path, help="keep the profile's raw stacks here")
    parser.add_argument(
        "--against",
        type=Path,
        metavar="CHECKOUT",
        help="also measure another checkout (with its own .venv) on the same recorded answers, "
        "the runs alternating: before and after on the same machine in the same run",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="measured runs (of each checkout); medians reported"
    )
    parser.add_argument(
        "--budgets",
        action="store_true",
        help="throttle the measured runs like AWS's published per-API budgets",
    )
    parser.add_argument(
        "--workers",
        type=int,
        action="append",
        metavar="N",
        help="also measure the scan with --workers N, repeated for several counts (the runs "
        "alternating, --repeat of each)",
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()

    # moto snapshots every new instance and caps snapshots at 1,000 a region by default.
    os.environ.setdefault("MOTO_RDS_SNAPSHOT_LIMIT", str(10**6))
    work = Path(tempfile.mkdtemp(prefix="ra-bench-"))
    seeding = time.perf_counter()
    with DemoAccount(regions=None) as account:
        assert account.world is not None
        seed_heavy_region(account.world, args.scale)
        seeded = time.perf_counter() - seeding
        unseeded = list(account.unseeded)
        proxy = ReplayProxy({"moto": account.world.endpoint_url, **account.standin_urls})
        with proxy.running():
            env = scan_env(proxy)
            run_scan(env, work / "record", None)  # records every answer at no latency
            proxy.latency = args.latency
            # With no bound of ours in the way, the longest run of back-to-back calls is the
            # chain of calls that truly depend on each other.
            proxy.log.clear()
            run_scan(env, work / "unbounded", None, *UNBOUNDED)
            startup, longest = critical_path_calls(proxy.log)
            proxy.budgets = args.budgets
            figures, against = measured_runs(env, work, proxy, args.repeat, args.against)
            log = list(proxy.log)
            if args.workers:
                figures["by_workers"] = worker_runs(env, work, proxy, args.repeat, args.workers)
            if args.profile:
                # A run of its own: under the sampler, time and CPU are the sampler's.
                run_scan(env, work / "profiled", work / "profile.txt")
    bound = (startup + longest) * args.latency
    repeated = duplicates(log)
    figures.update(
        regions=len({e.region for e in log if e.region}),
        api_calls=len(log),
        duplicate_calls=sum(repeated.values()),
        duplicates_by_operation=dict(repeated),
        replay_misses=proxy.misses,
        max_in_flight=max_in_flight(log),
        critical_path_calls={"startup": startup, "longest_pair": longest},
        critical_path_bound_s=bound,
        wall_over_cpu_plus_bound=figures["wall_s"] / (figures["cpu_s"] + bound),
        latency_s=args.latency,
        scale=args.scale,
        seeding_s=seeded,
        unseeded=unseeded,
    )
    if args.budgets:
        figures["budgets"] = budget_figures(proxy, log, figures["wall_s"])
    if against is not None:
        figures["against"] = {"checkout": str(args.against), **against}
    if args.profile:
        figures["cpu_split"] = split_profile(work / "profile.txt")
        if args.keep:
            shutil.copy(work / "profile.txt", args.keep)
    text = json.dumps(figures, indent=2, default=lambda v: round(v, 3))
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""A whole organization through the real CLI: six member accounts in two OUs (one nested) and the
management account, one suspended, one whose role may not be assumed, one without a region the
run names, each account with its own AZ names and its own resources."""

from __future__ import annotations

import csv
import json
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from resiliency_analyser.demo.standin import ServiceStandin
from tests.delivery.test_eventbridge import BUS_ARN, bus_with_queue, drain
from tests.delivery.test_s3 import BUCKET, OwnedBucket
from tests.output.test_formats import validator
from tests.output.test_html import Page
from tests.run.test_hostile import start_cli, wait_for_report_rows
from tests.support.browser import browser, rendered_dom
from tests.support.cli import CliRun, RunCli
from tests.support.faults import FaultProxy, Faults, Request
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.organization import ROLE, Org, per_account, regions_listing
from tests.support.seeding import db_in_zone
from tests.support.standins import StartStandin, deny, serve_standin, zone_listing

SCAN = ("scan", "-s", "rds", "-r", "us-east-1,eu-west-1", "--role-name", ROLE)
EU_ZONES = {"eu-west-1a": "euw1-az1", "eu-west-1b": "euw1-az2"}
# The us-east-1a of each account: a different physical zone in each, as AWS shuffles names.
ZONE_A = {"master": "use1-az6", "web": "use1-az1", "api": "use1-az4", "cards": "use1-az2"}
ZONE_A |= {"lab": "use1-az3", "shared": "use1-az5", "locked": "use1-az1", "old-lab": "use1-az1"}


def single_az_db(org: Org, account: str, name: str, zone: str, *, multi_az: bool = False) -> None:
    db_in_zone(org.boto(account)("rds", zone[:-1]), name, zone, multi_az=multi_az)


@dataclass
class World:
    org: Org
    proxy: FaultProxy
    ec2: ServiceStandin

    def id(self, name: str) -> str:
        return self.org.accounts[name]

    def organizations_calls(self) -> list[str]:
        return [s.operation for s in self.proxy.seen if s.service == "organizations"]


@pytest.fixture
def world(aws_env: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    org = Org.create(aws_env)
    org.unit("prod")
    org.unit("payments", parent="prod")
    org.unit("sandbox")
    for name, unit in (
        ("web", "prod"),
        ("api", "prod"),
        ("locked", "prod"),
        ("cards", "payments"),
        ("lab", "sandbox"),
        ("old-lab", "sandbox"),
        ("shared", ""),
    ):
        org.account(name, unit)
    org.close("old-lab")
    for name in ("master", "web", "api", "cards", "lab", "shared"):
        single_az_db(org, name, f"{name}-db", "us-east-1a")
    single_az_db(org, "web", "web-ha", "us-east-1b", multi_az=True)
    single_az_db(org, "api", "api-eu", "eu-west-1b")
    zones = {
        org.accounts[name]: zone_listing({"us-east-1a": zone_id, **EU_ZONES})
        for name, zone_id in ZONE_A.items()
    }
    both = regions_listing("us-east-1", "eu-west-1")
    handlers = {
        "DescribeAvailabilityZones": per_account(zones, zone_listing(EU_ZONES)),
        "DescribeRegions": per_account({org.accounts["cards"]: regions_listing("us-east-1")}, both),
    }
    denied = Request("AssumeRole", f"arn:aws:iam::{org.accounts['locked']}:role/{ROLE}")
    with FaultProxy(aws_env, Faults(deny_requests=(denied,))) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        with serve_standin("ec2", handlers, upstream=proxy.url) as ec2:
            yield World(org, proxy, ec2)


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def account_rows(run: CliRun) -> dict[str, tuple[str, str]]:
    return {
        r["account_id"]: (r["result"], r["error_message"])
        for r in run.report
        if r["service"] == "account"
    }


def test_an_organization_scan_reports_every_account_and_isolates_failures(
    world: World, run_cli: RunCli
) -> None:
    run = run_cli(*SCAN, "--organization")
    assert run.code == 1, run.stderr
    found = {
        (f["account_id"], f["resource_name"]): (f["potential_single_az_risk"], f["account_name"])
        for f in run.findings
    }
    expected = {
        (world.id(n), f"{n}-db"): ("True", n) for n in ("web", "api", "cards", "lab", "shared")
    }
    expected[ACCOUNT_ID, "master-db"] = ("True", "master")
    expected[world.id("web"), "web-ha"] = ("False", "web")
    expected[world.id("api"), "api-eu"] = ("True", "api")
    assert found == expected
    assert {(f["payer_account_id"], f["payer_account_name"]) for f in run.findings} == {
        (ACCOUNT_ID, "master")
    }
    assert [(f["account_id"], f["region"]) for f in run.findings] == sorted(
        (f["account_id"], f["region"]) for f in run.findings
    ), "the file is in account order"

    rows = account_rows(run)
    locked = world.id("locked")
    assert rows.pop(world.id("old-lab")) == ("Skipped", "account status SUSPENDED")
    result, message = rows.pop(locked)
    assert result == "AccessDenied"
    assert message.startswith(f"cannot assume arn:aws:iam::{locked}:role/{ROLE}: AccessDenied: ")
    result, message = rows.pop(world.id("cards"))
    assert (result, message.split(";")[0]) == (
        "RegionDisabled",
        "1 of 2 (check, region) pairs failed",
    )
    assert rows == {world.id(n): ("Success", "") for n in ("master", "web", "api", "lab", "shared")}
    pairs = {
        (r["account_id"], r["region"]): r["result"] for r in run.report if r["service"] == "rds"
    }
    assert pairs[world.id("cards"), "eu-west-1"] == "RegionDisabled"
    assert sum(result == "Success" for result in pairs.values()) == 11
    assert run.report[-1]["service"] == "Overall"
    assert run.report[-1]["account_id"] == ACCOUNT_ID

    assert world.organizations_calls() == ["DescribeOrganization", "ListAccounts"]
    assert "accounts: 5 scanned, 1 skipped, 2 failed, of 8 accounts" in run.stderr
    assert f"failed {locked} (locked): AccessDenied: cannot assume" in run.stderr
    assert f"skipped {world.id('old-lab')} (old-lab): SUSPENDED" in run.stderr


def test_each_account_maps_its_own_az_names(world: World, run_cli: RunCli) -> None:
    run = run_cli(
        *SCAN, "--organization", "--format", "jsonl", "--exclude-accounts", world.id("locked")
    )
    [path] = run.output.glob("*.jsonl")
    located = {
        (f["account_id"], f["resource_name"]): f["location_id"]
        for f in map(json.loads, path.read_text().splitlines())
        if f["potential_single_az_risk"]
    }
    for name in ("master", "web", "api", "cards", "lab", "shared"):
        assert located[world.id(name), f"{name}-db"] == ZONE_A[name], name
    assert located[world.id("api"), "api-eu"] == "euw1-az2"
    listings = [r for r in world.ec2.requests if r[1] == "DescribeAvailabilityZones"]
    assert len(listings) == 7, "one per account and region with findings in it"


def test_ous_choose_nested_units_and_exclusions_leave_accounts_out(
    world: World, run_cli: RunCli
) -> None:
    prod, payments = world.org.units["prod"], world.org.units["payments"]
    run = run_cli(*SCAN, "--organization", "--ou", prod, "--exclude-accounts", world.id("locked"))
    assert run.code == 1, run.stderr  # cards lacks eu-west-1
    assert set(account_rows(run)) == {world.id(n) for n in ("web", "api", "cards")}
    calls = world.organizations_calls()
    assert calls.count("ListAccounts") == 1
    assert "DescribeAccount" not in calls
    assert {"ListOrganizationalUnitsForParent", "ListAccountsForParent"} <= set(calls)

    run = run_cli(
        *SCAN,
        "--organization",
        "--ou",
        prod,
        "--exclude-ou",
        payments,
        "--exclude-accounts",
        world.id("locked"),
        "--truncate-output",
    )
    assert run.code == 0, run.stderr
    assert set(account_rows(run)) == {world.id("web"), world.id("api")}


def test_a_filter_naming_nothing_is_a_usage_error_and_writes_nothing(
    world: World, run_cli: RunCli
) -> None:
    for args, message in (
        (
            ("--ou", "ou-zzzz-zzzzzzzz", "--ou", "ou-yyyy-yyyyyyyy"),
            "no such organizational unit in the organization: ou-zzzz-zzzzzzzz, ou-yyyy-yyyyyyyy",
        ),
        (("--accounts", "999999999999"), "no such account in the organization: 999999999999"),
        (
            ("--exclude-accounts", "999999999998"),
            "no such account in the organization: 999999999998",
        ),
        (("--exclude-accounts", ",".join(world.org.accounts.values())), "no account left to scan"),
    ):
        run = run_cli(*SCAN, "--organization", *args)
        assert (run.code, message in run.stderr) == (2, True), run.stderr
        assert not run.output.exists()
    assert "ListOrganizationalUnitsForParent" in world.organizations_calls()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--ou", "prod-unit"),
            "--ou: not an organizational unit id (ou-...) or root id (r-...): prod-unit",
        ),
        (("--accounts", "12345,111122223333"), "--accounts: not a 12-digit account id: 12345"),
        (
            ("--ou", "r-ab12"),
            "--ou and --exclude-ou choose within the organization: add --organization",
        ),
        (
            ("--accounts", "111122223333", "--exclude-accounts", "111122223333"),
            "in both --accounts and --exclude-accounts: 111122223333",
        ),
        (("--external-id", "x-y-z"), "--external-id and --role-session-name go with --role-name"),
        (
            ("--role-name", "Audit"),
            "--role-name is the role of member accounts: add --organization",
        ),
        (
            ("--accounts", "111122223333", "--role-name", "Audit", "--role-session-name", "a b"),
            "--role-session-name must be 2 to 64 letters",
        ),
        (
            ("--accounts", "111122223333", "--max-concurrent-accounts", "0"),
            "--max-concurrent-accounts must be at least 1",
        ),
    ],
)
def test_malformed_choices_are_usage_errors_before_any_call(
    run_cli: RunCli, args: tuple[str, ...], message: str
) -> None:
    run = run_cli("scan", *args)
    assert (run.code, message in run.stderr) == (2, True), run.stderr
    assert not run.output.exists()


def test_member_accounts_need_a_role(world: World, run_cli: RunCli) -> None:
    run = run_cli("scan", "-s", "rds", "--organization")
    assert run.code == 2
    assert "--role-name is needed to scan member accounts" in run.stderr
    assert not run.output.exists()


def test_every_format_shows_each_account(world: World, run_cli: RunCli, tmp_path: Path) -> None:
    browser()
    run = run_cli(*SCAN, "--organization", "--format", "json,markdown,html,ocsf")
    assert run.code == 1, run.stderr
    [document] = [json.loads(p.read_text()) for p in run.output.glob("*.json")]
    assert not list(validator().iter_errors(document))
    organization = document["organization"]
    assert organization["totals"] == {
        "accounts": 8,
        "scanned": 5,
        "skipped": 1,
        "failed": 2,
        "interrupted": 0,
    }
    accounts = {a["account_id"]: a for a in organization["accounts"]}
    assert accounts[world.id("web")]["open_risks"] == 1
    assert accounts[world.id("web")]["resources"] == 2
    assert accounts[world.id("old-lab")]["status"] == "SUSPENDED"
    assert {r["account_id"] for r in document["run_report"]} == {
        world.id(n) for n in ("master", "web", "api", "cards", "lab", "shared")
    }

    [summary] = [p.read_text() for p in run.output.glob("*.md")]
    assert summary.startswith("## Resiliency scan of 8 accounts of the organization of ")
    assert "Accounts: 5 scanned, 1 skipped (not ACTIVE), 2 failed, of 8." in summary
    assert f"| {world.id('api')} (api) | Success | 2 | 2 | 2 | 0 | 0 | rds 2 |" in summary
    assert f"| {world.id('old-lab')} (old-lab) | Skipped (SUSPENDED) |" in summary

    events = [json.loads(line) for p in run.output.glob("*.ocsf.jsonl") for line in p.open()]
    assert {e["cloud"]["account"]["uid"] for e in events} == {
        world.id(n) for n in ("master", "web", "api", "cards", "lab", "shared")
    }

    [page_file] = run.output.glob("*.html")
    page = Page()
    page.feed(rendered_dom(page_file, tmp_path / "profile"))
    assert len(page.rows["accounts"]) == 8
    heat = page.rows["heatmap"]
    assert len(heat) == 8, "a row per account"
    assert sum(int(row[0]) for row in heat) == 7, "the unaccepted risks of every account"
    text = " ".join("".join(page.text).split())
    assert "1 accounts skipped" in text
    assert "FAILED: AccessDenied" in text


def test_a_pair_of_files_per_account(world: World, run_cli: RunCli) -> None:
    run = run_cli(*SCAN, "--organization", "--filename-with-accountid", "--format", "json")
    assert run.code == 1, run.stderr
    names = {p.name for p in run.output.iterdir()}
    for name in ("web", "api", "cards", "lab", "shared", "locked", "old-lab"):
        stem = f"Resiliency_Findings_{world.id(name)}_{name}_"
        assert sum(n.startswith(stem) for n in names) == 3, name
    [web] = [p for p in run.output.glob(f"*_{world.id('web')}_web_*.csv") if "report" not in p.name]
    assert {row["resource_name"] for row in csv_rows(web)} == {"web-db", "web-ha"}
    [report] = run.output.glob(f"*_{world.id('old-lab')}_old-lab_*_run_report.csv")
    assert [(r["service"], r["result"]) for r in csv_rows(report)] == [("account", "Skipped")]
    [own] = run.output.glob(f"*_{ACCOUNT_ID}_master_*_run_report.csv")
    rows = csv_rows(own)
    assert [r["service"] for r in rows[-2:]] == ["account", "Overall"]
    [document] = [
        json.loads(p.read_text()) for p in run.output.glob(f"*_{world.id('api')}_api_*.json")
    ]
    assert document["account"]["account_id"] == world.id("api")
    assert {f["resource_name"] for f in document["findings"]} == {"api-db", "api-eu"}


def test_suppressions_name_accounts_and_ous(world: World, run_cli: RunCli, tmp_path: Path) -> None:
    rules = tmp_path / "accepted.yaml"
    rules.write_text(
        "suppressions:\n"
        f"  - ou: {world.org.units['prod']}\n    reason: prod databases are rebuilt\n"
        "  - account_name: la*\n    check_id: rds.*\n    reason: a lab\n"
        f"  - ou: {world.org.units['sandbox']}\n    region: eu-*\n    reason: unused\n"
    )
    run = run_cli(*SCAN, "--organization", "--csv-extended", "--suppressions", str(rules))
    suppressed = {f["resource_name"] for f in run.findings if f["suppressed"] == "True"}
    assert suppressed == {"web-db", "api-db", "api-eu", "cards-db", "lab-db"}, "nested too"
    assert "unused suppression: line 7" in run.stderr

    rules.write_text(f"suppressions:\n  - ou: ou-{'z' * 4}-{'z' * 8}\n    reason: typo\n")
    run = run_cli(*SCAN, "--organization", "--suppressions", str(rules), "--truncate-output")
    assert run.code == 2
    assert "suppressions line 2: no such organizational unit in the organization" in run.stderr, (
        run.stderr
    )


def test_the_baseline_and_the_gate_span_accounts(
    world: World, run_cli: RunCli, tmp_path: Path
) -> None:
    scan = ["scan", "-s", "rds", "-r", "us-east-1", "--role-name", ROLE, "--organization"]
    scan += ["--exclude-accounts", world.id("locked")]
    first = run_cli(*scan, "--stdout", "jsonl")
    assert first.code == 0, first.stderr
    baseline = tmp_path / "last.jsonl"
    baseline.write_text(first.stdout)
    single_az_db(world.org, "lab", "lab-new", "us-east-1a")
    world.org.boto("web")("rds").delete_db_instance(DBInstanceIdentifier="web-db")
    world.proxy.faults = Faults(
        deny_requests=(Request("AssumeRole", f"arn:aws:iam::{world.id('api')}:role/{ROLE}"),)
    )
    run = run_cli(*scan, "--baseline", str(baseline), "--fail-on", "new", "--format", "json")
    assert run.code == 1, "api's role denied: a partial scan proves nothing"
    [document] = [json.loads(p.read_text()) for p in run.output.glob("*.json")]
    found = document["baseline"]
    assert [r["resource_name"] for r in found["new"]] == ["lab-new"]
    assert [r["resource_name"] for r in found["resolved"]] == ["web-db"], "not api-db"
    assert "Gate failed (--fail-on new): 1 new unaccepted risk" in run.stderr


def test_deliveries_go_once_and_security_hub_imports_in_each_account(
    world: World, run_cli: RunCli, boto: Boto, standin: StartStandin
) -> None:
    bucket = OwnedBucket(ACCOUNT_ID)
    s3 = standin("s3", {"PutObject": bucket.put_object})
    queue = bus_with_queue(boto)
    scan = [*SCAN, "--organization", "-b", BUCKET, "--event-bus-arn", BUS_ARN]
    run = run_cli(*scan, "--security-hub", "--format", "json")
    assert run.code == 1, run.stderr
    written = sorted(p.name for p in run.output.iterdir())
    assert sorted(key.rpartition("/")[2] for key in bucket.objects) == written
    assert len(s3.requests) == len(written) == 3, "each file once, into the one bucket"
    events = drain(boto, queue)
    assert sorted(e["detail"]["resource_name"] for e in events) == sorted(
        f["resource_name"] for f in run.findings
    )

    def imported(name: str) -> set[tuple[str, str]]:
        hub = world.org.boto(name)("securityhub", "us-east-1")
        return {
            (f["AwsAccountId"], f["Resources"][0]["Id"].rpartition(":")[2])
            for f in hub.get_findings()["Findings"]
        }

    for name in ("master", "web", "cards", "lab", "shared"):
        assert imported(name) == {(world.id(name), f"{name}-db")}, name
    assert imported("locked") == set()
    rows = {(r["account_id"], r["region"]): r for r in run.report if r["service"] == "securityhub"}
    assert (world.id("locked"), "us-east-1") not in rows
    assert rows[world.id("api"), "eu-west-1"]["error_message"].startswith("imported=1 ")

    world.org.boto("web")("rds").delete_db_instance(DBInstanceIdentifier="web-db")
    again = run_cli(*scan, "--security-hub", "--truncate-output")
    rows = {
        (r["account_id"], r["region"]): r for r in again.report if r["service"] == "securityhub"
    }
    assert rows[world.id("web"), "us-east-1"]["error_message"].startswith(
        "imported=0 updated=0 archived=1 "
    ), "archived in its own account"
    assert rows[world.id("lab"), "us-east-1"]["error_message"].startswith("imported=0 updated=1 ")


def test_interrupting_an_organization_scan_ends_every_account_with_whole_rows(
    aws_env: str, tmp_path: Path
) -> None:
    """One account at a time, its OpenSearch pair hanging: Ctrl-C cancels it, and the accounts
    not started yet end Cancelled without a call."""
    org = Org.create(aws_env)
    for name in ("alpha", "beta", "gamma"):
        org.account(name)
    with FaultProxy(aws_env, Faults(hang=frozenset({"es"}))) as proxy:
        output = tmp_path / "interrupted"
        process = start_cli(
            proxy,
            output,
            *("scan", "--organization", "--role-name", ROLE, "-s", "rds,opensearch"),
            *("-r", "us-east-1", "--max-concurrent-accounts", "1"),
        )
        wait_for_report_rows(output, 1, process)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    [report_path] = output.glob("*_run_report.csv")
    rows = csv_rows(report_path)
    first = rows[0]["account_id"]
    accounts = {r["account_id"]: r for r in rows if r["service"] == "account"}
    assert accounts.pop(first)["result"] == "Cancelled"
    assert {(r["result"], r["error_message"]) for r in accounts.values()} == {
        ("Cancelled", "scan interrupted first")
    }
    assert len(accounts) == 3
    pairs = {r["service"]: r["result"] for r in rows if r["account_id"] == first}
    assert (pairs["rds"], pairs["opensearch"]) == ("Success", "Cancelled")
    assert rows[-1]["service"] == "Overall"
    assert sum(s.operation == "AssumeRole" for s in proxy.seen) <= 1, "only the first started"


def test_all_regions_are_each_accounts_own(world: World, run_cli: RunCli) -> None:
    both, cards = world.id("web"), world.id("cards")
    run = run_cli("scan", "-s", "rds", "--role-name", ROLE, "--accounts", f"{cards},{both}")
    assert run.code == 0, run.stderr
    regions = {(r["account_id"], r["region"]) for r in run.report if r["service"] == "rds"}
    assert regions == {(cards, "us-east-1"), (both, "us-east-1"), (both, "eu-west-1")}


def test_an_account_whose_regions_cannot_be_read_is_its_own_row(
    world: World, run_cli: RunCli
) -> None:
    lab = world.id("lab")
    handlers = {
        "DescribeRegions": per_account({lab: deny}, regions_listing("us-east-1", "eu-west-1")),
        "DescribeAvailabilityZones": zone_listing(EU_ZONES | {"us-east-1a": "use1-az1"}),
    }
    with serve_standin("ec2", handlers, upstream=world.proxy.url):
        run = run_cli(*SCAN, "--accounts", f"{lab},{world.id('web')}")
    assert run.code == 1, run.stderr
    rows = account_rows(run)
    assert rows[world.id("web")] == ("Success", "")
    result, message = rows[lab]
    assert result == "AccessDenied"
    assert message.startswith("cannot list the account's regions: AccessDenied: ")
    assert {f["account_id"] for f in run.findings} == {world.id("web")}

"""AZ IDs: each account's names mapped centrally, once per (account, region); a finding's location;
the impact view over two accounts whose ``us-east-1a`` are different physical zones."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from pydantic import ValidationError

from resiliency_analyser.aws.names import zone_region
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.model.findings import AccountInfo, Assessment, Finding
from resiliency_analyser.output.impact import impact_of_records
from tests.support.ci_world import jsonl, written
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import db_in_zone
from tests.support.standins import deny, serve_standin, zone_listing

OTHER_ACCOUNT = "222222222222"
AT = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "region"),
    [
        ("us-east-1a", "us-east-1"),
        ("us-east-1-bos-1a", "us-east-1"),
        ("us-east-1-wl1-bos-wlz-1", "us-east-1"),
        ("us-gov-west-1b", "us-gov-west-1"),
        ("ap-southeast-2c", "ap-southeast-2"),
        ("Noneb", ""),
        ("", ""),
    ],
)
def test_the_region_of_a_zone_is_read_from_its_name(zone: str, region: str) -> None:
    assert zone_region(zone) == region


def assessment(zones: tuple[str, ...], *, risk: bool = True, location: str = "") -> Assessment:
    return Assessment(
        check_id="rds.instance_multi_az",
        resource_name="db",
        risk=risk,
        message="m",
        availability_zones=zones,
        location=location,
    )


@pytest.mark.parametrize(
    ("zones", "risk", "location", "located"),
    [
        (("us-east-1a",), True, "", "us-east-1a"),
        (("us-east-1a", "us-east-1b"), True, "", ""),
        (("us-east-1a", "us-east-1b"), True, "us-east-1b", "us-east-1b"),
        (("us-east-1a",), False, "", ""),
        ((), True, "", ""),
    ],
)
def test_a_risk_in_one_az_is_located_there_unless_the_check_says_where(
    zones: tuple[str, ...], risk: bool, location: str, located: str
) -> None:
    assert assessment(zones, risk=risk, location=location).located == located


def test_a_location_outside_the_zones_is_refused() -> None:
    with pytest.raises(ValidationError, match="not among availability_zones"):
        assessment(("us-east-1a",), location="us-east-1b")


def finding_in(account_id: str, zone_ids: dict[str, str]) -> Finding:
    return Finding.of(
        assessment(("us-east-1a",)),
        service="rds",
        region="us-east-1",
        account=AccountInfo(account_id=account_id),
        at=AT,
        zone_ids=zone_ids,
    )


def test_the_same_az_name_in_two_accounts_is_two_zones() -> None:
    one = finding_in(ACCOUNT_ID, {"us-east-1a": "use1-az1"})
    other = finding_in(OTHER_ACCOUNT, {"us-east-1a": "use1-az4"})
    assert (one.location_id, other.location_id) == ("use1-az1", "use1-az4")
    zones = impact_of_records([FindingRecord(one), FindingRecord(other)]).zones
    assert [(z.zone_id, [e.account_id for e in z.open]) for z in zones] == [
        ("use1-az1", [ACCOUNT_ID]),
        ("use1-az4", [OTHER_ACCOUNT]),
    ]


def test_a_zone_missing_from_the_listing_has_no_id() -> None:
    unknown = finding_in(ACCOUNT_ID, {"us-east-1b": "use1-az2"})
    assert (unknown.availability_zone_ids, unknown.location_id) == (("",), "")


def ec2_standin(zone_ids: dict[str, str]) -> dict[str, Any]:
    """The EC2 calls a scan of RDS makes: its regions, and the account's zones (AWS shuffles
    names per account; moto does not, so the test serves each account's own mapping)."""

    def regions(params: dict[str, Any], region: str) -> dict[str, Any]:
        return {"Regions": [{"RegionName": "us-east-1", "OptInStatus": "opt-in-not-required"}]}

    local_zone = {"us-east-1-bos-1a": "use1-bos1-az1"}
    return {
        "DescribeRegions": regions,
        "DescribeAvailabilityZones": zone_listing(zone_ids | local_zone),
    }


def other_account_keys(moto_url: str) -> dict[str, str]:
    """Credentials moto maps to another account (a role assumed there)."""
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=moto_url)
    role = f"arn:aws:iam::{OTHER_ACCOUNT}:role/scanner"
    keys = sts.assume_role(RoleArn=role, RoleSessionName="impact-test")["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": keys["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": keys["SecretAccessKey"],
        "AWS_SESSION_TOKEN": keys["SessionToken"],
    }


def test_impact_over_two_accounts_groups_by_their_own_az_ids(
    boto: Boto, aws_env: str, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    db_in_zone(boto("rds"), "orders-a", "us-east-1a")
    db_in_zone(boto("rds"), "billing-a", "us-east-1a")
    scan = ("scan", "-r", "us-east-1", "-s", "rds", "--format", "jsonl")
    with serve_standin("ec2", ec2_standin({"us-east-1a": "use1-az1"})) as ec2:
        first = run_cli(*scan, output=tmp_path / "a")
    assert first.code == 0, first.stderr
    zone_calls = [r for r in ec2.requests if r[1] == "DescribeAvailabilityZones"]
    assert len(zone_calls) == 1, "one zone listing per (account, region), shared by all findings"

    keys = other_account_keys(aws_env)
    other_rds = boto3.client(
        "rds",
        region_name="us-east-1",
        endpoint_url=aws_env,
        aws_access_key_id=keys["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=keys["AWS_SESSION_TOKEN"],
    )
    db_in_zone(other_rds, "orders-b", "us-east-1a")
    for name, value in keys.items():
        monkeypatch.setenv(name, value)
    with serve_standin("ec2", ec2_standin({"us-east-1a": "use1-az4"})):
        second = run_cli(*scan, output=tmp_path / "b")
    assert second.code == 0, second.stderr

    lines = {f["resource_name"]: f for f in jsonl(written(first, ".jsonl"))}
    lines |= {f["resource_name"]: f for f in jsonl(written(second, ".jsonl"))}
    assert lines["orders-a"]["availability_zone_ids"] == ["use1-az1"]
    assert (lines["orders-b"]["account_id"], lines["orders-b"]["location_id"]) == (
        OTHER_ACCOUNT,
        "use1-az4",
    )

    files = [str(next((tmp_path / d).glob("*.jsonl"))) for d in "ab"]
    view = json.loads(run_cli("impact", *files, "--format", "json").stdout)
    placed = {
        z["az_id"]: sorted((r["account_id"], r["resource_name"]) for r in z["risks"])
        for z in view["zones"]
    }
    assert placed == {
        "use1-az1": [(ACCOUNT_ID, "billing-a"), (ACCOUNT_ID, "orders-a")],
        "use1-az4": [(OTHER_ACCOUNT, "orders-b")],
    }
    assert view["zones"][0]["names"] == {ACCOUNT_ID: "us-east-1a"}
    one_zone = json.loads(run_cli("impact", *files, "--az", "use1-az4", "--format", "json").stdout)
    assert [z["az_id"] for z in one_zone["zones"]] == ["use1-az4"]


def test_a_denied_zone_listing_fails_the_pairs_that_needed_it(boto: Boto, run_cli: RunCli) -> None:
    db_in_zone(boto("rds"), "orders-a", "us-east-1a")
    # A public domain names no AZ, so its pair needs no zone listing.
    boto("opensearch").create_domain(DomainName="logs", ClusterConfig={"InstanceCount": 1})
    handlers = {**ec2_standin({}), "DescribeAvailabilityZones": deny}
    with serve_standin("ec2", handlers):
        run = run_cli("scan", "-r", "us-east-1", "-s", "rds,opensearch")
    assert run.code == 1
    assert run.pair_results == {
        ("opensearch", "us-east-1"): "Success",
        ("rds", "us-east-1"): "AccessDenied",
    }

"""Network Firewall: the rule on DescribeFirewall answers, and collection through the CLI (moto,
and a stand-in for paged listings and a firewall deleted mid-scan)."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import networkfirewall
from resiliency_analyser.demo.standin import StandinError
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.network import described_firewall, firewall_handlers
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin, region_zone_listing

ZONES = {f"subnet-{z}": f"us-east-1{z}" for z in "abc"}


def firewall(endpoints: str, **fields: Any) -> dict[str, Any]:
    """A ready firewall with an endpoint in each AZ suffix of ``endpoints``."""
    described = described_firewall("us-east-1", "fw", {z: f"vpce-{z}" for z in endpoints})
    described["Firewall"].update(fields)
    return described


@pytest.mark.parametrize(
    ("record", "risk", "zones", "text"),
    [
        (firewall("a"), True, ("us-east-1a",), "endpoints in 1 AZ(s): us-east-1a"),
        (firewall("ab"), False, ("us-east-1a", "us-east-1b"), "2 AZ(s): us-east-1a, us-east-1b"),
        (firewall("", SubnetMappings=[]), True, (), "0 AZ(s): none"),
        # One endpoint per AZ: a subnet the lookup cannot find is another AZ.
        (
            firewall("ax"),
            False,
            ("us-east-1a",),
            "2 AZ(s): us-east-1a; subnets not found in the region: subnet-x",
        ),
        # Attached to a transit gateway: the firewall names its AZs, it has no subnets.
        (
            firewall("", AvailabilityZoneMappings=[{"AvailabilityZone": "us-east-1b"}]),
            True,
            ("us-east-1b",),
            "1 AZ(s): us-east-1b",
        ),
        (
            firewall(
                "",
                AvailabilityZoneMappings=[
                    {"AvailabilityZone": "us-east-1b"},
                    {"AvailabilityZone": "us-east-1c"},
                ],
            ),
            False,
            ("us-east-1b", "us-east-1c"),
            "2 AZ(s)",
        ),
    ],
)
def test_firewalls(record: dict[str, Any], risk: bool, zones: tuple[str, ...], text: str) -> None:
    [result] = networkfirewall.assess([record], ZONES)
    assert (result.risk, result.availability_zones) == (risk, zones)
    assert text in result.message
    assert result.resource_arn == f"arn:aws:network-firewall:us-east-1:{ACCOUNT_ID}:firewall/fw"
    assert (result.resource_name, result.resource_id) == ("fw", "id-fw")


@pytest.mark.parametrize("status", ["PROVISIONING", "DELETING"])
def test_firewalls_not_ready_are_not_judged(status: str) -> None:
    record = described_firewall("us-east-1", "fw", {"a": "vpce-a"}, status=status)
    assert networkfirewall.assess([record], ZONES) == []


REGION = "eu-west-1"


def test_moto_firewalls_are_judged_by_their_subnets(boto: Boto, run_cli: RunCli) -> None:
    subnets = make_subnets(boto, REGION)  # AZs a, a, b
    vpc = boto("ec2", REGION).describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    client = boto("network-firewall", REGION)
    policy = f"arn:aws:network-firewall:{REGION}:{ACCOUNT_ID}:firewall-policy/p"
    for name, mapped in (("one-az", subnets[:1]), ("two-az", [subnets[0], subnets[2]])):
        client.create_firewall(
            FirewallName=name,
            FirewallPolicyArn=policy,
            VpcId=vpc,
            SubnetMappings=[{"SubnetId": s} for s in mapped],
        )

    run = run_cli("scan", "-r", REGION, "-s", "networkfirewall")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"one-az": True, "two-az": False}
    risky = run.finding("one-az")
    assert (
        risky["resource_arn"] == f"arn:aws:network-firewall:{REGION}:{ACCOUNT_ID}:firewall/one-az"
    )
    assert f"2 AZ(s): {REGION}a, {REGION}b" in run.finding("two-az")["message"]


def test_every_page_is_read_and_each_firewall_described_once(
    run_cli: RunCli, standin: StartStandin
) -> None:
    firewalls = [
        described_firewall(REGION, f"fw-{i}", {z: f"vpce-{i}{z}" for z in "ab"[: 1 + i % 2]})
        for i in range(5)
    ]
    firewalls.append(described_firewall(REGION, "fw-deleting", {"a": "vpce-d"}, "DELETING"))
    handlers = firewall_handlers(firewalls)
    describe = handlers["DescribeFirewall"]
    gone = f"arn:aws:network-firewall:{REGION}:{ACCOUNT_ID}:firewall/fw-4"

    def describe_or_gone(params: dict[str, Any], region: str) -> dict[str, Any]:
        if params["FirewallArn"] == gone:
            raise StandinError("ResourceNotFoundException", "Firewall not found")
        return describe(params, region)

    server = standin("network-firewall", {**handlers, "DescribeFirewall": describe_or_gone})
    subnets = [
        {"SubnetId": f"subnet-{z}", "AvailabilityZone": f"{REGION}{z}", "VpcId": "vpc-1"}
        for z in "ab"
    ]
    standin(
        "ec2",
        {
            "DescribeRegions": lambda params, region: {"Regions": [{"RegionName": REGION}]},
            "DescribeAvailabilityZones": region_zone_listing(REGION),
            "DescribeSubnets": lambda params, region: {"Subnets": subnets},
        },
    )

    run = run_cli("scan", "-r", REGION, "-s", "networkfirewall")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"fw-{i}": i % 2 == 0 for i in range(4)}
    assert run.pair_results == {("networkfirewall", REGION): "Success"}
    tokens = [p.get("NextToken") for _, op, p in server.requests if op == "ListFirewalls"]
    assert tokens == [None, "2", "4"]
    described = sorted(p["FirewallArn"] for _, op, p in server.requests if op == "DescribeFirewall")
    assert described == sorted(f["Firewall"]["FirewallArn"] for f in firewalls)

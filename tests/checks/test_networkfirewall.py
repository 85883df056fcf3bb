"""Network Firewall: the rule on DescribeFirewall answers, and collection through the CLI (moto,
and a stand-in for paged listings, the two firewall types, proxy-mode fields moto lacks, a
firewall deleted mid-scan and one that cannot be described)."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import networkfirewall
from resiliency_analyser.demo.standin import StandinError
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.network import (
    described_firewall,
    firewall_handlers,
    region_subnets,
    routing_handlers,
    tagged,
)
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


def proxy(endpoints: str) -> dict[str, Any]:
    """A ready proxy-mode firewall: its endpoints in its VpcEndpoint's subnets, no mappings."""
    return firewall(
        endpoints,
        SubnetMappings=[],
        VpcEndpoint={
            "VpcId": "vpc-1",
            "SubnetMappings": [{"SubnetId": f"subnet-{z}"} for z in endpoints],
        },
    )


def igw(endpoints: str, *, typed: bool = True) -> dict[str, Any]:
    """A ready internet gateway firewall, described with its type (or only recognisable by its
    IgwFirewallConfiguration)."""
    described = described_firewall(
        "us-east-1", "fw", {z: f"vpce-{z}" for z in endpoints}, firewall_type="IGW_FIREWALL"
    )
    if typed:
        described["FirewallType"] = "IGW_FIREWALL"
    return described


@pytest.mark.parametrize(
    ("record", "risk", "zones", "text"),
    [
        # Proxy mode: the endpoints are the VpcEndpoint's (a two-AZ one was "0 AZ(s)" before).
        (
            proxy("ab"),
            False,
            ("us-east-1a", "us-east-1b"),
            "Proxy firewall has endpoints in 2 AZ(s)",
        ),
        (proxy("a"), True, ("us-east-1a",), "Proxy firewall has endpoints in 1 AZ(s): us-east-1a"),
        # AWS Network Security Manager places an internet gateway firewall's endpoints.
        (
            igw("ab"),
            False,
            ("us-east-1a", "us-east-1b"),
            "Internet gateway firewall of vpc-1: AWS Network Security Manager places an endpoint "
            "in every AZ of the VPC that has resources (endpoints ready in 2 AZ(s): us-east-1a, "
            "us-east-1b)",
        ),
        (igw("a", typed=False), False, ("us-east-1a",), "Internet gateway firewall"),
    ],
)
def test_proxy_and_internet_gateway_firewalls(
    record: dict[str, Any], risk: bool, zones: tuple[str, ...], text: str
) -> None:
    [result] = networkfirewall.assess([record], ZONES)
    assert (result.risk, result.availability_zones) == (risk, zones)
    assert text in result.message


@pytest.mark.parametrize("status", ["PROVISIONING", "DELETING", "STANDBY", "FAILED"])
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
    listed = [
        (p.get("FirewallType"), p.get("NextToken"))
        for _, op, p in server.requests
        if op == "ListFirewalls"
    ]
    assert sorted(listed, key=str) == sorted(
        [("FIREWALL", None), ("FIREWALL", "2"), ("FIREWALL", "4"), ("IGW_FIREWALL", None)], key=str
    )
    described = sorted(p["FirewallArn"] for _, op, p in server.requests if op == "DescribeFirewall")
    assert described == sorted(f["Firewall"]["FirewallArn"] for f in firewalls)


def test_each_type_is_described_as_itself_and_one_failure_fails_only_itself(
    run_cli: RunCli, standin: StartStandin
) -> None:
    """An internet gateway firewall described without its type is not found; a proxy firewall's
    endpoints come through the model extras; a firewall denied to DescribeFirewall leaves the
    others judged, here and in `nat`, and the run report says which was left out."""
    routed = described_firewall(REGION, "routed-one-az", {"a": "vpce-routed-a"})
    proxied = described_firewall(REGION, "proxy-two-az", {"a": "vpce-px-a", "b": "vpce-px-b"})
    proxied["Firewall"]["VpcEndpoint"] = {
        "VpcId": "vpc-1",
        "SubnetMappings": proxied["Firewall"].pop("SubnetMappings"),
    }
    managed = described_firewall(
        REGION, "igw-managed", {"a": "vpce-igw-a", "b": "vpce-igw-b"}, firewall_type="IGW_FIREWALL"
    )
    denied = described_firewall(REGION, "denied", {"a": "vpce-denied-a"})
    handlers = firewall_handlers([routed, proxied, managed, denied])
    describe = handlers["DescribeFirewall"]

    def describe_or_deny(params: dict[str, Any], region: str) -> dict[str, Any]:
        if params["FirewallArn"] == denied["Firewall"]["FirewallArn"]:
            raise StandinError("AccessDeniedException", "not authorized on this firewall", 403)
        return describe(params, region)

    server = standin("network-firewall", {**handlers, "DescribeFirewall": describe_or_deny})
    tables = [
        {
            "RouteTableId": "rtb-1",
            "VpcId": "vpc-1",
            "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "vpce-routed-a"}],
            "Associations": [{"SubnetId": "subnet-b"}],
            "Tags": tagged("b-via-routed-a"),
        }
    ]
    standin("ec2", routing_handlers(REGION, region_subnets(REGION), tables, gateways=[]))

    run = run_cli("scan", "-r", REGION, "-s", "networkfirewall,nat")
    assert run.code == 1, run.stderr
    assert run.verdicts == {
        "routed-one-az": True,
        "proxy-two-az": False,
        "igw-managed": False,
        "b-via-routed-a": True,
    }
    assert (
        f"Proxy firewall has endpoints in 2 AZ(s): {REGION}a, {REGION}b"
        in (run.finding("proxy-two-az")["message"])
    )
    assert "Internet gateway firewall" in run.finding("igw-managed")["message"]
    assert run.pair_results == {("networkfirewall", REGION): "Error", ("nat", REGION): "Success"}
    [row] = [r for r in run.report if r["service"] == "networkfirewall"]
    assert "DescribeFirewall failed for 1 of 4 firewall(s)" in row["error_message"]
    assert "denied: " in row["error_message"]
    assert "AccessDeniedException" in row["error_message"]
    types = {
        p["FirewallArn"].rpartition("/")[2]: p.get("FirewallType")
        for _, op, p in server.requests
        if op == "DescribeFirewall"
    }
    assert types == {
        "routed-one-az": "FIREWALL",
        "proxy-two-az": "FIREWALL",
        "igw-managed": "IGW_FIREWALL",
        "denied": "FIREWALL",
    }

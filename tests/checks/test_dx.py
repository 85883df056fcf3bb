"""Direct Connect: the rules on connection and VIF records, and collection through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import dx
from resiliency_analyser.checks.api import Assessment
from tests.support.cli import RunCli
from tests.support.directconnect import ACCOUNT, connection, two_region_gateway, vif
from tests.support.moto import ACCOUNT_ID
from tests.support.standins import StartStandin


def verdict(gateway_id: str, risk: bool) -> Assessment:
    return Assessment(
        check_id="dxgw.gateway_vifs", resource_id=gateway_id, risk=risk, message="judged"
    )


@pytest.mark.parametrize(
    ("connections", "risk", "message"),
    [
        (
            [connection("dxcon-a", "EqDC2")],
            True,
            "Only one available connection in the region: dxcon-a at EqDC2",
        ),
        (
            [connection("dxcon-b", "EqDC2"), connection("dxcon-a", "EqDC2")],
            True,
            "All 2 available connections are at one location (EqDC2): dxcon-a at EqDC2, "
            "dxcon-b at EqDC2",
        ),
        (
            [connection("dxcon-a", "EqDC2"), connection("dxcon-b", "CSVA1")],
            False,
            "2 available connections at 2 locations: dxcon-a at EqDC2, dxcon-b at CSVA1",
        ),
        (
            [
                connection("dxcon-a", "EqDC2"),
                connection("dxcon-b", "CSVA1", "deleted"),
                connection("dxcon-c", "CSVA1", "rejected"),
            ],
            True,
            "Only one available connection in the region: dxcon-a at EqDC2; "
            "left out: dxcon-b (deleted), dxcon-c (rejected)",
        ),
        (
            [connection("dxcon-a", "EqDC2", "down"), connection("dxcon-b", "CSVA1")],
            True,
            "Only one available connection in the region: dxcon-b at CSVA1; "
            "left out: dxcon-a (down)",
        ),
        (
            [connection("dxcon-a", "EqDC2", "ordering"), connection("dxcon-b", "CSVA1", "pending")],
            True,
            "No available connection in the region; left out: dxcon-a (ordering), "
            "dxcon-b (pending)",
        ),
    ],
    ids=["one", "one-location", "two-locations", "gone-left-out", "down", "none-available"],
)
def test_dx_region_rule(connections: list[dict[str, Any]], risk: bool, message: str) -> None:
    [result] = dx.assess(connections, [], {}, ACCOUNT, "us-east-1")
    assert (result.risk, result.message) == (risk, message)
    assert (result.check_id, result.resource_id) == ("dx.region_connections", "us-east-1")


@pytest.mark.parametrize(
    "connections", [[], [connection("dxcon-a", "EqDC2", "deleted")]], ids=["none", "gone"]
)
def test_dx_region_without_live_connections_gets_no_finding(
    connections: list[dict[str, Any]],
) -> None:
    assert dx.assess(connections, [], {}, ACCOUNT, "us-east-1") == []


ONE_CONNECTION = [connection("dxcon-a", "EqDC2", lagId="dxlag-a")]


@pytest.mark.parametrize(
    ("vifs", "gateways", "risk", "message"),
    [
        (
            [vif("dxvif-1", "dxcon-a", directConnectGatewayId="gw-1")],
            {"gw-1": verdict("gw-1", False)},
            False,
            "Only one available connection in the region: dxcon-a at EqDC2; not a risk: the "
            "gateways these connections serve are redundant on their own (gw-1)",
        ),
        (
            [vif("dxvif-1", "dxlag-a", directConnectGatewayId="gw-1")],
            {"gw-1": verdict("gw-1", False)},
            False,
            "Only one available connection in the region: dxcon-a at EqDC2; not a risk: the "
            "gateways these connections serve are redundant on their own (gw-1)",
        ),
        (
            [vif("dxvif-1", "dxcon-a", directConnectGatewayId="gw-1")],
            {"gw-1": verdict("gw-1", True)},
            True,
            "Only one available connection in the region: dxcon-a at EqDC2; "
            "gateways served that are not redundant: gw-1",
        ),
        (
            [
                vif("dxvif-1", "dxcon-a", directConnectGatewayId="gw-1"),
                vif("dxvif-2", "dxcon-a", virtualGatewayId="vgw-1"),
            ],
            {"gw-1": verdict("gw-1", False)},
            True,
            "Only one available connection in the region: dxcon-a at EqDC2; "
            "gateways served that are not redundant: vgw-1",
        ),
        (
            [vif("dxvif-1", "dxcon-a", directConnectGatewayId="gw-other")],
            {},
            True,
            "Only one available connection in the region: dxcon-a at EqDC2; gateways served "
            "that are not redundant: gw-other (not judged, not listed in this account: gw-other)",
        ),
        (
            [vif("dxvif-1", "dxcon-a", "down", directConnectGatewayId="gw-1")],
            {"gw-1": verdict("gw-1", False)},
            True,
            "Only one available connection in the region: dxcon-a at EqDC2",
        ),
    ],
    ids=["dxgw-redundant", "via-lag", "dxgw-not", "vgw-not", "unlisted", "vif-down"],
)
def test_dx_region_is_not_a_risk_when_every_gateway_it_serves_is_redundant(
    vifs: list[dict[str, Any]], gateways: dict[str, Assessment], risk: bool, message: str
) -> None:
    region = dx.assess(ONE_CONNECTION, vifs, gateways, ACCOUNT, "us-east-1")[0]
    assert (region.risk, region.message) == (risk, message)


VGW_ARN = f"arn:aws:ec2:us-east-1:{ACCOUNT_ID}:vpn-gateway/vgw-1"


@pytest.mark.parametrize(
    ("vifs", "risk", "message"),
    [
        (
            [vif("dxvif-a", "dxcon-a")],
            True,
            "Only one available virtual interface: dxvif-a on dxcon-a at EqDC2",
        ),
        (
            [vif("dxvif-b", "dxcon-a"), vif("dxvif-a", "dxcon-a")],
            True,
            "All 2 available virtual interfaces are on one connection (dxcon-a): "
            "dxvif-a on dxcon-a at EqDC2, dxvif-b on dxcon-a at EqDC2",
        ),
        (
            [vif("dxvif-a", "dxcon-a"), vif("dxvif-b", "dxcon-b")],
            True,
            "All 2 available virtual interfaces are at one location (EqDC2): "
            "dxvif-a on dxcon-a at EqDC2, dxvif-b on dxcon-b at EqDC2",
        ),
        (
            [
                vif("dxvif-a", "dxcon-a"),
                vif("dxvif-b", "dxlag-b", location="CSVA1"),
                vif("dxvif-c", "dxcon-c", "deleted"),
            ],
            False,
            "2 available virtual interfaces on 2 connections at 2 locations: "
            "dxvif-a on dxcon-a at EqDC2, dxvif-b on dxlag-b at CSVA1; left out: dxvif-c (deleted)",
        ),
        (
            [vif("dxvif-a", "dxcon-a"), vif("dxvif-b", "dxcon-b", "down", "CSVA1")],
            True,
            "Only one available virtual interface: dxvif-a on dxcon-a at EqDC2; "
            "left out: dxvif-b (down)",
        ),
    ],
    ids=["one", "one-connection", "one-location", "redundant", "down"],
)
def test_dx_virtual_gateway_rule(vifs: list[dict[str, Any]], risk: bool, message: str) -> None:
    public = vif("dxvif-public", "dxcon-a")  # attached to no gateway: judged by no rule
    gateway = [{**v, "virtualGatewayId": "vgw-1"} for v in vifs]
    [result] = dx.assess([], [*gateway, public], {}, ACCOUNT, "us-east-1")
    assert (result.risk, result.resource_arn, result.message) == (risk, VGW_ARN, message)
    assert (result.check_id, result.resource_name) == ("dx.gateway_vifs", "vgw-1")


def test_dx_virtual_gateways_are_judged_apart_and_hosted_vifs_name_their_owner() -> None:
    vifs = [
        vif("dxvif-a", "dxcon-a", virtualGatewayId="vgw-1", ownerAccount="444455556666"),
        vif("dxvif-b", "dxcon-b", virtualGatewayId="vgw-2"),
        vif("dxvif-c", "dxcon-c", location="CSVA1", virtualGatewayId="vgw-2"),
        vif("dxvif-d", "dxcon-c", "deleted", virtualGatewayId="vgw-gone"),
    ]
    got = {a.resource_arn: a.risk for a in dx.assess([], vifs, {}, ACCOUNT, "us-east-1")}
    assert got == {
        "arn:aws:ec2:us-east-1:444455556666:vpn-gateway/vgw-1": True,
        f"arn:aws:ec2:us-east-1:{ACCOUNT_ID}:vpn-gateway/vgw-2": False,
    }


def test_dx_collection_follows_every_page_in_every_region(
    run_cli: RunCli, standin: StartStandin
) -> None:
    data = two_region_gateway()
    server = standin("directconnect", data.handlers())
    run = run_cli("scan", "-r", "us-east-1,eu-west-1", "-s", "dx")
    assert run.code == 0, run.stderr
    got = {(f["region"], f["resource_name"]): f for f in run.findings}
    assert {k: f["potential_single_az_risk"] for k, f in got.items()} == {
        ("us-east-1", "us-east-1 connections"): "True",
        ("us-east-1", "vgw-east"): "True",
        ("eu-west-1", "eu-west-1 connections"): "False",
    }
    assert got["us-east-1", "us-east-1 connections"]["message"] == (
        "Only one available connection in the region: dxcon-east at EqDC2; gateways served "
        "that are not redundant: vgw-east; left out: dxcon-gone (deleted), dxcon-other (deleted)"
    )
    assert got["eu-west-1", "eu-west-1 connections"]["message"] == (
        "Only one available connection in the region: dxcon-west at TCSH; not a risk: the "
        "gateways these connections serve are redundant on their own (gw-1)"
    )
    assert {f["service"] for f in run.findings} == {"dx"}
    calls = sorted(
        (r, op, p.get("nextToken", ""), p.get("maxResults")) for r, op, p in server.requests
    )
    assert calls == [
        ("eu-west-1", "DescribeConnections", "", 100),
        ("eu-west-1", "DescribeVirtualInterfaces", "", 100),
        ("us-east-1", "DescribeConnections", "", 100),
        ("us-east-1", "DescribeConnections", "2", 100),
        # Every listing asks for its largest page (the clients' pacing adds it).
        ("us-east-1", "DescribeDirectConnectGatewayAttachments", "", 100),
        ("us-east-1", "DescribeDirectConnectGatewayAttachments", "1", 100),
        ("us-east-1", "DescribeDirectConnectGateways", "", 100),
        ("us-east-1", "DescribeVirtualInterfaces", "", 100),
        ("us-east-1", "DescribeVirtualInterfaces", "2", 100),
    ], "each region's VIFs are listed once, shared by the region's check and the gateway lookup"

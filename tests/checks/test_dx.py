"""Direct Connect: the rules on connection and VIF records, and collection through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import dx
from resiliency_analyser.demo.standin import paged
from resiliency_analyser.model.findings import AccountInfo
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID
from tests.support.standins import StartStandin

ACCOUNT = AccountInfo(account_id=ACCOUNT_ID)


def connection(connection_id: str, location: str, state: str = "available") -> dict[str, Any]:
    return {
        "connectionId": connection_id,
        "connectionName": connection_id,
        "connectionState": state,
        "location": location,
        "region": "us-east-1",
        "bandwidth": "1Gbps",
    }


def vif(
    vif_id: str, connection_id: str, state: str = "available", **gateway: str
) -> dict[str, Any]:
    return {
        "virtualInterfaceId": vif_id,
        "connectionId": connection_id,
        "virtualInterfaceType": "private",
        "virtualInterfaceState": state,
        "region": "us-east-1",
        "virtualGatewayId": "",
        "directConnectGatewayId": "",
        **gateway,
    }


@pytest.mark.parametrize(
    ("connections", "risk", "message"),
    [
        (
            [connection("dxcon-a", "EqDC2")],
            True,
            "Only one connection in the region: dxcon-a at EqDC2",
        ),
        (
            [connection("dxcon-b", "EqDC2"), connection("dxcon-a", "EqDC2")],
            True,
            "All 2 connections are at one location (EqDC2): dxcon-a at EqDC2, dxcon-b at EqDC2",
        ),
        (
            [connection("dxcon-a", "EqDC2"), connection("dxcon-b", "CSVA1")],
            False,
            "2 connections at 2 locations: dxcon-a at EqDC2, dxcon-b at CSVA1",
        ),
        (
            [
                connection("dxcon-a", "EqDC2"),
                connection("dxcon-b", "CSVA1", "deleted"),
                connection("dxcon-c", "CSVA1", "rejected"),
            ],
            True,
            "Only one connection in the region: dxcon-a at EqDC2",
        ),
        (
            [connection("dxcon-a", "EqDC2", "down"), connection("dxcon-b", "")],
            False,
            "2 connections at 2 locations: dxcon-a at EqDC2, dxcon-b at unknown location",
        ),
    ],
)
def test_dx_region_rule(connections: list[dict[str, Any]], risk: bool, message: str) -> None:
    [result] = dx.assess(connections, [], ACCOUNT, "us-east-1")
    assert (result.risk, result.message) == (risk, message)
    assert (result.check_id, result.resource_id) == ("dx.region_connections", "us-east-1")


@pytest.mark.parametrize(
    "connections", [[], [connection("dxcon-a", "EqDC2", "deleted")]], ids=["none", "gone"]
)
def test_dx_region_without_live_connections_gets_no_finding(
    connections: list[dict[str, Any]],
) -> None:
    assert dx.assess(connections, [], ACCOUNT, "us-east-1") == []


VGW_ARN = f"arn:aws:ec2:us-east-1:{ACCOUNT_ID}:vpn-gateway/vgw-1"
DXGW_ARN = f"arn:aws:directconnect::{ACCOUNT_ID}:dx-gateway/dxgw-1"


@pytest.mark.parametrize(
    ("vifs", "risk", "arn", "message"),
    [
        (
            [vif("dxvif-a", "dxcon-a", virtualGatewayId="vgw-1")],
            True,
            VGW_ARN,
            "Only one virtual interface: dxvif-a on dxcon-a",
        ),
        (
            [
                vif("dxvif-b", "dxcon-a", virtualGatewayId="vgw-1"),
                vif("dxvif-a", "dxcon-a", virtualGatewayId="vgw-1"),
            ],
            True,
            VGW_ARN,
            "All 2 virtual interfaces are on one connection (dxcon-a): "
            "dxvif-a on dxcon-a, dxvif-b on dxcon-a",
        ),
        (
            [
                vif("dxvif-a", "dxcon-a", virtualGatewayId="vgw-1"),
                vif("dxvif-b", "dxcon-b", virtualGatewayId="vgw-1"),
                vif("dxvif-c", "dxcon-c", "deleted", virtualGatewayId="vgw-1"),
            ],
            False,
            VGW_ARN,
            "2 virtual interfaces on 2 connections: dxvif-a on dxcon-a, dxvif-b on dxcon-b",
        ),
        (
            [
                vif("dxvif-a", "dxcon-a", directConnectGatewayId="dxgw-1"),
                vif("dxvif-b", "dxcon-b", "rejected", directConnectGatewayId="dxgw-1"),
            ],
            True,
            DXGW_ARN,
            "Only one virtual interface: dxvif-a on dxcon-a (virtual interfaces in us-east-1)",
        ),
        (
            [
                vif("dxvif-a", "dxcon-a", directConnectGatewayId="dxgw-1"),
                vif("dxvif-b", "dxlag-b", directConnectGatewayId="dxgw-1"),
            ],
            False,
            DXGW_ARN,
            "2 virtual interfaces on 2 connections: dxvif-a on dxcon-a, dxvif-b on dxlag-b "
            "(virtual interfaces in us-east-1)",
        ),
    ],
)
def test_dx_gateway_rule(vifs: list[dict[str, Any]], risk: bool, arn: str, message: str) -> None:
    public = vif("dxvif-public", "dxcon-a")  # attached to no gateway: judged by no rule
    [result] = dx.assess([], [*vifs, public], ACCOUNT, "us-east-1")
    assert (result.risk, result.resource_arn, result.message) == (risk, arn, message)
    assert result.check_id == "dx.gateway_vifs"
    assert result.resource_name == arn.rpartition("/")[2]


def test_dx_gateways_are_judged_apart() -> None:
    vifs = [
        vif("dxvif-a", "dxcon-a", virtualGatewayId="vgw-1"),
        vif("dxvif-b", "dxcon-b", virtualGatewayId="vgw-2"),
        vif("dxvif-c", "dxcon-c", virtualGatewayId="vgw-2"),
    ]
    got = {a.resource_name: a.risk for a in dx.assess([], vifs, ACCOUNT, "us-east-1")}
    assert got == {"vgw-1": True, "vgw-2": False}


REGION_DATA: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
    "us-east-1": (
        [
            connection("dxcon-a", "EqDC2"),
            connection("dxcon-b", "EqDC2"),
            connection("dxcon-c", "CSVA1", "deleted"),
        ],
        [
            vif("dxvif-1", "dxcon-a", virtualGatewayId="vgw-east"),
            vif("dxvif-2", "dxcon-a", virtualGatewayId="vgw-east"),
            vif("dxvif-3", "dxcon-a", directConnectGatewayId="dxgw-1"),
            vif("dxvif-4", "dxcon-b", directConnectGatewayId="dxgw-1"),
        ],
    ),
    "eu-west-1": (
        [connection("dxcon-d", "TCSH"), connection("dxcon-e", "LD5")],
        [vif("dxvif-5", "dxcon-d", virtualGatewayId="vgw-west")],
    ),
}


def test_dx_collection_follows_every_page_in_every_region(
    run_cli: RunCli, standin: StartStandin
) -> None:
    server = standin(
        "directconnect",
        {
            "DescribeConnections": paged(
                "directconnect", "DescribeConnections", lambda p, r: REGION_DATA[r][0], 2
            ),
            "DescribeVirtualInterfaces": paged(
                "directconnect", "DescribeVirtualInterfaces", lambda p, r: REGION_DATA[r][1], 3
            ),
        },
    )
    run = run_cli("scan", "-r", "us-east-1,eu-west-1", "-s", "dx")
    assert run.code == 0, run.stderr
    got = {(f["region"], f["resource_name"]): f["potential_single_az_risk"] for f in run.findings}
    assert got == {
        ("us-east-1", "us-east-1 connections"): "True",
        ("us-east-1", "vgw-east"): "True",
        ("us-east-1", "dxgw-1"): "False",
        ("eu-west-1", "eu-west-1 connections"): "False",
        ("eu-west-1", "vgw-west"): "True",
    }
    assert {f["service"] for f in run.findings} == {"dx"}
    east = [(op, p) for region, op, p in server.requests if region == "us-east-1"]
    assert sorted((op, p.get("nextToken", ""), p["maxResults"]) for op, p in east) == [
        ("DescribeConnections", "", 100),
        ("DescribeConnections", "2", 100),
        ("DescribeVirtualInterfaces", "", 100),
        ("DescribeVirtualInterfaces", "3", 100),
    ]

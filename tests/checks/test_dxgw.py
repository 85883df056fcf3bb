"""Direct Connect gateways: the rule on gateway, attachment and VIF records, and collection once
per scan whatever the regions scanned."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import dx
from resiliency_analyser.checks.lookups import GatewayRecords
from tests.support.cli import RunCli
from tests.support.directconnect import (
    ACCOUNT,
    DirectConnect,
    connection,
    two_region_gateway,
    vif,
)
from tests.support.moto import ACCOUNT_ID
from tests.support.standins import StartStandin


def gateway(**fields: str) -> dict[str, Any]:
    return {
        "directConnectGatewayId": "gw-1",
        "directConnectGatewayName": "core",
        "ownerAccount": ACCOUNT_ID,
        "directConnectGatewayState": "available",
        **fields,
    }


def attachment(vif_id: str, region: str = "us-east-1", state: str = "attached") -> dict[str, Any]:
    return {
        "directConnectGatewayId": "gw-1",
        "virtualInterfaceId": vif_id,
        "virtualInterfaceRegion": region,
        "attachmentState": state,
    }


EAST = vif("dxvif-east", "dxcon-east", location="EqDC2")
WEST = vif("dxvif-west", "dxcon-west", location="TCSH", region="eu-west-1")
EAST_2 = vif("dxvif-east2", "dxcon-east2", location="EqDC2")
EAST_LAG = vif("dxvif-lag", "dxcon-east", location="EqDC2")
DOWN = vif("dxvif-down", "dxcon-west", "down", location="TCSH", region="eu-west-1")
VIFS = {v["virtualInterfaceId"]: v for v in (EAST, WEST, EAST_2, EAST_LAG, DOWN)}


@pytest.mark.parametrize(
    ("attachments", "risk", "message"),
    [
        (
            [attachment("dxvif-east"), attachment("dxvif-west", "eu-west-1")],
            False,
            "2 available virtual interfaces on 2 connections at 2 locations: dxvif-east on "
            "dxcon-east at EqDC2 in us-east-1, dxvif-west on dxcon-west at TCSH in eu-west-1",
        ),
        (
            [attachment("dxvif-east"), attachment("dxvif-east2")],
            True,
            "All 2 available virtual interfaces are at one location (EqDC2): dxvif-east on "
            "dxcon-east at EqDC2 in us-east-1, dxvif-east2 on dxcon-east2 at EqDC2 in us-east-1",
        ),
        (
            [attachment("dxvif-east"), attachment("dxvif-lag")],
            True,
            "All 2 available virtual interfaces are on one connection (dxcon-east): dxvif-east "
            "on dxcon-east at EqDC2 in us-east-1, dxvif-lag on dxcon-east at EqDC2 in us-east-1",
        ),
        (
            [attachment("dxvif-east"), attachment("dxvif-down", "eu-west-1")],
            True,
            "Only one available virtual interface: dxvif-east on dxcon-east at EqDC2 in "
            "us-east-1; left out: dxvif-down (down)",
        ),
        (
            [
                attachment("dxvif-east"),
                attachment("dxvif-west", "eu-west-1", "detaching"),
                attachment("dxvif-hosted", "ap-south-1"),
            ],
            True,
            "Only one available virtual interface: dxvif-east on dxcon-east at EqDC2 in "
            "us-east-1; left out: dxvif-hosted (not found in ap-south-1), "
            "dxvif-west (attachment detaching)",
        ),
        ([], False, "No virtual interface attached: the gateway carries no traffic"),
    ],
    ids=["two-regions", "one-location", "one-connection", "down", "left-out", "unused"],
)
def test_dxgw_rule(attachments: list[dict[str, Any]], risk: bool, message: str) -> None:
    records = GatewayRecords([gateway()], {"gw-1": attachments}, VIFS)
    [result] = dx.assess_dx_gateways(records, ACCOUNT)
    assert (result.risk, result.message) == (risk, message)
    assert (result.check_id, result.resource_name, result.resource_id) == (
        "dxgw.gateway_vifs",
        "core",
        "gw-1",
    )
    assert result.resource_arn == f"arn:aws:directconnect::{ACCOUNT_ID}:dx-gateway/gw-1"


def test_dxgw_of_another_account_and_gateways_being_deleted() -> None:
    records = GatewayRecords(
        [
            gateway(ownerAccount="444455556666"),
            gateway(directConnectGatewayId="gw-2", directConnectGatewayState="deleting"),
            gateway(directConnectGatewayId="gw-3", directConnectGatewayState="deleted"),
        ],
        {"gw-1": [attachment("dxvif-east")]},
        VIFS,
    )
    [result] = dx.assess_dx_gateways(records, ACCOUNT)
    assert result.resource_arn == "arn:aws:directconnect::444455556666:dx-gateway/gw-1"


def test_dxgw_collection_runs_once_and_reads_vifs_in_the_regions_attachments_name(
    run_cli: RunCli, standin: StartStandin
) -> None:
    data = two_region_gateway()
    shared_location = DirectConnect()
    a = vif("dxvif-a", "dxcon-a", location="CSVA1", directConnectGatewayId="gw-2")
    b = vif("dxvif-b", "dxcon-b", location="CSVA1", directConnectGatewayId="gw-2")
    data.vifs["us-east-1"].extend([a, b])
    data.connections["us-east-1"].extend([connection("dxcon-a", "CSVA1")])
    shared_location.gateway("gw-2", a, b)
    for extra in range(3):
        shared_location.gateway(f"gw-unused-{extra}")
    data.gateways.extend(shared_location.gateways)
    data.attachments.update(shared_location.attachments)
    server = standin("directconnect", data.handlers())

    run = run_cli("scan", "-r", "eu-west-1", "-s", "dxgw")
    assert run.code == 0, run.stderr
    got = {(f["region"], f["resource_id"]): f["potential_single_az_risk"] for f in run.findings}
    assert got == {
        ("us-east-1", "gw-1"): "False",
        ("us-east-1", "gw-2"): "True",
        ("us-east-1", "gw-unused-0"): "False",
        ("us-east-1", "gw-unused-1"): "False",
        ("us-east-1", "gw-unused-2"): "False",
    }
    listings = [(r, p.get("nextToken")) for r, op, p in server.requests if "Gateways" in op]
    assert listings == [("us-east-1", None), ("us-east-1", "2"), ("us-east-1", "4")]
    vif_regions = sorted(r for r, op, _ in server.requests if op == "DescribeVirtualInterfaces")
    assert vif_regions == ["eu-west-1", "us-east-1", "us-east-1", "us-east-1"]


def test_the_recommended_two_region_layout_is_no_risk_anywhere() -> None:
    """One connection at each of two locations, homed in two regions, both reaching one Direct
    Connect gateway: neither region, nor the gateway, is a risk."""
    east = {**EAST, "directConnectGatewayId": "gw-1"}
    west = {**WEST, "directConnectGatewayId": "gw-1"}
    records = GatewayRecords(
        [gateway()],
        {"gw-1": [attachment("dxvif-east"), attachment("dxvif-west", "eu-west-1")]},
        {v["virtualInterfaceId"]: v for v in (east, west)},
    )
    gateways = dx.assess_dx_gateways(records, ACCOUNT)
    verdicts = {a.resource_id: a for a in gateways}
    regions = [
        *dx.assess([connection("dxcon-east", "EqDC2")], [east], verdicts, ACCOUNT, "us-east-1"),
        *dx.assess(
            [{**connection("dxcon-west", "TCSH"), "region": "eu-west-1"}],
            [west],
            verdicts,
            ACCOUNT,
            "eu-west-1",
        ),
    ]
    assert [(a.resource_id, a.risk) for a in [*gateways, *regions]] == [
        ("gw-1", False),
        ("us-east-1", False),
        ("eu-west-1", False),
    ]
    assert dx.needs_dx_gateways([connection("dxcon-east", "EqDC2")], [east])

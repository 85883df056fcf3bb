"""Site-to-Site VPN: the rule on DescribeVpnConnections records, and collection through the CLI.

moto serves VPN connections but no tunnel status (`VgwTelemetry`); a stand-in serves it.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import vpn
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.network import tagged
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin, serve_standin


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws:{service}:us-east-1:111122223333:{resource}"


def tunnel(address: str, status: str, message: str = "") -> dict[str, Any]:
    return {"OutsideIpAddress": address, "Status": status, "StatusMessage": message}


def connection(tunnels: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "VpnConnectionId": "vpn-1",
        "State": "available",
        "Type": "ipsec.1",
        "CustomerGatewayId": "cgw-1",
        "VpnGatewayId": "vgw-1",
        "VgwTelemetry": tunnels,
        "Tags": tagged("office"),
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (
            connection(
                [tunnel("203.0.113.1", "UP"), tunnel("203.0.113.2", "DOWN", "IPSEC IS DOWN")]
            ),
            True,
            "to vgw-1 has 1 of 2 tunnel(s) UP: 203.0.113.1 UP, 203.0.113.2 DOWN (IPSEC IS DOWN)",
        ),
        (
            connection([tunnel("203.0.113.1", "UP"), tunnel("203.0.113.2", "UP")]),
            False,
            "2 of 2 tunnel(s) UP: 203.0.113.1 UP, 203.0.113.2 UP",
        ),
        (
            connection([tunnel("203.0.113.1", "DOWN"), tunnel("203.0.113.2", "DOWN")]),
            True,
            "0 of 2 tunnel(s) UP",
        ),
        (
            connection([], VpnGatewayId=None, TransitGatewayId="tgw-1"),
            True,
            "to tgw-1 has 0 of 0 tunnel(s) UP: no tunnel status reported",
        ),
    ],
)
def test_connections(record: dict[str, Any], risk: bool, text: str) -> None:
    [result] = vpn.assess([record], arn_of)
    assert result.risk is risk
    assert text in result.message
    assert result.availability_zones == ()
    assert result.resource_arn == "arn:aws:ec2:us-east-1:111122223333:vpn-connection/vpn-1"
    assert (result.resource_id, result.resource_name) == ("vpn-1", "office")


@pytest.mark.parametrize("state", ["pending", "deleting", "deleted"])
def test_connections_not_available_are_not_judged(state: str) -> None:
    assert vpn.assess([connection([], State=state)], arn_of) == []


REGION = "eu-west-1"


def test_moto_connections_without_tunnel_status_are_risks(boto: Boto, run_cli: RunCli) -> None:
    """moto reports no tunnels: read as none up, which is what the API would then say."""
    ec2 = boto("ec2", REGION)
    gateway = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.7", BgpAsn=65000)
    virtual = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    created = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=gateway["CustomerGateway"]["CustomerGatewayId"],
        VpnGatewayId=virtual,
    )["VpnConnection"]["VpnConnectionId"]
    ec2.create_tags(Resources=[created], Tags=tagged("branch"))

    run = run_cli("scan", "-r", REGION, "-s", "vpn")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"branch": True}
    finding = run.finding("branch")
    assert finding["resource_arn"] == f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:vpn-connection/{created}"
    assert f"to {virtual} has 0 of 0 tunnel(s) UP" in finding["message"]


def test_tunnel_status_from_the_wire(run_cli: RunCli, standin: StartStandin) -> None:
    connections = [
        connection(
            [tunnel("203.0.113.1", "UP"), tunnel("203.0.113.2", status)],
            VpnConnectionId=f"vpn-{status}",
            Tags=tagged(f"link-{status}"),
        )
        for status in ("UP", "DOWN")
    ]
    connections.append(connection([], VpnConnectionId="vpn-gone", State="deleted"))
    server = standin(
        "ec2",
        {
            "DescribeRegions": lambda params, region: {"Regions": [{"RegionName": REGION}]},
            "DescribeVpnConnections": lambda params, region: {"VpnConnections": connections},
        },
    )
    run = run_cli("scan", "-r", REGION, "-s", "vpn")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"link-UP": False, "link-DOWN": True}
    assert "203.0.113.2 DOWN" in run.finding("link-DOWN")["message"]
    assert [op for _, op, _ in server.requests if op == "DescribeVpnConnections"] == [
        "DescribeVpnConnections"
    ]


def test_a_standin_answers_vpn_connections_and_moto_the_rest(
    aws_env: str, boto: Boto, run_cli: RunCli
) -> None:
    """As in the demo: the EC2 stand-in serves only the tunnel status moto lacks."""
    subnets = make_subnets(boto, REGION)
    ec2 = boto("ec2", REGION)
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    gateway = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway, VpcId=vpc, SubnetIds=subnets[:1]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    ec2.create_tags(Resources=[attachment], Tags=tagged("from-moto"))
    record = connection([tunnel("203.0.113.1", "UP")], Tags=tagged("from-standin"))
    handlers = {"DescribeVpnConnections": lambda p, r: {"VpnConnections": [record]}}
    with serve_standin("ec2", handlers, upstream=aws_env) as server:
        run = run_cli("scan", "-r", REGION, "-s", "vpn,tgw")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"from-standin": True, "from-moto": True}
    assert {op for _, op, _ in server.requests} == {"DescribeVpnConnections"}

"""Client VPN endpoints: the rule on API records, and collection through a stand-in (moto lacks
Client VPN) that hands every other EC2 call on to moto."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import clientvpn
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import make_subnets
from tests.support.standins import serve_standin

ZONES = {"subnet-a": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b": "us-east-1b"}
REGION = "eu-west-1"


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws:{service}:us-east-1:111122223333:{resource}"


def endpoint(endpoint_id: str = "cvpn-endpoint-1", status: str = "available") -> dict[str, Any]:
    return {
        "ClientVpnEndpointId": endpoint_id,
        "Status": {"Code": status},
        "Tags": [{"Key": "Name", "Value": f"vpn-{endpoint_id[-1]}"}],
    }


def network(subnet: str, status: str = "associated") -> dict[str, Any]:
    return {"TargetNetworkId": subnet, "Status": {"Code": status}}


@pytest.mark.parametrize(
    ("networks", "risk", "zones", "text"),
    [
        (
            [network("subnet-a"), network("subnet-b")],
            False,
            ("us-east-1a", "us-east-1b"),
            "2 AZ(s)",
        ),
        (
            [network("subnet-a"), network("subnet-a2")],
            True,
            ("us-east-1a",),
            "2 associated target network(s) in 1 AZ(s)",
        ),
        (
            [network("subnet-a"), network("subnet-b", "associating")],
            True,
            ("us-east-1a",),
            "not counted: subnet-b (associating)",
        ),
        (
            [network("subnet-a"), network("subnet-b", "association-failed")],
            True,
            ("us-east-1a",),
            "(association-failed)",
        ),
        (
            [network("subnet-a")],
            True,
            ("us-east-1a",),
            "1 associated target network(s) in 1 AZ(s): us-east-1a",
        ),
    ],
)
def test_endpoint_rule(
    networks: list[dict[str, Any]], risk: bool, zones: tuple[str, ...], text: str
) -> None:
    result = clientvpn.assess_endpoint(endpoint(), networks, ZONES, arn_of)
    assert (result.risk, result.availability_zones) == (risk, zones)
    assert text in result.message
    assert (
        result.resource_arn
        == "arn:aws:ec2:us-east-1:111122223333:client-vpn-endpoint/cvpn-endpoint-1"
    )
    assert (result.resource_name, result.tags) == ("vpn-1", (("Name", "vpn-1"),))


def vpn_route(destination: str, subnet: str, status: str = "active") -> dict[str, Any]:
    """A DescribeClientVpnRoutes record."""
    return {
        "ClientVpnEndpointId": "cvpn-endpoint-1",
        "DestinationCidr": destination,
        "TargetSubnet": subnet,
        "Type": "Nat",
        "Origin": "add-route",
        "Status": {"Code": status},
    }


BOTH = [network("subnet-a"), network("subnet-b")]
VPC_ROUTES = [vpn_route("10.0.0.0/16", "subnet-a"), vpn_route("10.0.0.0/16", "subnet-b")]


@pytest.mark.parametrize(
    ("networks", "routes", "risk", "check_id", "text"),
    [
        pytest.param(
            BOTH,
            [*VPC_ROUTES, vpn_route("0.0.0.0/0", "subnet-a")],
            True,
            "clientvpn.route_zones",
            "route(s) carried in fewer than 2 AZs: 0.0.0.0/0 through us-east-1a",
            id="internet route through one AZ's subnet",
        ),
        pytest.param(
            BOTH,
            [*VPC_ROUTES, vpn_route("0.0.0.0/0", "subnet-a"), vpn_route("0.0.0.0/0", "subnet-b")],
            False,
            "clientvpn.target_networks_multi_az",
            "each of 2 route destination(s) carried in 2 or more AZs",
            id="every destination through both AZs",
        ),
        pytest.param(
            BOTH,
            [
                *VPC_ROUTES,
                vpn_route("192.168.0.0/16", "subnet-a"),
                vpn_route("192.168.0.0/16", "subnet-a2"),
            ],
            True,
            "clientvpn.route_zones",
            "192.168.0.0/16 through us-east-1a",
            id="two subnets of one AZ are one AZ",
        ),
        pytest.param(
            BOTH,
            [
                *VPC_ROUTES,
                vpn_route("0.0.0.0/0", "subnet-a"),
                vpn_route("0.0.0.0/0", "subnet-b", "failed"),
            ],
            True,
            "clientvpn.route_zones",
            "0.0.0.0/0 through us-east-1a",
            id="a route that is not active carries nothing",
        ),
        pytest.param(
            [network("subnet-a")],
            [vpn_route("10.0.0.0/16", "subnet-a"), vpn_route("0.0.0.0/0", "subnet-a")],
            True,
            "clientvpn.target_networks_multi_az",
            "1 associated target network(s) in 1 AZ(s): us-east-1a",
            id="target networks in one AZ: their routes are too",
        ),
    ],
)
def test_routes_are_carried_per_target_subnet(
    networks: list[dict[str, Any]],
    routes: list[dict[str, Any]],
    risk: bool,
    check_id: str,
    text: str,
) -> None:
    result = clientvpn.assess_endpoint(endpoint(), networks, ZONES, arn_of, routes=routes)
    assert (result.risk, result.check_id) == (risk, check_id)
    assert text in result.message
    assert ("route" in result.message) is (len(networks) > 1)


@pytest.mark.parametrize(
    ("status", "judged"),
    [("available", True), ("pending-associate", False), ("deleting", False), ("deleted", False)],
)
def test_endpoints_without_targets_or_being_deleted_are_not_judged(
    status: str, judged: bool
) -> None:
    assert clientvpn.in_scope(endpoint(status=status)) is judged


def test_collection_follows_every_page(boto: Boto, run_cli: RunCli, moto_url: str) -> None:
    subnets = make_subnets(boto, REGION)  # AZs a, a, b in moto
    endpoints = [endpoint(f"cvpn-endpoint-{i}") for i in range(3)] + [
        endpoint("cvpn-endpoint-9", "pending-associate")
    ]
    networks = {
        "cvpn-endpoint-0": [network(subnets[0]), network(subnets[1]), network(subnets[2])],
        "cvpn-endpoint-1": [network(subnets[0]), network(subnets[1])],
        "cvpn-endpoint-2": [network(subnets[2])],
    }
    spread_vpc = [vpn_route("10.7.0.0/16", s) for s in subnets]
    routes = {
        # Its internet route leaves only through the subnet in b: a route risk, paged.
        "cvpn-endpoint-0": [*spread_vpc, vpn_route("0.0.0.0/0", subnets[2])],
        "cvpn-endpoint-1": [],
        "cvpn-endpoint-2": [vpn_route("10.7.0.0/16", subnets[2])],
    }
    handlers = {
        "DescribeClientVpnEndpoints": paged(
            "ec2", "DescribeClientVpnEndpoints", lambda p, r: endpoints, 2
        ),
        "DescribeClientVpnTargetNetworks": paged(
            "ec2",
            "DescribeClientVpnTargetNetworks",
            lambda p, r: networks[p["ClientVpnEndpointId"]],
            2,
        ),
        "DescribeClientVpnRoutes": paged(
            "ec2",
            "DescribeClientVpnRoutes",
            lambda p, r: routes[p["ClientVpnEndpointId"]],
            2,
        ),
    }
    with serve_standin("ec2", handlers, upstream=moto_url) as server:
        run = run_cli("scan", "-r", REGION, "-s", "clientvpn")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"vpn-0": True, "vpn-1": True, "vpn-2": True}
    assert f"0.0.0.0/0 through {REGION}b" in run.finding("vpn-0")["message"]
    assert run.finding("vpn-0")["resource_arn"] == (
        f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:client-vpn-endpoint/cvpn-endpoint-0"
    )
    assert (
        "3 associated target network(s) in 2 AZ(s): eu-west-1a, eu-west-1b"
        in run.finding("vpn-0")["message"]
    )
    calls = [(op, p.get("NextToken"), p.get("ClientVpnEndpointId")) for _, op, p in server.requests]
    assert ("DescribeClientVpnEndpoints", "2", None) in calls
    assert ("DescribeClientVpnTargetNetworks", "2", "cvpn-endpoint-0") in calls
    assert ("DescribeClientVpnRoutes", "2", "cvpn-endpoint-0") in calls
    assert ("DescribeClientVpnRoutes", None, "cvpn-endpoint-9") not in calls, "not judged"

"""Route 53 Resolver endpoints: the rule on API records, and collection through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import route53resolver
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin

ZONES = {"subnet-a": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b": "us-east-1b"}
REGION = "eu-west-1"


def endpoint(**fields: Any) -> dict[str, Any]:
    return {
        "Id": "rslvr-in-1",
        "Arn": "arn:aws:route53resolver:us-east-1:111122223333:resolver-endpoint/rslvr-in-1",
        "Name": "dns-in",
        "Direction": "INBOUND",
        "Status": "OPERATIONAL",
        **fields,
    }


def address(subnet: str, status: str = "ATTACHED", ip: str = "10.0.0.5") -> dict[str, Any]:
    return {"IpId": f"rni-{subnet}", "SubnetId": subnet, "Ip": ip, "Status": status}


@pytest.mark.parametrize(
    ("addresses", "risk", "zones", "text"),
    [
        ([address("subnet-a"), address("subnet-b")], False, ("us-east-1a", "us-east-1b"), "2 AZ"),
        # Two subnets of one AZ are one AZ.
        ([address("subnet-a"), address("subnet-a2")], True, ("us-east-1a",), "1 AZ(s): us-east-1a"),
        (
            [address("subnet-a"), address("subnet-b", "DETACHING", "10.0.1.9")],
            True,
            ("us-east-1a",),
            "not counted (not serving): 10.0.1.9 (DETACHING)",
        ),
        (
            [address("subnet-a"), address("subnet-b", "UPDATING")],
            False,
            ("us-east-1a", "us-east-1b"),
            "2 serving",
        ),
        (
            [address("subnet-a"), address("subnet-gone")],
            True,
            ("us-east-1a",),
            "not found in the region: subnet-gone",
        ),
        ([], True, (), "0 serving IP address(es) in 0 AZ(s): none"),
    ],
)
def test_endpoint_rule(
    addresses: list[dict[str, Any]], risk: bool, zones: tuple[str, ...], text: str
) -> None:
    result = route53resolver.assess_endpoint(endpoint(), addresses, ZONES)
    assert (result.risk, result.availability_zones) == (risk, zones)
    assert text in result.message
    assert result.message.startswith("Inbound endpoint")
    assert (result.resource_id, result.resource_name, result.engine) == (
        "rslvr-in-1",
        "dns-in",
        "inbound",
    )
    assert result.resource_arn.endswith(":resolver-endpoint/rslvr-in-1")


@pytest.mark.parametrize(
    ("status", "judged"),
    [
        ("OPERATIONAL", True),
        ("AUTO_RECOVERING", True),
        ("ACTION_NEEDED", True),
        ("UPDATING", True),
        ("CREATING", False),
        ("DELETING", False),
    ],
)
def test_endpoints_being_created_or_deleted_are_not_judged(status: str, judged: bool) -> None:
    assert route53resolver.in_scope(endpoint(Status=status)) is judged


def test_collection_on_moto(boto: Boto, run_cli: RunCli) -> None:
    ec2 = boto("ec2", REGION)
    subnets = make_subnets(boto, REGION)  # AZs a, a, b
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    group = ec2.create_security_group(GroupName="dns", Description="dns", VpcId=vpc)["GroupId"]
    resolver = boto("route53resolver", REGION)
    for name, direction, endpoint_subnets in (
        ("one-az", "INBOUND", subnets[:2]),
        ("two-az", "OUTBOUND", [subnets[0], subnets[2]]),
    ):
        resolver.create_resolver_endpoint(
            CreatorRequestId=name,
            Name=name,
            SecurityGroupIds=[group],
            Direction=direction,
            IpAddresses=[{"SubnetId": s} for s in endpoint_subnets],
        )
    run = run_cli("scan", "-r", REGION, "-s", "route53resolver")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"one-az": True, "two-az": False}
    assert (
        "Outbound endpoint has 2 serving IP address(es) in 2 AZ(s): eu-west-1a, eu-west-1b"
        in run.finding("two-az")["message"]
    )
    assert run.finding("one-az")["engine"] == "inbound"


def test_collection_follows_every_page(boto: Boto, run_cli: RunCli, standin: StartStandin) -> None:
    subnets = make_subnets(boto, REGION)
    endpoints = [endpoint(Id=f"rslvr-in-{i}", Name=f"dns-{i}", Arn=f"arn-{i}") for i in range(3)]
    addresses = {
        "rslvr-in-0": [address(subnets[0]), address(subnets[1]), address(subnets[2])],
        "rslvr-in-1": [address(subnets[0]), address(subnets[1])],
        "rslvr-in-2": [address(subnets[2]), address(subnets[2]), address(subnets[0])],
    }
    server = standin(
        "route53resolver",
        {
            "ListResolverEndpoints": paged(
                "route53resolver", "ListResolverEndpoints", lambda p, r: endpoints, 2
            ),
            "ListResolverEndpointIpAddresses": paged(
                "route53resolver",
                "ListResolverEndpointIpAddresses",
                lambda p, r: addresses[p["ResolverEndpointId"]],
                2,
            ),
        },
    )
    run = run_cli("scan", "-r", REGION, "-s", "route53resolver")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"dns-0": False, "dns-1": True, "dns-2": False}
    calls = [(op, p.get("NextToken"), p.get("ResolverEndpointId")) for _, op, p in server.requests]
    assert calls.count(("ListResolverEndpoints", "2", None)) == 1
    assert ("ListResolverEndpointIpAddresses", "2", "rslvr-in-0") in calls
    assert ("ListResolverEndpointIpAddresses", "2", "rslvr-in-2") in calls

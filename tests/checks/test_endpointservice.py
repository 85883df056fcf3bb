"""PrivateLink endpoint services: the rule on API records, and collection through the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest

from resiliency_analyser.checks import endpointservice
from resiliency_analyser.checks.api import DEFAULT_OPTIONS, RootCause
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import make_subnets
from tests.support.standins import serve_standin

REGION = "eu-west-1"
NLB = (
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/api-nlb/50dc6c495c0c9188"
)


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws:{service}:us-east-1:111122223333:{resource}"


def service(zones: list[str], **fields: Any) -> dict[str, Any]:
    return {
        "ServiceId": "vpce-svc-1",
        "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-1",
        "ServiceType": [{"ServiceType": "Interface"}],
        "ServiceState": "Available",
        "AvailabilityZones": zones,
        "NetworkLoadBalancerArns": [NLB],
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (service(["us-east-1a"]), True, "offered in 1 AZ(s): us-east-1a; load balancers: api-nlb"),
        (service(["us-east-1b", "us-east-1a"]), False, "2 AZ(s): us-east-1a, us-east-1b"),
        (service([], NetworkLoadBalancerArns=[]), True, "offered in 0 AZ(s): none"),
    ],
)
def test_service_rule(record: dict[str, Any], risk: bool, text: str) -> None:
    [result] = endpointservice.assess([record], arn_of)
    assert result.risk is risk
    assert text in result.message
    assert result.availability_zones == tuple(sorted(record["AvailabilityZones"]))
    assert (
        result.resource_arn == "arn:aws:ec2:us-east-1:111122223333:vpc-endpoint-service/vpce-svc-1"
    )
    assert (result.resource_name, result.engine) == (record["ServiceName"], "Interface")


def nlb(zones: str, state: str = "active") -> dict[str, Any]:
    return {
        "LoadBalancerArn": NLB,
        "LoadBalancerName": "api-nlb",
        "Type": "network",
        "State": {"Code": state},
        "AvailabilityZones": [{"ZoneName": f"us-east-1{z}"} for z in zones],
    }


@pytest.mark.parametrize(
    ("balancers", "risk", "root", "text"),
    [
        # An NLB behind PrivateLink in one AZ: one risk, on the NLB; the service goes down with it.
        (
            [nlb("a")],
            False,
            "elb.load_balancer_zones",
            "Endpoint service is offered in 1 AZ(s): us-east-1a; load balancers: api-nlb; it goes "
            "down with its Network Load Balancer api-nlb (elb.load_balancer_zones), the root cause",
        ),
        # Not listed, or not judged by elb (provisioning): the service is the risk.
        ([], True, None, "offered in 1 AZ(s): us-east-1a; load balancers: api-nlb"),
        ([nlb("a", state="provisioning")], True, None, "load balancers: api-nlb"),
        ([nlb("ab")], True, None, "load balancers: api-nlb"),
    ],
)
def test_a_service_goes_down_with_its_load_balancer(
    balancers: list[dict[str, Any]], risk: bool, root: str | None, text: str
) -> None:
    [result] = endpointservice.assess([service(["us-east-1a"])], arn_of, DEFAULT_OPTIONS, balancers)
    assert result.risk is risk
    assert result.message == text if root else text in result.message
    if root is None:
        assert result.root_cause is None
    else:
        assert result.root_cause == RootCause(check_id=root, resource_arn=NLB)
        assert result.check_id == "endpointservice.service_multi_az"


@pytest.mark.parametrize("state", ["Pending", "Deleting", "Deleted", "Failed"])
def test_services_not_available_are_not_judged(state: str) -> None:
    assert endpointservice.assess([service(["us-east-1a"], ServiceState=state)], arn_of) == []


def test_collection_on_moto(boto: Boto, run_cli: RunCli) -> None:
    subnets = make_subnets(boto, REGION)  # AZs a, a, b
    elbv2, ec2 = boto("elbv2", REGION), boto("ec2", REGION)
    ids = {}
    for name, balancer_subnets in (("one-az", subnets[:2]), ("two-az", [subnets[0], subnets[2]])):
        balancer = elbv2.create_load_balancer(
            Name=f"{name}-nlb", Subnets=balancer_subnets, Type="network"
        )["LoadBalancers"][0]
        created = ec2.create_vpc_endpoint_service_configuration(
            NetworkLoadBalancerArns=[balancer["LoadBalancerArn"]],
            TagSpecifications=[
                {"ResourceType": "vpc-endpoint-service", "Tags": [{"Key": "Name", "Value": name}]}
            ],
        )
        ids[name] = created["ServiceConfiguration"]["ServiceId"]
    run = run_cli("scan", "-r", REGION, "-s", "endpointservice,elb", "--stdout", "jsonl")
    assert run.code == 0, run.stderr
    found = {f["resource_name"]: f for f in map(json.loads, run.stdout.splitlines())}
    assert {n: f["potential_single_az_risk"] for n, f in found.items()} == {
        "one-az": False,
        "two-az": False,
        "one-az-nlb": True,
        "two-az-nlb": False,
    }, "one risk, on the root cause"
    assert found["one-az"]["root_cause"] == {
        "check_id": "elb.load_balancer_zones",
        "resource_arn": found["one-az-nlb"]["resource_arn"],
    }
    assert run.finding("one-az")["resource_arn"] == (
        f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:vpc-endpoint-service/{ids['one-az']}"
    )
    assert (
        "offered in 1 AZ(s): eu-west-1a; load balancers: one-az-nlb; it goes down with its "
        "Network Load Balancer one-az-nlb" in run.finding("one-az")["message"]
    )


def test_collection_follows_every_page(run_cli: RunCli, moto_url: str) -> None:
    services = [
        service(
            [f"{REGION}a"] if i % 2 else [f"{REGION}a", f"{REGION}b"],
            ServiceId=f"vpce-svc-{i}",
            Tags=[{"Key": "Name", "Value": f"svc-{i}"}],
        )
        for i in range(5)
    ]
    handlers = {
        "DescribeVpcEndpointServiceConfigurations": paged(
            "ec2", "DescribeVpcEndpointServiceConfigurations", lambda p, r: services, 2
        )
    }
    with serve_standin("ec2", handlers, upstream=moto_url) as server:
        run = run_cli("scan", "-r", REGION, "-s", "endpointservice")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"svc-{i}": bool(i % 2) for i in range(5)}
    assert [p.get("NextToken") for _, _, p in server.requests] == [None, "2", "4"]

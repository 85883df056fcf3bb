"""VPC endpoints: the rule on DescribeVpcEndpoints records, and collection through the CLI.

moto serves the endpoints; a stand-in serves paged listings.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import vpce
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import make_subnets
from tests.support.standins import serve_standin, zone_listing

ZONES = {"subnet-a": "us-east-1a", "subnet-b": "us-east-1b"}


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws:{service}:us-east-1:111122223333:{resource}"


def endpoint(subnets: list[str], **fields: Any) -> dict[str, Any]:
    return {
        "VpcEndpointId": "vpce-1",
        "VpcEndpointType": "Interface",
        "ServiceName": "com.amazonaws.us-east-1.sqs",
        "State": "available",
        "SubnetIds": subnets,
        "NetworkInterfaceIds": [f"eni-{s}" for s in subnets],
        "Tags": [{"Key": "team", "Value": "x"}, {"Key": "Name", "Value": "queue-endpoint"}],
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "risk", "zones", "text"),
    [
        (endpoint(["subnet-a"]), True, ("us-east-1a",), "1 AZ(s): us-east-1a"),
        (endpoint(["subnet-a", "subnet-b"]), False, ("us-east-1a", "us-east-1b"), "2 AZ(s)"),
        (endpoint([]), True, (), "0 AZ(s): none"),
        # AWS allows one endpoint subnet per AZ, so an unresolvable second subnet is a second AZ.
        (endpoint(["subnet-a", "subnet-gone"]), False, ("us-east-1a",), "not found"),
        (endpoint(["subnet-a"], State="pendingAcceptance"), True, ("us-east-1a",), "sqs"),
        (endpoint(["subnet-a"], State="Available", Tags=[]), True, ("us-east-1a",), "1 AZ"),
        (
            endpoint(
                ["subnet-a"],
                VpcEndpointType="Resource",
                ServiceName=None,
                ResourceConfigurationArn="arn:aws:vpc-lattice:us-east-1:111122223333:"
                "resourceconfiguration/rcfg-1",
            ),
            True,
            ("us-east-1a",),
            "Resource endpoint for arn:aws:vpc-lattice:us-east-1:111122223333:"
            "resourceconfiguration/rcfg-1 has network interfaces in 1 AZ(s): us-east-1a",
        ),
        (
            endpoint(
                ["subnet-a", "subnet-b"],
                VpcEndpointType="ServiceNetwork",
                ServiceName=None,
                ServiceNetworkArn="arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-1",
            ),
            False,
            ("us-east-1a", "us-east-1b"),
            "ServiceNetwork endpoint for arn:aws:vpc-lattice:us-east-1:111122223333:"
            "servicenetwork/sn-1 has network interfaces in 2 AZ(s)",
        ),
    ],
)
def test_interface_endpoints(
    record: dict[str, Any], risk: bool, zones: tuple[str, ...], text: str
) -> None:
    [result] = vpce.assess([record], ZONES, arn_of)
    assert (result.risk, result.availability_zones) == (risk, zones)
    assert text in result.message
    assert result.resource_arn == "arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/vpce-1"
    assert result.resource_id == "vpce-1"
    assert result.resource_name == ("queue-endpoint" if record["Tags"] else "")


@pytest.mark.parametrize(
    "record",
    [
        endpoint([], VpcEndpointType="Gateway"),
        endpoint(["subnet-a"], VpcEndpointType="GatewayLoadBalancer"),
        *(
            endpoint(["subnet-a"], State=s)
            for s in ("deleted", "deleting", "Rejected", "failed", "Expired")
        ),
    ],
)
def test_other_types_and_gone_endpoints_are_not_judged(record: dict[str, Any]) -> None:
    assert vpce.assess([record], ZONES, arn_of) == []


REGION = "eu-west-1"


def create_endpoint(ec2: Any, vpc: str, name: str, kind: str, subnets: list[str]) -> str:
    extra: dict[str, Any] = {"SubnetIds": subnets} if subnets else {}
    endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{REGION}.sqs",
        VpcEndpointType=kind,
        TagSpecifications=[
            {"ResourceType": "vpc-endpoint", "Tags": [{"Key": "Name", "Value": name}]}
        ],
        **extra,
    )
    endpoint_id: str = endpoint["VpcEndpoint"]["VpcEndpointId"]
    return endpoint_id


def test_interface_endpoints_are_judged_by_their_zones(boto: Boto, run_cli: RunCli) -> None:
    ec2 = boto("ec2", REGION)
    subnets = make_subnets(boto, REGION)  # AZs a, a, b
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    one = create_endpoint(ec2, vpc, "one-az", "Interface", subnets[:1])
    create_endpoint(ec2, vpc, "two-az", "Interface", [subnets[0], subnets[2]])
    create_endpoint(ec2, vpc, "gateway", "Gateway", [])
    gone = create_endpoint(ec2, vpc, "deleted", "Interface", subnets[:1])
    ec2.delete_vpc_endpoints(VpcEndpointIds=[gone])

    run = run_cli("scan", "-r", REGION, "-s", "vpce")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"one-az": True, "two-az": False}
    risky = run.finding("one-az")
    assert risky["resource_arn"] == f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:vpc-endpoint/{one}"
    assert risky["resource_id"] == one
    assert "1 AZ(s): eu-west-1a" in risky["message"]
    assert "2 AZ(s): eu-west-1a, eu-west-1b" in run.finding("two-az")["message"]
    assert run.pair_results == {("vpce", REGION): "Success"}


def test_every_page_of_endpoints_is_read(run_cli: RunCli) -> None:
    endpoints = [
        {
            "VpcEndpointId": f"vpce-{i}",
            "VpcEndpointType": "Interface",
            "State": "available",
            "SubnetIds": ["subnet-a", "subnet-b"][: 1 + i % 2],
            "Tags": [{"Key": "Name", "Value": f"endpoint-{i}"}],
        }
        for i in range(5)
    ]
    subnets = [
        {"SubnetId": "subnet-a", "AvailabilityZone": f"{REGION}a"},
        {"SubnetId": "subnet-b", "AvailabilityZone": f"{REGION}b"},
    ]
    handlers = {
        "DescribeRegions": lambda params, region: {"Regions": [{"RegionName": REGION}]},
        "DescribeSubnets": lambda params, region: {"Subnets": subnets},
        "DescribeVpcEndpoints": paged("ec2", "DescribeVpcEndpoints", lambda p, r: endpoints, 2),
        "DescribeAvailabilityZones": zone_listing(
            {f"{REGION}a": "euw1-az3", f"{REGION}b": "euw1-az1"}
        ),
    }
    with serve_standin("ec2", handlers) as server:
        run = run_cli("scan", "-r", REGION, "-s", "vpce")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"endpoint-{i}": i % 2 == 0 for i in range(5)}
    tokens = [p.get("NextToken") for _, op, p in server.requests if op == "DescribeVpcEndpoints"]
    assert tokens == [None, "2", "4"]
    assert "eu-west-1a, eu-west-1b" in run.finding("endpoint-1")["message"]

"""The VPC endpoint rule on API-shaped DescribeVpcEndpoints records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import vpce

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
        *(endpoint(["subnet-a"], State=s) for s in ("deleted", "deleting", "Rejected", "failed")),
    ],
)
def test_other_types_and_gone_endpoints_are_not_judged(record: dict[str, Any]) -> None:
    assert vpce.assess([record], ZONES, arn_of) == []

"""The Lambda rule on API-shaped ListFunctions records (VPC functions and their subnets' AZs)."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import awslambda

ZONES = {"subnet-a1": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b1": "us-east-1b"}


def function(name: str, subnets: list[str] | None, vpc_id: str = "vpc-1") -> dict[str, Any]:
    record: dict[str, Any] = {
        "FunctionName": name,
        "FunctionArn": f"arn:aws:lambda:us-east-1:111122223333:function:{name}",
    }
    if subnets is not None:
        record["VpcConfig"] = {"SubnetIds": subnets, "SecurityGroupIds": [], "VpcId": vpc_id}
    return record


@pytest.mark.parametrize(
    ("record", "risk", "zones"),
    [
        (function("one-subnet", ["subnet-a1"]), True, ("us-east-1a",)),
        (function("same-az", ["subnet-a1", "subnet-a2"]), True, ("us-east-1a",)),
        (function("two-az", ["subnet-a1", "subnet-b1"]), False, ("us-east-1a", "us-east-1b")),
        (function("unknown", ["subnet-a1", "subnet-gone"]), True, ("us-east-1a",)),
        (function("all-unknown", ["subnet-gone"]), True, ()),
    ],
)
def test_lambda_vpc_functions(record: dict[str, Any], risk: bool, zones: tuple[str, ...]) -> None:
    [result] = awslambda.assess([record], ZONES)
    assert (result.risk, result.availability_zones) == (risk, zones)
    if "subnet-gone" in record["VpcConfig"]["SubnetIds"]:
        assert "subnet-gone" in result.message


@pytest.mark.parametrize(
    "record",
    [
        function("no-vpc", None),
        function("empty-vpc", [], vpc_id=""),
        function("vpc-without-subnets", []),
        {**function("blank", None), "VpcConfig": {"SubnetIds": [], "VpcId": ""}},
    ],
)
def test_lambda_without_vpc_gives_no_finding(record: dict[str, Any]) -> None:
    assert awslambda.assess([record], ZONES) == []

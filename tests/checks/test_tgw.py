"""Transit Gateway attachments: the rule on DescribeTransitGatewayVpcAttachments records, and
collection through the CLI (moto, and a stand-in for paged listings)."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import tgw
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.network import subnet, tagged
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin, region_zone_listing

SUBNETS = [
    subnet("subnet-a", "a"),
    subnet("subnet-b", "b"),
    subnet("subnet-c", "c"),
    subnet("subnet-other-vpc", "d", vpc="vpc-2"),
]


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws:{service}:us-east-1:111122223333:{resource}"


def attachment(subnets: list[str], **fields: Any) -> dict[str, Any]:
    return {
        "TransitGatewayAttachmentId": "tgw-attach-1",
        "TransitGatewayId": "tgw-1",
        "VpcId": "vpc-1",
        "VpcOwnerId": "111122223333",
        "State": "available",
        "SubnetIds": subnets,
        "Tags": tagged("core"),
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "risk", "zones", "texts"),
    [
        (
            attachment(["subnet-a"]),
            True,
            ("us-east-1a",),
            [
                "Attachment of vpc-1 to tgw-1 has subnets in 1 AZ(s): us-east-1a",
                "no attachment subnet (no path to the transit gateway): us-east-1b, us-east-1c",
            ],
        ),
        (
            attachment(["subnet-a", "subnet-b"]),
            False,
            ("us-east-1a", "us-east-1b"),
            ["2 AZ(s): us-east-1a, us-east-1b", "transit gateway): us-east-1c"],
        ),
        (
            attachment(["subnet-c", "subnet-b", "subnet-a"]),
            False,
            ("us-east-1a", "us-east-1b", "us-east-1c"),
            ["3 AZ(s)", "transit gateway): none"],
        ),
        # One subnet per AZ: a subnet of a VPC shared from another account is a second AZ.
        (
            attachment(["subnet-a", "subnet-shared"]),
            False,
            ("us-east-1a",),
            ["2 AZ(s): us-east-1a", "not found in the region: subnet-shared"],
        ),
        (attachment([], State="Available"), True, (), ["0 AZ(s): none"]),
    ],
)
def test_attachments(
    record: dict[str, Any], risk: bool, zones: tuple[str, ...], texts: list[str]
) -> None:
    [result] = tgw.assess([record], SUBNETS, arn_of)
    assert (result.risk, result.availability_zones) == (risk, zones)
    for text in texts:
        assert text in result.message
    assert result.resource_arn == (
        "arn:aws:ec2:us-east-1:111122223333:transit-gateway-attachment/tgw-attach-1"
    )
    assert (result.resource_id, result.resource_name) == ("tgw-attach-1", "core")


@pytest.mark.parametrize(
    "state", ["pending", "pendingAcceptance", "modifying", "deleting", "deleted", "failed"]
)
def test_attachments_not_available_are_not_judged(state: str) -> None:
    assert tgw.assess([attachment(["subnet-a"], State=state)], SUBNETS, arn_of) == []


REGION = "eu-west-1"


def test_moto_attachments_are_judged_by_their_zones(boto: Boto, run_cli: RunCli) -> None:
    ec2 = boto("ec2", REGION)
    subnets = make_subnets(boto, REGION)  # AZs a, a, b
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    ids = {}
    for name, attached in (("one-az", subnets[:2]), ("two-az", [subnets[0], subnets[2]])):
        gateway = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
        ids[name] = ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=gateway, VpcId=vpc, SubnetIds=attached
        )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        ec2.create_tags(Resources=[ids[name]], Tags=tagged(name))
    gone = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    deleted = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gone, VpcId=vpc, SubnetIds=subnets[:1]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=deleted)

    run = run_cli("scan", "-r", REGION, "-s", "tgw")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"one-az": True, "two-az": False}
    risky = run.finding("one-az")
    assert risky["resource_arn"] == (
        f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:transit-gateway-attachment/{ids['one-az']}"
    )
    # moto lets two attachment subnets share an AZ (AWS does not): still one AZ.
    assert f"has subnets in 1 AZ(s): {REGION}a; " in risky["message"]
    assert f"no path to the transit gateway): {REGION}b" in risky["message"]


def test_every_page_of_attachments_is_read(run_cli: RunCli, standin: StartStandin) -> None:
    attachments = [
        attachment(
            ["subnet-a", "subnet-b"][: 1 + i % 2],
            TransitGatewayAttachmentId=f"tgw-attach-{i}",
            Tags=tagged(f"attachment-{i}"),
        )
        for i in range(5)
    ]
    subnets = [
        {"SubnetId": f"subnet-{z}", "AvailabilityZone": f"{REGION}{z}", "VpcId": "vpc-1"}
        for z in "ab"
    ]
    operation = "DescribeTransitGatewayVpcAttachments"
    server = standin(
        "ec2",
        {
            "DescribeRegions": lambda params, region: {"Regions": [{"RegionName": REGION}]},
            "DescribeAvailabilityZones": region_zone_listing(REGION),
            "DescribeSubnets": lambda params, region: {"Subnets": subnets},
            operation: paged("ec2", operation, lambda p, r: attachments, 2),
        },
    )
    run = run_cli("scan", "-r", REGION, "-s", "tgw")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"attachment-{i}": i % 2 == 0 for i in range(5)}
    tokens = [p.get("NextToken") for _, op, p in server.requests if op == operation]
    assert tokens == [None, "2", "4"]

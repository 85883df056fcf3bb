"""Transit Gateway VPC attachments whose subnets all sit in one AZ."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    ArnOf,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    concurrently,
    subnet_spread,
    tag_pairs,
    tag_value,
    zone_text,
    zones_by_subnet,
)


def in_scope(attachment: Record) -> bool:
    return str(attachment.get("State", "")).lower() == "available"


def assess_attachment(
    attachment: Record,
    subnets: Sequence[Record],
    arn_of: ArnOf,
    options: CheckOptions = DEFAULT_OPTIONS,
) -> Assessment:
    # An attachment has at most one subnet per AZ, so a subnet the lookup cannot name (a VPC
    # shared from another account) is an AZ of its own.
    placed = subnet_spread(attachment.get("SubnetIds") or [], zones_by_subnet(subnets))
    vpc = attachment.get("VpcId", "?")
    vpc_zones = {s["AvailabilityZone"] for s in subnets if s.get("VpcId") == vpc}
    message = (
        f"Attachment of {vpc} to {attachment.get('TransitGatewayId', '?')} has subnets in "
        f"{placed.zone_count} AZ(s): {zone_text(placed.zones)}; AZs of the VPC with subnets but "
        f"no attachment subnet (no path to the transit gateway): "
        f"{zone_text(vpc_zones - set(placed.zones))}{placed.unknown_note()}"
        f"{options.shortfall(placed.zone_count)}"
    )
    attachment_id = attachment.get("TransitGatewayAttachmentId", "")
    return Assessment(
        check_id="tgw.attachment_multi_az",
        resource_arn=arn_of("ec2", f"transit-gateway-attachment/{attachment_id}"),
        resource_name=tag_value(attachment, "Name"),
        resource_id=attachment_id,
        risk=options.too_few(placed.zone_count),
        message=message,
        availability_zones=placed.zones,
        tags=tag_pairs(attachment.get("Tags")),
    )


def assess(
    attachments: Sequence[Record],
    subnets: Sequence[Record],
    arn_of: ArnOf,
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    return [assess_attachment(a, subnets, arn_of, options) for a in attachments if in_scope(a)]


async def scan(scope: RegionScope) -> Batches:
    attachments, subnets = await concurrently(
        scope.items(
            "ec2", "describe_transit_gateway_vpc_attachments", "TransitGatewayVpcAttachments"
        ),
        scope.subnets(),
    )
    yield assess(attachments, subnets, scope.arn, scope.options)


CHECK = Check(
    key="tgw",
    service="AWS Transit Gateway",
    rule=(
        "An available Transit Gateway VPC attachment is a risk when its subnets lie in fewer "
        "than 2 AZs."
    ),
    actions=("ec2:DescribeTransitGatewayVpcAttachments", "ec2:DescribeSubnets"),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "tgw.attachment_multi_az": Guidance(
            Severity.HIGH,
            "Add a subnet in every AZ the VPC uses to the attachment "
            "(modify-transit-gateway-vpc-attachment --add-subnet-ids).",
            "Other",
            fails=Fails.PATH,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "Attachments that are not `available` (pending, modifying, deleting, failed, "
            "rejected) are not judged."
        ),
        (
            "The message also lists the VPC's AZs that have subnets but no attachment subnet: "
            "resources there cannot reach the transit gateway at all."
        ),
        (
            "Subnets are counted by AZ. AWS allows one attachment subnet per AZ, so a subnet the "
            "lookup cannot find (a VPC shared from another account) counts as an AZ of its own, "
            "and the message names it."
        ),
        (
            "`resource_arn` is the attachment's ARN "
            "(`arn:<partition>:ec2:<region>:<account>:transit-gateway-attachment/<id>`), "
            "`resource_name` its `Name` tag."
        ),
        (
            "API: `DescribeTransitGatewayVpcAttachments` (all pages), `ec2:DescribeSubnets` "
            "(once per region, shared by checks)."
        ),
    ),
)

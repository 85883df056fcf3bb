"""Auto Scaling groups confined to one AZ, with their instances in one AZ, or of one instance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Outage,
    Record,
    RegionScope,
    Severity,
    SubnetSpread,
    subnet_spread,
    tag_pairs,
    tag_value,
    zone_text,
)
from resiliency_analyser.checks.verdicts import Verdict, combined

EKS_NODE_GROUP_TAG = "eks:nodegroup-name"


def subnets(group: Record) -> list[str]:
    return [s.strip() for s in (group.get("VPCZoneIdentifier") or "").split(",") if s.strip()]


def in_scope(group: Record) -> bool:
    """Not being deleted, and not an EKS managed node group's (judged by ``eks``)."""
    return not group.get("Status") and not tag_value(group, EKS_NODE_GROUP_TAG)


def group_zones(group: Record, subnet_zones: Mapping[str, str]) -> SubnetSpread:
    """The AZs the group launches in: its subnets', or its own list when it has no subnets."""
    ids = subnets(group)
    if not ids:
        return SubnetSpread(tuple(sorted(set(group.get("AvailabilityZones") or []))), ())
    return subnet_spread(ids, subnet_zones)


def assess_group(
    group: Record, subnet_zones: Mapping[str, str], options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment:
    places = group_zones(group, subnet_zones)
    desired = int(group.get("DesiredCapacity") or 0)
    serving = [i for i in group.get("Instances") or [] if i.get("LifecycleState") == "InService"]
    serving_zones = {i["AvailabilityZone"] for i in serving if i.get("AvailabilityZone")}
    verdicts = [
        Verdict(
            "autoscaling.group_zones",
            options.too_few(len(places.zones)),
            places.text("launches in") + options.shortfall(len(places.zones)),
        ),
        Verdict(
            "autoscaling.instance_zones",
            desired >= 2 and len(serving_zones) == 1,
            f"{len(serving)} of {desired} desired instance(s) in service, in "
            f"{zone_text(serving_zones)}"
            if desired
            else "no instances desired",
        ),
        Verdict(
            "autoscaling.single_instance",
            desired == 1,
            "desired capacity 1: an AZ failure stops the workload until a replacement launches"
            if desired == 1
            else f"desired capacity {desired}",
        ),
    ]
    return combined(
        verdicts,
        resource_arn=group.get("AutoScalingGroupARN", ""),
        resource_name=group.get("AutoScalingGroupName", ""),
        availability_zones=tuple(sorted({*places.zones, *serving_zones})),
        tags=tag_pairs(group.get("Tags")),
    )


def assess(
    groups: Sequence[Record],
    subnet_zones: Mapping[str, str],
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    return [assess_group(g, subnet_zones, options) for g in groups if in_scope(g)]


async def scan(scope: RegionScope) -> Batches:
    groups = [
        g
        for g in await scope.items(
            "autoscaling", "describe_auto_scaling_groups", "AutoScalingGroups"
        )
        if in_scope(g)
    ]
    placed_by_subnets = any(map(subnets, groups))
    yield assess(groups, await scope.subnet_zones() if placed_by_subnets else {}, scope.options)


CHECK = Check(
    key="autoscaling",
    service="Amazon EC2 Auto Scaling",
    rule=(
        "An Auto Scaling group that is not being deleted and does not belong to an EKS managed "
        "node group is a risk when it launches in fewer than 2 AZs, when its desired capacity "
        "is 2 or more but its in-service instances all sit in one AZ, or when its desired "
        "capacity is 1."
    ),
    actions=("autoscaling:DescribeAutoScalingGroups", "ec2:DescribeSubnets"),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "autoscaling.group_zones": Guidance(
            Severity.MEDIUM,
            "Add subnets in at least two AZs to the group's VPCZoneIdentifier "
            "(update-auto-scaling-group --vpc-zone-identifier).",
            "AwsAutoScalingAutoScalingGroup",
            fails=Fails.CAPACITY,
            fsbp=("AutoScaling.2",),
            well_architected=("REL10-BP01",),
        ),
        "autoscaling.instance_zones": Guidance(
            Severity.LOW,
            "Let the group rebalance (AZRebalance not suspended, instance types available in "
            "every AZ) so its instances spread over its AZs.",
            "AwsAutoScalingAutoScalingGroup",
            fails=Fails.CAPACITY,
            outage=Outage.SELF_HEALING,
            well_architected=("REL11-BP05",),
        ),
        "autoscaling.single_instance": Guidance(
            Severity.LOW,
            "Run at least two instances (desired and minimum capacity 2) across two AZs so one "
            "survives an AZ failure.",
            "AwsAutoScalingAutoScalingGroup",
            fails=Fails.CAPACITY,
            outage=Outage.SELF_HEALING,
            well_architected=("REL10-BP01", "REL11-BP05"),
        ),
    },
    notes=(
        (
            "One finding per group, saying what each rule found. It carries the check id of "
            "the first rule that finds a risk (AZs, instances, capacity), or "
            "`autoscaling.group_zones` when none does."
        ),
        (
            "A group's AZs are those of its `VPCZoneIdentifier` subnets (two subnets in one AZ "
            "count once; a subnet the lookup cannot find is named and counts as no AZ), or its "
            "`AvailabilityZones` when it has no subnets. Instances count when `InService`."
        ),
        (
            "Groups being deleted (a `Status` set) give no finding. Groups tagged "
            "`eks:nodegroup-name` belong to EKS managed node groups and are judged by `eks`; "
            "self-managed EKS nodes, ECS capacity and Elastic Beanstalk environments run in "
            "ordinary groups and are judged here. Their instances are not judged again by `ec2`."
        ),
        "API: `DescribeAutoScalingGroups` (all pages; tags come with it), `ec2:DescribeSubnets` "
        "(once per region, shared by checks).",
    ),
)

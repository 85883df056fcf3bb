"""Running EC2 instances no group manages, unless a load balancer pairs them with healthy targets
in another AZ."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import (
    ArnOf,
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    tag_pairs,
    tag_value,
    zone_text,
)
from resiliency_analyser.checks.lookups import LOAD_BALANCER_TARGETS, TargetRecords
from resiliency_analyser.checks.targets import Registration, Targets

MANAGED_BY = {
    "aws:autoscaling:groupName": "an Auto Scaling group",
    "eks:nodegroup-name": "an EKS managed node group",
    "karpenter.sh/nodepool": "a Karpenter node pool",
    "karpenter.sh/provisioner-name": "a Karpenter provisioner",
    "aws:elasticmapreduce:job-flow-id": "an EMR cluster",
    "elasticbeanstalk:environment-id": "an Elastic Beanstalk environment",
    "aws:batch:compute-environment": "an AWS Batch compute environment",
    "aws:ec2:fleet-id": "an EC2 Fleet",
    "aws:ec2spot:fleet-request-id": "a Spot Fleet",
}
"""The AWS-managed tags those services put on the instances they launch."""


def standalone(instance: Record) -> bool:
    return not any(tag.get("Key") in MANAGED_BY for tag in instance.get("Tags") or [])


def addresses(instance: Record) -> set[str]:
    """Every private IPv4 and IPv6 address of the instance's network interfaces."""
    found = {instance.get("PrivateIpAddress", "")}
    for interface in instance.get("NetworkInterfaces") or []:
        found.update(
            a.get("PrivateIpAddress", "") for a in interface.get("PrivateIpAddresses") or []
        )
        found.update(a.get("Ipv6Address", "") for a in interface.get("Ipv6Addresses") or [])
    return found - {""}


def is_member(instance: Record, registration: Registration) -> bool:
    """Registered by instance id, or by one of its addresses in an IP target group of its VPC."""
    if registration.kind == "instance":
        return registration.target == instance.get("InstanceId")
    return (
        registration.kind == "ip"
        and registration.vpc == instance.get("VpcId")
        and registration.target in addresses(instance)
    )


def assess_instance(
    instance: Record, pools: Sequence[Sequence[Registration]], arn_of: ArnOf
) -> Assessment:
    zone = (instance.get("Placement") or {}).get("AvailabilityZone", "")
    joined = [pool for pool in pools if any(is_member(instance, r) for r in pool)]
    elsewhere = {
        pool[0].pool: {r.zone for r in pool if r.healthy and r.zone and r.zone != zone}
        for pool in joined
    }
    backed = {label: zones for label, zones in elsewhere.items() if zones}
    where = f"Standalone instance in {zone or 'an unknown AZ'}"
    if backed:
        label = sorted(backed)[0]
        message = (
            f"{where}, registered in {label} with healthy targets in {zone_text(backed[label])}"
        )
    elif joined:
        labels = ", ".join(sorted({pool[0].pool for pool in joined}))
        message = f"{where}; no healthy target in another AZ shares its {labels}"
    else:
        message = f"{where}, in no load balancer target group or Classic Load Balancer"
    instance_id = instance.get("InstanceId", "")
    return Assessment(
        check_id="ec2.standalone_instance",
        resource_arn=arn_of("ec2", f"instance/{instance_id}"),
        resource_name=tag_value(instance, "Name"),
        resource_id=instance_id,
        risk=not backed,
        engine=instance.get("InstanceType", ""),
        message=message,
        availability_zones=(zone,) if zone else (),
        tags=tag_pairs(instance.get("Tags")),
    )


def assess(instances: Sequence[Record], records: TargetRecords, arn_of: ArnOf) -> list[Assessment]:
    """Running instances (``DescribeInstances`` records) against the region's registrations."""
    pools = [pool for pool in Targets(records).pools() if pool]
    return [
        assess_instance(i, pools, arn_of)
        for i in instances
        if standalone(i) and (i.get("State") or {}).get("Name") == "running"
    ]


async def scan(scope: RegionScope) -> Batches:
    reservations = await scope.items(
        "ec2",
        "describe_instances",
        "Reservations",
        Filters=[{"Name": "instance-state-name", "Values": ["running"]}],
    )
    instances = [i for r in reservations for i in r.get("Instances") or [] if standalone(i)]
    if instances:
        yield assess(instances, await scope.shared(LOAD_BALANCER_TARGETS), scope.arn)


CHECK = Check(
    key="ec2",
    service="Amazon EC2",
    rule=(
        "A running instance that no Auto Scaling group, EKS node group, Karpenter, EMR, Elastic "
        "Beanstalk, Batch or EC2/Spot Fleet manages is a risk unless it is registered in a load "
        "balancer target group or Classic Load Balancer that has healthy targets in another AZ."
    ),
    actions=(
        "ec2:DescribeInstances",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeInstanceHealth",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    tagged=True,
    guidance={
        "ec2.standalone_instance": Guidance(
            Severity.MEDIUM,
            "Run the workload in an Auto Scaling group across two or more AZs behind a load "
            "balancer, or pair the instance with one in another AZ.",
            "AwsEc2Instance",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01", "REL11-BP03"),
        ),
    },
    notes=(
        (
            "Instances some service manages give no finding here; they are recognised by the "
            "AWS-managed tags it sets: "
            + ", ".join(f"`{tag}` ({what})" for tag, what in MANAGED_BY.items())
            + ". Auto Scaling groups are judged by `autoscaling`, EKS managed node groups by "
            "`eks`; Karpenter nodes are placed by the cluster."
        ),
        (
            "A standalone instance is not a risk when it is registered (by instance id, or by "
            "a private address in an IP target group of its VPC) in a target group or Classic "
            "Load Balancer together with healthy targets in another AZ; the message names it. "
            "Registrations are those `elb` reads, shared once per region."
        ),
        (
            "`resource_arn` is `arn:<partition>:ec2:<region>:<account>:instance/<id>`, "
            "`resource_name` the `Name` tag, `resource_id` the instance id, `engine` the "
            "instance type."
        ),
        (
            "API: `DescribeInstances` filtered to `running` (all pages); when it finds a "
            "standalone instance, the load balancers' registrations (see `elb`)."
        ),
    ),
)

"""Running EC2 instances no group manages, unless a load balancer pairs them with healthy targets
in another AZ."""

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
    tag_pairs,
    tag_value,
    zone_text,
)
from resiliency_analyser.checks.lookups import LOAD_BALANCER_TARGETS, TargetRecords
from resiliency_analyser.checks.peers import (
    Peer,
    PeerGroups,
    tag_groups,
    with_peers,
    workload_tags,
)
from resiliency_analyser.checks.targets import Registration, Targets
from resiliency_analyser.checks.verdicts import Verdict, combined

CHECK_ID = "ec2.standalone_instance"

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


OUTSIDE = "outside the VPC (AZ all)"
"""Where a healthy IP target outside the VPC, reached from every AZ, is said to be."""


def places(zones: set[str]) -> str:
    """``in us-east-1b``, ``outside the VPC (AZ all)``, or both."""
    zonal = zones - {OUTSIDE}
    return " and ".join(
        [*([f"in {zone_text(zonal)}"] if zonal else []), *([OUTSIDE] if OUTSIDE in zones else [])]
    )


def standalone(instance: Record) -> bool:
    """No service manages it: none of their tags, and no operator (``Operator.Managed``, set
    on instances EKS Auto Mode or ECS Managed Instances launch)."""
    return not (instance.get("Operator") or {}).get("Managed") and not any(
        tag.get("Key") in MANAGED_BY for tag in instance.get("Tags") or []
    )


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


def running(instance: Record) -> bool:
    return (instance.get("State") or {}).get("Name") == "running"


def as_peer(instance: Record, keys: Sequence[str]) -> Peer:
    zone = (instance.get("Placement") or {}).get("AvailabilityZone", "")
    instance_id = instance.get("InstanceId", "")
    return Peer(
        key=instance_id,
        name=tag_value(instance, "Name") or instance_id,
        zones=(zone,) if zone else (),
        groups=tag_groups(dict(tag_pairs(instance.get("Tags"))), keys),
    )


def assess_instance(
    instance: Record,
    pools: Sequence[Sequence[Registration]],
    peers: PeerGroups,
    keys: Sequence[str],
    arn_of: ArnOf,
) -> Assessment:
    zone = (instance.get("Placement") or {}).get("AvailabilityZone", "")
    joined = [pool for pool in pools if any(is_member(instance, r) for r in pool)]
    elsewhere = {
        pool[0].pool: {
            OUTSIDE if r.outside else r.zone
            for r in pool
            if r.healthy and (r.outside or (r.zone and r.zone != zone))
        }
        for pool in joined
    }
    backed = {label: zones for label, zones in elsewhere.items() if zones}
    where = f"Standalone instance in {zone or 'an unknown AZ'}"
    if backed:
        label = sorted(backed)[0]
        message = f"{where}, registered in {label} with healthy targets {places(backed[label])}"
    elif joined:
        labels = ", ".join(sorted({pool[0].pool for pool in joined}))
        message = f"{where}; no healthy target in another AZ shares its {labels}"
    else:
        message = f"{where}, in no load balancer target group or Classic Load Balancer"
    cover = None if backed else peers.cover(as_peer(instance, keys))
    instance_id = instance.get("InstanceId", "")
    return combined(
        with_peers([Verdict(CHECK_ID, not backed, message)], cover),
        resource_arn=arn_of("ec2", f"instance/{instance_id}"),
        resource_name=tag_value(instance, "Name"),
        resource_id=instance_id,
        engine=instance.get("InstanceType", ""),
        availability_zones=(zone,) if zone else (),
        tags=tag_pairs(instance.get("Tags")),
    )


def assess(
    instances: Sequence[Record],
    records: TargetRecords,
    arn_of: ArnOf,
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    """Every running instance (``DescribeInstances`` records; the managed ones are peers too)
    against the region's registrations and its peers by workload tag (``options``)."""
    live = [i for i in instances if running(i)]
    pools = [pool for pool in Targets(records).pools() if pool]
    keys = workload_tags(options)
    peers = PeerGroups((as_peer(i, keys) for i in live), options)
    return [assess_instance(i, pools, peers, keys, arn_of) for i in live if standalone(i)]


async def scan(scope: RegionScope) -> Batches:
    reservations = await scope.items(
        "ec2",
        "describe_instances",
        "Reservations",
        Filters=[{"Name": "instance-state-name", "Values": ["running"]}],
    )
    instances = [i for r in reservations for i in r.get("Instances") or []]
    if any(map(standalone, instances)):
        records = await scope.shared(LOAD_BALANCER_TARGETS)
        yield assess(instances, records, scope.arn, scope.options)


CHECK = Check(
    key="ec2",
    service="Amazon EC2",
    rule=(
        "A running instance that no Auto Scaling group, EKS node group, Karpenter, EMR, Elastic "
        "Beanstalk, Batch, EC2/Spot Fleet or other operator manages is a risk unless it is "
        "registered in a load balancer target group or Classic Load Balancer that has healthy "
        "targets in another AZ, or its peers by workload tag run in another AZ."
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
        CHECK_ID: Guidance(
            Severity.MEDIUM,
            "Run the workload in an Auto Scaling group across AZs behind a load balancer, or "
            "pair the instance with one in another AZ, tagged with the same workload tag value.",
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
            + ", or by `Operator.Managed` true (EKS Auto Mode, ECS Managed Instances: the "
            "instance is its operator's, `Operator.Principal`), and are judged by their "
            "service. Auto Scaling groups are judged by `autoscaling`, EKS managed node groups "
            "by `eks`; Karpenter and EKS Auto Mode nodes are placed by the cluster."
        ),
        (
            "A standalone instance is not a risk when it is registered (by instance id, or by "
            "a private address in an IP target group of its VPC) in a target group or Classic "
            "Load Balancer together with healthy targets in another AZ, or outside the VPC "
            "(AZ `all`); the message names it. Registrations are those `elb` reads, shared once "
            "per region."
        ),
        (
            "Peers by workload tag: instances sharing a value of a workload tag (see [peer "
            "groups](#peer-groups)) carry one workload, as three Active Directory domain "
            "controllers in three AZs do; an instance whose peers run in another AZ is not a "
            "risk, and the message names the tag, its value, the peers and the AZs the group "
            "covers. Every running instance may be a peer, managed ones too (an Auto Scaling "
            "group's instances carry its tags). Peers all in the instance's AZ leave it a risk, "
            "named in the message. AWS: Well-Architected Reliability Pillar, REL10-BP01 "
            "(deploy the workload to multiple locations)."
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

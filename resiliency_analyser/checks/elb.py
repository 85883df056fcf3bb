"""Application, Network, Gateway and Classic Load Balancers in one AZ, target groups whose healthy
targets are, each on its own; Classic Load Balancers without cross-zone load balancing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from resiliency_analyser.checks import autoscaling, ecs
from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    ArnOf,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Outage,
    Record,
    RegionScope,
    RootCause,
    Severity,
    concurrently,
    zone_text,
)
from resiliency_analyser.checks.lookups import (
    AUTO_SCALING_GROUPS,
    CLASSIC_LOAD_BALANCERS,
    ECS_SERVICES,
    LOAD_BALANCER_TARGETS,
    LOAD_BALANCERS,
    JudgedService,
    TargetRecords,
)
from resiliency_analyser.checks.targets import Registration, TargetGroup, Targets
from resiliency_analyser.checks.verdicts import Root, Verdict, combined, goes_down_with

JUDGED_STATES = frozenset({"active", "active_impaired"})
"""elbv2 states judged: ``provisioning`` and ``failed`` load balancers give no finding."""

UNLOCATED_NAMED = 5
"""At most this many targets the lookups cannot place are named in a message."""

REGIONAL_KINDS = {"lambda": "a Lambda function", "alb": "an Application Load Balancer"}

KINDS = {
    "application": "Application Load Balancer",
    "network": "Network Load Balancer",
    "gateway": "Gateway Load Balancer",
    "classic": "Classic Load Balancer",
}


def balancer_zones(kind: str, zones: Sequence[str], options: CheckOptions) -> Verdict:
    # Classic and elbv2 load balancers are different resource types to Security Hub.
    count = len(set(zones))
    return Verdict(
        "elb.classic_zones" if kind == "classic" else "elb.load_balancer_zones",
        options.too_few(count),
        f"{KINDS.get(kind, kind)} enabled in {count} AZ(s): {zone_text(zones)}"
        + options.shortfall(count),
    )


def named(targets: Sequence[str]) -> str:
    """Up to ``UNLOCATED_NAMED`` targets, then how many more."""
    ordered = sorted(targets)
    more = len(ordered) - UNLOCATED_NAMED
    return ", ".join(ordered[:UNLOCATED_NAMED]) + (f" and {more} more" if more > 0 else "")


def target_zones(
    registrations: Sequence[Registration], check_id: str, options: CheckOptions
) -> Verdict:
    """Where the healthy targets are: a risk when the zonal ones lie in fewer AZs than the rule
    asks for and no healthy target outside every AZ (a Lambda function, an ALB, an address
    outside the VPC registered with AZ ``all``) carries the traffic on."""
    healthy = [r for r in registrations if r.healthy]
    if not healthy:
        return Verdict(check_id, False, "no healthy targets")
    regional = sorted({r.kind for r in healthy if r.regional})
    if regional:
        kinds = " and ".join(REGIONAL_KINDS[k] for k in regional)
        return Verdict(check_id, False, f"its healthy targets are {kinds}, which span AZs")
    zonal = [r for r in healthy if r.zonal]
    zones = {r.zone for r in zonal if r.zone}
    outside = [r for r in healthy if r.outside]
    parts = []
    if zonal or not outside:
        parts.append(
            f"{len(zonal)} healthy target(s) in {len(zones)} AZ(s): {zone_text(zones)}"
            + options.shortfall(len(zones))
        )
    if outside:
        parts.append(
            f"{len(outside)} healthy target(s) outside the VPC, registered with AZ all: in no "
            "AZ, reached from each AZ the load balancer is enabled in"
        )
    if unlocated := [r.target for r in zonal if not r.zone]:
        parts.append(f"AZ unknown for {named(unlocated)}")
    return Verdict(check_id, options.too_few(len(zones)) and not outside, "; ".join(parts))


def cross_zone(attributes: Record) -> Verdict:
    enabled = bool(
        ((attributes.get("LoadBalancerAttributes") or {}).get("CrossZoneLoadBalancing") or {}).get(
            "Enabled"
        )
    )
    state = "on" if enabled else "off: each AZ's node serves only that AZ's instances"
    return Verdict("elb.classic_cross_zone", not enabled, f"cross-zone load balancing {state}")


def balancer_kind(balancer: Record) -> str:
    """E.g. ``Application Load Balancer web``."""
    kind = balancer.get("Type", "")
    return f"{KINDS.get(kind, kind)} {balancer.get('LoadBalancerName', '')}"


def assess_balancer(
    balancer: Record, groups: Sequence[TargetGroup], options: CheckOptions
) -> Assessment:
    arn = balancer.get("LoadBalancerArn", "")
    kind = balancer.get("Type", "")
    zones = sorted(
        {z["ZoneName"] for z in balancer.get("AvailabilityZones") or [] if "ZoneName" in z}
    )
    names = ", ".join(sorted(g.name for g in groups))
    forwards = (
        f"forwards to {len(groups)} target group(s), each judged on its own: {names}"
        if groups
        else "forwards to no target group"
    )
    return combined(
        [
            balancer_zones(kind, zones, options),
            Verdict("elb.load_balancer_zones", False, forwards),
        ],
        resource_arn=arn,
        resource_name=balancer.get("LoadBalancerName", ""),
        resource_id=arn.partition(":loadbalancer/")[2],
        engine=kind,
        availability_zones=tuple(zones),
    )


def assess_target_group(
    group: TargetGroup, balancers: Sequence[Record], root: Root | None, options: CheckOptions
) -> Assessment:
    """A target group on its own: the load balancers forwarding to it reach only its targets."""
    served = ", ".join(sorted(balancer_kind(b) for b in balancers))
    verdict = target_zones(group.registrations, "elb.target_group_zones", options)
    return combined(
        [goes_down_with(replace(verdict, text=f"Target group of {served}: {verdict.text}"), root)],
        resource_arn=group.arn,
        resource_name=group.name,
        resource_id=group.arn.rpartition(":")[2],
        engine=group.kind,
        availability_zones=tuple(
            sorted({r.zone for r in group.registrations if r.healthy and r.zone})
        ),
    )


def classic_zones(balancer: Record, subnet_zones: Mapping[str, str]) -> list[str]:
    """Its AZ field; a VPC load balancer whose record leaves it empty is placed by its subnets."""
    listed = balancer.get("AvailabilityZones") or [
        subnet_zones[s] for s in balancer.get("Subnets") or [] if s in subnet_zones
    ]
    return sorted(set(listed))


def assess_classic(
    balancer: Record,
    attributes: Record,
    targets: Targets,
    subnet_zones: Mapping[str, str],
    arn_of: ArnOf,
    root: Root | None,
    options: CheckOptions,
) -> Assessment:
    name = balancer.get("LoadBalancerName", "")
    zones = classic_zones(balancer, subnet_zones)
    registered = targets.of_classic(name)
    instances = target_zones(registered, "elb.classic_instance_zones", options)
    counted = replace(
        instances, text=f"{instances.text} ({len(registered)} registered instance(s))"
    )
    return combined(
        [
            balancer_zones("classic", zones, options),
            goes_down_with(counted, root),
            cross_zone(attributes),
        ],
        resource_arn=arn_of("elasticloadbalancing", f"loadbalancer/{name}"),
        resource_name=name,
        engine="classic",
        availability_zones=tuple(zones),
    )


@dataclass(frozen=True)
class Fillers:
    """What registers targets with load balancers, judged by its own check's rule: the region's
    Auto Scaling groups and ECS services."""

    auto_scaling_groups: Sequence[Record] = ()
    services: Sequence[JudgedService] = ()


@dataclass(frozen=True)
class Roots:
    """Target group ARN, or Classic Load Balancer name -> the filler that is itself a risk."""

    groups: Mapping[str, Root]
    classic: Mapping[str, Root]

    @classmethod
    def of(cls, fillers: Fillers, subnet_zones: Mapping[str, str], options: CheckOptions) -> Roots:
        groups: dict[str, Root] = {}
        classic: dict[str, Root] = {}
        by_arn = {g.get("AutoScalingGroupARN"): g for g in fillers.auto_scaling_groups}
        for judged in autoscaling.assess(fillers.auto_scaling_groups, subnet_zones, options):
            if not judged.risk:
                continue
            group = by_arn[judged.resource_arn]
            root = Root(root_cause(judged), f"its Auto Scaling group {judged.resource_name}")
            for arn in group.get("TargetGroupARNs") or []:
                groups.setdefault(arn, root)
            for name in group.get("LoadBalancerNames") or []:
                classic.setdefault(name, root)
        for found in fillers.services:
            if not ecs.in_scope(found.service):
                continue
            judged = ecs.assess_service(found.service, found.tasks, subnet_zones, options)
            if not judged.risk:
                continue
            root = Root(root_cause(judged), f"its ECS service {judged.resource_id}")
            for balancer in found.service.get("loadBalancers") or []:
                if arn := balancer.get("targetGroupArn"):
                    groups.setdefault(arn, root)
                if name := balancer.get("loadBalancerName"):
                    classic.setdefault(name, root)
        return cls(groups, classic)


def root_cause(judged: Assessment) -> RootCause:
    return RootCause(check_id=judged.check_id, resource_arn=judged.resource_arn)


def in_scope(balancer: Record) -> bool:
    return (balancer.get("State") or {}).get("Code") in JUDGED_STATES


def assess(
    balancers: Sequence[Record],
    classic: Sequence[Record],
    attributes: Mapping[str, Record],
    records: TargetRecords,
    subnet_zones: Mapping[str, str],
    arn_of: ArnOf,
    options: CheckOptions = DEFAULT_OPTIONS,
    fillers: Fillers | None = None,
) -> list[Assessment]:
    """elbv2 load balancers and the target groups they forward to, and Classic ones with their
    attributes (by name); ``fillers``: what registers their targets, whose own risk is the root
    cause of a target group's or a Classic Load Balancer's."""
    targets = Targets(records)
    roots = Roots.of(fillers or Fillers(), subnet_zones, options)
    judged = {b.get("LoadBalancerArn", ""): b for b in balancers if in_scope(b)}
    groups = [g for g in targets.target_groups() if any(b in judged for b in g.balancers)]
    return [
        *(
            assess_balancer(b, [g for g in groups if arn in g.balancers], options)
            for arn, b in judged.items()
        ),
        *(
            assess_target_group(
                g,
                [judged[b] for b in g.balancers if b in judged],
                roots.groups.get(g.arn),
                options,
            )
            for g in groups
        ),
        *(
            assess_classic(
                b,
                attributes.get(b["LoadBalancerName"], {}),
                targets,
                subnet_zones,
                arn_of,
                roots.classic.get(b["LoadBalancerName"]),
                options,
            )
            for b in classic
        ),
    ]


ROOTED = frozenset({"elb.target_group_zones", "elb.classic_instance_zones"})
"""The check ids whose risk an Auto Scaling group or ECS service may cause."""


async def classic_attributes(scope: RegionScope, classic: Sequence[Record]) -> dict[str, Record]:
    names = [b["LoadBalancerName"] for b in classic]
    found = await concurrently(
        *(
            scope.call("elb", "describe_load_balancer_attributes", LoadBalancerName=name)
            for name in names
        )
    )
    return dict(zip(names, found, strict=True))


async def classic_subnet_zones(scope: RegionScope, classic: Sequence[Record]) -> dict[str, str]:
    if all(b.get("AvailabilityZones") for b in classic):
        return {}
    return await scope.subnet_zones()


async def scan(scope: RegionScope) -> Batches:
    balancers, classic = await concurrently(
        scope.shared(LOAD_BALANCERS), scope.shared(CLASSIC_LOAD_BALANCERS)
    )
    if not classic and not any(map(in_scope, balancers)):
        return
    records, attributes, subnet_zones = await concurrently(
        scope.shared(LOAD_BALANCER_TARGETS),
        classic_attributes(scope, classic),
        classic_subnet_zones(scope, classic),
    )
    found = assess(balancers, classic, attributes, records, subnet_zones, scope.arn, scope.options)
    if any(a.risk and a.check_id in ROOTED for a in found):
        # What fills those targets may be the risk's root cause: judge it by its own rule.
        groups, services, every_subnet = await concurrently(
            scope.shared(AUTO_SCALING_GROUPS), scope.shared(ECS_SERVICES), scope.subnet_zones()
        )
        found = assess(
            balancers,
            classic,
            attributes,
            records,
            every_subnet,
            scope.arn,
            scope.options,
            Fillers(groups, services),
        )
    yield found


CHECK = Check(
    key="elb",
    service="Elastic Load Balancing",
    rule=(
        "An active Application, Network or Gateway Load Balancer, or a Classic Load Balancer, is "
        "a risk when it is enabled in fewer than 2 AZs; each target group such a load balancer "
        "forwards to is judged on its own, and is a risk when its healthy targets lie in fewer "
        "than 2 AZs with none outside every AZ; a Classic Load Balancer is also a risk when its "
        "healthy instances lie in fewer than 2 AZs, and, at low severity, when cross-zone load "
        "balancing is off."
    ),
    actions=(
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeInstanceHealth",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "ec2:DescribeInstances",
        "ec2:DescribeSubnets",
        "autoscaling:DescribeAutoScalingGroups",
        "ecs:ListClusters",
        "ecs:ListServices",
        "ecs:DescribeServices",
        "ecs:ListTasks",
        "ecs:DescribeTasks",
    ),
    scan=scan,
    counts_azs=True,
    guidance={
        "elb.load_balancer_zones": Guidance(
            Severity.HIGH,
            "Enable a subnet in at least one more AZ on the load balancer (set-subnets).",
            "AwsElbv2LoadBalancer",
            fails=Fails.PATH,
            fsbp=("ELB.13",),
            well_architected=("REL02-BP01", "REL10-BP01"),
        ),
        "elb.target_group_zones": Guidance(
            Severity.MEDIUM,
            "Register healthy targets of this target group in a second AZ, e.g. attach an Auto "
            "Scaling group spanning the load balancer's AZs, or spread the ECS service's tasks.",
            "Other",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
        "elb.classic_zones": Guidance(
            Severity.HIGH,
            "Enable at least one more AZ on the Classic Load Balancer "
            "(enable-availability-zones-for-load-balancer, or attach-load-balancer-to-subnets).",
            "AwsElbLoadBalancer",
            fails=Fails.PATH,
            fsbp=("ELB.10",),
            well_architected=("REL02-BP01", "REL10-BP01"),
        ),
        "elb.classic_instance_zones": Guidance(
            Severity.MEDIUM,
            "Register healthy instances in a second AZ, e.g. an Auto Scaling group spanning the "
            "load balancer's AZs attached to it.",
            "AwsElbLoadBalancer",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
        "elb.classic_cross_zone": Guidance(
            Severity.LOW,
            "Turn on cross-zone load balancing (modify-load-balancer-attributes), or migrate "
            "to an Application Load Balancer.",
            "AwsElbLoadBalancer",
            fails=Fails.CAPACITY,
            outage=Outage.PARTIAL,
            fsbp=("ELB.9",),
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "One finding per Application, Network or Gateway Load Balancer (`elb.load_balancer_"
            "zones`: its enabled AZs, `AvailabilityZones`; the message names its target groups), "
            "one per target group such a load balancer forwards to (`elb.target_group_zones`), "
            "and one per Classic Load Balancer, saying what each of its rules found and carrying "
            "the check id of the first that finds a risk (AZs, instances, cross-zone), or "
            "`elb.classic_zones` when none does. A Classic Load Balancer has check ids of its "
            "own, as Security Hub types it apart from the others; ASFF has no type for a target "
            "group."
        ),
        (
            "Each target group is judged on its own, as AWS Trusted Advisor and Route 53 ARC "
            "zonal shift judge them: a listener rule sends a request to one target group, so an "
            "ALB whose `/api` group is only in AZ a and whose `/web` group is only in AZ b loses "
            "half its paths with either AZ (two risks), and one Lambda target group does not "
            'make the others safe. AWS: Elastic Load Balancing User Guide, "Availability Zones '
            'and load balancer nodes" (a load balancer routes around an AZ that is unavailable '
            "or has no healthy targets only to healthy targets in another AZ); Route 53 ARC "
            "Developer Guide, zonal shift for load balancers."
        ),
        (
            "Targets are a target group's, as `DescribeTargetHealth` reports them: `healthy`, or "
            "`unavailable` because the health check is off, counts as healthy. Instance targets "
            "are placed by `ec2:DescribeInstances`; IP targets by the subnet of the target group's "
            "VPC whose CIDR holds the address, else by the AZ they were registered with. An IP "
            "outside the VPC registered with AZ `all` is in no AZ (every enabled AZ's node "
            "reaches it): the message says so, and such a healthy target keeps the group from "
            "being a risk, as do Lambda functions and ALBs registered as targets, which span "
            "AZs. AWS: `RegisterTargets`, `TargetDescription.AvailabilityZone`. Classic: "
            "instances `InService` in `DescribeInstanceHealth`."
        ),
        (
            "A target group without any healthy target is not a risk: the message says it has "
            "no healthy targets. A healthy target the lookups cannot place (a terminated "
            "instance) is named in the message and counts as no AZ. Target groups no active "
            "load balancer forwards to give no finding; load balancers that are `provisioning` "
            "or `failed` neither."
        ),
        (
            "One failure, one risk (see [above](#one-failure-one-risk)): when an Auto Scaling "
            "group registered with a target group or Classic Load Balancer (`TargetGroupARNs`, "
            "`LoadBalancerNames`), or an ECS service (`loadBalancers`), is itself a risk by its "
            "own check's rule (peers included), a target group or Classic Load Balancer whose "
            "targets it leaves in one AZ goes down with it: the finding is not a risk, its "
            "message names the group or service, and its `root_cause` points to that finding. "
            "The groups and services are read (shared with `autoscaling` and `ecs`) only when "
            "a target group or Classic Load Balancer is found at risk."
        ),
        (
            "Cross-zone load balancing is judged only for Classic Load Balancers (AWS: "
            '"Configure cross-zone load balancing for your Classic Load Balancer").'
        ),
        (
            "`engine` is the load balancer's type (`application`, `network`, `gateway`, "
            "`classic`), or the target group's target type (`instance`, `ip`, `lambda`, `alb`); "
            "`resource_id` the ARN's `app/<name>/<id>` or `targetgroup/<name>/<id>` part. The "
            "instances behind a load balancer are judged by `ec2` (standalone) or `autoscaling` "
            "(groups)."
        ),
        (
            "API: `DescribeLoadBalancers` (elbv2 and Classic, all pages, in parallel), "
            "`DescribeTargetGroups` (all pages), `DescribeTargetHealth` per target group "
            "attached to a load balancer, `DescribeInstanceHealth` and "
            "`DescribeLoadBalancerAttributes` per Classic Load Balancer, `ec2:DescribeInstances` "
            "(ids in filters, 200 per call) and `ec2:DescribeSubnets`, all concurrent; the "
            "registrations are read once per region and shared with `ec2`. With a target "
            "risk: `autoscaling:DescribeAutoScalingGroups` and the ECS listings of `ecs`, once "
            "per region."
        ),
    ),
)

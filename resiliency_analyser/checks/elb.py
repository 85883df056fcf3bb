"""Application, Network, Gateway and Classic Load Balancers in one AZ, or whose healthy targets
are; Classic Load Balancers without cross-zone load balancing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    Severity,
    concurrently,
    zone_text,
)
from resiliency_analyser.checks.lookups import (
    CLASSIC_LOAD_BALANCERS,
    LOAD_BALANCER_TARGETS,
    LOAD_BALANCERS,
    TargetRecords,
)
from resiliency_analyser.checks.targets import Registration, Targets
from resiliency_analyser.checks.verdicts import Verdict, combined

JUDGED_STATES = frozenset({"active", "active_impaired"})
"""elbv2 states judged: ``provisioning`` and ``failed`` load balancers give no finding."""

UNLOCATED_NAMED = 5
"""At most this many targets the lookups cannot place are named in a message."""

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


def target_zones(
    registrations: Sequence[Registration], pools: str, check_id: str, options: CheckOptions
) -> Verdict:
    """Where the healthy targets are; ``pools`` says what was read (for the message)."""
    healthy = [r for r in registrations if r.healthy]
    zones = {r.zone for r in healthy if r.zone}
    unlocated = [r.target for r in healthy if not r.zone and not r.regional]
    if not healthy:
        return Verdict(check_id, False, f"no healthy targets ({pools})")
    if any(r.regional for r in healthy):
        text = f"healthy targets include a Lambda function or ALB, which span AZs ({pools})"
        return Verdict(check_id, False, text)
    text = f"{len(healthy)} healthy target(s) in {len(zones)} AZ(s): {zone_text(zones)} ({pools})"
    if unlocated:
        named = sorted(unlocated)
        more = f" and {len(named) - UNLOCATED_NAMED} more" if len(named) > UNLOCATED_NAMED else ""
        text += f"; AZ unknown for {', '.join(named[:UNLOCATED_NAMED])}{more}"
    return Verdict(check_id, options.too_few(len(zones)), text + options.shortfall(len(zones)))


def cross_zone(attributes: Record) -> Verdict:
    enabled = bool(
        ((attributes.get("LoadBalancerAttributes") or {}).get("CrossZoneLoadBalancing") or {}).get(
            "Enabled"
        )
    )
    state = "on" if enabled else "off: each AZ's node serves only that AZ's instances"
    return Verdict("elb.classic_cross_zone", not enabled, f"cross-zone load balancing {state}")


def assess_balancer(balancer: Record, targets: Targets, options: CheckOptions) -> Assessment:
    arn = balancer.get("LoadBalancerArn", "")
    kind = balancer.get("Type", "")
    zones = sorted(
        {z["ZoneName"] for z in balancer.get("AvailabilityZones") or [] if "ZoneName" in z}
    )
    groups = targets.target_group_count(arn)
    pools = f"{groups} target group(s)" if groups else "no target groups"
    return combined(
        [
            balancer_zones(kind, zones, options),
            target_zones(targets.of_balancer(arn), pools, "elb.target_zones", options),
        ],
        resource_arn=arn,
        resource_name=balancer.get("LoadBalancerName", ""),
        resource_id=arn.partition(":loadbalancer/")[2],
        engine=kind,
        availability_zones=tuple(zones),
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
    options: CheckOptions,
) -> Assessment:
    name = balancer.get("LoadBalancerName", "")
    zones = classic_zones(balancer, subnet_zones)
    registered = targets.of_classic(name)
    return combined(
        [
            balancer_zones("classic", zones, options),
            target_zones(
                registered,
                f"{len(registered)} registered instance(s)",
                "elb.classic_instance_zones",
                options,
            ),
            cross_zone(attributes),
        ],
        resource_arn=arn_of("elasticloadbalancing", f"loadbalancer/{name}"),
        resource_name=name,
        engine="classic",
        availability_zones=tuple(zones),
    )


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
) -> list[Assessment]:
    """elbv2 load balancers, and Classic ones with their attributes (by name)."""
    targets = Targets(records)
    return [
        *(assess_balancer(b, targets, options) for b in balancers if in_scope(b)),
        *(
            assess_classic(
                b,
                attributes.get(b["LoadBalancerName"], {}),
                targets,
                subnet_zones,
                arn_of,
                options,
            )
            for b in classic
        ),
    ]


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
    yield assess(balancers, classic, attributes, records, subnet_zones, scope.arn, scope.options)


CHECK = Check(
    key="elb",
    service="Elastic Load Balancing",
    rule=(
        "An active Application, Network or Gateway Load Balancer, or a Classic Load Balancer, is "
        "a risk when it is enabled in fewer than 2 AZs or when its healthy targets lie in fewer "
        "than 2 AZs; a Classic Load Balancer is also a risk, at low severity, when cross-zone "
        "load balancing is off."
    ),
    actions=(
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeInstanceHealth",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "ec2:DescribeInstances",
        "ec2:DescribeSubnets",
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
        "elb.target_zones": Guidance(
            Severity.MEDIUM,
            "Register healthy targets in a second AZ, e.g. an Auto Scaling group spanning the "
            "load balancer's AZs attached to its target group.",
            "AwsElbv2LoadBalancer",
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
            "One finding per load balancer, saying what each rule found. It carries the check "
            "id of the first rule that finds a risk (AZs, then targets, then cross-zone), or "
            "that of the AZ rule when none does. A Classic Load Balancer has check ids of its "
            "own (`elb.classic_*`), as Security Hub types it apart from the others."
        ),
        (
            "AZs are the load balancer's enabled AZs (`AvailabilityZones`); for a Classic Load "
            "Balancer whose record lists none, the AZs of its subnets. Application, Network and "
            "Gateway Load Balancers that are `provisioning` or `failed` give no finding."
        ),
        (
            "Targets are those of every target group the load balancer forwards to "
            "(`LoadBalancerArns` of the target group), as `DescribeTargetHealth` reports them: "
            "`healthy`, or `unavailable` because the health check is off, counts as healthy. "
            "Instance targets are placed by `ec2:DescribeInstances`, IP targets by the subnet of "
            "the target group's VPC whose CIDR holds the address; Lambda functions and ALBs "
            "registered as targets span AZs, so a load balancer with one healthy such target "
            "passes. Classic: instances `InService` in `DescribeInstanceHealth`."
        ),
        (
            "A load balancer without any healthy target is not a target risk: the message says "
            "it has no healthy targets. A healthy target the lookups cannot place (an IP outside "
            "the VPC's subnets) is named in the message and counts as no AZ."
        ),
        "Cross-zone load balancing is judged only for Classic Load Balancers.",
        (
            "`engine` is the type (`application`, `network`, `gateway`, `classic`); "
            "`resource_id` the ARN's `app/<name>/<id>` part. The instances behind a load "
            "balancer are judged by `ec2` (standalone) or `autoscaling` (groups)."
        ),
        (
            "API: `DescribeLoadBalancers` (elbv2 and Classic, all pages, in parallel), "
            "`DescribeTargetGroups` (all pages), `DescribeTargetHealth` per target group "
            "attached to a load balancer, `DescribeInstanceHealth` and "
            "`DescribeLoadBalancerAttributes` per Classic Load Balancer, `ec2:DescribeInstances` "
            "(ids in filters, 200 per call) and `ec2:DescribeSubnets`, all concurrent; the "
            "registrations are read once per region and shared with `ec2`."
        ),
    ),
)

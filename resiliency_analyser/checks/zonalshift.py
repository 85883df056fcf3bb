"""Can traffic be moved away from an impaired AZ? ARC zonal shift and zonal autoshift on
multi-AZ Application and Network Load Balancers, Auto Scaling groups and EKS clusters: whether
each can be shifted, whether a shift would work, and whether autoshift is practised; and the
autoshifts AWS started in the region."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from resiliency_analyser.checks import autoscaling, elb
from resiliency_analyser.checks.api import (
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
    subnet_spread,
    tag_pairs,
    zone_text,
)
from resiliency_analyser.checks.autoshift import (
    ArcRecords,
    AutoshiftIds,
    applied_to,
    autoshift_event,
    autoshift_verdicts,
    observer_assessment,
    practice_records,
    region_records,
)
from resiliency_analyser.checks.eks import tag_map_pairs
from resiliency_analyser.checks.lookups import (
    AUTO_SCALING_GROUPS,
    ECS_SERVICES,
    EKS_CLUSTERS,
    ELBV2_ATTRIBUTES,
    LOAD_BALANCER_TARGETS,
    LOAD_BALANCERS,
    TARGET_GROUP_ATTRIBUTES,
    ZONE_IDS,
    Attributes,
    TargetRecords,
)
from resiliency_analyser.checks.targets import TargetGroup, Targets
from resiliency_analyser.checks.verdicts import Root, Verdict, combined, goes_down_with

SHIFT_ATTRIBUTE = "zonal_shift.config.enabled"
CROSS_ZONE = "load_balancing.cross_zone.enabled"
TERMINATION = "target_health_state.unhealthy.connection_termination.enabled"
SHIFTABLE = {"application": "Application Load Balancer", "network": "Network Load Balancer"}
"""The load balancer types ARC zonal shift supports; Gateway Load Balancers are not."""
NLB_SHIFT_PROTOCOLS = frozenset({"TCP", "TLS"})
EKS_JUDGED = frozenset({"ACTIVE", "UPDATING"})
TARGET_GROUP_ROOT = "elb.target_group_zones"


@dataclass(frozen=True)
class Kind:
    """One kind of resource zonal shift supports, with the check ids of its rules."""

    name: str
    shift_off: str
    autoshift: AutoshiftIds
    resource_type: str
    enable: str
    """How to turn zonal shift on, for the remediation."""


LOAD_BALANCER = Kind(
    "load balancer",
    "zonalshift.lb_shift_off",
    AutoshiftIds(
        "zonalshift.lb_autoshift_unpractised",
        "zonalshift.lb_outcome_alarm_missing",
        "zonalshift.lb_practice_failed",
        "zonalshift.lb_practice_stale",
    ),
    "AwsElbv2LoadBalancer",
    "set the load balancer attribute zonal_shift.config.enabled to true",
)
AUTO_SCALING_GROUP = Kind(
    "Auto Scaling group",
    "zonalshift.asg_shift_off",
    AutoshiftIds(
        "zonalshift.asg_autoshift_unpractised",
        "zonalshift.asg_outcome_alarm_missing",
        "zonalshift.asg_practice_failed",
        "zonalshift.asg_practice_stale",
    ),
    "AwsAutoScalingAutoScalingGroup",
    "give the group an AvailabilityZoneImpairmentPolicy with ZonalShiftEnabled",
)
EKS_CLUSTER = Kind(
    "EKS cluster",
    "zonalshift.eks_shift_off",
    AutoshiftIds(
        "zonalshift.eks_autoshift_unpractised",
        "zonalshift.eks_outcome_alarm_missing",
        "zonalshift.eks_practice_failed",
        "zonalshift.eks_practice_stale",
    ),
    "AwsEksCluster",
    "update-cluster-config --zonal-shift-config enabled=true",
)
TARGETS_ONE_AZ = "zonalshift.lb_targets_one_az"
NLB_TARGET_GROUPS = "zonalshift.nlb_target_group_unsupported"
ALB_BEHIND_NLB = "zonalshift.alb_behind_nlb"
OBSERVER = "zonalshift.observer_notifications_off"
AUTOSHIFT_EVENT = "zonalshift.aws_autoshift"


def enabled(attributes: Mapping[str, str], key: str) -> bool:
    return attributes.get(key, "").lower() == "true"


@dataclass(frozen=True)
class Balancers:
    """A region's load balancers and what the load-balancer rules read of them."""

    records: Sequence[Record] = ()
    """Every Application, Network and Gateway Load Balancer (``DescribeLoadBalancers``)."""
    attributes: Attributes = field(default_factory=dict)
    """Load balancer ARN -> its attributes."""
    targets: TargetRecords = field(default_factory=TargetRecords)
    group_attributes: Attributes = field(default_factory=dict)
    """Target group ARN -> its attributes; read when a cross-zone NLB is judged."""
    roots: Mapping[str, Root] = field(default_factory=dict)
    """Target group ARN -> what fills it, where that is a risk by its own check's rule (an
    Auto Scaling group or ECS service in one AZ, as `elb` finds it)."""

    def shift_on(self, arn: str) -> bool:
        return enabled(self.attributes.get(arn, {}), SHIFT_ATTRIBUTE)


def balancer_zones(balancer: Record) -> list[str]:
    zones = balancer.get("AvailabilityZones") or []
    return sorted({z["ZoneName"] for z in zones if z.get("ZoneName")})


def judged_balancer(balancer: Record) -> bool:
    """An active Application or Network Load Balancer in two AZs or more."""
    return (
        elb.in_scope(balancer)
        and balancer.get("Type") in SHIFTABLE
        and len(balancer_zones(balancer)) >= 2
    )


def one_zone(group: TargetGroup) -> str | None:
    """The AZ all the group's healthy targets lie in, or None: no healthy target, several AZs,
    or a healthy target outside every AZ (a Lambda function, an ALB, an address outside the
    VPC), which a shift does not move."""
    healthy = [r for r in group.registrations if r.healthy]
    if not healthy or any(not r.zonal for r in healthy):
        return None
    zones = {r.zone for r in healthy if r.zone}
    return next(iter(zones)) if len(zones) == 1 else None


def targets_in_one_zone(groups: Sequence[TargetGroup], roots: Mapping[str, Root]) -> list[Verdict]:
    """A shift cannot move a target group whose healthy targets all lie in one AZ: it fails
    open. That is the group's own single-AZ risk (`elb.target_group_zones`, or whatever fills
    the group), so the verdict goes down with it."""
    verdicts = []
    for group in groups:
        zone = one_zone(group)
        if zone is None:
            continue
        own = Root(
            RootCause(check_id=TARGET_GROUP_ROOT, resource_arn=group.arn),
            f"its target group {group.name}",
        )
        text = (
            f"target group {group.name} has every healthy target in {zone}: a shift away from "
            "that AZ leaves it none, so the load balancer fails open and the shift does nothing"
        )
        verdicts.append(
            goes_down_with(Verdict(TARGETS_ONE_AZ, True, text), roots.get(group.arn, own))
        )
    return verdicts


def nlb_problems(group: TargetGroup, record: Record, attributes: Mapping[str, str]) -> list[str]:
    """Why a target group keeps a cross-zone NLB from shifting (AWS's prerequisites)."""
    problems = []
    protocol = str(record.get("Protocol") or "")
    if protocol not in NLB_SHIFT_PROTOCOLS:
        problems.append(f"protocol {protocol or 'unknown'}, not TCP or TLS")
    if group.kind == "alb":
        problems.append("an Application Load Balancer as its target")
    if attributes.get(CROSS_ZONE, "").lower() == "false":
        problems.append("cross-zone load balancing off")
    # AWS's default is on: an attribute the answer leaves out is the default.
    if attributes.get(TERMINATION, "true").lower() != "false":
        problems.append("connections to unhealthy targets terminated")
    return problems


def unsupported_groups(
    balancer: Record, groups: Sequence[TargetGroup], balancers: Balancers
) -> list[str]:
    """Each target group of a cross-zone NLB that zonal shift does not support, with why."""
    arn = balancer.get("LoadBalancerArn", "")
    if balancer.get("Type") != "network" or not enabled(
        balancers.attributes.get(arn, {}), CROSS_ZONE
    ):
        return []
    records = {g.get("TargetGroupArn"): g for g in balancers.targets.target_groups}
    found = []
    for group in groups:
        problems = nlb_problems(
            group, records.get(group.arn) or {}, balancers.group_attributes.get(group.arn, {})
        )
        if problems:
            found.append(f"{group.name} ({', '.join(problems)})")
    return found


def fronting_nlbs(arn: str, targets: Targets, balancers: Balancers) -> list[str]:
    """The NLBs with zonal shift off that forward to this ALB (a target group of type ``alb``)."""
    by_arn = {b.get("LoadBalancerArn"): b for b in balancers.records}
    found = set()
    for group in targets.target_groups():
        if group.kind != "alb" or not any(r.target == arn for r in group.registrations):
            continue
        for nlb in group.balancers:
            if nlb in by_arn and not balancers.shift_on(nlb):
                found.add(f"{by_arn[nlb].get('LoadBalancerName', nlb)} (target group {group.name})")
    return sorted(found)


def shift_state(on: bool, off_text: str, on_text: str = "zonal shift on") -> str:
    return on_text if on else off_text


def assess_balancer(
    balancer: Record,
    balancers: Balancers,
    targets: Targets,
    arc: ArcRecords,
    zone_names: Mapping[str, str],
    now: datetime,
) -> Assessment:
    arn = balancer.get("LoadBalancerArn", "")
    kind = SHIFTABLE[balancer.get("Type", "")]
    zones = balancer_zones(balancer)
    groups = [g for g in targets.target_groups() if arn in g.balancers]
    on = balancers.shift_on(arn)
    unsupported = unsupported_groups(balancer, groups, balancers)
    state = f"{kind} in {len(zones)} AZ(s): {zone_text(zones)}; " + shift_state(
        on,
        f"zonal shift off ({SHIFT_ATTRIBUTE} false): traffic leaves an impaired AZ only as far "
        "as health checks fail there",
    )
    if unsupported and not on:
        state += f"; before it can be turned on, fix its target groups: {'; '.join(unsupported)}"
    verdicts = [Verdict(LOAD_BALANCER.shift_off, not on, state)]
    if on:
        verdicts += targets_in_one_zone(groups, balancers.roots)
        if unsupported:
            verdicts.append(
                Verdict(
                    NLB_TARGET_GROUPS,
                    True,
                    "cross-zone load balancing on, with target groups zonal shift does not "
                    f"support: {'; '.join(unsupported)}",
                )
            )
        if balancer.get("Type") == "application" and (
            front := fronting_nlbs(arn, targets, balancers)
        ):
            verdicts.append(
                Verdict(
                    ALB_BEHIND_NLB,
                    True,
                    f"behind Network Load Balancer(s) with zonal shift off: {', '.join(front)}; "
                    "a shift of this ALB alone leaves them sending it traffic through the "
                    "impaired AZ",
                )
            )
        verdicts += autoshift_verdicts(arn, LOAD_BALANCER.autoshift, arc, zone_names, now)
    return combined(
        verdicts,
        resource_arn=arn,
        resource_name=balancer.get("LoadBalancerName", ""),
        resource_id=arn.partition(":loadbalancer/")[2],
        engine=balancer.get("Type", ""),
        availability_zones=tuple(zones),
    )


def group_spread(group: Record, subnet_zones: Mapping[str, str]) -> tuple[str, ...]:
    return autoscaling.group_zones(group, subnet_zones).zones


def judged_group(group: Record, subnet_zones: Mapping[str, str]) -> bool:
    """A live Auto Scaling group in two AZs or more; a managed node group's is its cluster's."""
    return autoscaling.in_scope(group) and len(group_spread(group, subnet_zones)) >= 2


def assess_group(
    group: Record,
    subnet_zones: Mapping[str, str],
    arc: ArcRecords,
    zone_names: Mapping[str, str],
    now: datetime,
) -> Assessment:
    arn = group.get("AutoScalingGroupARN", "")
    zones = group_spread(group, subnet_zones)
    policy = group.get("AvailabilityZoneImpairmentPolicy") or {}
    on = bool(policy.get("ZonalShiftEnabled"))
    behaviour = policy.get("ImpairedZoneHealthCheckBehavior")
    state = f"Auto Scaling group in {len(zones)} AZ(s): {zone_text(zones)}; " + shift_state(
        on,
        "zonal shift off (AvailabilityZoneImpairmentPolicy.ZonalShiftEnabled false): a shift "
        "cannot stop it launching instances in an impaired AZ",
        "zonal shift on"
        + (f" (instances failing health checks in a shifted AZ: {behaviour})" if behaviour else ""),
    )
    verdicts = [Verdict(AUTO_SCALING_GROUP.shift_off, not on, state)]
    if on:
        verdicts += autoshift_verdicts(arn, AUTO_SCALING_GROUP.autoshift, arc, zone_names, now)
    return combined(
        verdicts,
        resource_arn=arn,
        resource_name=group.get("AutoScalingGroupName", ""),
        availability_zones=zones,
        tags=tag_pairs(group.get("Tags")),
    )


def cluster_zones(cluster: Record, subnet_zones: Mapping[str, str]) -> tuple[str, ...]:
    subnets = (cluster.get("resourcesVpcConfig") or {}).get("subnetIds") or []
    return subnet_spread(subnets, subnet_zones).zones


def judged_cluster(cluster: Record, subnet_zones: Mapping[str, str]) -> bool:
    """An active (or updating) EKS cluster whose subnets lie in two AZs or more."""
    return cluster.get("status") in EKS_JUDGED and len(cluster_zones(cluster, subnet_zones)) >= 2


def assess_cluster(
    cluster: Record,
    subnet_zones: Mapping[str, str],
    arc: ArcRecords,
    zone_names: Mapping[str, str],
    now: datetime,
) -> Assessment:
    arn = cluster.get("arn", "")
    zones = cluster_zones(cluster, subnet_zones)
    where = f"EKS cluster with subnets in {len(zones)} AZ(s): {zone_text(zones)}; "
    auto_mode = bool((cluster.get("computeConfig") or {}).get("enabled"))
    on = bool((cluster.get("zonalShiftConfig") or {}).get("enabled"))
    if auto_mode and not on:
        verdicts = [
            Verdict(
                EKS_CLUSTER.shift_off,
                False,
                where + "EKS Auto Mode, which zonal shift does not support: not judged",
            )
        ]
    else:
        state = where + shift_state(
            on,
            "zonal shift off (zonalShiftConfig.enabled false): in-cluster traffic keeps reaching "
            "pods in an impaired AZ, and managed node groups keep launching nodes there",
        )
        verdicts = [Verdict(EKS_CLUSTER.shift_off, not on, state)]
        if on:
            verdicts += autoshift_verdicts(arn, EKS_CLUSTER.autoshift, arc, zone_names, now)
    return combined(
        verdicts,
        resource_arn=arn,
        resource_name=cluster.get("name", ""),
        engine=f"Kubernetes {cluster['version']}" if cluster.get("version") else "",
        availability_zones=zones,
        tags=tag_map_pairs(cluster.get("tags")),
    )


@dataclass(frozen=True)
class Region:
    """Everything the rules read of one region."""

    balancers: Balancers = field(default_factory=Balancers)
    groups: Sequence[Record] = ()
    """Every Auto Scaling group (``DescribeAutoScalingGroups``)."""
    clusters: Sequence[Record] = ()
    """``DescribeCluster``'s ``cluster`` of every EKS cluster."""
    subnet_zones: Mapping[str, str] = field(default_factory=dict)
    arc: ArcRecords = field(default_factory=ArcRecords)
    zone_ids: Mapping[str, str] = field(default_factory=dict)
    """AZ name -> AZ ID in the account (ARC names AZs by ID)."""

    def judged_balancers(self) -> list[Record]:
        return [b for b in self.balancers.records if judged_balancer(b)]

    def judged_groups(self) -> list[Record]:
        return [g for g in self.groups if judged_group(g, self.subnet_zones)]

    def judged_clusters(self) -> list[Record]:
        return [c for c in self.clusters if judged_cluster(c, self.subnet_zones)]

    def judged(self) -> dict[str, str]:
        """ARN -> name of every resource judged."""
        return {
            **{
                b["LoadBalancerArn"]: b.get("LoadBalancerName", "") for b in self.judged_balancers()
            },
            **{
                g["AutoScalingGroupARN"]: g.get("AutoScalingGroupName", "")
                for g in self.judged_groups()
            },
            **{c["arn"]: c.get("name", "") for c in self.judged_clusters()},
        }


def assess(region: Region, now: datetime) -> list[Assessment]:
    """One finding per judged load balancer, Auto Scaling group and EKS cluster; one per
    autoshift AWS started (never a risk); and, where the region has either, the account's
    observer notifications."""
    zone_names = {zone_id: name for name, zone_id in region.zone_ids.items()}
    arc = region.arc
    targets = Targets(region.balancers.targets)
    judged = region.judged()
    events = [
        autoshift_event(AUTOSHIFT_EVENT, shift, zone_names, applied_to(shift, arc, judged), now)
        for shift in arc.autoshifts
    ]
    found = [
        *(
            assess_balancer(b, region.balancers, targets, arc, zone_names, now)
            for b in region.judged_balancers()
        ),
        *(
            assess_group(g, region.subnet_zones, arc, zone_names, now)
            for g in region.judged_groups()
        ),
        *(
            assess_cluster(c, region.subnet_zones, arc, zone_names, now)
            for c in region.judged_clusters()
        ),
        *(e for e in events if e is not None),
    ]
    if found and arc.offered:
        found.append(observer_assessment(OBSERVER, arc.observer))
    return found


# --- collection


async def described_clusters(scope: RegionScope, names: Sequence[str]) -> list[Record]:
    found = await concurrently(
        *(scope.call_unless_gone("eks", "describe_cluster", name=name) for name in names)
    )
    return [answer["cluster"] for answer in found if answer is not None and answer.get("cluster")]


async def balancer_records(scope: RegionScope, records: Sequence[Record]) -> Balancers:
    """Attributes and registrations of the region's load balancers, when one is judged; the
    target groups' attributes when a judged NLB has cross-zone load balancing on."""
    if not any(map(judged_balancer, records)):
        return Balancers(records=records)
    attributes, targets = await concurrently(
        scope.shared(ELBV2_ATTRIBUTES), scope.shared(LOAD_BALANCER_TARGETS)
    )
    cross_zone_nlb = any(
        b.get("Type") == "network" and enabled(attributes.get(b["LoadBalancerArn"], {}), CROSS_ZONE)
        for b in records
        if judged_balancer(b)
    )
    group_attributes = await scope.shared(TARGET_GROUP_ATTRIBUTES) if cross_zone_nlb else {}
    return Balancers(records, attributes, targets, group_attributes)


async def with_roots(scope: RegionScope, balancers: Balancers, options: CheckOptions) -> Balancers:
    """``balancers`` with the fillers of their one-AZ target groups judged by their own
    checks' rules, as `elb` judges them, when a judged load balancer with zonal shift on has
    such a group: one failure, one risk."""
    targets = Targets(balancers.targets)
    needed = any(
        one_zone(g) is not None
        for b in balancers.records
        if judged_balancer(b) and balancers.shift_on(b["LoadBalancerArn"])
        for g in targets.target_groups()
        if b["LoadBalancerArn"] in g.balancers
    )
    if not needed:
        return balancers
    groups, services, subnet_zones = await concurrently(
        scope.shared(AUTO_SCALING_GROUPS), scope.shared(ECS_SERVICES), scope.subnet_zones()
    )
    roots = elb.Roots.of(elb.Fillers(groups, services), subnet_zones, options)
    return replace(balancers, roots=roots.groups)


async def region_of(scope: RegionScope) -> Region:
    """The region's records, each kind read only where a resource of it is judged."""
    listed, groups, cluster_names = await concurrently(
        scope.shared(LOAD_BALANCERS), scope.shared(AUTO_SCALING_GROUPS), scope.shared(EKS_CLUSTERS)
    )
    needs_subnets = bool(cluster_names) or any(map(autoscaling.in_scope, groups))
    (balancers, clusters), (subnet_zones, arc) = await concurrently(
        concurrently(balancer_records(scope, listed), described_clusters(scope, cluster_names)),
        concurrently(
            scope.subnet_zones() if needs_subnets else nothing(),
            region_records(scope),
        ),
    )
    return Region(balancers, groups, clusters, subnet_zones, arc)


async def scan(scope: RegionScope) -> Batches:
    region = await region_of(scope)
    judged = region.judged()
    # AZ IDs name the zones ARC speaks of; a region with nothing to judge needs none.
    balancers, arc, zone_ids = await concurrently(
        with_roots(scope, region.balancers, scope.options),
        practice_records(scope, region.arc, judged),
        scope.shared(ZONE_IDS) if judged or region.arc.autoshifts else nothing(),
    )
    region = replace(region, balancers=balancers, arc=arc, zone_ids=zone_ids)
    yield assess(region, datetime.now(UTC))


async def nothing() -> dict[str, str]:
    return {}


def kind_guidance(kind: Kind, shift_fails: str) -> dict[str, Guidance]:
    """The guidance of one kind's rules: zonal shift off, and autoshift unpractised."""
    ids = kind.autoshift
    return {
        kind.shift_off: Guidance(
            Severity.LOW,
            f"Turn zonal shift on ({kind.enable}), so that you or AWS can move the {kind.name}'s "
            "traffic away from an impaired AZ.",
            kind.resource_type,
            fails=Fails.CAPACITY,
            outage=Outage.PARTIAL,
            well_architected=("REL11-BP02", "REL11-BP04"),
        ),
        ids.unpractised: Guidance(
            Severity.HIGH,
            "Create a practice run configuration with an outcome alarm "
            "(create-practice-run-configuration), or turn zonal autoshift off until it has one.",
            kind.resource_type,
            fails=Fails.PATH,
            well_architected=("REL12-BP04", "REL11-BP02"),
        ),
        ids.alarm_missing: Guidance(
            Severity.MEDIUM,
            "Create the CloudWatch alarm the practice run configuration names, or point it at an "
            "alarm that exists (update-practice-run-configuration).",
            kind.resource_type,
            fails=Fails.CAPACITY,
            well_architected=("REL11-BP01", "REL12-BP04"),
        ),
        ids.practice_failed: Guidance(
            Severity.HIGH,
            f"Find why the last practice run failed ({shift_fails}), fix it, and check that the "
            "next practice run succeeds.",
            kind.resource_type,
            fails=Fails.PATH,
            well_architected=("REL12-BP04", "REL11-BP05"),
        ),
        ids.practice_stale: Guidance(
            Severity.MEDIUM,
            "Find what stops practice runs (blocking alarms, blocked windows or dates, an "
            "alarm firing) and let one succeed; AWS starts one about weekly.",
            kind.resource_type,
            fails=Fails.CAPACITY,
            well_architected=("REL12-BP04",),
        ),
    }


CHECK = Check(
    key="zonalshift",
    service="ARC zonal shift",
    rule=(
        "An active Application or Network Load Balancer, a live Auto Scaling group or an EKS "
        "cluster in two AZs or more is a risk, at low severity, when zonal shift is off for it; "
        "a load balancer with zonal shift on is a risk when a shift would not work (a target "
        "group whose healthy targets are all in one AZ, which goes down with that group, a "
        "cross-zone NLB with target groups zonal shift does not support, an ALB behind an NLB "
        "with zonal shift off); a resource with zonal autoshift on is a risk when it has no "
        "practice run configuration with an outcome alarm or its last practice run failed, "
        "and, at medium severity, when an outcome alarm does not exist or no practice run "
        "succeeded in 14 days; the account is a risk, at low severity, in each region where "
        "autoshift observer notifications are off."
    ),
    actions=(
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetHealth",
        "autoscaling:DescribeAutoScalingGroups",
        "eks:ListClusters",
        "eks:DescribeCluster",
        "ec2:DescribeSubnets",
        "ec2:DescribeInstances",
        "ecs:ListClusters",
        "ecs:ListServices",
        "ecs:DescribeServices",
        "ecs:ListTasks",
        "ecs:DescribeTasks",
        "arc-zonal-shift:ListManagedResources",
        "arc-zonal-shift:GetManagedResource",
        "arc-zonal-shift:ListZonalShifts",
        "arc-zonal-shift:ListAutoshifts",
        "arc-zonal-shift:GetAutoshiftObserverNotificationStatus",
        "cloudwatch:DescribeAlarms",
    ),
    scan=scan,
    tagged=True,
    guidance={
        **kind_guidance(LOAD_BALANCER, "the outcome alarm, the targets left in the other AZs"),
        TARGETS_ONE_AZ: Guidance(
            Severity.HIGH,
            "Spread the target group's healthy targets over the load balancer's AZs: a shift "
            "cannot move a group whose targets are all in one AZ.",
            "AwsElbv2LoadBalancer",
            fails=Fails.PATH,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
        NLB_TARGET_GROUPS: Guidance(
            Severity.HIGH,
            "Make each target group of this cross-zone NLB TCP or TLS, not of type alb, "
            "cross-zone true or inherited, with unhealthy-target connection termination off.",
            "AwsElbv2LoadBalancer",
            fails=Fails.PATH,
            well_architected=("REL11-BP02",),
        ),
        ALB_BEHIND_NLB: Guidance(
            Severity.HIGH,
            "Turn zonal shift on for the Network Load Balancer in front of this ALB and start "
            "shifts there: the NLB ignores a shift of the ALB.",
            "AwsElbv2LoadBalancer",
            fails=Fails.PATH,
            well_architected=("REL11-BP02",),
        ),
        **kind_guidance(AUTO_SCALING_GROUP, "the outcome alarm, capacity in the other AZs"),
        **kind_guidance(EKS_CLUSTER, "the outcome alarm, node capacity in the other AZs"),
        OBSERVER: Guidance(
            Severity.LOW,
            "Turn autoshift observer notifications on (update-autoshift-observer-notification-"
            "status) and route their EventBridge events to whoever is on call.",
            "Other",
            fails=Fails.CAPACITY,
            outage=Outage.SELF_HEALING,
            well_architected=("REL11-BP06",),
        ),
        AUTOSHIFT_EVENT: Guidance(
            Severity.NONE,
            "Check how the workloads in that AZ fared during the autoshift (alarms, capacity "
            "left in the other AZs) and read the event in AWS Health.",
            "Other",
            fails=Fails.CAPACITY,
            outage=Outage.SELF_HEALING,
            event=True,
            well_architected=("REL12-BP02",),
        ),
    },
    notes=(
        (
            "One finding per active Application or Network Load Balancer enabled in two AZs or "
            "more, per Auto Scaling group launching in two AZs or more (not being deleted, and "
            "not an EKS managed node group's: EKS shifts those with their cluster) and per EKS "
            "cluster (`ACTIVE` or `UPDATING`) with subnets in two AZs or more. Each says what "
            "every rule found and carries the check id of the first that finds a risk (high "
            "before medium), or its kind's `*_shift_off` id when none does; each kind has ids of "
            "its own, as Security Hub types load balancers, Auto Scaling groups and EKS clusters "
            "apart. Zonal shift supports no other load balancer: Gateway and Classic Load "
            "Balancers are not judged."
        ),
        (
            "**Zonal shift off** (low): a load balancer whose attribute "
            "`zonal_shift.config.enabled` is not `true` (off by default), an Auto Scaling group "
            "without `AvailabilityZoneImpairmentPolicy.ZonalShiftEnabled`, an EKS cluster "
            "without `zonalShiftConfig.enabled`. Neither you nor AWS can then move its traffic "
            "away from an impaired AZ: it survives a gray failure only as well as its health "
            'checks detect it. AWS: Elastic Load Balancing User Guides, "Zonal shift for your '
            'Application Load Balancer" and "... Network Load Balancer" ("disabled by '
            'default and must be enabled on each"); Amazon EC2 Auto Scaling User Guide, '
            '"Auto Scaling group zonal shift"; Amazon EKS User Guide, "Enable EKS Zonal '
            'Shift". An EKS Auto Mode cluster (`computeConfig.enabled`), which zonal shift does '
            "not support (same guide), is not a risk: its message says so."
        ),
        (
            "**A shift that would not work** (load balancers with zonal shift on): a target "
            "group whose healthy targets all lie in one AZ (`zonalshift.lb_targets_one_az`): a "
            "shift away from that AZ leaves it no healthy target, the load balancer fails open "
            'and the shift has no effect (ARC Developer Guide, "Supported resources", and '
            '"About zonal autoshift": target groups without healthy instances in the other '
            "AZs). That "
            "is the target group's own single-AZ risk, which `elb.target_group_zones` reports "
            "(or the Auto Scaling group or ECS service filling the group, as `elb` finds it): "
            "one failure, one risk, so the finding is not a risk of its own and its "
            "`root_cause` points there. Targets are located as `elb` locates them, from the "
            "same registrations; a group with a healthy target outside every AZ (Lambda, ALB, "
            "an address outside the VPC) is not in one AZ."
        ),
        (
            "A Network Load Balancer with cross-zone load balancing on "
            "(`load_balancing.cross_zone.enabled`) and a target group zonal shift does not "
            "support (`zonalshift.nlb_target_group_unsupported`, high): a protocol other than "
            "TCP or TLS, type `alb`, the group's own cross-zone attribute `false`, or "
            "`target_health_state.unhealthy.connection_termination.enabled` not `false` (AWS's "
            'default is `true`). AWS: Network Load Balancers User Guide, "Enable zonal shift '
            'for your Network Load Balancer" (prerequisites); ARC Developer Guide, "Network '
            'Load Balancers". With zonal shift off, the message names these groups as what to '
            "fix before it can be turned on."
        ),
        (
            "An Application Load Balancer with zonal shift on behind a Network Load Balancer "
            "with it off, that is, an NLB target group of type `alb` registering the ALB "
            "(`zonalshift.alb_behind_nlb`, high): the NLB ignores a shift of the ALB and keeps "
            "sending it traffic through the impaired AZ. AWS: ARC Developer Guide, "
            '"Application Load Balancers" ("always start the zonal shift from the Network '
            'Load Balancer").'
        ),
        (
            "**Autoshift without practice**, for each judged resource with zonal shift on "
            "whose `zonalAutoshiftStatus` is `ENABLED` (`ListManagedResources`): no practice run "
            "configuration (`practiceRunStatus` `DISABLED`), or one without an outcome alarm "
            "(`GetManagedResource`), is high: AWS requires both to enable autoshift, and only "
            "practice runs show that the other AZs take the load (ARC Developer Guide, "
            '"About zonal autoshift": a practice run about weekly, for 30 minutes). An '
            "outcome alarm of the account and "
            "region that `cloudwatch:DescribeAlarms` (metric and composite alarms, 100 names a "
            "call) does not find is medium; one in another account or region is named, not "
            "looked up. The last practice run that came to an outcome (`ListZonalShifts`: "
            "`EXPIRED` and `CANCELED` shifts of type `PRACTICE_RUN`; `PENDING` and "
            "`INTERRUPTED` ones have none) `FAILED` (its outcome alarm went into `ALARM`) or "
            "`CAPACITY_CHECK_FAILED` is high; the message names when and the AZ ID it shifted "
            "away from. No `SUCCEEDED` practice run in the last 14 days is medium (ARC starts "
            "one about weekly: two missed in a row). Resources with autoshift off are not "
            "judged by these rules; the message names shifts in effect now."
        ),
        (
            "Severity by the policy: zonal shift is the path traffic takes around an impaired "
            "AZ, so a shift that would not work, and autoshift unpractised or failing its "
            "practice, lose the only path (high); a missing outcome alarm or a stale practice "
            "leaves the other AZs' capacity unproven (capacity, medium); zonal shift off leaves "
            "a gray failure to the health checks (capacity, degraded: low)."
        ),
        (
            "**The account**, once per region where a resource or an autoshift was found: "
            "autoshift observer notifications off (`GetAutoshiftObserverNotificationStatus`) is "
            "a low risk (`zonalshift.observer_notifications_off`): nobody is told through "
            "EventBridge when AWS starts an autoshift in the region, enrolled resources or not "
            "(ARC Developer Guide, zonal autoshift's observer notifications). The finding "
            "has no "
            "ARN: its `resource_id` is `autoshift-observer-notification`."
        ),
        (
            "**Autoshifts AWS started** in the region (`ListAutoshifts`, active and completed): "
            "one finding each, never a risk (`zonalshift.aws_autoshift`, severity `none`), "
            "located in the AZ it shifted away from (ARC names it by AZ ID; the finding carries "
            "the account's AZ name and ID), `resource_id` `autoshift/<AZ ID>/<start>`, and the "
            'message "AWS shifted traffic away from use1-az4 (us-east-1b) on … UTC, for 47 '
            'min", naming the judged resources ARC lists it as applied to. `impact` and the '
            "HTML report show them under their AZ ID ([output](output.md#aws-autoshifts))."
        ),
        (
            "`engine` is the load balancer's type, or the EKS cluster's Kubernetes version; "
            "Auto Scaling groups and EKS clusters carry their tags, load balancers none."
        ),
        (
            "API, each only where something of its kind is judged: `elbv2:DescribeLoadBalancers`, "
            "`DescribeLoadBalancerAttributes` per load balancer and the registrations `elb` "
            "reads (`DescribeTargetGroups`, one `DescribeTargetHealth` per target group, "
            "`ec2:DescribeInstances`, `ec2:DescribeSubnets`), all shared with `elb`; "
            "`DescribeTargetGroupAttributes` per target group a Network or Gateway Load Balancer "
            "forwards to, only when a judged NLB has cross-zone load balancing on; "
            "`autoscaling:DescribeAutoScalingGroups` (shared); `eks:ListClusters` (shared with "
            "`eks`) and `DescribeCluster` per cluster; per region `ListManagedResources`, "
            "`GetAutoshiftObserverNotificationStatus` and `ListAutoshifts` (once for active "
            "autoshifts, once for completed ones), all pages, skipped where ARC zonal shift is not offered; with a "
            "judged resource on autoshift, `GetManagedResource` per such resource with a "
            "practice run configuration, `ListZonalShifts` (once for expired "
            "shifts, once for canceled ones), and "
            "`cloudwatch:DescribeAlarms`; the AZ IDs (shared) only where something is judged or AWS "
            "started an autoshift. The Auto Scaling groups and ECS services behind a "
            "one-AZ target group (`elb`'s root causes, shared) only when a load balancer with "
            "zonal shift on has one."
        ),
    ),
)

"""Auto Scaling groups confined to one AZ, with their instances in one AZ, or of one instance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from resiliency_analyser.checks import beanstalk
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
    RootCause,
    Severity,
    SubnetSpread,
    concurrently,
    subnet_spread,
    tag_pairs,
    tag_value,
    zone_text,
)
from resiliency_analyser.checks.lookups import (
    AUTO_SCALING_GROUPS,
    BEANSTALK_ENVIRONMENTS,
    Environment,
)
from resiliency_analyser.checks.peers import (
    Peer,
    PeerGroups,
    cluster_group,
    eks_cluster,
    tag_groups,
    with_peers,
    workload_tags,
)
from resiliency_analyser.checks.verdicts import Root, Verdict, combined, goes_down_with

EKS_NODE_GROUP_TAG = "eks:nodegroup-name"
BEANSTALK_TAG = "elasticbeanstalk:environment-id"
"""Set by Elastic Beanstalk on the Auto Scaling group of each of its environments."""


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


def serving_zones(group: Record) -> set[str]:
    """The AZs of its in-service instances."""
    return {
        i["AvailabilityZone"]
        for i in group.get("Instances") or []
        if i.get("LifecycleState") == "InService" and i.get("AvailabilityZone")
    }


def runs_in(group: Record, subnet_zones: Mapping[str, str]) -> tuple[str, ...]:
    """Where the group runs: its in-service instances' AZs, else the AZs it launches in."""
    serving = serving_zones(group)
    return tuple(sorted(serving)) if serving else group_zones(group, subnet_zones).zones


def tags_of(group: Record) -> dict[str, str]:
    return dict(tag_pairs(group.get("Tags")))


def target_group_name(arn: str) -> str:
    """``…:targetgroup/<name>/<id>`` -> ``<name>``."""
    return arn.rpartition(":")[2].split("/")[1] if "/" in arn else arn


def peer_groups(group: Record, keys: Sequence[str]) -> tuple[str, ...]:
    """The groups it shares a workload with: its target groups, Classic Load Balancers, EKS
    cluster and workload tags."""
    tags = tags_of(group)
    cluster = eks_cluster(tags)
    return (
        *(f"target group {target_group_name(a)}" for a in group.get("TargetGroupARNs") or []),
        *(f"Classic Load Balancer {n}" for n in group.get("LoadBalancerNames") or []),
        *([cluster_group(cluster)] if cluster else []),
        *tag_groups(tags, keys),
    )


def as_peer(group: Record, subnet_zones: Mapping[str, str], keys: Sequence[str]) -> Peer:
    return Peer(
        key=group.get("AutoScalingGroupARN", ""),
        name=group.get("AutoScalingGroupName", ""),
        zones=runs_in(group, subnet_zones),
        groups=peer_groups(group, keys),
    )


def beanstalk_roots(environments: Iterable[Environment]) -> dict[str, Root]:
    """Auto Scaling group name -> the root cause it goes down with, and the root's name for
    people: the single-instance Elastic Beanstalk environment it runs, judged by its own rule."""
    roots: dict[str, Root] = {}
    for found in environments:
        judged = beanstalk.assess([found], {})
        if not judged or not judged[0].risk:
            continue
        root = Root(
            RootCause(check_id=judged[0].check_id, resource_arn=judged[0].resource_arn),
            f"its single-instance Elastic Beanstalk environment {judged[0].resource_name}",
        )
        for name in beanstalk.names(found.resources, "AutoScalingGroups"):
            roots[name] = root
    return roots


def assess_group(
    group: Record,
    subnet_zones: Mapping[str, str],
    peers: PeerGroups,
    options: CheckOptions,
    root: Root | None = None,
) -> Assessment:
    places = group_zones(group, subnet_zones)
    desired = int(group.get("DesiredCapacity") or 0)
    serving = [i for i in group.get("Instances") or [] if i.get("LifecycleState") == "InService"]
    serving_in = serving_zones(group)
    verdicts = [
        Verdict(
            "autoscaling.group_zones",
            options.too_few(len(places.zones)),
            places.text("launches in") + options.shortfall(len(places.zones)),
        ),
        Verdict(
            "autoscaling.instance_zones",
            desired >= 2 and len(serving_in) == 1,
            f"{len(serving)} of {desired} desired instance(s) in service, in "
            f"{zone_text(serving_in)}"
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
    peer = as_peer(group, subnet_zones, workload_tags(options))
    judged = with_peers(verdicts, peers.cover(peer))
    return combined(
        [goes_down_with(v, root) for v in judged],
        resource_arn=group.get("AutoScalingGroupARN", ""),
        resource_name=group.get("AutoScalingGroupName", ""),
        availability_zones=tuple(sorted({*places.zones, *serving_in})),
        tags=tag_pairs(group.get("Tags")),
    )


def live(groups: Iterable[Record]) -> list[Record]:
    """Groups not being deleted: those that can carry a workload."""
    return [g for g in groups if not g.get("Status")]


def assess(
    groups: Sequence[Record],
    subnet_zones: Mapping[str, str],
    options: CheckOptions = DEFAULT_OPTIONS,
    environments: Sequence[Environment] = (),
) -> list[Assessment]:
    """Every ``DescribeAutoScalingGroups`` record of the region (EKS managed node groups' too:
    they are peers of the same cluster's self-managed groups); ``options``: the workload tags
    and AZs the rules ask for; ``environments``: the Elastic Beanstalk environments, whose
    single-instance ones are the root cause of their groups' risk."""
    found = live(groups)
    keys = workload_tags(options)
    peers = PeerGroups((as_peer(g, subnet_zones, keys) for g in found), options)
    roots = beanstalk_roots(environments)
    return [
        assess_group(g, subnet_zones, peers, options, roots.get(g.get("AutoScalingGroupName", "")))
        for g in found
        if in_scope(g)
    ]


def runs_beanstalk(group: Record) -> bool:
    return bool(tag_value(group, BEANSTALK_TAG))


async def placed(scope: RegionScope, groups: Sequence[Record]) -> dict[str, str]:
    """Subnet -> AZ, when a group is placed by subnets."""
    return await scope.subnet_zones() if any(map(subnets, groups)) else {}


async def environments_of(scope: RegionScope, groups: Sequence[Record]) -> list[Environment]:
    """The region's Elastic Beanstalk environments, when a group runs one."""
    return await scope.shared(BEANSTALK_ENVIRONMENTS) if any(map(runs_beanstalk, groups)) else []


async def scan(scope: RegionScope) -> Batches:
    listed = await scope.shared(AUTO_SCALING_GROUPS)
    groups = live(listed)
    judged = [g for g in groups if in_scope(g)]
    if not judged:
        return
    subnet_zones, environments = await concurrently(
        placed(scope, groups), environments_of(scope, judged)
    )
    yield assess(groups, subnet_zones, scope.options, environments)


CHECK = Check(
    key="autoscaling",
    service="Amazon EC2 Auto Scaling",
    rule=(
        "An Auto Scaling group that is not being deleted and does not belong to an EKS managed "
        "node group is a risk when it launches in fewer than 2 AZs, when its desired capacity "
        "is 2 or more but its in-service instances all sit in one AZ, or, at low severity, when "
        "its desired capacity is 1; unless its peer groups (the same target group or Classic "
        "Load Balancer, EKS cluster or workload tag) run in other AZs."
    ),
    actions=(
        "autoscaling:DescribeAutoScalingGroups",
        "ec2:DescribeSubnets",
        "elasticbeanstalk:DescribeEnvironments",
        "elasticbeanstalk:DescribeEnvironmentResources",
    ),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "autoscaling.group_zones": Guidance(
            Severity.MEDIUM,
            "Add subnets in at least two AZs to the group's VPCZoneIdentifier "
            "(update-auto-scaling-group --vpc-zone-identifier), or run a peer group in another "
            "AZ behind the same target group.",
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
            "survives an AZ failure without waiting for a replacement.",
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
            "`AvailabilityZones` when it has no subnets. Instances count when `InService`. AWS: "
            'Amazon EC2 Auto Scaling User Guide, "Add an Availability Zone" (a group spread '
            "over AZs relaunches a failed AZ's capacity in the others)."
        ),
        (
            "A group of desired capacity 1 over several AZs is a self-healing singleton: the "
            "group launches a replacement in a healthy AZ, but the workload is down until it "
            "is in service, so the risk is low; over one AZ `autoscaling.group_zones` reports "
            "it."
        ),
        (
            "Peer groups: a group in one AZ (or of one instance) is not a risk when the groups "
            "it carries a workload with run in other AZs: groups registered in the same target "
            "group (`TargetGroupARNs`) or Classic Load Balancer (`LoadBalancerNames`), groups of "
            "the same EKS cluster (tag `eks:cluster-name`, or `kubernetes.io/cluster/<name>` "
            "`owned` or `shared`; managed node groups' groups count as peers), and groups "
            "sharing a value of a workload tag (see [peer groups](#peer-groups)). The message "
            "names the peer group, its other members and the AZs it covers. A group whose peers "
            "all sit in its AZ is still a risk, and the message names them. A peer runs where "
            "its in-service instances are, else where it launches. AWS: EKS User Guide, "
            '"Cluster Autoscaler" (one node group per AZ for EBS-backed workloads); Elastic '
            "Load Balancing (a target group's targets may come from several groups)."
        ),
        (
            "One failure, one risk (see [above](#one-failure-one-risk)): the group of a "
            "single-instance Elastic Beanstalk environment (tagged "
            "`elasticbeanstalk:environment-id`, named in the environment's resources) goes "
            "down with the environment, which `beanstalk` reports: judged here by that check's "
            "rule on the same shared listing, the group's finding is not a risk, names the "
            "environment, and its `root_cause` points to it. A group that is a risk is in turn "
            "the root cause of the target groups and Classic Load Balancers it fills (`elb`)."
        ),
        (
            "Groups being deleted (a `Status` set) give no finding. Groups tagged "
            "`eks:nodegroup-name` belong to EKS managed node groups and are judged by `eks`; "
            "self-managed EKS nodes, ECS capacity and Elastic Beanstalk environments run in "
            "ordinary groups and are judged here. Their instances are not judged again by `ec2`."
        ),
        (
            "API: `DescribeAutoScalingGroups` (all pages; tags come with it; once per region, "
            "shared with `eks` and `elb`), `ec2:DescribeSubnets` (once per region, shared by "
            "checks); when a group runs an Elastic Beanstalk environment, the environments "
            "and their resources as `beanstalk` reads them (once per region, shared)."
        ),
    ),
)

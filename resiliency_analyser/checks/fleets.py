"""Capacity that refills itself after an AZ fails: Auto Scaling groups, EKS managed node groups
and ECS services, as `balance` judges them (what they run per AZ, their sizes, their subnets),
each alone or, when it runs in one AZ, with its peers.

Built from the records other checks read (shared lookups), judged by the N-1 rules of
``checks/capacity.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from resiliency_analyser.checks import autoscaling, ecs, eks
from resiliency_analyser.checks.api import Record, subnet_spread
from resiliency_analyser.checks.capacity import (
    Size,
    Spread,
    counts_text,
    free_addresses,
    headroom,
    imbalance,
    pooled,
    spread_of,
)
from resiliency_analyser.checks.peers import Cover, Peer, PeerGroups
from resiliency_analyser.checks.verdicts import Verdict


@dataclass(frozen=True)
class Ids:
    """The check ids of one kind of fleet: each kind is its own Security Hub resource type."""

    imbalance: str
    headroom: str
    addresses: str
    addresses_note: str = ""
    """Said of the addresses a refill needs, where one each is only the least."""


@dataclass(frozen=True)
class Fleet:
    """What one group runs per AZ and how it is sized."""

    spread: Spread
    """Its capacity per AZ, over the AZs it launches in."""
    desired: int
    floor: Size
    maximum: Size | None
    """Its maximum size; ``None`` where it has none (an ECS service)."""
    consumers: Mapping[str, int]
    """AZ -> what takes an address there (instances, nodes, awsvpc tasks)."""
    subnets: frozenset[str]
    """The subnets it launches in, whose free addresses refill a lost AZ; none where its tasks
    take no address of their own."""


def free_by_zone(subnets: Iterable[str], records: Mapping[str, Record]) -> dict[str, int]:
    """AZ -> the free addresses (``AvailableIpAddressCount``) of these subnets there."""
    free: Counter[str] = Counter()
    for subnet in subnets:
        record = records.get(subnet) or {}
        if record.get("AvailabilityZone"):
            free[record["AvailabilityZone"]] += int(record.get("AvailableIpAddressCount") or 0)
    return dict(free)


def fleet_verdicts(
    fleet: Fleet,
    ids: Ids,
    header: str,
    subnets: Mapping[str, Record],
    zone_ids: Mapping[str, str],
    single_zone: str,
) -> list[Verdict]:
    """``header`` and its per-AZ counts, then the spread, headroom and address rules.
    ``single_zone``: which check reports a group whose capacity sits in one AZ."""
    spread = fleet.spread
    verdicts = [
        Verdict(
            ids.imbalance,
            False,
            f"{header} over {spread.zones} AZ(s), {counts_text(spread, zone_ids)}",
        )
    ]
    if spread.zones < 2:
        verdicts.append(
            Verdict(ids.imbalance, False, f"it runs in one AZ only: `{single_zone}` judges that")
        )
        return verdicts
    if not spread.total:
        verdicts.append(Verdict(ids.imbalance, False, f"no {spread.unit} yet"))
    elif len(spread.occupied) < 2:
        verdicts.append(
            Verdict(
                ids.imbalance,
                False,
                f"every {spread.unit} in one AZ: `{single_zone}` judges that",
            )
        )
    else:
        verdicts.append(imbalance(spread, ids.imbalance, zone_ids))
    room = headroom(spread, fleet.desired, fleet.floor, fleet.maximum, ids.headroom, zone_ids)
    verdicts += [room] if room else []
    refill = free_addresses(
        fleet.consumers,
        free_by_zone(fleet.subnets, subnets),
        spread.unit.replace("capacity unit", "in-service instance"),
        ids.addresses,
        zone_ids,
    )
    if fleet.subnets and refill:
        verdicts.append(replace(refill, text=refill.text + ids.addresses_note))
    return verdicts


def pooled_fleet(members: Sequence[Fleet]) -> Fleet:
    """A peer group's members as one fleet: their capacity, sizes and subnets together."""
    minimum = sum(m.floor.value for m in members)
    maxima = [m.maximum.value for m in members if m.maximum is not None]
    consumers: Counter[str] = Counter()
    for member in members:
        consumers.update(member.consumers)
    return Fleet(
        spread=pooled((m.spread for m in members), members[0].spread.unit),
        desired=sum(m.desired for m in members),
        floor=Size(minimum, f"their minimum sizes together ({minimum:g})"),
        maximum=(
            Size(sum(maxima), f"their maximum sizes together ({sum(maxima):g})")
            if len(maxima) == len(members)
            else None
        ),
        consumers=dict(consumers),
        subnets=frozenset(s for m in members for s in m.subnets),
    )


@dataclass(frozen=True)
class Judged:
    """A group's verdicts and the AZs its finding names."""

    verdicts: list[Verdict]
    zones: tuple[str, ...]


def judged_with_peers(
    peer: Peer,
    own: Fleet,
    fleets: Mapping[str, Fleet],
    peers: PeerGroups,
    ids: Ids,
    header: str,
    subnets: Mapping[str, Record],
    zone_ids: Mapping[str, str],
    single_zone: str,
) -> Judged:
    """A group launching in one AZ whose peers run in others is judged as the peer group: the
    capacity of all of them, since one AZ's member cannot refill another's. Any other group is
    judged alone."""
    cover: Cover | None = peers.cover(peer) if own.spread.zones < 2 else None
    if cover is None or not cover.spread:
        verdicts = fleet_verdicts(own, ids, header, subnets, zone_ids, single_zone)
        return Judged(verdicts, own.spread.where)
    members = [own, *(fleets[p.key] for p in cover.others if p.key in fleets)]
    pool = pooled_fleet(members)
    group = f"{header}, judged with its peers by {cover.group}, {cover.members_text()}: together"
    verdicts = fleet_verdicts(pool, ids, group, subnets, zone_ids, single_zone)
    return Judged(verdicts, own.spread.where)


def with_instance_types(judged: Judged, own: Fleet, types: Callable[[], Verdict]) -> Judged:
    """The one-instance-type rule joins a group that spans AZs and wants capacity: only there
    does another AZ relaunch what a lost one ran."""
    if own.spread.zones < 2 or not own.desired:
        return judged
    return Judged([*judged.verdicts, types()], judged.zones)


# Auto Scaling groups.
ASG_IDS = Ids("balance.asg_imbalance", "balance.asg_headroom", "balance.asg_subnet_addresses")
ASG_TYPES = "balance.asg_instance_types"


def weight(instance: Record) -> int:
    """An instance's capacity in the group's units: its ``WeightedCapacity``, else 1."""
    try:
        return max(1, round(float(instance.get("WeightedCapacity") or 1)))
    except ValueError:
        return 1


def in_service(group: Record) -> list[Record]:
    return [i for i in group.get("Instances") or [] if i.get("LifecycleState") == "InService"]


def asg_fleet(group: Record, subnet_zones: Mapping[str, str]) -> Fleet:
    serving = in_service(group)
    weighted = any(i.get("WeightedCapacity") for i in serving) or (
        group.get("DesiredCapacityType") not in (None, "units")
    )
    zones = autoscaling.group_zones(group, subnet_zones).zones
    minimum = int(group.get("MinSize") or 0)
    maximum = int(group.get("MaxSize") or 0)
    return Fleet(
        spread=spread_of(
            zones,
            ((i.get("AvailabilityZone", ""), weight(i)) for i in serving),
            "capacity unit" if weighted else "in-service instance",
        ),
        desired=int(group.get("DesiredCapacity") or 0),
        floor=Size(minimum, f"its minimum size {minimum}"),
        maximum=Size(maximum, f"its maximum size {maximum}"),
        consumers=dict(Counter(i.get("AvailabilityZone", "") for i in serving)),
        subnets=frozenset(autoscaling.subnets(group)),
    )


def overrides(group: Record) -> list[Record]:
    policy = group.get("MixedInstancesPolicy") or {}
    return list((policy.get("LaunchTemplate") or {}).get("Overrides") or [])


def launched_from(group: Record) -> str:
    """What names its one instance type, for people."""
    if group.get("LaunchConfigurationName"):
        return f"its launch configuration {group['LaunchConfigurationName']}"
    template = (
        group.get("LaunchTemplate")
        or ((group.get("MixedInstancesPolicy") or {}).get("LaunchTemplate") or {}).get(
            "LaunchTemplateSpecification"
        )
        or {}
    )
    name = template.get("LaunchTemplateName") or template.get("LaunchTemplateId") or "?"
    return f"its launch template {name}"


def asg_instance_types(group: Record) -> Verdict:
    """A group that can launch one instance type only: its launch configuration's or template's,
    or a mixed instances policy naming one. When the surviving AZs must relaunch a lost AZ's
    instances, a shortage of that type there (``InsufficientInstanceCapacity``) leaves them
    short; overrides apply in every AZ, so one type for the group is one type in each AZ."""
    listed = overrides(group)
    if any(o.get("InstanceRequirements") for o in listed):
        return Verdict(ASG_TYPES, False, "instance types chosen by attributes: many types")
    types = sorted({str(o["InstanceType"]) for o in listed if o.get("InstanceType")})
    if len(types) >= 2:
        return Verdict(ASG_TYPES, False, f"{len(types)} instance types: {', '.join(types)}")
    running = sorted({str(i["InstanceType"]) for i in in_service(group) if i.get("InstanceType")})
    named = types or running
    which = f" ({', '.join(named)})" if named else ""
    return Verdict(
        ASG_TYPES,
        True,
        f"one instance type{which}, from {launched_from(group)}: a shortage of it in the "
        "other AZs stops the refill of a lost AZ",
    )


def judged_auto_scaling_group(
    group: Record,
    fleets: Mapping[str, Fleet],
    peers: PeerGroups,
    subnet_zones: Mapping[str, str],
    subnets: Mapping[str, Record],
    zone_ids: Mapping[str, str],
    keys: Sequence[str],
) -> Judged:
    own = fleets[group.get("AutoScalingGroupARN", "")]
    judged = judged_with_peers(
        autoscaling.as_peer(group, subnet_zones, keys),
        own,
        fleets,
        peers,
        ASG_IDS,
        "Auto Scaling group",
        subnets,
        zone_ids,
        "autoscaling",
    )
    return with_instance_types(judged, own, lambda: asg_instance_types(group))


# EKS managed node groups, judged where their nodes run: their Auto Scaling groups.
NODE_GROUP_IDS = Ids(
    "balance.nodegroup_imbalance",
    "balance.nodegroup_headroom",
    "balance.nodegroup_subnet_addresses",
    # Its pods take addresses of the same subnets (VPC CNI): a node needs one at the least.
    addresses_note=" (at least one per node; its pods take more)",
)
NODE_GROUP_TYPES = "balance.nodegroup_instance_types"


def node_group_fleet(group: Record, nodes: eks.Nodes, subnet_zones: Mapping[str, str]) -> Fleet:
    running = nodes.of(group)
    scaling = group.get("scalingConfig") or {}
    minimum = int(scaling.get("minSize") or 0)
    maximum = int(scaling.get("maxSize") or 0)
    subnets = group.get("subnets") or []
    return Fleet(
        spread=spread_of(
            subnet_spread(subnets, subnet_zones).zones,
            ((n.get("AvailabilityZone", ""), 1) for n in running),
            "node",
        ),
        desired=int(scaling.get("desiredSize") or 0),
        floor=Size(minimum, f"its minimum size {minimum}"),
        maximum=Size(maximum, f"its maximum size {maximum}"),
        consumers=dict(Counter(n.get("AvailabilityZone", "") for n in running)),
        subnets=frozenset(subnets),
    )


def node_group_instance_types(group: Record) -> Verdict:
    """A node group of one instance type: its ``instanceTypes``, or its launch template's."""
    types = sorted(str(t) for t in group.get("instanceTypes") or [])
    if len(types) >= 2:
        return Verdict(NODE_GROUP_TYPES, False, f"{len(types)} instance types: {', '.join(types)}")
    template = group.get("launchTemplate") or {}
    source = (
        f"its launch template {template.get('name') or template.get('id')}"
        if template and not types
        else "its instance types"
    )
    which = f" ({types[0]})" if types else ""
    return Verdict(
        NODE_GROUP_TYPES,
        True,
        f"one instance type{which}, from {source}: a shortage of it in the other AZs stops "
        "the refill of a lost AZ's nodes",
    )


def judged_node_group(
    group: Record,
    fleets: Mapping[str, Fleet],
    peers: PeerGroups,
    peer: Peer,
    subnets: Mapping[str, Record],
    zone_ids: Mapping[str, str],
) -> Judged:
    own = fleets[group.get("nodegroupArn", "")]
    judged = judged_with_peers(
        peer,
        own,
        fleets,
        peers,
        NODE_GROUP_IDS,
        f"node group of cluster {group.get('clusterName', '')}",
        subnets,
        zone_ids,
        "eks",
    )
    return with_instance_types(judged, own, lambda: node_group_instance_types(group))


# ECS services: running tasks per AZ.
ECS_IDS = Ids("balance.ecs_imbalance", "balance.ecs_headroom", "balance.ecs_subnet_addresses")
ECS_REBALANCING = "balance.ecs_rebalancing"
AZ_ATTRIBUTE = "attribute:ecs.availability-zone"


def running(tasks: Sequence[Record]) -> list[Record]:
    return [t for t in tasks if t.get("lastStatus") == "RUNNING" and t.get("availabilityZone")]


def service_fleet(
    service: Record, tasks: Sequence[Record], subnet_zones: Mapping[str, str]
) -> Fleet:
    subnets = ecs.service_subnets(service)
    placed = running(tasks)
    desired = int(service.get("desiredCount") or 0)
    zones = {subnet_zones[s] for s in subnets if s in subnet_zones}
    # Without awsvpc subnets, where the cluster's instances are is not listed: its tasks' AZs.
    return Fleet(
        spread=spread_of(
            zones or {t["availabilityZone"] for t in placed},
            ((t["availabilityZone"], 1) for t in placed),
            "running task",
        ),
        desired=desired,
        floor=Size(desired / 2, f"half its desired count {desired}"),
        maximum=None,
        consumers=dict(Counter(t["availabilityZone"] for t in placed)),
        subnets=frozenset(subnets),
    )


def spread_first(service: Record) -> tuple[bool, str]:
    """Whether new tasks are placed by AZ first: the service default (no strategy), or a spread
    on ``attribute:ecs.availability-zone`` as the first strategy; and the strategies, for
    people. Fargate takes no strategy and spreads its tasks over the subnets' AZs itself."""
    strategies = service.get("placementStrategy") or []
    if not strategies:
        return True, "no placement strategy (the service default spreads by AZ)"
    named = ", ".join(f"{s.get('type', '?')}({s.get('field', '')})" for s in strategies)
    first = strategies[0]
    return (
        first.get("type") == "spread" and first.get("field") == AZ_ATTRIBUTE,
        f"placement strategy {named}",
    )


def rebalancing(service: Record) -> Verdict:
    """Neither AZ rebalancing nor an AZ-first placement: after an AZ failure the tasks relaunched
    elsewhere stay there, and new ones go where the first strategy puts them."""
    setting = service.get("availabilityZoneRebalancing") or "DISABLED"
    by_zone, strategy = spread_first(service)
    text = f"AZ rebalancing {setting}, {strategy}"
    if setting == "ENABLED" or by_zone:
        return Verdict(ECS_REBALANCING, False, text)
    return Verdict(
        ECS_REBALANCING,
        True,
        text + ": tasks moved off a failed AZ stay where they went, and new tasks are not "
        "placed by AZ",
    )


def judged_service(
    service: Record,
    tasks: Sequence[Record],
    subnet_zones: Mapping[str, str],
    subnets: Mapping[str, Record],
    zone_ids: Mapping[str, str],
) -> Judged:
    fleet = service_fleet(service, tasks, subnet_zones)
    verdicts = fleet_verdicts(fleet, ECS_IDS, "ECS service", subnets, zone_ids, "ecs")
    return Judged([*verdicts, rebalancing(service)], fleet.spread.where)

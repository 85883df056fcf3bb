"""EKS managed node groups and Fargate profiles whose subnets lie in one AZ; one-node groups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from resiliency_analyser.checks import autoscaling
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
    concurrently,
    subnet_spread,
    tag_value,
    zone_text,
)
from resiliency_analyser.checks.lookups import (
    AUTO_SCALING_GROUPS,
    EKS_CLUSTERS,
    EKS_NODE_GROUPS,
    listed_and_described,
)
from resiliency_analyser.checks.peers import (
    Peer,
    PeerGroups,
    cluster_group,
    tag_groups,
    with_peers,
    workload_tags,
)
from resiliency_analyser.checks.verdicts import Verdict, combined

SKIPPED_STATES = frozenset({"CREATING", "DELETING", "CREATE_FAILED", "DELETE_FAILED"})


def in_scope(record: Record) -> bool:
    return record.get("status") not in SKIPPED_STATES


def tag_map_pairs(tags: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    """EKS returns tags as a map, not a list of ``Key``/``Value`` records."""
    return tuple(sorted((str(k), str(v)) for k, v in (tags or {}).items()))


def auto_scaling_groups(group: Record) -> list[str]:
    """The names of the Auto Scaling groups running the node group's nodes."""
    found = (group.get("resources") or {}).get("autoScalingGroups") or []
    return [str(g["name"]) for g in found if g.get("name")]


@dataclass(frozen=True)
class Nodes:
    """A region's Auto Scaling groups, by name: where node groups' nodes actually run."""

    groups: Mapping[str, Record]

    def of(self, node_group: Record) -> list[Record]:
        """The node group's in-service instances, as its Auto Scaling groups list them."""
        return [
            instance
            for name in auto_scaling_groups(node_group)
            for instance in (self.groups.get(name) or {}).get("Instances") or []
            if instance.get("LifecycleState") == "InService"
        ]


def node_zones(nodes: Sequence[Record]) -> set[str]:
    return {n["AvailabilityZone"] for n in nodes if n.get("AvailabilityZone")}


def node_group_peer(
    group: Record, subnet_zones: Mapping[str, str], nodes: Nodes, keys: Sequence[str]
) -> Peer:
    """Where a node group runs: its nodes' AZs, else its subnets' while it runs none."""
    running = node_zones(nodes.of(group))
    zones = running or set(subnet_spread(group.get("subnets") or [], subnet_zones).zones)
    return Peer(
        key=group.get("nodegroupArn", ""),
        name=f"node group {group.get('nodegroupName', '')}",
        zones=tuple(sorted(zones)),
        groups=(
            cluster_group(group.get("clusterName", "")),
            *tag_groups(group.get("tags") or {}, keys),
        ),
    )


def self_managed_peer(group: Record, subnet_zones: Mapping[str, str], keys: Sequence[str]) -> Peer:
    """An Auto Scaling group as `autoscaling` sees its peers, named for a cluster's reader."""
    peer = autoscaling.as_peer(group, subnet_zones, keys)
    return replace(peer, name=f"self-managed group {peer.name}")


def assess_node_group(
    group: Record,
    subnet_zones: Mapping[str, str],
    nodes: Nodes,
    peers: PeerGroups,
    options: CheckOptions,
) -> Assessment:
    places = subnet_spread(group.get("subnets") or [], subnet_zones)
    running = nodes.of(group)
    where = node_zones(running)
    desired = (group.get("scalingConfig") or {}).get("desiredSize")
    cluster = group.get("clusterName", "")
    layout = places.text(f"node group of cluster {cluster} has subnets in")
    layout += options.shortfall(len(places.zones))
    if running:
        layout += f"; its {len(running)} node(s) run in {len(where)} AZ(s): {zone_text(where)}"
    verdicts = [
        Verdict(
            "eks.nodegroup_zones",
            options.too_few(len(places.zones)) or (len(running) >= 2 and len(where) == 1),
            layout,
        ),
        Verdict(
            "eks.nodegroup_single_node",
            desired == 1,
            "desired size 1: an AZ failure leaves the group without nodes until a "
            "replacement launches"
            if desired == 1
            else f"desired size {desired}",
        ),
    ]
    peer = node_group_peer(group, subnet_zones, nodes, workload_tags(options))
    caveat = (
        f"; pods pinned to this node group by labels or taints lose their nodes with "
        f"{zone_text(peer.zones)}"
    )
    return combined(
        with_peers(verdicts, peers.cover(peer), caveat),
        resource_arn=group.get("nodegroupArn", ""),
        resource_name=group.get("nodegroupName", ""),
        engine=group.get("capacityType", ""),
        availability_zones=tuple(sorted({*places.zones, *where})),
        tags=tag_map_pairs(group.get("tags")),
    )


def assess_fargate_profile(
    profile: Record, subnet_zones: Mapping[str, str], options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment:
    places = subnet_spread(profile.get("subnets") or [], subnet_zones)
    cluster = profile.get("clusterName", "")
    subject = f"Fargate profile of cluster {cluster} has subnets in"
    return combined(
        [
            Verdict(
                "eks.fargate_profile_zones",
                options.too_few(len(places.zones)),
                places.text(subject) + options.shortfall(len(places.zones)),
            )
        ],
        resource_arn=profile.get("fargateProfileArn", ""),
        resource_name=profile.get("fargateProfileName", ""),
        availability_zones=places.zones,
        tags=tag_map_pairs(profile.get("tags")),
    )


def assess(
    node_groups: Sequence[Record],
    profiles: Sequence[Record],
    subnet_zones: Mapping[str, str],
    auto_scaling_groups: Sequence[Record] = (),
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    """``DescribeNodegroup`` and ``DescribeFargateProfile`` records of every cluster, with the
    region's Auto Scaling groups (where the nodes run, and the self-managed node groups);
    ``options``: the workload tags and AZs the rules ask for."""
    judged = [g for g in node_groups if in_scope(g)]
    live = autoscaling.live(auto_scaling_groups)
    nodes = Nodes({g.get("AutoScalingGroupName", ""): g for g in live})
    keys = workload_tags(options)
    peers = PeerGroups(
        [
            *(node_group_peer(g, subnet_zones, nodes, keys) for g in judged),
            *(
                self_managed_peer(g, subnet_zones, keys)
                for g in live
                if not tag_value(g, autoscaling.EKS_NODE_GROUP_TAG)
            ),
        ],
        options,
    )
    return [
        *(assess_node_group(g, subnet_zones, nodes, peers, options) for g in judged),
        *(assess_fargate_profile(p, subnet_zones, options) for p in profiles if in_scope(p)),
    ]


async def fargate_profiles(scope: RegionScope, cluster: str) -> Sequence[Record]:
    return await listed_and_described(
        scope,
        cluster,
        "list_fargate_profiles",
        "fargateProfileNames",
        "describe_fargate_profile",
        "fargateProfileName",
        "fargateProfile",
    )


async def scan(scope: RegionScope) -> Batches:
    clusters = await scope.shared(EKS_CLUSTERS)
    if not clusters:
        return
    subnet_zones, node_groups, profiles = await concurrently(
        scope.subnet_zones(),
        scope.shared(EKS_NODE_GROUPS),
        concurrently(*(fargate_profiles(scope, str(c)) for c in clusters)),
    )
    # Where node groups' nodes run, and the clusters' self-managed groups: only with node groups.
    listed = await scope.shared(AUTO_SCALING_GROUPS) if any(map(in_scope, node_groups)) else []
    yield assess(
        node_groups,
        [p for found in profiles for p in found],
        subnet_zones,
        listed,
        scope.options,
    )


CHECK = Check(
    key="eks",
    service="Amazon EKS",
    rule=(
        "A managed node group that is not being created or deleted and has not failed is a risk "
        "when its subnets lie in fewer than 2 AZs or its nodes all run in one AZ, or, at low "
        "severity, when its desired size is 1, unless the cluster's other node groups (or its "
        "peers by workload tag) run in other AZs; a Fargate profile is a risk when its subnets "
        "lie in fewer than 2 AZs."
    ),
    actions=(
        "eks:ListClusters",
        "eks:ListNodegroups",
        "eks:DescribeNodegroup",
        "eks:ListFargateProfiles",
        "eks:DescribeFargateProfile",
        "autoscaling:DescribeAutoScalingGroups",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "eks.nodegroup_zones": Guidance(
            Severity.MEDIUM,
            "Give the cluster node capacity in a second AZ: a node group per AZ, or a new node "
            "group with subnets in at least two AZs (a node group's subnets cannot change).",
            "Other",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01",),
        ),
        "eks.nodegroup_single_node": Guidance(
            Severity.LOW,
            "Raise the node group's desired and minimum size to at least 2 so nodes run in "
            "two AZs.",
            "Other",
            fails=Fails.CAPACITY,
            outage=Outage.SELF_HEALING,
            well_architected=("REL10-BP01", "REL11-BP05"),
        ),
        "eks.fargate_profile_zones": Guidance(
            Severity.MEDIUM,
            "Create the Fargate profile with private subnets in at least two AZs (a profile "
            "cannot be changed) and delete the old one.",
            "Other",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "One finding per managed node group (saying what both rules found; it carries "
            "`eks.nodegroup_zones` unless only the desired size is a risk) and one per Fargate "
            "profile. AZs come from their subnets (two subnets in one AZ count once; a subnet "
            "the lookup cannot find is named and counts as no AZ)."
        ),
        (
            "Where a node group's nodes actually run: its `resources.autoScalingGroups`, whose "
            "in-service instances give the AZs (`autoscaling:DescribeAutoScalingGroups`, shared "
            "with `autoscaling`). Subnets in three AZs with every node in one is a risk."
        ),
        (
            "Node capacity is judged per cluster, as the EKS User Guide recommends one managed "
            'node group per AZ with Cluster Autoscaler and EBS volumes ("Cluster Autoscaler", '
            "and the EKS Best Practices Guide on reliability): a node group in one AZ, or of one "
            "node, is not a risk when the cluster's other node groups (managed, and self-managed "
            "Auto Scaling groups tagged `eks:cluster-name` or `kubernetes.io/cluster/<name>` "
            "`owned` or `shared`), or node groups and groups sharing a value of a workload tag "
            "(see [peer groups](#peer-groups)), run in other AZs. The message names those "
            "siblings and their AZs, and says that pods pinned to the node group by labels or "
            "taints lose their nodes with its AZ. When every node group of a cluster sits in "
            "one AZ, each is a risk, naming the others. A sibling runs where its nodes are, "
            "else where its subnets are."
        ),
        (
            "A node group of desired size 1 over several AZs relaunches its node in another AZ "
            "after a failure: a low risk (`eks.nodegroup_single_node`)."
        ),
        (
            "Node groups and profiles that are `CREATING`, `DELETING`, `CREATE_FAILED` or "
            "`DELETE_FAILED` give no finding."
        ),
        (
            "A managed node group's Auto Scaling group (tagged `eks:nodegroup-name`) is judged "
            "here, not by `autoscaling`. Self-managed nodes run in ordinary Auto Scaling groups "
            "and are judged by `autoscaling`. Karpenter node pools and EKS Auto Mode are "
            "configured inside the cluster, not in these APIs, so they are not judged; their "
            "instances (tagged `karpenter.sh/nodepool`, or `Operator.Managed`) are left out of "
            "`ec2` too."
        ),
        "`engine` is the node group's capacity type (`ON_DEMAND`, `SPOT`); tags come with the "
        "describe calls.",
        (
            "API: `ListClusters` (all pages, shared with `zonalshift`), then per cluster "
            "`ListNodegroups` and `ListFargateProfiles` (all pages) and `DescribeNodegroup` / "
            "`DescribeFargateProfile` per name, all concurrent (the node groups once per "
            "region, shared with `balance`); `ec2:DescribeSubnets` once per region, shared by "
            "checks; "
            "`autoscaling:DescribeAutoScalingGroups` (all pages) once per region when a cluster "
            "has node groups, shared with `autoscaling`."
        ),
    ),
)

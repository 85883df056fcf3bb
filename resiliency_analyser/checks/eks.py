"""EKS managed node groups and Fargate profiles whose subnets lie in one AZ; one-node groups."""

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
    concurrently,
    subnet_spread,
)
from resiliency_analyser.checks.verdicts import Verdict, combined

SKIPPED_STATES = frozenset({"CREATING", "DELETING", "CREATE_FAILED", "DELETE_FAILED"})


def in_scope(record: Record) -> bool:
    return record.get("status") not in SKIPPED_STATES


def tag_map_pairs(tags: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    """EKS returns tags as a map, not a list of ``Key``/``Value`` records."""
    return tuple(sorted((str(k), str(v)) for k, v in (tags or {}).items()))


def assess_node_group(
    group: Record, subnet_zones: Mapping[str, str], options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment:
    places = subnet_spread(group.get("subnets") or [], subnet_zones)
    desired = (group.get("scalingConfig") or {}).get("desiredSize")
    cluster = group.get("clusterName", "")
    return combined(
        [
            Verdict(
                "eks.nodegroup_zones",
                options.too_few(len(places.zones)),
                places.text(f"node group of cluster {cluster} has subnets in")
                + options.shortfall(len(places.zones)),
            ),
            Verdict(
                "eks.nodegroup_single_node",
                desired == 1,
                "desired size 1: an AZ failure leaves the group without nodes until a "
                "replacement launches"
                if desired == 1
                else f"desired size {desired}",
            ),
        ],
        resource_arn=group.get("nodegroupArn", ""),
        resource_name=group.get("nodegroupName", ""),
        engine=group.get("capacityType", ""),
        availability_zones=places.zones,
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
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    """``DescribeNodegroup`` and ``DescribeFargateProfile`` records of every cluster."""
    return [
        *(assess_node_group(g, subnet_zones, options) for g in node_groups if in_scope(g)),
        *(assess_fargate_profile(p, subnet_zones, options) for p in profiles if in_scope(p)),
    ]


DESCRIBED = (
    ("list_nodegroups", "nodegroups", "describe_nodegroup", "nodegroupName", "nodegroup"),
    (
        "list_fargate_profiles",
        "fargateProfileNames",
        "describe_fargate_profile",
        "fargateProfileName",
        "fargateProfile",
    ),
)
"""(listing, its names' key, describe call, its name parameter, its record's key) per kind."""


async def listed_and_described(
    scope: RegionScope, cluster: str, listing: str, key: str, describe: str, by: str, result: str
) -> list[Record]:
    names = await scope.items("eks", listing, key, clusterName=cluster)
    found = await concurrently(
        *(scope.call("eks", describe, clusterName=cluster, **{by: str(n)}) for n in names)
    )
    return [response[result] for response in found]


async def cluster_records(scope: RegionScope, cluster: str) -> list[list[Record]]:
    """The cluster's node groups and its Fargate profiles, each kind listed then described."""
    return list(
        await concurrently(*(listed_and_described(scope, cluster, *kind) for kind in DESCRIBED))
    )


async def scan(scope: RegionScope) -> Batches:
    clusters = await scope.items("eks", "list_clusters", "clusters")
    if not clusters:
        return
    subnet_zones, per_cluster = await concurrently(
        scope.subnet_zones(),
        concurrently(*(cluster_records(scope, str(c)) for c in clusters)),
    )
    yield assess(
        [g for groups, _ in per_cluster for g in groups],
        [p for _, profiles in per_cluster for p in profiles],
        subnet_zones,
        scope.options,
    )


CHECK = Check(
    key="eks",
    service="Amazon EKS",
    rule=(
        "A managed node group or Fargate profile that is not being created or deleted and has "
        "not failed is a risk when its subnets lie in fewer than 2 AZs; a node group is also a "
        "risk when its desired size is 1."
    ),
    actions=(
        "eks:ListClusters",
        "eks:ListNodegroups",
        "eks:DescribeNodegroup",
        "eks:ListFargateProfiles",
        "eks:DescribeFargateProfile",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "eks.nodegroup_zones": Guidance(
            Severity.MEDIUM,
            "Create the node group with subnets in at least two AZs (a node group's subnets "
            "cannot be changed) and move the workload to it.",
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
            "Node groups and profiles that are `CREATING`, `DELETING`, `CREATE_FAILED` or "
            "`DELETE_FAILED` give no finding."
        ),
        (
            "A managed node group's Auto Scaling group (tagged `eks:nodegroup-name`) is judged "
            "here, not by `autoscaling`. Self-managed nodes run in ordinary Auto Scaling groups "
            "and are judged by `autoscaling`. Karpenter node pools are configured inside the "
            "cluster, not in these APIs, so they are not judged; their instances (tagged "
            "`karpenter.sh/nodepool`) are left out of `ec2` too."
        ),
        "`engine` is the node group's capacity type (`ON_DEMAND`, `SPOT`); tags come with the "
        "describe calls.",
        (
            "API: `ListClusters`, then per cluster `ListNodegroups` and `ListFargateProfiles` "
            "(all pages) and `DescribeNodegroup` / `DescribeFargateProfile` per name, all "
            "concurrent; `ec2:DescribeSubnets` once per region, shared by checks."
        ),
    ),
)

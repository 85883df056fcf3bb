"""Provisioned Redshift clusters without Multi-AZ."""

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
    zone_text,
)


def multi_az_state(value: str | None) -> str:
    """The API's ``Enabled``/``Disabled`` (in any case) in the wording of the other checks'
    messages."""
    if str(value).lower() in {"enabled", "disabled"}:
        return str(value).lower()
    return "not reported" if value is None else f"{value!r} (not Enabled)"


def assess_cluster(cluster: Record, arn_of: ArnOf) -> Assessment:
    multi_az = cluster.get("MultiAZ")
    secondary = (cluster.get("MultiAZSecondary") or {}).get("AvailabilityZone")
    zones = sorted({z for z in (cluster.get("AvailabilityZone"), secondary) if z})
    name = cluster.get("ClusterIdentifier", "")
    message = f"Cluster has Multi-AZ {multi_az_state(multi_az)} (AZs: {zone_text(zones)})"
    if str(cluster.get("AvailabilityZoneRelocationStatus", "")).lower() == "enabled":
        message += "; AZ relocation enabled: the cluster can be moved to another AZ, not run in two"
    return Assessment(
        check_id="redshift.cluster_multi_az",
        resource_arn=arn_of("redshift", f"cluster:{name}"),
        resource_name=name,
        risk=str(multi_az or "").lower() != "enabled",
        message=message,
        availability_zones=tuple(zones),
        tags=tag_pairs(cluster.get("Tags")),
    )


GONE_STATES = frozenset({"deleting", "final-snapshot"})
"""Cluster statuses on the way out: such clusters give no finding."""


def assess(clusters: Sequence[Record], arn_of: ArnOf) -> list[Assessment]:
    return [
        assess_cluster(c, arn_of) for c in clusters if c.get("ClusterStatus") not in GONE_STATES
    ]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("redshift", "describe_clusters"):
        yield assess(page.get("Clusters", []), scope.arn)


CHECK = Check(
    key="redshift",
    service="Amazon Redshift",
    rule=(
        "A provisioned cluster is a risk unless MultiAZ is Enabled (in any letter case; absent "
        "counts as not enabled)."
    ),
    actions=("redshift:DescribeClusters",),
    scan=scan,
    tagged=True,
    guidance={
        "redshift.cluster_multi_az": Guidance(
            Severity.HIGH,
            "Enable Multi-AZ on the cluster (modify-cluster --multi-az, RA3 node types) so compute "
            "runs in a second AZ.",
            "AwsRedshiftCluster",
            fails=Fails.DATA,
            fsbp=("Redshift.18",),
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
    },
    notes=(
        (
            "`MultiAZ` is compared without regard to case; absent counts as not enabled. The "
            "message names the primary AZ and, when Multi-AZ, the secondary's, and says when "
            "AZ relocation is enabled (it moves a cluster, it does not run it in two AZs)."
        ),
        "`resource_arn` is `arn:<partition>:redshift:<region>:<account>:cluster:<name>`.",
        "Clusters `deleting` (or taking their `final-snapshot`) give no finding.",
        "API: `DescribeClusters` (all pages).",
    ),
)

"""Provisioned Redshift clusters without Multi-AZ."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import (
    ArnOf,
    Assessment,
    Batches,
    Check,
    Guidance,
    Record,
    RegionScope,
    Severity,
    tag_pairs,
    zone_text,
)


def multi_az_state(value: str | None) -> str:
    """The API's ``Enabled``/``Disabled`` in the wording of the other checks' messages."""
    if value in {"Enabled", "Disabled"}:
        return value.lower()
    return "not reported" if value is None else f"{value!r} (not Enabled)"


def assess_cluster(cluster: Record, arn_of: ArnOf) -> Assessment:
    multi_az = cluster.get("MultiAZ")
    secondary = (cluster.get("MultiAZSecondary") or {}).get("AvailabilityZone")
    zones = sorted({z for z in (cluster.get("AvailabilityZone"), secondary) if z})
    name = cluster.get("ClusterIdentifier", "")
    return Assessment(
        check_id="redshift.cluster_multi_az",
        resource_arn=arn_of("redshift", f"cluster:{name}"),
        resource_name=name,
        risk=multi_az != "Enabled",
        message=f"Cluster has Multi-AZ {multi_az_state(multi_az)} (AZs: {zone_text(zones)})",
        availability_zones=tuple(zones),
        tags=tag_pairs(cluster.get("Tags")),
    )


def assess(clusters: Sequence[Record], arn_of: ArnOf) -> list[Assessment]:
    return [assess_cluster(c, arn_of) for c in clusters]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("redshift", "describe_clusters"):
        yield assess(page.get("Clusters", []), scope.arn)


CHECK = Check(
    key="redshift",
    service="Amazon Redshift",
    rule="A provisioned cluster is a risk unless MultiAZ is Enabled (absent counts as not enabled).",
    actions=("redshift:DescribeClusters",),
    scan=scan,
    tagged=True,
    guidance={
        "redshift.cluster_multi_az": Guidance(
            Severity.HIGH,
            "Enable Multi-AZ on the cluster (modify-cluster --multi-az, RA3 node types) so compute "
            "runs in a second AZ.",
        ),
    },
    notes=(
        (
            "`MultiAZ` absent counts as not enabled. The message names the primary AZ and, "
            "when Multi-AZ, the secondary's."
        ),
        "`resource_arn` is `arn:<partition>:redshift:<region>:<account>:cluster:<name>`.",
        "API: `DescribeClusters` (all pages).",
    ),
)

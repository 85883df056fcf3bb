"""Provisioned Redshift clusters without Multi-AZ."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from resiliency_analyser.checks.base import ArnOf, Batches, Check, Record, tag_pairs, zone_text
from resiliency_analyser.models import Assessment

if TYPE_CHECKING:
    from resiliency_analyser.aws.scope import RegionScope


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
        message=f"Multi-AZ {multi_az or 'not reported'} (AZs: {zone_text(zones)})",
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
)

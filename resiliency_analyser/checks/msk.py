"""Amazon MSK provisioned clusters whose brokers span only two AZs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    Outage,
    Record,
    RegionScope,
    Severity,
    subnet_spread,
    zone_text,
)

GONE_STATES = frozenset({"CREATING", "DELETING", "FAILED"})


def in_scope(cluster: Record) -> bool:
    return str(cluster.get("State", "")).upper() not in GONE_STATES


def broker_subnets(cluster: Record) -> list[str]:
    info = (cluster.get("Provisioned") or {}).get("BrokerNodeGroupInfo") or {}
    return list(info.get("ClientSubnets") or [])


def assess_cluster(cluster: Record, subnet_zones: Mapping[str, str]) -> Assessment:
    identity = {
        "resource_arn": cluster.get("ClusterArn", ""),
        "resource_name": cluster.get("ClusterName", ""),
        "resource_id": cluster.get("ClusterArn", "").rpartition("/")[2],
    }
    if str(cluster.get("ClusterType", "")).upper() == "SERVERLESS":
        return Assessment(
            check_id="msk.broker_zones",
            risk=False,
            engine="serverless",
            message="Serverless cluster: MSK runs it across AZs",
            **identity,
        )
    subnets = broker_subnets(cluster)
    spread = subnet_spread(subnets, subnet_zones)
    zones = spread.zones
    # MSK places one subnet per AZ, so a subnet the lookup cannot resolve is still an AZ.
    count = spread.zone_count
    message = f"Brokers in {count} AZ(s): {zone_text(zones)}" + spread.unknown_note()
    if count < 3:
        message += (
            "; with replication factor 3 and min.insync.replicas 2, losing one AZ can leave "
            "partitions unable to accept writes"
        )
    return Assessment(
        check_id="msk.broker_zones",
        risk=count < 3,
        engine="provisioned",
        message=message,
        availability_zones=zones,
        **identity,
    )


def assess(clusters: Sequence[Record], subnet_zones: Mapping[str, str]) -> list[Assessment]:
    return [assess_cluster(c, subnet_zones) for c in clusters if in_scope(c)]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("kafka", "list_clusters_v2"):
        clusters = page.get("ClusterInfoList", [])
        provisioned = any(broker_subnets(c) for c in clusters if in_scope(c))
        yield assess(clusters, await scope.subnet_zones() if provisioned else {})


CHECK = Check(
    key="msk",
    service="Amazon MSK",
    rule=(
        "A provisioned cluster that is not being created, deleted or failed is a risk when its "
        "broker subnets lie in fewer than 3 AZs; serverless clusters are not."
    ),
    actions=("kafka:ListClustersV2", "ec2:DescribeSubnets"),
    scan=scan,
    guidance={
        "msk.broker_zones": Guidance(
            Severity.MEDIUM,
            "Create the cluster's replacement with brokers in three AZs (the AZ count cannot be "
            "changed in place), or keep min.insync.replicas at 1 only where losing writes in an "
            "AZ failure is acceptable.",
            "AwsMskCluster",
            fails=Fails.DATA,
            outage=Outage.PARTIAL,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "Two AZs is a risk that degrades the cluster rather than stopping it: with the usual "
            "replication factor 3 and `min.insync.replicas` 2, one of the two AZs holds two "
            "replicas of some partitions, and losing it stops writes to them (its data is kept "
            "in the other AZ). Three AZs are not a risk."
        ),
        "`engine` is `provisioned` or `serverless`.",
        (
            "`resource_arn` is the cluster's ARN, `resource_name` its name, `resource_id` the "
            "ARN's last part (the cluster's UUID)."
        ),
        (
            "API: `kafka:ListClustersV2` (all pages), `ec2:DescribeSubnets` (once per region, "
            "shared by checks)."
        ),
    ),
)

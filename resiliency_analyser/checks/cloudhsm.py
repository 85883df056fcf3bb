"""CloudHSM v2 clusters whose HSMs one AZ failure would all take down."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    AccountInfo,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    arn,
    tag_pairs,
    zone_text,
)

GONE_STATES = frozenset({"DELETE_IN_PROGRESS", "DELETED"})
"""Cluster states that carry no traffic: such clusters give no finding."""


def assess_cluster(
    cluster: Record, account: AccountInfo, region: str, options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment:
    hsms = cluster.get("Hsms") or []
    active = [h for h in hsms if h.get("State") == "ACTIVE"]
    zones = sorted({h["AvailabilityZone"] for h in active if h.get("AvailabilityZone")})
    others = sorted(
        f"{h.get('HsmId', '?')} ({h.get('State') or 'no state'})" for h in hsms if h not in active
    )
    if not hsms:
        message = "Cluster has no HSM: nothing to fail over yet"
    elif not active:
        message = "Cluster has no active HSM"
    elif len(active) == 1:
        message = f"Cluster has a single active HSM ({zone_text(zones)})"
    else:
        message = f"Cluster has {len(active)} active HSMs in {len(zones)} AZ(s): {zone_text(zones)}"
    if others:
        message += f"; not counted: {', '.join(others)}"
    if len(active) > 1:
        message += options.shortfall(len(zones))
    cluster_id = cluster.get("ClusterId", "")
    return Assessment(
        check_id="cloudhsm.cluster_hsm_zones",
        resource_arn=arn(account, region, "cloudhsm", f"cluster/{cluster_id}"),
        resource_name=cluster_id,
        resource_id=cluster_id,
        risk=bool(hsms) and options.too_few(len(zones)),
        engine=cluster.get("HsmType", ""),
        message=message,
        availability_zones=tuple(zones),
        tags=tag_pairs(cluster.get("TagList")),
    )


def assess(
    clusters: Sequence[Record],
    account: AccountInfo,
    region: str,
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    return [
        assess_cluster(c, account, region, options)
        for c in clusters
        if c.get("State") not in GONE_STATES
    ]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("cloudhsmv2", "describe_clusters"):
        yield assess(page.get("Clusters", []), scope.account, scope.region, scope.options)


CHECK = Check(
    key="cloudhsm",
    service="AWS CloudHSM",
    rule=(
        "A cluster is a risk when its active HSMs lie in fewer than 2 AZs (a single HSM "
        "included); a cluster without HSMs gets a finding that is not a risk, and one being "
        "deleted or deleted gets none."
    ),
    actions=("cloudhsm:DescribeClusters",),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "cloudhsm.cluster_hsm_zones": Guidance(
            Severity.HIGH,
            "Add HSMs in at least two AZs (create-hsm --availability-zone) so keys stay available.",
            "Other",
            fails=Fails.DATA,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "CloudHSM v2 clusters; the service column is `cloudhsm`. Only HSMs in state "
            "`ACTIVE` count toward redundancy; the message names their AZs and the HSMs it did "
            "not count, with their state. Clusters `DELETE_IN_PROGRESS` or `DELETED` give no "
            "finding."
        ),
        (
            "`resource_arn` is `arn:<partition>:cloudhsm:<region>:<account>:cluster/<cluster "
            "id>`, `engine` the HSM type."
        ),
        "API: `DescribeClusters` (all pages).",
    ),
)

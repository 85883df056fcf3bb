"""Long-running EMR clusters: a cluster runs in one AZ by design."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    concurrently,
    tag_pairs,
)

LIVE_STATES = ("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING")


def assess_cluster(cluster: Record) -> Assessment | None:
    """A cluster that is starting or up; one terminating or terminated gives no finding."""
    state = (cluster.get("Status") or {}).get("State", "")
    if state not in LIVE_STATES:
        return None
    zone = (cluster.get("Ec2InstanceAttributes") or {}).get("Ec2AvailabilityZone", "")
    where = zone or "an AZ the API does not report"
    auto_terminates = bool(cluster.get("AutoTerminate"))
    if auto_terminates:
        message = f"Cluster ({state}) runs in {where} and terminates when its steps finish"
    else:
        message = (
            f"Long-running cluster ({state}) runs in one AZ, {where}, and does not auto-terminate"
        )
    return Assessment(
        check_id="emr.cluster_single_az",
        resource_arn=cluster.get("ClusterArn", ""),
        resource_name=cluster.get("Name", ""),
        resource_id=cluster.get("Id", ""),
        risk=not auto_terminates,
        engine=cluster.get("ReleaseLabel", ""),
        message=message,
        availability_zones=(zone,) if zone else (),
        tags=tag_pairs(cluster.get("Tags")),
    )


def assess(clusters: Sequence[Record]) -> list[Assessment]:
    return [a for a in map(assess_cluster, clusters) if a is not None]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("emr", "list_clusters", ClusterStates=list(LIVE_STATES)):
        described = await concurrently(
            *(
                scope.call("emr", "describe_cluster", ClusterId=c["Id"])
                for c in page.get("Clusters", [])
            )
        )
        yield assess([response["Cluster"] for response in described])


CHECK = Check(
    key="emr",
    service="Amazon EMR",
    rule=(
        "A cluster that is STARTING, BOOTSTRAPPING, RUNNING or WAITING is a risk when it does "
        "not auto-terminate: an EMR cluster runs in one AZ."
    ),
    actions=("elasticmapreduce:ListClusters", "elasticmapreduce:DescribeCluster"),
    scan=scan,
    tagged=True,
    guidance={
        "emr.cluster_single_az": Guidance(
            Severity.MEDIUM,
            "Keep state off the cluster (S3, an external metastore) so a replacement can start "
            "in another AZ (instance fleets with several subnets), or run transient clusters.",
            "Other",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP02",),
        ),
    },
    notes=(
        (
            "A long-running cluster lives in one AZ for its whole life; an AZ failure stops it. "
            "Clusters that auto-terminate (`AutoTerminate`: terminate after the last step) give "
            "a finding that is not a risk; an idle-timeout auto-termination policy is not read."
        ),
        (
            "Clusters in other states (terminating, terminated, terminated with errors) give no "
            "finding."
        ),
        (
            "The message names the cluster's AZ (`Ec2InstanceAttributes.Ec2AvailabilityZone`); "
            "`engine` is the release label; `resource_id` the cluster id; tags come from "
            "`DescribeCluster`."
        ),
        (
            "API: `ListClusters` filtered to the states above (all pages), `DescribeCluster` "
            "for each cluster of a page in parallel."
        ),
    ),
)

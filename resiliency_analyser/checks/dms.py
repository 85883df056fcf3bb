"""DMS replication instances without Multi-AZ, and the replication tasks that run on them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    zone_text,
)


def instance_zones(instance: Record) -> list[str]:
    return sorted(
        {
            z
            for z in (instance.get("AvailabilityZone"), instance.get("SecondaryAvailabilityZone"))
            if z
        }
    )


def assess_instance(instance: Record) -> Assessment:
    multi_az = bool(instance.get("MultiAZ"))
    zones = instance_zones(instance)
    state = "enabled" if multi_az else "disabled"
    return Assessment(
        check_id="dms.instance_multi_az",
        resource_arn=instance.get("ReplicationInstanceArn", ""),
        resource_name=instance.get("ReplicationInstanceIdentifier", ""),
        risk=not multi_az,
        engine=instance.get("EngineVersion", ""),
        message=f"Replication instance has Multi-AZ {state} (AZs: {zone_text(zones)})",
        availability_zones=tuple(zones),
    )


def assess_task(task: Record, instances: Mapping[str, Record]) -> Assessment:
    instance_arn = task.get("ReplicationInstanceArn", "")
    instance = instances.get(instance_arn)
    if instance is None:
        # Judging a task needs its instance; an absent one is reported, never guessed at.
        risk = False
        zones: list[str] = []
        message = f"Replication instance {instance_arn or '(none)'} not found: task not judged"
    else:
        risk = not instance.get("MultiAZ")
        zones = instance_zones(instance)
        layout = "single-AZ" if risk else "Multi-AZ"
        message = (
            f"Runs on {layout} replication instance "
            f"{instance.get('ReplicationInstanceIdentifier', instance_arn)} "
            f"(AZs: {zone_text(zones)})"
        )
    return Assessment(
        check_id="dms.task_instance_multi_az",
        resource_arn=task.get("ReplicationTaskArn", ""),
        resource_name=task.get("ReplicationTaskIdentifier", ""),
        risk=risk,
        message=message,
        availability_zones=tuple(zones),
    )


def assess_config(config: Record) -> Assessment:
    """A serverless replication: its compute runs in one AZ unless ``MultiAZ``."""
    compute = config.get("ComputeConfig") or {}
    multi_az = bool(compute.get("MultiAZ"))
    zones = [compute["AvailabilityZone"]] if compute.get("AvailabilityZone") else []
    state = "enabled" if multi_az else "disabled"
    return Assessment(
        check_id="dms.serverless_multi_az",
        resource_arn=config.get("ReplicationConfigArn", ""),
        resource_name=config.get("ReplicationConfigIdentifier", ""),
        risk=not multi_az,
        engine=config.get("ReplicationType", ""),
        message=f"Serverless replication has Multi-AZ {state} (AZ: {zone_text(zones)})",
        availability_zones=tuple(zones),
    )


GONE_STATES = frozenset({"deleting", "failed"})
"""Instance and task statuses that carry no traffic: such resources give no finding."""


def assess(
    instances: Sequence[Record], tasks: Sequence[Record], configs: Sequence[Record] = ()
) -> list[Assessment]:
    by_arn = {i["ReplicationInstanceArn"]: i for i in instances if i.get("ReplicationInstanceArn")}
    return [
        *(
            assess_instance(i)
            for i in instances
            if i.get("ReplicationInstanceStatus") not in GONE_STATES
        ),
        *(assess_task(t, by_arn) for t in tasks if t.get("Status") not in GONE_STATES),
        *map(assess_config, configs),
    ]


async def replication_configs(scope: RegionScope) -> list[Record]:
    """Every serverless replication: DescribeReplicationConfigs pages with ``Marker`` and
    botocore has no paginator for it."""
    configs: list[Record] = []
    async for page in scope.token_pages("dms", "describe_replication_configs", "Marker"):
        configs.extend(page.get("ReplicationConfigs", []))
    return configs


async def scan(scope: RegionScope) -> Batches:
    instances, tasks, configs = await concurrently(
        scope.items("dms", "describe_replication_instances", "ReplicationInstances"),
        # Task settings and table mappings are large and not needed to judge a task.
        scope.items("dms", "describe_replication_tasks", "ReplicationTasks", WithoutSettings=True),
        replication_configs(scope),
    )
    yield assess(instances, tasks, configs)


CHECK = Check(
    key="dms",
    service="AWS DMS",
    rule=(
        "A replication instance is a risk when Multi-AZ is off; a replication task is a risk "
        "when its replication instance is; a serverless replication is a risk when its "
        "compute's Multi-AZ is off."
    ),
    actions=(
        "dms:DescribeReplicationInstances",
        "dms:DescribeReplicationTasks",
        "dms:DescribeReplicationConfigs",
    ),
    scan=scan,
    guidance={
        "dms.instance_multi_az": Guidance(
            Severity.MEDIUM,
            "Make the replication instance Multi-AZ (modify-replication-instance --multi-az) so a "
            "standby in another AZ takes over.",
            "AwsDmsReplicationInstance",
            fails=Fails.CAPACITY,
            fsbp=("DMS.13",),
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
        "dms.serverless_multi_az": Guidance(
            Severity.MEDIUM,
            "Turn on Multi-AZ in the serverless replication's compute configuration "
            "(modify-replication-config --compute-config MultiAZ=true).",
            "Other",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
        "dms.task_instance_multi_az": Guidance(
            Severity.MEDIUM,
            "Run the task on a Multi-AZ replication instance: make its instance Multi-AZ or move the "
            "task to one.",
            "AwsDmsReplicationTask",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
    },
    notes=(
        (
            "Each replication instance gets a finding; the message names its AZ and, when "
            "Multi-AZ, the standby's AZ."
        ),
        (
            "Each replication task gets a finding judged by the instance it runs on. A task "
            "whose instance is not in the listing gets a finding that says so, marked not a "
            "risk (nothing to judge)."
        ),
        "Instances and tasks `deleting` or `failed` carry no traffic: no finding.",
        (
            "Each serverless replication (`dms.serverless_multi_az`) is judged by its "
            "`ComputeConfig.MultiAZ`; `engine` is its replication type, and the message names "
            "the AZ its compute is placed in, when set."
        ),
        (
            "API: `DescribeReplicationInstances` and `DescribeReplicationTasks` (without task"
            " settings), all pages, and `DescribeReplicationConfigs` (every page through "
            "`Marker`, which botocore has no paginator for), in parallel."
        ),
    ),
)

"""ECS replica services that one AZ failure can take down: one task, one AZ of subnets, or every
running task in one AZ."""

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
    zone_text,
)
from resiliency_analyser.checks.lookups import ECS_SERVICES, JudgedService, active_replicas

SUBNETS = "ecs.service_subnet_zones"
TASK_ZONES = "ecs.service_task_zones"
SINGLE_TASK = "ecs.service_single_task"


def service_subnets(service: Record) -> list[str]:
    """The service's awsvpc subnets; services run by an external deployment controller keep
    theirs on their task sets."""
    configs = [service.get("networkConfiguration") or {}]
    if not (configs[0].get("awsvpcConfiguration") or {}).get("subnets"):
        configs = [
            task_set.get("networkConfiguration") or {} for task_set in service.get("taskSets") or []
        ]
    return sorted(
        {
            subnet
            for config in configs
            for subnet in (config.get("awsvpcConfiguration") or {}).get("subnets") or []
        }
    )


def ecs_tags(tags: Sequence[Record] | None) -> tuple[tuple[str, str], ...]:
    """ECS spells tag members ``key`` and ``value``."""
    return tuple(sorted((str(t["key"]), str(t.get("value", ""))) for t in tags or [] if "key" in t))


def assess_service(
    service: Record,
    tasks: Sequence[Record],
    subnet_zones: Mapping[str, str],
    options: CheckOptions = DEFAULT_OPTIONS,
) -> Assessment:
    desired = int(service.get("desiredCount") or 0)
    subnets = service_subnets(service)
    configured = sorted({subnet_zones[s] for s in subnets if s in subnet_zones})
    unknown = [s for s in subnets if s not in subnet_zones]
    running = [t for t in tasks if t.get("lastStatus") == "RUNNING"]
    task_zones = sorted({t["availabilityZone"] for t in running if t.get("availabilityZone")})

    problems: list[tuple[str, str]] = []
    if subnets and options.too_few(len(configured)):
        problems.append(
            (
                SUBNETS,
                f"its awsvpc subnets lie in {len(configured)} AZ(s)"
                f"{options.shortfall(len(configured))}",
            )
        )
    if desired >= 2 and running and len(task_zones) < 2:
        problems.append(
            (TASK_ZONES, f"its {len(running)} running task(s) sit in {len(task_zones)} AZ(s)")
        )
    if desired == 1:
        problems.append((SINGLE_TASK, "its desired count is 1"))

    layout = f"desired {desired}, {len(running)} running task(s) in {zone_text(task_zones)}"
    if subnets:
        layout += f"; subnets in {zone_text(configured)}"
    if unknown:
        layout += f"; subnets not found in the region: {', '.join(unknown)}"
    verdict = "; ".join(text for _, text in problems) if problems else "not a single-AZ risk"
    cluster = str(service.get("clusterArn", "")).rpartition("/")[2]
    name = service.get("serviceName", "")
    return Assessment(
        check_id=problems[0][0] if problems else TASK_ZONES,
        resource_arn=service.get("serviceArn", ""),
        resource_name=name,
        resource_id=f"{cluster}/{name}",
        risk=bool(problems),
        engine=service.get("launchType", ""),
        message=f"ECS service: {verdict} ({layout})",
        availability_zones=tuple(task_zones or configured),
        tags=ecs_tags(service.get("tags")),
    )


def assess(
    services: Sequence[JudgedService],
    subnet_zones: Mapping[str, str],
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    return [
        assess_service(s.service, s.tasks, subnet_zones, options)
        for s in services
        if in_scope(s.service)
    ]


def in_scope(service: Record) -> bool:
    """Active replica services; daemons run one task per instance, wherever the instances are."""
    return active_replicas(service)


async def scan(scope: RegionScope) -> Batches:
    services = await scope.shared(ECS_SERVICES)
    awsvpc = any(in_scope(s.service) and service_subnets(s.service) for s in services)
    yield assess(services, await scope.subnet_zones() if awsvpc else {}, scope.options)


CHECK = Check(
    key="ecs",
    service="Amazon Elastic Container Service",
    rule=(
        "An active REPLICA service is a risk when its desired count is 1, when its awsvpc "
        "subnets lie in fewer than 2 AZs, or when its desired count is at least 2 but its "
        "running tasks all sit in one AZ."
    ),
    actions=(
        "ecs:ListClusters",
        "ecs:ListServices",
        "ecs:DescribeServices",
        "ecs:ListTasks",
        "ecs:DescribeTasks",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        SUBNETS: Guidance(
            Severity.MEDIUM,
            "Give the service subnets in at least two AZs (update-service "
            "--network-configuration), so ECS can place tasks outside a failed AZ.",
            "AwsEcsService",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01",),
        ),
        TASK_ZONES: Guidance(
            Severity.LOW,
            "Spread the tasks over AZs: on EC2 capacity add a spread placement strategy on "
            "attribute:ecs.availability-zone and instances in several AZs; on Fargate give the "
            "service subnets in several AZs.",
            "AwsEcsService",
            fails=Fails.CAPACITY,
            outage=Outage.SELF_HEALING,
            well_architected=("REL11-BP05",),
        ),
        SINGLE_TASK: Guidance(
            Severity.LOW,
            "Run at least two tasks (update-service --desired-count 2 or more) in different "
            "AZs, so losing one AZ does not stop the service until a replacement starts.",
            "AwsEcsService",
            fails=Fails.CAPACITY,
            outage=Outage.SELF_HEALING,
            well_architected=("REL10-BP01", "REL11-BP05"),
        ),
    },
    notes=(
        (
            "Only services whose status is `ACTIVE` (not `DRAINING` or `INACTIVE`) and whose "
            "scheduling strategy is `REPLICA`; `DAEMON` services give no finding."
        ),
        (
            "One finding per service. When several rules fire the message names each problem "
            "and the check id is the first of: `ecs.service_subnet_zones`, "
            "`ecs.service_task_zones`, `ecs.service_single_task`; a service no rule fires on "
            "carries `ecs.service_task_zones`."
        ),
        (
            "Subnets are the service's `awsvpcConfiguration` subnets (its task sets' where an "
            "external deployment controller keeps them there), resolved to AZs through the "
            "region's subnets; two subnets in one AZ are one AZ, and a subnet that cannot be "
            "found counts as no AZ and is named in the message. Services in other network "
            "modes have no subnets and are judged by their tasks."
        ),
        (
            "Running tasks are the cluster's tasks `ListTasks` returns with desired status "
            "`RUNNING` whose last status is `RUNNING`, each in the AZ `DescribeTasks` reports, "
            "attributed to the service their `group` names (`service:<name>`, as ECS names the "
            "tasks a service starts); a service with no running task is not judged on task "
            "spread."
        ),
        (
            "A service that is a risk is the root cause of the target groups and Classic Load "
            "Balancers it registers its tasks with (`loadBalancers`): `elb` reports them as "
            "going down with it (see [above](#one-failure-one-risk))."
        ),
        (
            "`availability_zones` are the running tasks' AZs (else the subnets' AZs); "
            "`resource_id` is `<cluster>/<service>`; `engine` the launch type (empty for "
            "capacity provider strategies); tags come from `DescribeServices`."
        ),
        (
            "API: `ListClusters`, `ListServices` (all pages, 100 a page), `DescribeServices` "
            "(10 services a call), `ListTasks` once per cluster that has a replica service "
            "(100 a page; not once per service), `DescribeTasks` (100 tasks a call), all "
            "clusters and batches in parallel, once per region (shared with `elb`); "
            "`ec2:DescribeSubnets` once per region, shared by checks."
        ),
    ),
)

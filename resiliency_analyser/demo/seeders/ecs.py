"""The demo account's `ecs` resources: a risky and a safe example of each rule.

moto's ECS tasks carry no AZ (and awsvpc tasks cannot be started), so ECS is served from the
stand-in; the subnets the services name are moto's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from resiliency_analyser.demo.standin import Handler, StandinError, paged
from resiliency_analyser.demo.world import ACCOUNT_ID, PAGE_SIZE, DemoWorld, Seeder

SERVICES_PER_CALL = 10
TASKS_PER_CALL = 100

Records = Callable[[str], list[dict[str, Any]]]
"""Region -> the records the stand-in serves there."""


def service_record(
    region: str, cluster: str, name: str, desired: int, subnets: list[str], **fields: Any
) -> dict[str, Any]:
    """A DescribeServices record: an active Fargate replica service in ``subnets``."""
    record: dict[str, Any] = {
        "serviceArn": f"arn:aws:ecs:{region}:{ACCOUNT_ID}:service/{cluster}/{name}",
        "serviceName": name,
        "clusterArn": f"arn:aws:ecs:{region}:{ACCOUNT_ID}:cluster/{cluster}",
        "status": "ACTIVE",
        "desiredCount": desired,
        "runningCount": desired,
        "launchType": "FARGATE",
        "schedulingStrategy": "REPLICA",
        "tags": [{"key": "Name", "value": name}],
    }
    if subnets:
        record["networkConfiguration"] = {"awsvpcConfiguration": {"subnets": subnets}}
    return {**record, **fields}


def task_records(service: dict[str, Any], zones: str) -> list[dict[str, Any]]:
    """One running task of ``service`` per AZ letter in ``zones``."""
    region = service["serviceArn"].split(":")[3]
    cluster = service["clusterArn"].rpartition("/")[2]
    return [
        {
            "taskArn": f"arn:aws:ecs:{region}:{ACCOUNT_ID}:task/{cluster}/{service['serviceName']}{i:04d}",
            "clusterArn": service["clusterArn"],
            "group": f"service:{service['serviceName']}",
            "lastStatus": "RUNNING",
            "desiredStatus": "RUNNING",
            "availabilityZone": f"{region}{zone}",
            "launchType": service.get("launchType", "FARGATE"),
        }
        for i, zone in enumerate(zones)
    ]


def _matches(record: dict[str, Any], cluster: str) -> bool:
    arn = record["clusterArn"]
    return cluster in {arn, arn.rpartition("/")[2]}


def _limited(params: dict[str, Any], key: str, limit: int) -> list[str]:
    names: list[str] = params.get(key) or []
    if len(names) > limit:
        raise StandinError("InvalidParameterException", f"at most {limit} {key} per call")
    return names


def ecs_handlers(services: Records, tasks: Records, page_size: int) -> dict[str, Handler]:
    """ECS listings and descriptions over stand-in records, at the real API's per-call limits."""

    # Listings of ARNs: ``paged`` serves whatever records it is given.
    def clusters(params: dict[str, Any], region: str) -> list[Any]:
        return sorted({s["clusterArn"] for s in services(region)})

    def service_arns(params: dict[str, Any], region: str) -> list[Any]:
        return [
            s["serviceArn"]
            for s in services(region)
            if _matches(s, params.get("cluster", "default"))
        ]

    def task_arns(params: dict[str, Any], region: str) -> list[Any]:
        service = params.get("serviceName")
        return [
            t["taskArn"]
            for t in tasks(region)
            if _matches(t, params.get("cluster", "default"))
            and (service is None or t["group"] == f"service:{service}")
            and t["desiredStatus"] == params.get("desiredStatus", "RUNNING")
        ]

    def describe_services(params: dict[str, Any], region: str) -> dict[str, Any]:
        wanted = _limited(params, "services", SERVICES_PER_CALL)
        found = [
            s
            for s in services(region)
            if _matches(s, params.get("cluster", "default"))
            and {s["serviceArn"], s["serviceName"]} & set(wanted)
        ]
        return {"services": found, "failures": []}

    def describe_tasks(params: dict[str, Any], region: str) -> dict[str, Any]:
        wanted = set(_limited(params, "tasks", TASKS_PER_CALL))
        return {"tasks": [t for t in tasks(region) if t["taskArn"] in wanted], "failures": []}

    return {
        "ListClusters": paged("ecs", "ListClusters", clusters, page_size),
        "ListServices": paged("ecs", "ListServices", service_arns, page_size),
        "DescribeServices": describe_services,
        "ListTasks": paged("ecs", "ListTasks", task_arns, page_size),
        "DescribeTasks": describe_tasks,
    }


def seed(world: DemoWorld, region: str) -> None:
    """Per rule a risky and a safe service: one task or three; subnets in one AZ or two (the
    one-AZ service fills an ALB's target group, which goes down with it); tasks in one AZ or
    spread."""
    subnets = world.subnets(region)
    tasks = world.records("ecs/tasks", region)
    search = search_target_group(world, region)
    for name, desired, service_subnets, zones, fields in (
        ("checkout-one-task", 1, subnets[:2], "a", {}),
        ("search-one-az-subnets", 2, subnets[:1], "aa", {"loadBalancers": [search]}),
        ("cart-tasks-in-one-az", 2, subnets[:2], "bb", {}),
        ("catalog-spread", 3, subnets, "abc", {}),
    ):
        service = service_record(region, "shop", name, desired, service_subnets, **fields)
        world.records("ecs", region).append(service)
        tasks.extend(task_records(service, zones))


def search_target_group(world: DemoWorld, region: str) -> dict[str, Any]:
    """An ALB in two AZs whose IP target group the single-AZ search service fills (its tasks'
    addresses, in the demo subnet of AZ a): the target group goes down with the service."""
    elbv2 = world.client("elbv2", region)
    subnets = world.subnets(region)
    vpc = world.client("ec2", region).describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]
    group = elbv2.create_target_group(
        Name="search-targets-of-one-az-service",
        Protocol="HTTP",
        Port=8080,
        VpcId=vpc["VpcId"],
        TargetType="ip",
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": f"10.20.0.{i}"} for i in (51, 52)])
    balancer = elbv2.create_load_balancer(Name="search-alb", Subnets=subnets[:2])
    elbv2.create_listener(
        LoadBalancerArn=balancer["LoadBalancers"][0]["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )
    return {"targetGroupArn": group, "containerName": "search", "containerPort": 8080}


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "ecs": ecs_handlers(
            lambda region: world.records("ecs", region),
            lambda region: world.records("ecs/tasks", region),
            PAGE_SIZE,
        ),
    }


SEEDER = Seeder(check="ecs", seed=seed, standins=standins)

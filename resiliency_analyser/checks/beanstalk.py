"""Elastic Beanstalk web-server environments without a load balancer (single-instance)."""

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
    zone_text,
)
from resiliency_analyser.checks.lookups import (
    BEANSTALK_ENVIRONMENTS,
    Environment,
    serving_web_tier,
)
from resiliency_analyser.checks.placement import instance_zones, instances


def in_scope(environment: Record) -> bool:
    """Web-server environments that exist; worker environments take no web traffic."""
    return serving_web_tier(environment)


def names(resources: Record, kind: str, key: str = "Name") -> list[str]:
    return [str(r[key]) for r in resources.get(kind) or [] if r.get(key)]


def assess_environment(
    environment: Record, resources: Record, zones_of: Mapping[str, str]
) -> Assessment:
    balancers = names(resources, "LoadBalancers")
    members = names(resources, "Instances", "Id")
    zones = sorted({zones_of[i] for i in members if i in zones_of})
    where = f"{len(members)} instance(s) in {zone_text(zones)}"
    if balancers:
        groups = ", ".join(names(resources, "AutoScalingGroups")) or "none listed"
        message = (
            f"Load-balanced environment (load balancer {', '.join(balancers)}), {where}; its "
            f"Auto Scaling group ({groups}) is judged by the autoscaling check"
        )
    else:
        message = f"Single-instance web-server environment: no load balancer, {where}"
    return Assessment(
        check_id="beanstalk.environment_load_balanced",
        resource_arn=environment.get("EnvironmentArn", ""),
        resource_name=environment.get("EnvironmentName", ""),
        resource_id=environment.get("EnvironmentId", ""),
        risk=not balancers,
        engine=environment.get("SolutionStackName") or environment.get("PlatformArn", ""),
        message=message,
        availability_zones=tuple(zones),
    )


def assess(environments: Sequence[Environment], zones_of: Mapping[str, str]) -> list[Assessment]:
    return [
        assess_environment(e.environment, e.resources, zones_of)
        for e in environments
        if in_scope(e.environment)
    ]


async def scan(scope: RegionScope) -> Batches:
    environments = await scope.shared(BEANSTALK_ENVIRONMENTS)
    members = [i for e in environments for i in names(e.resources, "Instances", "Id")]
    found = await instances(scope, members) if members else []
    if environments:
        yield assess(environments, instance_zones(found))


CHECK = Check(
    key="beanstalk",
    service="AWS Elastic Beanstalk",
    rule=(
        "A web-server environment is a risk when it has no load balancer (a single-instance "
        "environment); a load-balanced environment is not a risk."
    ),
    actions=(
        "elasticbeanstalk:DescribeEnvironments",
        "elasticbeanstalk:DescribeEnvironmentResources",
        "ec2:DescribeInstances",
    ),
    scan=scan,
    guidance={
        "beanstalk.environment_load_balanced": Guidance(
            Severity.MEDIUM,
            "Change the environment type to load balanced (eb config, or option "
            "aws:elasticbeanstalk:environment EnvironmentType=LoadBalanced) with a minimum of "
            "two instances and subnets in at least two AZs.",
            "AwsElasticBeanstalkEnvironment",
            fails=Fails.CAPACITY,
            well_architected=("REL10-BP01", "REL11-BP03"),
        ),
    },
    notes=(
        (
            "Web-server environments that are not launching, terminating or terminated; "
            "worker environments give no finding."
        ),
        (
            "An environment is load balanced when `DescribeEnvironmentResources` lists a load "
            "balancer. A load-balanced environment's Auto Scaling group is judged by the "
            "`autoscaling` check and its load balancer by `elb`, so neither is judged here."
        ),
        (
            "A single-instance environment is the root cause of its Auto Scaling group's risk "
            "(see [above](#one-failure-one-risk)): the risk is reported once, here; "
            "`autoscaling` reports the group as going down with the environment. AWS: Elastic "
            'Beanstalk Developer Guide, "Environment types" (a single-instance environment '
            "has one instance and no load balancer; a load-balanced, scalable environment runs "
            "instances in several AZs)."
        ),
        (
            "`availability_zones` are the AZs of the environment's instances "
            "(`ec2:DescribeInstances`, ids in filters); `resource_id` is the environment id, "
            "`engine` its solution stack (else its platform ARN)."
        ),
        (
            "API: `DescribeEnvironments` without deleted environments (all pages), "
            "`DescribeEnvironmentResources` for each judged environment of a page in "
            "parallel (once per region, shared with `autoscaling`), `ec2:DescribeInstances` "
            "(ids in filters) for their instances."
        ),
    ),
)

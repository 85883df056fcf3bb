"""The demo account's `beanstalk` resources: a risky and a safe example.

moto lacks `DescribeEnvironmentResources` (and gives environments no id), so Elastic Beanstalk
is served from the stand-in; the environments' instances are moto's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from resiliency_analyser.demo.seeders.autoscaling import auto_scaling_group, launch_configuration
from resiliency_analyser.demo.standin import Handler, StandinError, paged
from resiliency_analyser.demo.world import ACCOUNT_ID, AMI, PAGE_SIZE, DemoWorld, Seeder

Environments = Callable[[str], list[dict[str, Any]]]
"""Region -> the environment records the stand-in serves there."""
Resources = Callable[[str], dict[str, Any] | None]
"""Environment id -> its ``EnvironmentResources``, or None when there is no such environment."""

STACK = "64bit Amazon Linux 2023 v4.3.0 running Python 3.12"


def environment_record(
    region: str, name: str, environment_id: str, **fields: Any
) -> dict[str, Any]:
    """A DescribeEnvironments record: a ready web-server environment of application ``shop``."""
    return {
        "EnvironmentName": name,
        "EnvironmentId": environment_id,
        "ApplicationName": "shop",
        "EnvironmentArn": f"arn:aws:elasticbeanstalk:{region}:{ACCOUNT_ID}:environment/shop/{name}",
        "SolutionStackName": STACK,
        "Status": "Ready",
        "Health": "Green",
        "Tier": {"Name": "WebServer", "Type": "Standard", "Version": "1.0"},
        **fields,
    }


def environment_resources(
    name: str, instance_ids: list[str], *, load_balanced: bool
) -> dict[str, Any]:
    """The ``EnvironmentResources`` of an environment with these instances."""
    resources: dict[str, Any] = {
        "EnvironmentName": name,
        "Instances": [{"Id": i} for i in instance_ids],
        "AutoScalingGroups": [{"Name": f"awseb-{name}-AutoScalingGroup"}],
        "LoadBalancers": [],
    }
    if load_balanced:
        resources["LoadBalancers"] = [{"Name": f"awseb-{name}-lb"}]
    return resources


def beanstalk_handlers(
    environments: Environments, resources: Resources, page_size: int
) -> dict[str, Handler]:
    def listing(params: dict[str, Any], region: str) -> list[dict[str, Any]]:
        deleted = params.get("IncludeDeleted", "true") == "true"
        return [e for e in environments(region) if deleted or e["Status"] != "Terminated"]

    def describe_resources(params: dict[str, Any], region: str) -> dict[str, Any]:
        found = resources(params.get("EnvironmentId", ""))
        if found is None:
            raise StandinError(
                "InvalidParameterValue",
                f"No Environment found for EnvironmentId = '{params.get('EnvironmentId')}'.",
            )
        return {"EnvironmentResources": found}

    return {
        "DescribeEnvironments": paged(
            "elasticbeanstalk", "DescribeEnvironments", listing, page_size
        ),
        "DescribeEnvironmentResources": describe_resources,
    }


def seed(world: DemoWorld, region: str) -> None:
    """A single-instance environment in AZ a, and a load-balanced one over AZs a and b, each
    with its Auto Scaling group."""
    ec2 = world.client("ec2", region)
    configuration = "demo-beanstalk-launch-config"
    launch_configuration(world, region, configuration)
    for number, (name, zones) in enumerate(
        (("storefront-single-instance", [0]), ("storefront-load-balanced", [0, 1])), start=1
    ):
        environment_id = f"e-{region.replace('-', '')}{number}"  # ids are unique across regions
        members = [
            ec2.run_instances(
                ImageId=AMI,
                MinCount=1,
                MaxCount=1,
                SubnetId=world.subnets(region)[zone],
                TagSpecifications=[
                    {
                        "ResourceType": "instance",
                        "Tags": [
                            {"Key": "elasticbeanstalk:environment-name", "Value": name},
                            {"Key": "elasticbeanstalk:environment-id", "Value": environment_id},
                        ],
                    }
                ],
            )["Instances"][0]["InstanceId"]
            for zone in zones
        ]
        world.records("elasticbeanstalk", region).append(
            environment_record(region, name, environment_id)
        )
        # Its Auto Scaling group, as Elastic Beanstalk tags it: the single-instance one's goes
        # down with the environment (one risk, reported on the environment).
        auto_scaling_group(
            world,
            region,
            f"awseb-{name}-AutoScalingGroup",
            [0, 1],
            1 if len(zones) == 1 else 0,
            LaunchConfigurationName=configuration,
            Tags=[
                {"Key": "elasticbeanstalk:environment-id", "Value": environment_id},
                {"Key": "elasticbeanstalk:environment-name", "Value": name},
            ],
        )
        world.records("elasticbeanstalk/resources", environment_id).append(
            environment_resources(name, members, load_balanced=len(zones) > 1)
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    def resources(environment_id: str) -> dict[str, Any] | None:
        found = world.records("elasticbeanstalk/resources", environment_id)
        return found[0] if found else None

    return {
        "elasticbeanstalk": beanstalk_handlers(
            lambda region: world.records("elasticbeanstalk", region), resources, PAGE_SIZE
        ),
    }


SEEDER = Seeder(check="beanstalk", seed=seed, standins=standins)

"""The demo account's `autoscaling` resources: a risky and a safe example of each rule, and a
peer group."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.world import AMI, DemoWorld, Seeder, launch

LAUNCH_CONFIGURATION = "demo-launch-config"


def launch_configuration(world: DemoWorld, region: str, name: str) -> None:
    world.client("autoscaling", region).create_launch_configuration(
        LaunchConfigurationName=name, ImageId=AMI, InstanceType="t3.micro"
    )


def auto_scaling_group(
    world: DemoWorld, region: str, name: str, zones: list[int], desired: int, **fields: Any
) -> None:
    """A group over the demo subnets of AZ numbers ``zones`` (moto launches its instances in the
    first), from ``fields["LaunchConfigurationName"]`` or the demo's launch configuration."""
    subnets = world.subnets(region)
    world.client("autoscaling", region).create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchConfigurationName=fields.pop("LaunchConfigurationName", LAUNCH_CONFIGURATION),
        MinSize=0,
        MaxSize=max(2, desired),
        DesiredCapacity=desired,
        VPCZoneIdentifier=",".join(subnets[z] for z in zones),
        **fields,
    )


def seed(world: DemoWorld, region: str) -> None:
    """Groups in one AZ, with both instances in one AZ, of one instance, one whose two
    instances (attached) sit in two AZs, and a Kafka fleet of one group per AZ behind one target
    group: peers, so neither is a risk."""
    launch_configuration(world, region, LAUNCH_CONFIGURATION)
    for name, zones, desired in (
        ("batch-asg-one-az", [0], 0),
        ("web-asg-instances-one-az", [0, 1], 2),
        ("worker-asg-single-instance", [0, 1], 1),
        ("api-asg-multi-az", [0, 1], 0),
    ):
        auto_scaling_group(world, region, name, zones, desired)
    world.client("autoscaling", region).attach_instances(
        AutoScalingGroupName="api-asg-multi-az",
        InstanceIds=[launch(world, region, 0), launch(world, region, 1)],
    )
    vpc = world.client("ec2", region).describe_subnets(SubnetIds=world.subnets(region)[:1])
    brokers = world.client("elbv2", region).create_target_group(
        Name="kafka-brokers", Protocol="TCP", Port=9092, VpcId=vpc["Subnets"][0]["VpcId"]
    )["TargetGroups"][0]["TargetGroupArn"]
    for zone in (0, 1):
        name = f"kafka-asg-{'ab'[zone]}-peers"
        auto_scaling_group(world, region, name, [zone], 1, TargetGroupARNs=[brokers])


SEEDER = Seeder(check="autoscaling", seed=seed)

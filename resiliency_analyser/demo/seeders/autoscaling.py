"""The demo account's `autoscaling` resources: a risky and a safe example of each rule."""

from __future__ import annotations

from resiliency_analyser.demo.world import AMI, DemoWorld, Seeder, launch


def seed(world: DemoWorld, region: str) -> None:
    """Groups in one AZ, with both instances in one AZ (moto launches a group's instances in its
    first subnet), of one instance, and one whose two instances (attached) sit in two AZs."""
    autoscaling = world.client("autoscaling", region)
    subnets = world.subnets(region)
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="demo-launch-config", ImageId=AMI, InstanceType="t3.micro"
    )
    for name, group_subnets, desired in (
        ("batch-asg-one-az", subnets[:1], 0),
        ("web-asg-instances-one-az", subnets[:2], 2),
        ("worker-asg-single-instance", subnets[:2], 1),
        ("api-asg-multi-az", subnets[:2], 0),
    ):
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName=name,
            LaunchConfigurationName="demo-launch-config",
            MinSize=0,
            MaxSize=2,
            DesiredCapacity=desired,
            VPCZoneIdentifier=",".join(group_subnets),
        )
    autoscaling.attach_instances(
        AutoScalingGroupName="api-asg-multi-az",
        InstanceIds=[launch(world, region, 0), launch(world, region, 1)],
    )


SEEDER = Seeder(check="autoscaling", seed=seed)

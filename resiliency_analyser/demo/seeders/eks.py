"""The demo account's `eks` resources: a risky and a safe example of each rule, and a cluster of
one node group per AZ (peers).

moto names a node group's Auto Scaling group but creates none; the demo creates it, as EKS would,
so the scan reads where the nodes run.
"""

from __future__ import annotations

from resiliency_analyser.demo.seeders.autoscaling import auto_scaling_group, launch_configuration
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder

ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/demo-eks"  # moto does not check that it exists
LAUNCH_CONFIGURATION = "demo-eks-nodes"

NODE_GROUPS = (
    # (cluster, node group, AZ numbers of its subnets, desired size, AZ number its nodes run in)
    ("demo-eks", "web-nodes-a-peers", [0], 2, 0),
    ("demo-eks", "web-nodes-b-peers", [1], 2, 1),
    ("demo-eks", "web-nodes-c-peers", [2], 2, 2),
    ("batch-eks", "batch-nodes-one-az", [0], 2, 0),
    ("ml-eks", "gpu-nodes-run-in-one-az", [0, 1], 2, 0),
    ("tools-eks", "tools-nodes-single-node", [0, 1], 1, None),
)
"""A node group with no AZ of its own for its nodes has none running yet."""


def seed(world: DemoWorld, region: str) -> None:
    """Node groups one per AZ (peers of one cluster), in one AZ alone, with subnets in two AZs
    but every node in one, and of one node; Fargate profiles in one AZ and in two."""
    eks = world.client("eks", region)
    subnets = world.subnets(region)
    launch_configuration(world, region, LAUNCH_CONFIGURATION)
    for cluster in dict.fromkeys(c for c, *_ in NODE_GROUPS):
        eks.create_cluster(name=cluster, roleArn=ROLE, resourcesVpcConfig={"subnetIds": subnets})
    for cluster, name, zones, desired, running in NODE_GROUPS:
        created = eks.create_nodegroup(
            clusterName=cluster,
            nodegroupName=name,
            subnets=[subnets[z] for z in zones],
            nodeRole=ROLE,
            scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": desired},
        )
        if running is None:
            continue
        [group] = created["nodegroup"]["resources"]["autoScalingGroups"]
        auto_scaling_group(
            world,
            region,
            group["name"],
            [running],
            desired,
            LaunchConfigurationName=LAUNCH_CONFIGURATION,
            Tags=[
                {"Key": "eks:cluster-name", "Value": cluster},
                {"Key": "eks:nodegroup-name", "Value": name},
            ],
        )
    for name, profile_subnets in (
        ("jobs-fargate-one-az", subnets[:1]),
        ("default-fargate-multi-az", subnets[:2]),
    ):
        eks.create_fargate_profile(
            clusterName="demo-eks",
            fargateProfileName=name,
            podExecutionRoleArn=ROLE,
            subnets=profile_subnets,
            selectors=[{"namespace": name}],
        )


SEEDER = Seeder(check="eks", seed=seed)

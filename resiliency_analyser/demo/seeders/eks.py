"""The demo account's `eks` resources: a risky and a safe example of each rule."""

from __future__ import annotations

from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder

ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/demo-eks"  # moto does not check that it exists


def seed(world: DemoWorld, region: str) -> None:
    """Node groups in one AZ, in two, and of one node; Fargate profiles in one AZ and in two."""
    eks = world.client("eks", region)
    subnets = world.subnets(region)
    eks.create_cluster(name="demo-eks", roleArn=ROLE, resourcesVpcConfig={"subnetIds": subnets})
    for name, group_subnets, desired in (
        ("system-nodes-one-az", subnets[:1], 2),
        ("apps-nodes-multi-az", subnets[:2], 2),
        ("tools-nodes-single-node", subnets[:2], 1),
    ):
        eks.create_nodegroup(
            clusterName="demo-eks",
            nodegroupName=name,
            subnets=group_subnets,
            nodeRole=ROLE,
            scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": desired},
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

"""The demo account's `fsx` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
    fsx = world.client("fsx", region)
    subnets = world.subnets(region)
    for name, deployment, fs_subnets in (
        ("finance-shares-single-az", "SINGLE_AZ_2", subnets[:1]),
        ("hr-shares-multi-az", "MULTI_AZ_1", subnets[:2]),
    ):
        fsx.create_file_system(
            FileSystemType="WINDOWS",
            StorageCapacity=32,
            SubnetIds=fs_subnets,
            WindowsConfiguration={
                "DeploymentType": deployment,
                "ThroughputCapacity": 32,
                "PreferredSubnetId": fs_subnets[0],
            },
            Tags=[{"Key": "Name", "Value": name}],
        )


SEEDER = Seeder(check="fsx", seed=seed)

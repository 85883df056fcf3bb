"""The demo account's `efs` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
    efs = world.client("efs", region)
    subnets = world.subnets(region)
    efs.create_file_system(
        CreationToken="scratch-one-zone",
        AvailabilityZoneName=f"{region}a",
        Tags=[{"Key": "Name", "Value": "scratch-one-zone"}],
    )
    shared = efs.create_file_system(
        CreationToken="home-standard", Tags=[{"Key": "Name", "Value": "home-standard"}]
    )["FileSystemId"]
    for subnet in subnets[:2]:
        efs.create_mount_target(FileSystemId=shared, SubnetId=subnet)


SEEDER = Seeder(check="efs", seed=seed)

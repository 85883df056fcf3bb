"""The demo account's `opensearch` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
    opensearch = world.client("opensearch", region)
    subnets = world.subnets(region)
    opensearch.create_domain(DomainName="logs-public-single", ClusterConfig={"InstanceCount": 1})
    opensearch.create_domain(
        DomainName="search-vpc-multi-az",
        ClusterConfig={
            "InstanceCount": 4,
            "ZoneAwarenessEnabled": True,
            "ZoneAwarenessConfig": {"AvailabilityZoneCount": 2},
        },
        VPCOptions={"SubnetIds": subnets[:2]},
    )


SEEDER = Seeder(check="opensearch", seed=seed)

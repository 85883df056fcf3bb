"""The demo account's `msk` resources: a risky and two safe examples.

moto's MSK clusters never leave `CREATING` (which the check rightly skips), so the stand-in
serves the listing."""

from __future__ import annotations

import uuid
from typing import Any

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, listed


def seed(world: DemoWorld, region: str) -> None:
    subnets = world.subnets(region)
    for name, kind in (
        ("events-two-az", "PROVISIONED"),
        ("clickstream", "PROVISIONED"),
        ("audit-serverless", "SERVERLESS"),
    ):
        cluster_id = uuid.uuid5(uuid.NAMESPACE_DNS, f"{name}.{region}")
        cluster: dict[str, Any] = {
            "ClusterArn": f"arn:aws:kafka:{region}:{ACCOUNT_ID}:cluster/{name}/{cluster_id}",
            "ClusterName": name,
            "ClusterType": kind,
            "State": "ACTIVE",
        }
        if kind == "PROVISIONED":
            broker_subnets = subnets[:2] if "two-az" in name else subnets[:3]
            cluster["Provisioned"] = {
                "BrokerNodeGroupInfo": {
                    "ClientSubnets": broker_subnets,
                    "InstanceType": "kafka.m7g.large",
                },
                "NumberOfBrokerNodes": 2 * len(broker_subnets),
            }
        else:
            cluster["Serverless"] = {"VpcConfigs": [{"SubnetIds": subnets[:3]}]}
        world.records("kafka", region).append(cluster)


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {"kafka": {"ListClustersV2": listed(world, "kafka", "ListClustersV2")}}


SEEDER = Seeder(check="msk", seed=seed, standins=standins)

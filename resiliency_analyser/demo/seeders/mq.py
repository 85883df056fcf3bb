"""The demo account's `mq` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import PASSWORD, DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
    subnets = world.subnets(region)
    mq = world.client("mq", region)
    for name, mode, broker_subnets in (
        ("orders-broker-single", "SINGLE_INSTANCE", subnets[:1]),
        ("payments-broker", "ACTIVE_STANDBY_MULTI_AZ", subnets[:2]),
    ):
        mq.create_broker(
            BrokerName=name,
            DeploymentMode=mode,
            EngineType="ACTIVEMQ",
            EngineVersion="5.18",
            HostInstanceType="mq.m5.large",
            PubliclyAccessible=False,
            AutoMinorVersionUpgrade=True,
            SubnetIds=broker_subnets,
            Users=[{"Username": "demo", "Password": PASSWORD * 2}],
        )


SEEDER = Seeder(check="mq", seed=seed)

"""The demo account's `sgw` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.standin import Handler
from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder, launch, listed


def seed(world: DemoWorld, region: str) -> None:
    """Gateways come from the stand-in endpoint; the EC2-hosted one runs on a moto instance."""
    for name, hosting in (
        (
            "backup-file-gateway",
            {"Ec2InstanceId": launch(world, region, 0), "Ec2InstanceRegion": region},
        ),
        ("archive-volume-gateway", {"HostEnvironment": "VMWARE"}),
    ):
        gateway_id = f"sgw-{name.upper().replace('-', '')[:8]}"
        world.records("storagegateway", region).append(
            {
                "GatewayId": gateway_id,
                "GatewayARN": f"arn:aws:storagegateway:{region}:{ACCOUNT_ID}:gateway/{gateway_id}",
                "GatewayName": name,
                "GatewayType": "FILE_S3" if "file" in name else "CACHED",
                "GatewayOperationalState": "ACTIVE",
                **hosting,
            }
        )


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        "storagegateway": {"ListGateways": listed(world, "storagegateway", "ListGateways")},
    }


SEEDER = Seeder(check="sgw", seed=seed, standins=standins)

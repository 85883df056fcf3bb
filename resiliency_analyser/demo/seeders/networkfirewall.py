"""The demo account's `networkfirewall` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder


def seed(world: DemoWorld, region: str) -> None:
    """Firewalls in moto, mapped to the demo subnet in a, or to those in a and b."""
    firewall = world.client("network-firewall", region)
    subnets = world.subnets(region)
    vpc = world.client("ec2", region).describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    # moto serves no firewall policies but does not check the one a firewall names.
    policy = f"arn:aws:network-firewall:{region}:{ACCOUNT_ID}:firewall-policy/demo"
    for name, mapped in (
        ("egress-inspection-one-az", subnets[:1]),
        ("edge-inspection", subnets[:2]),
    ):
        firewall.create_firewall(
            FirewallName=name,
            FirewallPolicyArn=policy,
            VpcId=vpc,
            SubnetMappings=[{"SubnetId": s} for s in mapped],
        )


SEEDER = Seeder(check="networkfirewall", seed=seed)

"""The demo account's `ec2` resources: a risky and a safe example."""

from __future__ import annotations

from resiliency_analyser.checks.peers import PEER_GROUP_TAG
from resiliency_analyser.demo.world import AMI, DemoWorld, Seeder


def launch_named(world: DemoWorld, region: str, zone: int, name: str, **tags: str) -> str:
    """One instance named ``name``, with ``tags``, in the demo subnet of AZ number ``zone``."""
    tag_list = [{"Key": k, "Value": v} for k, v in {"Name": name, **tags}.items()]
    reservation = world.client("ec2", region).run_instances(
        ImageId=AMI,
        MinCount=1,
        MaxCount=1,
        SubnetId=world.subnets(region)[zone],
        TagSpecifications=[{"ResourceType": "instance", "Tags": tag_list}],
    )
    instance_id: str = reservation["Instances"][0]["InstanceId"]
    return instance_id


def classic_load_balancer(
    world: DemoWorld, region: str, name: str, instances: list[str], *, cross_zone: bool
) -> None:
    """A Classic Load Balancer in the first two demo subnets, with ``instances`` registered."""
    elb = world.client("elb", region)
    elb.create_load_balancer(
        LoadBalancerName=name,
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
        Subnets=world.subnets(region)[:2],
    )
    if cross_zone:
        elb.modify_load_balancer_attributes(
            LoadBalancerName=name,
            LoadBalancerAttributes={"CrossZoneLoadBalancing": {"Enabled": True}},
        )
    elb.register_instances_with_load_balancer(
        LoadBalancerName=name, Instances=[{"InstanceId": i} for i in instances]
    )


def seed(world: DemoWorld, region: str) -> None:
    """A standalone bastion host, two instances a Classic Load Balancer pairs across AZs, and
    three domain controllers in three AZs, peers by the workload tag."""
    launch_named(world, region, 0, "bastion-standalone")
    for zone in (0, 1, 2):
        launch_named(world, region, zone, f"ad-dc-{'abc'[zone]}-peers", **{PEER_GROUP_TAG: "ad"})
    pair = [launch_named(world, region, zone, f"reports-{zone}-paired") for zone in (0, 1)]
    classic_load_balancer(world, region, "reports-clb", pair, cross_zone=True)


SEEDER = Seeder(check="ec2", seed=seed)

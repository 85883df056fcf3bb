"""The demo account's `balance` resources: a risky and a safe example of each rule.

moto launches an Auto Scaling group's instances in its first subnet, so each group here starts
empty and has instances attached in the AZs its layout names. moto names an EKS node group's
Auto Scaling group but creates none: the demo creates it, as EKS would. ECS services and their
tasks come from the `ecs` seeder's stand-in; ElastiCache's ``IsMaster`` metric, which names a
cluster-mode group's primaries, is put into moto's CloudWatch as ElastiCache would publish it.

A layout is one letter per instance, node or task: ``a``, ``b``, ``c`` for the demo subnets of
the region's first three AZs, ``t`` for a small subnet in the second AZ with no free address
left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from resiliency_analyser.demo.seeders.ecs import service_record, task_records
from resiliency_analyser.demo.seeders.elb import demo_vpc, listener
from resiliency_analyser.demo.world import ACCOUNT_ID, AMI, DemoWorld, Seeder

LAUNCH_TEMPLATE = "balance-demo-template"
LAUNCH_CONFIGURATION = "balance-demo-config"
TYPES = ("m5.large", "m6i.large")
TINY_CIDR = "10.20.100.0/28"  # 11 usable addresses: AWS keeps 5 of every subnet's 16
TINY = "t"
ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/demo-balance-eks"  # moto does not check that it exists


class Subnets:
    """The demo subnets by layout letter, and the small subnet filled to its last address."""

    def __init__(self, world: DemoWorld, region: str) -> None:
        demo = world.subnets(region)
        ec2 = world.client("ec2", region)
        zone = ec2.describe_subnets(SubnetIds=demo[1:2])["Subnets"][0]["AvailabilityZone"]
        tiny = ec2.create_subnet(
            VpcId=demo_vpc(world, region), CidrBlock=TINY_CIDR, AvailabilityZone=zone
        )
        self.ids = {"a": demo[0], "b": demo[1], "c": demo[2], TINY: tiny["Subnet"]["SubnetId"]}
        self.tiny_zone = zone

    def of(self, layout: str) -> list[str]:
        """The subnets a layout launches in, in order."""
        return [self.ids[letter] for letter in dict.fromkeys(sorted(layout))]


def launch(world: DemoWorld, region: str, subnets: Subnets, layout: str) -> list[str]:
    """Instances placed as ``layout`` says; their ids, in its order."""
    ec2 = world.client("ec2", region)
    by_letter = {
        letter: [
            i["InstanceId"]
            for i in ec2.run_instances(
                ImageId=AMI, MinCount=count, MaxCount=count, SubnetId=subnets.ids[letter]
            )["Instances"]
        ]
        for letter, count in Counter(layout).items()
    }
    return [by_letter[letter].pop() for letter in layout]


def group(
    world: DemoWorld,
    region: str,
    subnets: Subnets,
    name: str,
    layout: str,
    sizes: tuple[int, int],
    **fields: Any,
) -> None:
    """An Auto Scaling group over ``layout``'s subnets, its instances attached where the layout
    says, sized (minimum, maximum); of two instance types unless ``fields`` say otherwise."""
    autoscaling = world.client("autoscaling", region)
    launched = fields.pop("LaunchConfigurationName", None)
    source: dict[str, Any] = (
        {"LaunchConfigurationName": launched}
        if launched
        else {
            "MixedInstancesPolicy": {
                "LaunchTemplate": {
                    "LaunchTemplateSpecification": {"LaunchTemplateName": LAUNCH_TEMPLATE},
                    "Overrides": [{"InstanceType": t} for t in TYPES],
                }
            }
        }
    )
    minimum, maximum = sizes
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        MinSize=0,
        MaxSize=max(maximum, len(layout)),
        DesiredCapacity=0,
        VPCZoneIdentifier=",".join(subnets.of(layout)),
        **source,
        **fields,
    )
    autoscaling.attach_instances(
        AutoScalingGroupName=name, InstanceIds=launch(world, region, subnets, layout)
    )
    # moto forgets a group's launch source on an update that does not name it again.
    autoscaling.update_auto_scaling_group(
        AutoScalingGroupName=name, MinSize=minimum, MaxSize=maximum, **source
    )


FILLED_BY_GROUP = "orders-tg-of-imbalanced-asg"
"""The target group the imbalanced Auto Scaling group fills: it goes down with the group."""
AUTO_SCALING_GROUPS: tuple[tuple[str, str, tuple[int, int], bool, tuple[str, ...]], ...] = (
    # (name, layout, (minimum, maximum), one instance type, the target groups it fills)
    ("orders-asg-imbalanced", "aaabc", (1, 8), False, (FILLED_BY_GROUP,)),
    ("catalog-asg-balanced", "abc", (1, 5), False, ()),
    ("billing-asg-no-headroom", "ab", (2, 2), False, ()),
    ("mailer-asg-one-instance-type", "ab", (1, 4), True, ()),
    ("thumbs-asg-subnet-full", "at", (1, 4), False, ()),
)
NODE_GROUPS = (
    # (node group, layout, (minimum, maximum), instance types)
    ("api-nodes-imbalanced", "aaabc", (1, 8), TYPES),
    ("web-nodes-balanced", "abc", (1, 5), TYPES),
    ("jobs-nodes-no-headroom", "ab", (2, 2), TYPES),
    ("ml-nodes-one-instance-type", "ab", (1, 4), TYPES[:1]),
    ("edge-nodes-subnet-full", "at", (1, 4), TYPES),
)


def auto_scaling_groups(
    world: DemoWorld, region: str, subnets: Subnets, target_group_arns: Mapping[str, str]
) -> None:
    world.client("ec2", region).create_launch_template(
        LaunchTemplateName=LAUNCH_TEMPLATE, LaunchTemplateData={"ImageId": AMI}
    )
    world.client("autoscaling", region).create_launch_configuration(
        LaunchConfigurationName=LAUNCH_CONFIGURATION, ImageId=AMI, InstanceType=TYPES[0]
    )
    for name, layout, sizes, one_type, fills in AUTO_SCALING_GROUPS:
        fields: dict[str, Any] = {"TargetGroupARNs": [target_group_arns[g] for g in fills]}
        if one_type:
            fields["LaunchConfigurationName"] = LAUNCH_CONFIGURATION
        group(world, region, subnets, name, layout, sizes, **fields)


def node_groups(world: DemoWorld, region: str, subnets: Subnets) -> None:
    eks = world.client("eks", region)
    cluster = "balance-eks"
    eks.create_cluster(
        name=cluster, roleArn=ROLE, resourcesVpcConfig={"subnetIds": world.subnets(region)}
    )
    for name, layout, (minimum, maximum), types in NODE_GROUPS:
        created = eks.create_nodegroup(
            clusterName=cluster,
            nodegroupName=name,
            subnets=subnets.of(layout),
            nodeRole=ROLE,
            instanceTypes=list(types),
            scalingConfig={"minSize": minimum, "maxSize": maximum, "desiredSize": len(layout)},
        )
        [nodes] = created["nodegroup"]["resources"]["autoScalingGroups"]
        tags = {"eks:cluster-name": cluster, "eks:nodegroup-name": name}
        group(
            world,
            region,
            subnets,
            nodes["name"],
            layout,
            (minimum, maximum),
            Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        )


SERVICES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    # (name, layout, fields of the DescribeServices record)
    ("payments-ecs-imbalanced", "aaabc", {}),
    ("search-ecs-balanced", "aabbcc", {}),
    ("quotes-ecs-no-headroom", "aab", {}),
    (
        "ledger-ecs-no-rebalancing",
        "aabbcc",
        {
            "availabilityZoneRebalancing": "DISABLED",
            "placementStrategy": [{"type": "binpack", "field": "memory"}],
            "launchType": "EC2",
        },
    ),
    ("render-ecs-subnet-full", "at", {}),
)


def services(world: DemoWorld, region: str, subnets: Subnets) -> None:
    tasks = world.records("ecs/tasks", region)
    for name, layout, fields in SERVICES:
        record = service_record(
            region,
            "balance",
            name,
            len(layout),
            subnets.of(layout),
            **{"availabilityZoneRebalancing": "ENABLED", **fields},
        )
        world.records("ecs", region).append(record)
        zones = layout.replace(TINY, subnets.tiny_zone[-1])
        tasks.extend(task_records(record, zones))


def fill_tiny_subnet(world: DemoWorld, region: str, subnets: Subnets) -> None:
    """Takes, with one network interface, the small subnet's addresses the groups and node
    groups there have not: no instance that other checks would judge."""
    ec2 = world.client("ec2", region)
    free = ec2.describe_subnets(SubnetIds=[subnets.ids[TINY]])
    left = int(free["Subnets"][0]["AvailableIpAddressCount"])
    if left:
        ec2.create_network_interface(
            SubnetId=subnets.ids[TINY],
            Description="takes the subnet's last addresses",
            SecondaryPrivateIpAddressCount=left - 1,
        )


TARGET_GROUPS = (
    # (target group, layout of its targets, listener port); an Auto Scaling group fills the one
    # without targets of its own
    ("orders-tg-imbalanced", "aaabc", 80),
    (FILLED_BY_GROUP, "", 83),
    ("catalog-tg-balanced", "abc", 81),
    ("status-tg-empty-az", "ab", 82),
)
NETWORK_LOAD_BALANCERS = (
    # (load balancer, its target group of targets 2 and 1 over its two AZs, cross-zone on)
    ("ingest-nlb-cross-zone-off", "ingest-tg-uneven", False),
    ("feeds-nlb-cross-zone-on", "feeds-tg-uneven", True),
)


def target_groups(world: DemoWorld, region: str, subnets: Subnets) -> dict[str, str]:
    """An ALB in three AZs with imbalanced, balanced and one-AZ-empty target groups, and one an
    Auto Scaling group fills; NLBs with cross-zone load balancing off and on, each over targets
    uneven between its two AZs. Returns the ALB's target groups' ARNs by name."""
    elbv2 = world.client("elbv2", region)
    vpc = demo_vpc(world, region)
    pool = launch(world, region, subnets, "aaabc")
    by_zone = {
        letter: [i for i, z in zip(pool, "aaabc", strict=True) if z == letter] for letter in "abc"
    }

    def targets(layout: str) -> list[dict[str, str]]:
        taken = {letter: iter(by_zone[letter]) for letter in "abc"}
        return [{"Id": next(taken[letter])} for letter in layout]

    alb = elbv2.create_load_balancer(Name="balance-alb", Subnets=subnets.of("abc"))
    alb_arn = alb["LoadBalancers"][0]["LoadBalancerArn"]
    arns: dict[str, str] = {}
    for name, layout, port in TARGET_GROUPS:
        arn = arns[name] = elbv2.create_target_group(
            Name=name, Protocol="HTTP", Port=port, VpcId=vpc
        )["TargetGroups"][0]["TargetGroupArn"]
        if layout:
            elbv2.register_targets(TargetGroupArn=arn, Targets=targets(layout))
        elbv2.create_listener(
            LoadBalancerArn=alb_arn,
            Protocol="HTTP",
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": arn}],
        )
    for name, group_name, on in NETWORK_LOAD_BALANCERS:
        nlb = elbv2.create_load_balancer(Name=name, Subnets=subnets.of("ab"), Type="network")
        arn = nlb["LoadBalancers"][0]["LoadBalancerArn"]
        if on:
            elbv2.modify_load_balancer_attributes(
                LoadBalancerArn=arn,
                Attributes=[{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}],
            )
        created = elbv2.create_target_group(Name=group_name, Protocol="TCP", Port=80, VpcId=vpc)
        group_arn = created["TargetGroups"][0]["TargetGroupArn"]
        elbv2.register_targets(TargetGroupArn=group_arn, Targets=targets("aab"))
        listener(elbv2, arn, group_arn, "TCP")
    return arns


def replication_groups(world: DemoWorld, region: str) -> None:
    """Cluster-mode groups of two shards, their primaries in one AZ or in two, and the
    ``IsMaster`` metric of every member."""
    cache = world.client("elasticache", region)
    metrics: list[dict[str, Any]] = []
    for name, primaries in (
        ("quotes-cache-primaries-one-az", "aa"),
        ("prices-cache-primaries-spread", "ab"),
    ):
        shards = [
            {
                "NodeGroupId": f"000{i}",
                "ReplicaCount": 1,
                "PrimaryAvailabilityZone": f"{region}{zone}",
                "ReplicaAvailabilityZones": [f"{region}{'b' if zone == 'a' else 'a'}"],
            }
            for i, zone in enumerate(primaries, start=1)
        ]
        created = cache.create_replication_group(
            ReplicationGroupId=name,
            ReplicationGroupDescription="two shards, a replica each",
            Engine="valkey",
            CacheNodeType="cache.t3.micro",
            ClusterMode="enabled",
            NumNodeGroups=len(shards),
            AutomaticFailoverEnabled=True,
            NodeGroupConfiguration=shards,
        )["ReplicationGroup"]
        for shard, config in zip(created["NodeGroups"], shards, strict=True):
            for member in shard["NodeGroupMembers"]:
                primary = member["PreferredAvailabilityZone"] == config["PrimaryAvailabilityZone"]
                metrics.append(is_master(member, primary))
    world.client("cloudwatch", region).put_metric_data(
        Namespace="AWS/ElastiCache", MetricData=metrics
    )


def is_master(member: dict[str, Any], primary: bool) -> dict[str, Any]:
    return {
        "MetricName": "IsMaster",
        "Dimensions": [
            {"Name": "CacheClusterId", "Value": member["CacheClusterId"]},
            {"Name": "CacheNodeId", "Value": member["CacheNodeId"]},
        ],
        "Value": 1.0 if primary else 0.0,
        "Timestamp": datetime.now(UTC),
    }


def seed(world: DemoWorld, region: str) -> None:
    """Per rule a risky and a safe group, node group, service and target group (the balanced
    ones are every rule's safe example); cluster-mode cache groups with their primaries in one AZ
    or two; an OpenSearch domain of 7 data nodes over 3 AZs (the `opensearch` seeder's domains
    of 9 over 3 and 6 over 2 are the safe examples)."""
    subnets = Subnets(world, region)
    auto_scaling_groups(world, region, subnets, target_groups(world, region, subnets))
    node_groups(world, region, subnets)
    fill_tiny_subnet(world, region, subnets)
    services(world, region, subnets)
    replication_groups(world, region)
    world.client("opensearch", region).create_domain(
        DomainName="logs-vpc-seven-nodes",
        ClusterConfig={
            "InstanceCount": 7,
            "ZoneAwarenessEnabled": True,
            "ZoneAwarenessConfig": {"AvailabilityZoneCount": 3},
        },
        VPCOptions={"SubnetIds": world.subnets(region)},
    )


SEEDER = Seeder(check="balance", seed=seed)

"""The heavy region's compute layer: load balancers, target groups, instances, groups, EKS,
cluster-mode caches."""

from __future__ import annotations

from resiliency_analyser.demo.seeders.ec2 import classic_load_balancer
from resiliency_analyser.demo.world import ACCOUNT_ID, AMI, DemoWorld

INSTANCES = 300
LOAD_BALANCERS = 100
TARGET_GROUPS_PER_LOAD_BALANCER = 2
TARGETS_PER_GROUP = 3
CLASSIC_LOAD_BALANCERS = 20
AUTO_SCALING_GROUPS = 50
EKS_CLUSTERS = 10
NODE_GROUPS_PER_CLUSTER = 3
NETWORK_LOAD_BALANCERS = 20
"""Each with a target group of three instances over two AZs; half with cross-zone on."""
CACHE_GROUPS = 10
SHARDS_PER_CACHE_GROUP = 3
"""Cluster-mode groups, whose primaries `balance` reads from ElastiCache's IsMaster metric."""


def seed_heavy_compute(world: DemoWorld, region: str, scale: int) -> None:
    """Standalone instances spread over three AZs, each registered in target groups of ALBs
    (two per ALB), NLBs or Classic Load Balancers; empty Auto Scaling groups; EKS node groups;
    cluster-mode ElastiCache groups."""
    ec2 = world.client("ec2", region)
    subnets = world.subnets(region)
    per_subnet = INSTANCES * scale // len(subnets)
    instances = [
        i["InstanceId"]
        for subnet in subnets
        for i in ec2.run_instances(
            ImageId=AMI, MinCount=per_subnet, MaxCount=per_subnet, SubnetId=subnet
        )["Instances"]
    ]
    # Interleaved, so each run of consecutive instances spans the three AZs.
    instances = [
        instances[k * per_subnet + j] for j in range(per_subnet) for k in range(len(subnets))
    ]
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    elbv2 = world.client("elbv2", region)
    for n in range(LOAD_BALANCERS * scale):
        balancer = elbv2.create_load_balancer(Name=f"heavy-alb-{n}", Subnets=subnets[: 1 + n % 3])
        arn = balancer["LoadBalancers"][0]["LoadBalancerArn"]
        for g in range(TARGET_GROUPS_PER_LOAD_BALANCER):
            group = elbv2.create_target_group(
                Name=f"heavy-tg-{n}-{g}", Protocol="HTTP", Port=80 + g, VpcId=vpc
            )["TargetGroups"][0]["TargetGroupArn"]
            first = (n * TARGET_GROUPS_PER_LOAD_BALANCER + g) * TARGETS_PER_GROUP
            # Some groups get one target only, so some load balancers have targets in one AZ.
            count = TARGETS_PER_GROUP if n % 4 else 1
            members = [instances[(first + k) % len(instances)] for k in range(count)]
            elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": i} for i in members])
            elbv2.create_listener(
                LoadBalancerArn=arn,
                Protocol="HTTP",
                Port=80 + g,
                DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
            )
    for n in range(NETWORK_LOAD_BALANCERS * scale):
        balancer = elbv2.create_load_balancer(
            Name=f"heavy-nlb-{n}", Subnets=subnets[:2], Type="network"
        )["LoadBalancers"][0]["LoadBalancerArn"]
        if n % 2:
            elbv2.modify_load_balancer_attributes(
                LoadBalancerArn=balancer,
                Attributes=[{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}],
            )
        group = elbv2.create_target_group(
            Name=f"heavy-nlb-tg-{n}", Protocol="TCP", Port=80, VpcId=vpc
        )["TargetGroups"][0]["TargetGroupArn"]
        # Instances of the first two AZs only (the interleaving puts every third in the third).
        members = [i for k, i in enumerate(instances[n * 6 : n * 6 + 6]) if k % 3 != 2][:3]
        elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": i} for i in members])
        elbv2.create_listener(
            LoadBalancerArn=balancer,
            Protocol="TCP",
            Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
        )
    for n in range(CLASSIC_LOAD_BALANCERS * scale):
        pair = instances[n * 2 : n * 2 + 2]
        classic_load_balancer(world, region, f"heavy-clb-{n}", pair, cross_zone=n % 2 == 0)
    autoscaling = world.client("autoscaling", region)
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="heavy-launch-config", ImageId=AMI, InstanceType="t3.micro"
    )
    for n in range(AUTO_SCALING_GROUPS * scale):
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName=f"heavy-asg-{n}",
            LaunchConfigurationName="heavy-launch-config",
            MinSize=0,
            MaxSize=2,
            DesiredCapacity=0,
            VPCZoneIdentifier=",".join(subnets[: 1 + n % 3]),
        )
    eks = world.client("eks", region)
    role = f"arn:aws:iam::{ACCOUNT_ID}:role/heavy-eks"
    for c in range(EKS_CLUSTERS * scale):
        cluster = f"heavy-eks-{c}"
        eks.create_cluster(name=cluster, roleArn=role, resourcesVpcConfig={"subnetIds": subnets})
        for g in range(NODE_GROUPS_PER_CLUSTER):
            eks.create_nodegroup(
                clusterName=cluster,
                nodegroupName=f"{cluster}-ng-{g}",
                subnets=subnets[: 1 + g],
                nodeRole=role,
            )
    cache = world.client("elasticache", region)
    for c in range(CACHE_GROUPS * scale):
        cache.create_replication_group(
            ReplicationGroupId=f"heavy-shards-{c}",
            ReplicationGroupDescription="cluster mode, a replica per shard",
            Engine="valkey",
            CacheNodeType="cache.t3.micro",
            ClusterMode="enabled",
            NumNodeGroups=SHARDS_PER_CACHE_GROUP,
            ReplicasPerNodeGroup=1,
            AutomaticFailoverEnabled=True,
        )

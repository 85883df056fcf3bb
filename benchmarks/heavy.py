"""The heavy region of the benchmark account: hundreds of resources of the big services."""

from __future__ import annotations

from benchmarks.heavy_compute import seed_heavy_compute
from resiliency_analyser.demo.seeders.awslambda import lambda_zip
from resiliency_analyser.demo.seeders.nat import egress_table, nat_gateway
from resiliency_analyser.demo.world import PASSWORD, DemoWorld

RDS_INSTANCES = 300
LAMBDA_FUNCTIONS = 200
ELASTICACHE_CLUSTERS = 100
OPENSEARCH_DOMAINS = 30
SUBNETS = 200
"""Each with its own route table, whose default route goes to a NAT gateway."""
SUBNETS_PER_VPC = 250
"""/24 subnets of one /16 VPC."""


def seed_heavy(world: DemoWorld, region: str, scale: int) -> None:
    seed_heavy_network(world, region, scale)
    rds = world.client("rds", region)
    for i in range(RDS_INSTANCES * scale):
        rds.create_db_instance(
            DBInstanceIdentifier=f"heavy-db-{i}",
            Engine="postgres",
            DBInstanceClass="db.t3.micro",
            MasterUsername="admin",
            MasterUserPassword=PASSWORD,
            AllocatedStorage=20,
            MultiAZ=i % 2 == 0,
        )
    role = world.client("iam", "us-east-1").create_role(
        RoleName="heavy-lambda", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    subnets = world.subnets(region)
    group = world.client("ec2", region).describe_security_groups()["SecurityGroups"][0]["GroupId"]
    code = {"ZipFile": lambda_zip()}
    functions = world.client("lambda", region)
    for i in range(LAMBDA_FUNCTIONS * scale):
        functions.create_function(
            FunctionName=f"heavy-fn-{i}",
            Runtime="python3.12",
            Role=role,
            Handler="h.h",
            Code=code,
            VpcConfig={"SubnetIds": subnets[: 1 + i % 3], "SecurityGroupIds": [group]},
        )
    cache = world.client("elasticache", region)
    for i in range(ELASTICACHE_CLUSTERS * scale):
        cache.create_cache_cluster(
            CacheClusterId=f"heavy-cache-{i}",
            Engine="memcached" if i % 2 else "redis",
            CacheNodeType="cache.t3.micro",
            NumCacheNodes=1,
        )
    opensearch = world.client("opensearch", region)
    for i in range(OPENSEARCH_DOMAINS * scale):
        opensearch.create_domain(
            DomainName=f"heavy-domain-{i}", ClusterConfig={"InstanceCount": 1 + i % 3}
        )
    seed_heavy_compute(world, region, scale)


def seed_heavy_network(world: DemoWorld, region: str, scale: int) -> None:
    """Subnets spread over three AZs, each VPC with a NAT gateway per AZ; every subnet has a
    route table of its own, half to the NAT gateway of its AZ, half to the one in the first AZ."""
    ec2 = world.client("ec2", region)
    zones = sorted(z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"])
    total = SUBNETS * scale
    for block, first in enumerate(range(0, total, SUBNETS_PER_VPC)):
        prefix = f"10.{100 + block}"
        vpc = ec2.create_vpc(CidrBlock=f"{prefix}.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(
                VpcId=vpc, CidrBlock=f"{prefix}.{index}.0/24", AvailabilityZone=zones[index % 3]
            )["Subnet"]["SubnetId"]
            for index in range(min(SUBNETS_PER_VPC, total - first))
        ]
        gateways = [nat_gateway(world, region, subnet) for subnet in subnets[:3]]
        for index, subnet in enumerate(subnets):
            gateway = gateways[index % 3] if index % 2 == 0 else gateways[0]
            egress_table(ec2, vpc, f"heavy-egress-{first + index}", gateway, [subnet])

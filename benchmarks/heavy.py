"""The heavy region of the benchmark account: hundreds of resources of the big services."""

from __future__ import annotations

from benchmarks.heavy_compute import seed_heavy_compute
from resiliency_analyser.demo.seeders.awslambda import lambda_zip
from resiliency_analyser.demo.world import PASSWORD, DemoWorld

RDS_INSTANCES = 300
LAMBDA_FUNCTIONS = 200
ELASTICACHE_CLUSTERS = 100
OPENSEARCH_DOMAINS = 30


def seed_heavy(world: DemoWorld, region: str, scale: int) -> None:
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

"""What the demo account holds: a risky and a safe example for every check."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime

from resiliency_analyser.demo.world import DemoWorld

PASSWORD = "demo-password-1"  # a throwaway value for moto, which insists on one


def seed_rds(world: DemoWorld, region: str) -> None:
    rds = world.client("rds", region)
    instance = {
        "DBInstanceClass": "db.t3.micro",
        "MasterUsername": "admin",
        "MasterUserPassword": PASSWORD,
        "AllocatedStorage": 20,
    }
    rds.create_db_instance(
        DBInstanceIdentifier="orders-single-az",
        Engine="mysql",
        MultiAZ=False,
        AvailabilityZone=f"{region}a",
        **instance,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="billing-multi-az", Engine="postgres", MultiAZ=True, **instance
    )
    for name, zones in (("catalog-aurora", "ab"), ("reports-aurora-one-az", "a")):
        rds.create_db_cluster(
            DBClusterIdentifier=name,
            Engine="aurora-postgresql",
            MasterUsername="admin",
            MasterUserPassword=PASSWORD,
        )
        for i, zone in enumerate(zones):
            rds.create_db_instance(
                DBInstanceIdentifier=f"{name}-{i}",
                DBClusterIdentifier=name,
                Engine="aurora-postgresql",
                DBInstanceClass="db.r6g.large",
                AvailabilityZone=f"{region}{zone}",
            )


def seed_docdb(world: DemoWorld, region: str) -> None:
    """DocumentDB is answered by the stand-in endpoint: moto cannot create docdb clusters."""
    clusters = world.records("docdb", region)
    for name, multi_az in (("sessions-docdb", False), ("profiles-docdb", True)):
        clusters.append(
            {
                "DBClusterIdentifier": name,
                "DBClusterArn": f"arn:aws:rds:{region}:123456789012:cluster:{name}",
                "DbClusterResourceId": f"cluster-{name.upper().replace('-', '')}",
                "Engine": "docdb",
                "MultiAZ": multi_az,
                "AvailabilityZones": [f"{region}a", f"{region}b", f"{region}c"],
                "DBClusterMembers": [],
                "Status": "available",
                "ClusterCreateTime": datetime(2024, 1, 1, tzinfo=UTC),
            }
        )


def lambda_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def seed_lambda(world: DemoWorld, region: str) -> None:
    iam = world.client("iam", "us-east-1")
    role_name = f"demo-lambda-{region}"
    role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    subnets = world.subnets(region)
    security_group = world.client("ec2", region).describe_security_groups()["SecurityGroups"][0]
    code = {"ZipFile": lambda_zip()}
    layouts: dict[str, list[str]] = {
        "checkout-one-az": subnets[:1],
        "search-two-az": subnets[:2],
        "nightly-no-vpc": [],
    }
    for name, function_subnets in layouts.items():
        vpc = {"SubnetIds": function_subnets, "SecurityGroupIds": [security_group["GroupId"]]}
        world.client("lambda", region).create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="handler.handler",
            Code=code,
            **({"VpcConfig": vpc} if function_subnets else {}),
        )


def seed_opensearch(world: DemoWorld, region: str) -> None:
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


SEEDERS: tuple[Callable[[DemoWorld, str], None], ...] = (
    seed_rds,
    seed_docdb,
    seed_lambda,
    seed_opensearch,
)


def seed_organization(world: DemoWorld) -> None:
    world.client("organizations", "us-east-1").create_organization(FeatureSet="ALL")


def seed(world: DemoWorld) -> None:
    seed_organization(world)
    for region in world.regions:
        for seeder in SEEDERS:
            seeder(world, region)

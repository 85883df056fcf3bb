"""What the demo account holds: a risky and a safe example for every check."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from resiliency_analyser.checks.globalaccelerator import HOME_REGION as GLOBAL_ACCELERATOR_REGION
from resiliency_analyser.demo.world import DemoWorld, create_db_cluster

PASSWORD = "demo-password-1"  # a throwaway value for moto, which insists on one
ACCOUNT_ID = "123456789012"  # moto's default account
AMI = "ami-12c6146b"  # an image id moto ships


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
        create_db_cluster(
            rds,
            name,
            "aurora-postgresql",
            zones,
            MasterUsername="admin",
            MasterUserPassword=PASSWORD,
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


def seed_vpce(world: DemoWorld, region: str) -> None:
    ec2 = world.client("ec2", region)
    subnets = world.subnets(region)
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    for name, service, endpoint_subnets in (
        ("kms-endpoint-one-az", "kms", subnets[:1]),
        ("sqs-endpoint-two-az", "sqs", subnets[:2]),
    ):
        ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName=f"com.amazonaws.{region}.{service}",
            VpcEndpointType="Interface",
            SubnetIds=endpoint_subnets,
            TagSpecifications=[
                {"ResourceType": "vpc-endpoint", "Tags": [{"Key": "Name", "Value": name}]}
            ],
        )


def seed_dms(world: DemoWorld, region: str) -> None:
    dms = world.client("dms", region)
    for name, multi_az in (("migration-single-az", False), ("migration-multi-az", True)):
        instance = dms.create_replication_instance(
            ReplicationInstanceIdentifier=name,
            ReplicationInstanceClass="dms.t3.medium",
            MultiAZ=multi_az,
            AvailabilityZone=f"{region}a",
        )["ReplicationInstance"]
        dms.create_replication_task(
            ReplicationTaskIdentifier=f"{name}-orders-task",
            SourceEndpointArn=f"arn:aws:dms:{region}:123456789012:endpoint:SOURCE",
            TargetEndpointArn=f"arn:aws:dms:{region}:123456789012:endpoint:TARGET",
            ReplicationInstanceArn=instance["ReplicationInstanceArn"],
            MigrationType="full-load-and-cdc",
            TableMappings="{}",
        )


def seed_efs(world: DemoWorld, region: str) -> None:
    efs = world.client("efs", region)
    subnets = world.subnets(region)
    efs.create_file_system(
        CreationToken="scratch-one-zone",
        AvailabilityZoneName=f"{region}a",
        Tags=[{"Key": "Name", "Value": "scratch-one-zone"}],
    )
    shared = efs.create_file_system(
        CreationToken="home-standard", Tags=[{"Key": "Name", "Value": "home-standard"}]
    )["FileSystemId"]
    for subnet in subnets[:2]:
        efs.create_mount_target(FileSystemId=shared, SubnetId=subnet)


def seed_fsx(world: DemoWorld, region: str) -> None:
    fsx = world.client("fsx", region)
    subnets = world.subnets(region)
    for name, deployment, fs_subnets in (
        ("finance-shares-single-az", "SINGLE_AZ_2", subnets[:1]),
        ("hr-shares-multi-az", "MULTI_AZ_1", subnets[:2]),
    ):
        fsx.create_file_system(
            FileSystemType="WINDOWS",
            StorageCapacity=32,
            SubnetIds=fs_subnets,
            WindowsConfiguration={
                "DeploymentType": deployment,
                "ThroughputCapacity": 32,
                "PreferredSubnetId": fs_subnets[0],
            },
            Tags=[{"Key": "Name", "Value": name}],
        )


def seed_elasticache(world: DemoWorld, region: str) -> None:
    cache = world.client("elasticache", region)
    cache.create_cache_cluster(
        CacheClusterId="page-cache-memcached",
        Engine="memcached",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=2,
        PreferredAvailabilityZone=f"{region}a",
    )
    cache.create_replication_group(
        ReplicationGroupId="sessions-valkey",
        ReplicationGroupDescription="sessions, one replica per shard in another AZ",
        Engine="valkey",
        CacheNodeType="cache.t3.micro",
        ClusterMode="enabled",
        NumNodeGroups=2,
        AutomaticFailoverEnabled=True,
        NodeGroupConfiguration=[
            {
                "NodeGroupId": f"000{i}",
                "ReplicaCount": 1,
                "PrimaryAvailabilityZone": f"{region}{primary}",
                "ReplicaAvailabilityZones": [f"{region}{replica}"],
            }
            for i, (primary, replica) in enumerate((("a", "b"), ("b", "a")), start=1)
        ],
    )


def seed_memorydb(world: DemoWorld, region: str) -> None:
    """MemoryDB is answered by the stand-in endpoint: moto places nodes in random AZs."""
    for name, layout in (("leaderboard-one-az", "aa"), ("carts-multi-az", "ab")):
        world.records("memorydb", region).append(
            {
                "Name": name,
                "ARN": f"arn:aws:memorydb:{region}:123456789012:cluster/{name}",
                "Status": "available",
                "Engine": "valkey",
                "NumberOfShards": 1,
                "Shards": [
                    {
                        "Name": "0001",
                        "Nodes": [
                            {"Name": f"{name}-0001-00{i}", "AvailabilityZone": f"{region}{z}"}
                            for i, z in enumerate(layout, start=1)
                        ],
                        "NumberOfNodes": len(layout),
                    }
                ],
            }
        )


def seed_redshift(world: DemoWorld, region: str) -> None:
    """Redshift is answered by the stand-in endpoint: moto does not report MultiAZ."""
    for name, multi_az in (("analytics-single-az", "Disabled"), ("bi-multi-az", "Enabled")):
        cluster: dict[str, Any] = {
            "ClusterIdentifier": name,
            "NodeType": "ra3.xlplus",
            "ClusterStatus": "available",
            "AvailabilityZone": f"{region}a",
            "MultiAZ": multi_az,
        }
        if multi_az == "Enabled":
            cluster["MultiAZSecondary"] = {"AvailabilityZone": f"{region}b"}
        world.records("redshift", region).append(cluster)


def seed_neptune(world: DemoWorld, region: str) -> None:
    neptune = world.client("neptune", region)
    for name, zones in (("graph-one-az", "a"), ("graph-multi-az", "ab")):
        create_db_cluster(neptune, name, "neptune", zones)


def launch(world: DemoWorld, region: str, zone: int) -> str:
    """One EC2 instance in the demo subnet of the region's AZ number ``zone`` (0 is a)."""
    reservation = world.client("ec2", region).run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=world.subnets(region)[zone]
    )
    instance_id: str = reservation["Instances"][0]["InstanceId"]
    return instance_id


def seed_sgw(world: DemoWorld, region: str) -> None:
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


def dax_cluster(name: str, region: str, zones: str) -> dict[str, Any]:
    """A DescribeClusters record with one available node per AZ letter in ``zones``."""
    return {
        "ClusterName": name,
        "ClusterArn": f"arn:aws:dax:{region}:{ACCOUNT_ID}:cache/{name}",
        "TotalNodes": len(zones),
        "ActiveNodes": len(zones),
        "NodeType": "dax.r5.large",
        "Status": "available",
        "Nodes": [
            {"NodeId": f"{name}-{i}", "AvailabilityZone": f"{region}{z}", "NodeStatus": "available"}
            for i, z in enumerate(zones)
        ],
    }


def seed_dax(world: DemoWorld, region: str) -> None:
    """From the stand-in: moto's DAX clusters never list their nodes."""
    for name, zones in (("sessions-dax-one-az", "aa"), ("catalog-dax-multi-az", "abc")):
        world.records("dax", region).append(dax_cluster(name, region, zones))


def seed_globalaccelerator(world: DemoWorld, region: str) -> None:
    """Accelerators from the stand-in, endpoints in moto: one AZ (an instance and an Elastic IP
    there) or two (an Application Load Balancer)."""
    ec2 = world.client("ec2", region)
    subnets = world.subnets(region)
    interface = ec2.create_network_interface(SubnetId=subnets[0])["NetworkInterface"]
    address = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=address, NetworkInterfaceId=interface["NetworkInterfaceId"])
    balancer = world.client("elbv2", region).create_load_balancer(
        Name=f"shop-{region}", Subnets=subnets[:2]
    )["LoadBalancers"][0]["LoadBalancerArn"]
    for name, endpoints in (
        (f"game-{region}-one-az", [launch(world, region, 0), address]),
        (f"shop-{region}-multi-az", [balancer]),
    ):
        accelerator = f"arn:aws:globalaccelerator::{ACCOUNT_ID}:accelerator/{name}"
        listener = f"{accelerator}/listener/0"
        world.records("globalaccelerator", GLOBAL_ACCELERATOR_REGION).append(
            {"AcceleratorArn": accelerator, "Name": name, "Enabled": True, "Status": "DEPLOYED"}
        )
        world.records("globalaccelerator/listeners", accelerator).append(
            {
                "ListenerArn": listener,
                "Protocol": "TCP",
                "PortRanges": [{"FromPort": 443, "ToPort": 443}],
            }
        )
        world.records("globalaccelerator/endpoint-groups", listener).append(
            {
                "EndpointGroupArn": f"{listener}/endpoint-group/0",
                "EndpointGroupRegion": region,
                "EndpointDescriptions": [{"EndpointId": e, "Weight": 128} for e in endpoints],
                "TrafficDialPercentage": 100.0,
            }
        )


def seed_dx(world: DemoWorld, region: str) -> None:
    """From the stand-in: moto serves no virtual interfaces. Two connections at two locations;
    a virtual gateway whose VIFs share one connection, a Direct Connect gateway whose do not."""
    connections = [f"dxcon-{region}-{i}" for i in range(2)]
    for connection, location in zip(connections, ("EqDC2", "CSVA1"), strict=True):
        world.records("directconnect", region).append(
            {
                "connectionId": connection,
                "connectionName": connection,
                "connectionState": "available",
                "location": location,
                "region": region,
                "bandwidth": "10Gbps",
            }
        )
    for vif, connection, gateway in (
        ("dxvif-a", connections[0], {"virtualGatewayId": f"vgw-{region}"}),
        ("dxvif-b", connections[0], {"virtualGatewayId": f"vgw-{region}"}),
        ("dxvif-c", connections[0], {"directConnectGatewayId": f"dxgw-{region}"}),
        ("dxvif-d", connections[1], {"directConnectGatewayId": f"dxgw-{region}"}),
    ):
        world.records("directconnect/virtual-interfaces", region).append(
            {
                "virtualInterfaceId": f"{vif}-{region}",
                "connectionId": connection,
                "virtualInterfaceType": "private",
                "virtualInterfaceState": "available",
                "region": region,
                **gateway,
            }
        )


def hsm_cluster(cluster_id: str, region: str, zones: str) -> dict[str, Any]:
    """A CloudHSM DescribeClusters record with one active HSM per AZ letter in ``zones``."""
    return {
        "ClusterId": cluster_id,
        "HsmType": "hsm2m.medium",
        "State": "ACTIVE",
        "Hsms": [
            {
                "HsmId": f"hsm-{cluster_id[-6:]}{i}",
                "ClusterId": cluster_id,
                "AvailabilityZone": f"{region}{z}",
                "State": "ACTIVE",
            }
            for i, z in enumerate(zones)
        ],
    }


def seed_cloudhsm(world: DemoWorld, region: str) -> None:
    """From the stand-in: moto's CloudHSM clusters never have HSMs."""
    for cluster_id, zones in (("cluster-keys1az", "a"), ("cluster-keys2az", "ab")):
        world.records("cloudhsmv2", region).append(hsm_cluster(cluster_id, region, zones))


SEEDERS: tuple[Callable[[DemoWorld, str], None], ...] = (
    seed_rds,
    seed_docdb,
    seed_lambda,
    seed_opensearch,
    seed_vpce,
    seed_dms,
    seed_efs,
    seed_fsx,
    seed_elasticache,
    seed_memorydb,
    seed_redshift,
    seed_neptune,
    seed_sgw,
    seed_dax,
    seed_globalaccelerator,
    seed_dx,
    seed_cloudhsm,
)


def seed_organization(world: DemoWorld) -> None:
    world.client("organizations", "us-east-1").create_organization(FeatureSet="ALL")


def seed(world: DemoWorld, *, skip_unsupported: bool = False) -> list[str]:
    """Seeds every region; returns '<seeder> in <region>' for each one the simulator refused.

    Only with ``skip_unsupported`` (the benchmark's many regions, some of which moto serves
    partially) is a refusal skipped; the demo's own regions must seed completely.
    """
    seed_organization(world)
    skipped: list[str] = []
    for region in world.regions:
        for seeder in SEEDERS:
            try:
                seeder(world, region)
            except ClientError:
                if not skip_unsupported:
                    raise
                skipped.append(f"{seeder.__name__} in {region}")
    return skipped

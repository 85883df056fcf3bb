"""What the demo account holds: a risky and a safe example for every check."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from resiliency_analyser.checks.globalaccelerator import HOME_REGION as GLOBAL_ACCELERATOR_REGION
from resiliency_analyser.demo.world import DemoWorld

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
    seed_sgw,
    seed_dax,
    seed_globalaccelerator,
    seed_dx,
    seed_cloudhsm,
)


def seed_organization(world: DemoWorld) -> None:
    world.client("organizations", "us-east-1").create_organization(FeatureSet="ALL")


def seed(world: DemoWorld) -> None:
    seed_organization(world)
    for region in world.regions:
        for seeder in SEEDERS:
            seeder(world, region)

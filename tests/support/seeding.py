"""Cheap seeding for tests: RDS instances are quick for moto to create."""

from __future__ import annotations

from typing import Any

from tests.support.moto import Boto

PASSWORD = "test-password-1"  # moto insists on one
AMI = "ami-12c6146b"  # an image id moto ships


def create_db_instance(
    boto: Boto, region: str, name: str, *, multi_az: bool, engine: str = "mysql", **tags: str
) -> None:
    boto("rds", region).create_db_instance(
        DBInstanceIdentifier=name,
        Engine=engine,
        DBInstanceClass="db.t3.micro",
        MasterUsername="admin",
        MasterUserPassword=PASSWORD,
        AllocatedStorage=20,
        MultiAZ=multi_az,
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )


def db_in_zone(rds: Any, name: str, zone: str, *, multi_az: bool = False) -> None:
    """A DB instance placed in ``zone`` (its primary's, for a Multi-AZ one)."""
    rds.create_db_instance(
        DBInstanceIdentifier=name,
        Engine="mysql",
        DBInstanceClass="db.t3.micro",
        MasterUsername="admin",
        MasterUserPassword=PASSWORD,
        AllocatedStorage=20,
        MultiAZ=multi_az,
        AvailabilityZone=zone,
    )


def seed_rds_instances(boto: Boto, count: int, *, multi_az_every: int = 0) -> None:
    """``db-0000``… in us-east-1; every ``multi_az_every``-th one (from the first) is Multi-AZ."""
    for i in range(count):
        multi_az = bool(multi_az_every) and i % multi_az_every == 0
        create_db_instance(boto, "us-east-1", f"db-{i:04d}", multi_az=multi_az)


def make_subnets(boto: Boto, region: str) -> list[str]:
    """Three subnets of a new VPC: the first two share AZ ``a``, the third is in ``b``."""
    ec2 = boto("ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    return [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"{region}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in enumerate("aab")
    ]


def launch_instance(boto: Boto, region: str, subnet: str, **tags: str) -> str:
    """One EC2 instance in ``subnet``, with these tags (``Name="web"``); returns its id."""
    tag_list = [{"Key": k, "Value": v} for k, v in tags.items()]
    reservation = boto("ec2", region).run_instances(
        ImageId=AMI,
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet,
        TagSpecifications=[{"ResourceType": "instance", "Tags": tag_list}] if tag_list else [],
    )
    instance_id: str = reservation["Instances"][0]["InstanceId"]
    return instance_id


def classic_load_balancer(
    boto: Boto, region: str, name: str, subnets: list[str], instances: list[str]
) -> None:
    """A Classic Load Balancer in ``subnets`` with ``instances`` registered."""
    elb = boto("elb", region)
    elb.create_load_balancer(
        LoadBalancerName=name,
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
        Subnets=subnets,
    )
    elb.register_instances_with_load_balancer(
        LoadBalancerName=name, Instances=[{"InstanceId": i} for i in instances]
    )

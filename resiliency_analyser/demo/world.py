"""The simulated account's building blocks: boto3 clients on the local server, a VPC per region."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3

DEMO_KEYS = ("testing", "testing")  # moto accepts any keys; these reach no real account


@dataclass
class DemoWorld:
    endpoint_url: str
    regions: tuple[str, ...]
    standin_data: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    """service -> region -> records, for APIs the stand-in endpoint answers."""

    def client(self, service: str, region: str) -> Any:
        return _client(self.endpoint_url, service, region)

    def subnets(self, region: str) -> list[str]:
        """Three subnets of one demo VPC, in the region's first three AZs."""
        return _network(self.endpoint_url, region)

    def records(self, service: str, region: str) -> list[dict[str, Any]]:
        return self.standin_data.setdefault(service, {}).setdefault(region, [])


def create_db_cluster(client: Any, name: str, engine: str, zones: str, **cluster: Any) -> None:
    """A DB cluster with one member instance per AZ suffix in ``zones`` (RDS, Neptune)."""
    client.create_db_cluster(DBClusterIdentifier=name, Engine=engine, **cluster)
    region = client.meta.region_name
    for i, zone in enumerate(zones):
        client.create_db_instance(
            DBInstanceIdentifier=f"{name}-{i}",
            DBClusterIdentifier=name,
            Engine=engine,
            DBInstanceClass="db.r6g.large",
            AvailabilityZone=f"{region}{zone}",
        )


@cache
def _client(endpoint_url: str, service: str, region: str) -> Any:
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=DEMO_KEYS[0],
        aws_secret_access_key=DEMO_KEYS[1],
    )


@cache
def _network(endpoint_url: str, region: str) -> list[str]:
    ec2 = _client(endpoint_url, "ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    zones = sorted(z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"])
    return [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate(zones[:3])
    ]

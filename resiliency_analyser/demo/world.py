"""The simulated account's building blocks: boto3 clients on the local server, a VPC per region."""

from __future__ import annotations

import hashlib
from base64 import b32encode
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3

from resiliency_analyser.demo.standin import Handler, paged

DEMO_KEYS = ("testing", "testing")  # moto accepts any keys; these reach no real account
ACCOUNT_ID = "123456789012"  # moto's default account
PASSWORD = "demo-password-1"  # a throwaway value for moto, which insists on one
AMI = "ami-12c6146b"  # an image id moto ships
PAGE_SIZE = 2  # small, so a demo scan follows second pages too


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


@dataclass(frozen=True)
class Seeder:
    """One check's demo resources: a risky and a safe example of each rule, in every region."""

    check: str
    """The key of the check whose resources these are."""
    seed: Callable[[DemoWorld, str], None]
    standins: Callable[[DemoWorld], Mapping[str, Mapping[str, Handler]]] | None = None
    """Operations served from a stand-in endpoint, per service, where moto lacks the API or a
    field the check reads."""


def launch(world: DemoWorld, region: str, zone: int) -> str:
    """One EC2 instance in the demo subnet of the region's AZ number ``zone`` (0 is a)."""
    reservation = world.client("ec2", region).run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=world.subnets(region)[zone]
    )
    instance_id: str = reservation["Instances"][0]["InstanceId"]
    return instance_id


def no_records(key: str) -> Handler:
    def handler(params: dict[str, Any], region: str) -> dict[str, Any]:
        return {key: []}

    return handler


def listed(
    world: DemoWorld, service: str, operation: str, store: str = "", by: str = ""
) -> Handler:
    """Serves ``world.records(store or service, key)`` a page at a time; the key is the signed
    region, or the request parameter ``by`` (e.g. the listener an endpoint-group listing is for)."""

    def records(params: dict[str, Any], region: str) -> list[dict[str, Any]]:
        return world.records(store or service, params[by] if by else region)

    return paged(service, operation, records, PAGE_SIZE)


def create_db_cluster(client: Any, name: str, engine: str, zones: str, **cluster: Any) -> None:
    """A DB cluster with one member instance per AZ suffix in ``zones`` (Neptune)."""
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


DEMO_ZONES = 3
"""The demo VPC's subnets: one in each of the region's first three AZs."""


@cache
def _network(endpoint_url: str, region: str) -> list[str]:
    ec2 = _client(endpoint_url, "ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    zones = sorted(z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"])
    return [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate(zones[:DEMO_ZONES])
    ]


def resource_id(prefix: str, region: str, name: str) -> str:
    """A stable id shaped like RDS's (``db-`` and 26 characters), different for each resource."""
    digest = b32encode(hashlib.sha256(f"{region}/{name}".encode()).digest()).decode()
    return f"{prefix}-{digest[:26]}"

"""The simulated account's building blocks: boto3 clients on the local server, a VPC per region."""

from __future__ import annotations

import hashlib
from base64 import b32encode
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3

from resiliency_analyser.demo.standin import Handler, answering_account, answering_key, paged

DEMO_KEYS = ("testing", "testing")  # moto accepts any keys; these reach no real account
ACCOUNT_ID = "123456789012"  # moto's default account
PASSWORD = "demo-password-1"  # a throwaway value for moto, which insists on one
AMI = "ami-12c6146b"  # an image id moto ships
PAGE_SIZE = 2  # small, so a demo scan follows second pages too


Keys = tuple[str, str, str]
"""An assumed role's access key id, secret key and session token."""


@dataclass
class DemoWorld:
    endpoint_url: str
    regions: tuple[str, ...]
    account_id: str = ACCOUNT_ID
    keys: Keys | None = None
    """A member account's credentials (a role assumed there); ``None``: the demo account's."""
    standin_data: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = field(
        default_factory=dict
    )
    """account -> service -> region (or parent id) -> records, for APIs the stand-in endpoints
    answer; shared by every account's world."""

    def member(self, account_id: str, keys: Keys) -> DemoWorld:
        """The world of another account of the demo organization, sharing the stand-ins' data."""
        return DemoWorld(self.endpoint_url, self.regions, account_id, keys, self.standin_data)

    def client(self, service: str, region: str) -> Any:
        """A client on the moto server acting in this world's account; in a stand-in answering a
        request, in the account asking (moto tells accounts apart by the access key alone)."""
        key = answering_key()
        return _client(
            self.endpoint_url, service, region, (key, DEMO_KEYS[1], "") if key else self.keys
        )

    def subnets(self, region: str) -> list[str]:
        """Three subnets of one demo VPC, in the region's first three AZs."""
        return _network(self.endpoint_url, region, self.keys)

    def records(self, service: str, region: str) -> list[dict[str, Any]]:
        """The records a stand-in answers the account asking with; while seeding, this world's
        account's."""
        account = answering_account() or self.account_id
        return (
            self.standin_data.setdefault(account, {}).setdefault(service, {}).setdefault(region, [])
        )


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
def _client(endpoint_url: str, service: str, region: str, keys: Keys | None = None) -> Any:
    key, secret, token = keys or (*DEMO_KEYS, None)
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
    )


@cache
def _network(endpoint_url: str, region: str, keys: Keys | None = None) -> list[str]:
    ec2 = _client(endpoint_url, "ec2", region, keys)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    zones = sorted(z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"])
    return [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate(zones[:3])
    ]


def resource_id(prefix: str, region: str, name: str) -> str:
    """A stable id shaped like RDS's (``db-`` and 26 characters), different for each resource."""
    digest = b32encode(hashlib.sha256(f"{region}/{name}".encode()).digest()).decode()
    return f"{prefix}-{digest[:26]}"

"""The demo's organization (``demo --organization``): the demo account as its management account,
member accounts in OUs (one nested), each holding a few checks' examples, one suspended, and each
member's AZ names mapped to other zones, as AWS maps them per account."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from resiliency_analyser.demo.standin import Handler, calling_account
from resiliency_analyser.demo.world import DemoWorld, Seeder

MEMBER_ROLE = "OrganizationAccountAccessRole"
"""The role Organizations creates in the accounts it creates; the demo scans members through it
(moto lets any role be assumed)."""
UNITS = (("production", ""), ("payments", "production"), ("sandbox", ""))
"""(OU, parent OU): payments is nested in production."""


@dataclass(frozen=True)
class DemoMember:
    name: str
    unit: str
    checks: tuple[str, ...]
    """Keys of the checks whose examples it holds: ones moto serves alone (no stand-in), so each
    account's resources are its own."""
    closed: bool = False


MEMBERS = (
    DemoMember("shop-prod", "production", ("lambda", "elb", "autoscaling")),
    DemoMember("payments-prod", "payments", ("efs", "mq", "ec2")),
    DemoMember("analytics-dev", "sandbox", ("fsx", "lambda")),
    DemoMember("legacy-sandbox", "sandbox", (), closed=True),
)


def organize(
    world: DemoWorld,
    seeders: Mapping[str, Seeder],
    on_step: Callable[[str], None] = lambda step: None,
) -> dict[str, str]:
    """Creates the OUs and member accounts under the demo account's organization and seeds each
    member in its own account; returns member name -> account id."""
    organizations = world.client("organizations", "us-east-1")
    root = organizations.list_roots()["Roots"][0]["Id"]
    units: dict[str, str] = {}
    for name, parent in UNITS:
        created = organizations.create_organizational_unit(
            ParentId=units.get(parent, root), Name=name
        )
        units[name] = created["OrganizationalUnit"]["Id"]
    ids: dict[str, str] = {}
    for member in MEMBERS:
        on_step(f"starting the simulated organization: {member.name}…")
        status = organizations.create_account(
            AccountName=member.name, Email=f"{member.name}@example.com"
        )
        account_id = ids[member.name] = str(status["CreateAccountStatus"]["AccountId"])
        organizations.move_account(
            AccountId=account_id, SourceParentId=root, DestinationParentId=units[member.unit]
        )
        if member.closed:
            organizations.close_account(AccountId=account_id)
            continue
        inside = world.member(account_id, assume(world, account_id))
        for region in world.regions:
            for key in member.checks:
                seeders[key].seed(inside, region)
    return ids


def assume(world: DemoWorld, account_id: str) -> tuple[str, str, str]:
    keys = world.client("sts", "us-east-1").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{MEMBER_ROLE}", RoleSessionName="demo-seeding"
    )["Credentials"]
    return keys["AccessKeyId"], keys["SecretAccessKey"], keys["SessionToken"]


def zone_listing(world: DemoWorld, shifts: Mapping[str, int]) -> Handler:
    """EC2 ``DescribeAvailabilityZones`` as each account sees it: moto maps every account's AZ
    names alike; here a member's names are rotated ``shifts[account]`` places over the region's
    AZ IDs, so its ``us-east-1a`` is another zone than the management account's."""

    def handle(params: dict[str, Any], region: str) -> dict[str, Any]:
        listed = world.client("ec2", region).describe_availability_zones(
            AllAvailabilityZones=params.get("AllAvailabilityZones") == "true"
        )["AvailabilityZones"]
        shift = shifts.get(calling_account(), 0)
        standard = [z for z in listed if z["ZoneName"][len(region) :].isalpha()]
        ids = [z["ZoneId"] for z in standard]
        for index, zone in enumerate(standard):
            zone["ZoneId"] = ids[(index + shift) % len(ids)]
        return {"AvailabilityZones": listed}

    return handle

"""The demo account's `networkfirewall` resources: a risky and a safe example of each kind.

Standard firewalls live in moto. moto has neither proxy-mode firewalls (their ``VpcEndpoint``)
nor internet gateway firewalls (listed and described by ``FirewallType``), so a stand-in lists
and describes those beside moto's, as AWS does.
"""

from __future__ import annotations

import uuid
from typing import Any

from resiliency_analyser.demo.standin import Handler, StandinError, paged
from resiliency_analyser.demo.world import ACCOUNT_ID, PAGE_SIZE, DemoWorld, Seeder

MANAGED = "network-firewall/not-in-moto"
"""DescribeFirewall answers of the firewalls moto cannot hold, with the type they list as."""
IGW_FIREWALL = "IGW_FIREWALL"


def described(
    region: str, name: str, vpc: str, subnet_zones: dict[str, str], firewall_type: str
) -> dict[str, Any]:
    """A ready firewall's DescribeFirewall answer, an endpoint in each subnet's AZ; a proxy
    firewall's subnets are its VpcEndpoint's, an internet gateway firewall has none of its own."""
    mappings = [{"SubnetId": subnet} for subnet in subnet_zones]
    firewall: dict[str, Any] = {
        "FirewallName": name,
        "FirewallArn": f"arn:aws:network-firewall:{region}:{ACCOUNT_ID}:firewall/{name}",
        "FirewallId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{region}/{name}")),
        "FirewallPolicyArn": f"arn:aws:network-firewall:{region}:{ACCOUNT_ID}:firewall-policy/demo",
        "VpcId": vpc,
        "SubnetMappings": [],
    }
    if firewall_type == IGW_FIREWALL:
        firewall["IgwFirewallConfiguration"] = {"EnforcementMode": "POLICY_CONTROLLED"}
    else:
        firewall["VpcEndpoint"] = {"VpcId": vpc, "SubnetMappings": mappings}
    return {
        "FirewallType": firewall_type,
        "Firewall": firewall,
        "FirewallStatus": {
            "Status": "READY",
            "ConfigurationSyncStateSummary": "IN_SYNC",
            "SyncStates": {
                zone: {
                    "Attachment": {
                        "SubnetId": subnet,
                        "EndpointId": f"vpce-{name[:8]}{zone[-1]}",
                        "Status": "READY",
                    }
                }
                for subnet, zone in subnet_zones.items()
            },
        },
    }


def seed(world: DemoWorld, region: str) -> None:
    """Routed firewalls in moto, mapped to the demo subnet in a, or to those in a and b; proxy
    firewalls likewise, and the VPC's internet gateway firewall, from the stand-in."""
    firewall = world.client("network-firewall", region)
    subnets = world.subnets(region)
    found = world.client("ec2", region).describe_subnets(SubnetIds=subnets)["Subnets"]
    zones = {s["SubnetId"]: s["AvailabilityZone"] for s in found}
    vpc = found[0]["VpcId"]
    # moto serves no firewall policies but does not check the one a firewall names.
    policy = f"arn:aws:network-firewall:{region}:{ACCOUNT_ID}:firewall-policy/demo"
    for name, mapped in (
        ("egress-inspection-one-az", subnets[:1]),
        ("edge-inspection", subnets[:2]),
    ):
        firewall.create_firewall(
            FirewallName=name,
            FirewallPolicyArn=policy,
            VpcId=vpc,
            SubnetMappings=[{"SubnetId": s} for s in mapped],
        )
    for name, mapped, firewall_type in (
        ("egress-proxy-one-az", subnets[:1], "FIREWALL"),
        ("egress-proxy", subnets[:2], "FIREWALL"),
        ("internet-gateway-firewall", subnets, IGW_FIREWALL),
    ):
        world.records(MANAGED, region).append(
            described(region, name, vpc, {s: zones[s] for s in mapped}, firewall_type)
        )


def answer(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record[key] for key in ("Firewall", "FirewallStatus")}


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    def of_type(record: dict[str, Any], asked: str | None) -> bool:
        return asked in (None, record["FirewallType"])

    def listing(params: dict[str, Any], region: str) -> list[dict[str, Any]]:
        asked = params.get("FirewallType")
        client = world.client("network-firewall", region)
        in_moto = [
            {"FirewallName": f["FirewallName"], "FirewallArn": f["FirewallArn"]}
            for page in client.get_paginator("list_firewalls").paginate()
            for f in page["Firewalls"]
        ]
        managed = [
            {
                "FirewallName": r["Firewall"]["FirewallName"],
                "FirewallArn": r["Firewall"]["FirewallArn"],
            }
            for r in world.records(MANAGED, region)
            if of_type(r, asked)
        ]
        return (in_moto if asked in (None, "FIREWALL") else []) + managed

    def describe(params: dict[str, Any], region: str) -> dict[str, Any]:
        arn, asked = params["FirewallArn"], params.get("FirewallType", "FIREWALL")
        for record in world.records(MANAGED, region):
            if record["Firewall"]["FirewallArn"] == arn:
                if not of_type(record, asked):
                    raise StandinError("ResourceNotFoundException", f"no {asked} firewall {arn}")
                return answer(record)
        if asked != "FIREWALL":
            raise StandinError("ResourceNotFoundException", f"no {asked} firewall {arn}")
        found = world.client("network-firewall", region).describe_firewall(FirewallArn=arn)
        return answer(found)

    return {
        "network-firewall": {
            "ListFirewalls": paged("network-firewall", "ListFirewalls", listing, PAGE_SIZE),
            "DescribeFirewall": describe,
        }
    }


SEEDER = Seeder(check="networkfirewall", seed=seed, standins=standins)

"""API-shaped EC2 network records, for the rules of the network checks and their stand-ins."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler, StandinError, paged
from tests.support.moto import ACCOUNT_ID
from tests.support.standins import region_zone_listing

REGION = "us-east-1"


def subnet(subnet_id: str, zone: str, vpc: str = "vpc-1") -> dict[str, Any]:
    """A DescribeSubnets record in AZ ``zone`` (a suffix, e.g. ``"a"``) of us-east-1."""
    return {"SubnetId": subnet_id, "AvailabilityZone": f"{REGION}{zone}", "VpcId": vpc}


def tagged(name: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": name}]


def described_firewall(
    region: str,
    name: str,
    endpoints: dict[str, str],
    status: str = "READY",
    *,
    firewall_type: str = "FIREWALL",
) -> dict[str, Any]:
    """A DescribeFirewall answer: subnet ``subnet-<zone>`` and endpoint ``endpoints[zone]`` for
    each AZ suffix in ``endpoints``; an internet gateway firewall (``IGW_FIREWALL``) has no
    subnet mappings, AWS Network Security Manager places its endpoints."""
    firewall: dict[str, Any] = {
        "FirewallName": name,
        "FirewallArn": f"arn:aws:network-firewall:{region}:{ACCOUNT_ID}:firewall/{name}",
        "FirewallId": f"id-{name}",
        "FirewallPolicyArn": f"arn:aws:network-firewall:{region}:{ACCOUNT_ID}:policy/p",
        "VpcId": "vpc-1",
        "SubnetMappings": [{"SubnetId": f"subnet-{zone}"} for zone in endpoints],
    }
    if firewall_type == "IGW_FIREWALL":
        firewall["SubnetMappings"] = []
        firewall["IgwFirewallConfiguration"] = {"EnforcementMode": "POLICY_CONTROLLED"}
    return {
        "Firewall": firewall,
        "FirewallStatus": {
            "Status": status,
            "ConfigurationSyncStateSummary": "IN_SYNC",
            "SyncStates": {
                f"{region}{zone}": {
                    "Attachment": {
                        "SubnetId": f"subnet-{zone}",
                        "EndpointId": endpoint,
                        "Status": "READY",
                    }
                }
                for zone, endpoint in endpoints.items()
            },
        },
    }


def firewall_type(described: dict[str, Any]) -> str:
    return "IGW_FIREWALL" if described["Firewall"].get("IgwFirewallConfiguration") else "FIREWALL"


def firewall_handlers(firewalls: list[dict[str, Any]]) -> dict[str, Handler]:
    """ListFirewalls two a page, of the ``FirewallType`` asked for (both without one), and
    DescribeFirewall by ARN, as AWS answers them: a firewall of one type is not found as the
    other, and ``FIREWALL`` is the type when none is given."""
    by_arn = {f["Firewall"]["FirewallArn"]: f for f in firewalls}

    def listing(params: dict[str, Any], region: str) -> list[dict[str, Any]]:
        asked = params.get("FirewallType")
        return [
            {"FirewallName": f["Firewall"]["FirewallName"], "FirewallArn": arn}
            for arn, f in by_arn.items()
            if asked in (None, firewall_type(f))
        ]

    def describe(params: dict[str, Any], region: str) -> dict[str, Any]:
        found = by_arn.get(params["FirewallArn"])
        if found is None or firewall_type(found) != params.get("FirewallType", "FIREWALL"):
            raise StandinError("ResourceNotFoundException", "Firewall not found")
        return found

    return {
        "ListFirewalls": paged("network-firewall", "ListFirewalls", listing, 2),
        "DescribeFirewall": describe,
    }


def region_subnets(region: str, zones: str = "ab") -> list[dict[str, Any]]:
    """DescribeSubnets records ``subnet-<zone>`` of ``vpc-1``, one in each AZ suffix of ``zones``."""
    return [
        {"SubnetId": f"subnet-{z}", "AvailabilityZone": f"{region}{z}", "VpcId": "vpc-1"}
        for z in zones
    ]


def routing_handlers(
    region: str,
    subnets: list[dict[str, Any]],
    tables: list[dict[str, Any]],
    gateways: list[dict[str, Any]] | None = None,
) -> dict[str, Handler]:
    """EC2 as the `nat` check reads it, in ``region`` alone: its AZs, and these subnets, route
    tables, no VPC endpoint, and these NAT gateways (none given: left to the stand-in's
    upstream)."""
    handlers: dict[str, Handler] = {
        "DescribeRegions": lambda params, r: {"Regions": [{"RegionName": region}]},
        "DescribeAvailabilityZones": region_zone_listing(region),
        "DescribeSubnets": lambda params, r: {"Subnets": subnets},
        "DescribeRouteTables": lambda params, r: {"RouteTables": tables},
        "DescribeVpcEndpoints": lambda params, r: {"VpcEndpoints": []},
    }
    if gateways is not None:
        handlers["DescribeNatGateways"] = lambda params, r: {"NatGateways": gateways}
    return handlers

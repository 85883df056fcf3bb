"""API-shaped EC2 network records, for the rules of the network checks and their stand-ins."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.standin import Handler, paged
from tests.support.moto import ACCOUNT_ID

REGION = "us-east-1"


def subnet(subnet_id: str, zone: str, vpc: str = "vpc-1") -> dict[str, Any]:
    """A DescribeSubnets record in AZ ``zone`` (a suffix, e.g. ``"a"``) of us-east-1."""
    return {"SubnetId": subnet_id, "AvailabilityZone": f"{REGION}{zone}", "VpcId": vpc}


def tagged(name: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": name}]


def described_firewall(
    region: str, name: str, endpoints: dict[str, str], status: str = "READY"
) -> dict[str, Any]:
    """A DescribeFirewall answer: subnet ``subnet-<zone>`` and endpoint ``endpoints[zone]`` for
    each AZ suffix in ``endpoints``."""
    return {
        "Firewall": {
            "FirewallName": name,
            "FirewallArn": f"arn:aws:network-firewall:{region}:{ACCOUNT_ID}:firewall/{name}",
            "FirewallId": f"id-{name}",
            "FirewallPolicyArn": f"arn:aws:network-firewall:{region}:{ACCOUNT_ID}:policy/p",
            "VpcId": "vpc-1",
            "SubnetMappings": [{"SubnetId": f"subnet-{zone}"} for zone in endpoints],
        },
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


def firewall_handlers(firewalls: list[dict[str, Any]]) -> dict[str, Handler]:
    """ListFirewalls two a page, DescribeFirewall by ARN, over ``firewalls``."""
    by_arn = {f["Firewall"]["FirewallArn"]: f for f in firewalls}
    listing = [
        {"FirewallName": f["Firewall"]["FirewallName"], "FirewallArn": arn}
        for arn, f in by_arn.items()
    ]
    return {
        "ListFirewalls": paged("network-firewall", "ListFirewalls", lambda p, r: listing, 2),
        "DescribeFirewall": lambda params, region: by_arn[params["FirewallArn"]],
    }

"""AWS Network Firewall firewalls whose endpoints all sit in one AZ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    concurrently,
    subnet_spread,
    tag_pairs,
    zone_text,
)
from resiliency_analyser.checks.lookups import FIREWALLS


def in_scope(described: Record) -> bool:
    return (described.get("FirewallStatus") or {}).get("Status") == "READY"


def assess_firewall(
    described: Record, subnet_zones: Mapping[str, str], options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment:
    firewall = described.get("Firewall") or {}
    # One endpoint per AZ: a subnet the lookup cannot name is an AZ of its own. A firewall
    # attached to a transit gateway names its AZs instead of subnets.
    placed = subnet_spread(
        (m["SubnetId"] for m in firewall.get("SubnetMappings") or []), subnet_zones
    )
    mapped = {m["AvailabilityZone"] for m in firewall.get("AvailabilityZoneMappings") or []}
    zones = sorted(set(placed.zones) | mapped)
    count = len(zones) + len(placed.unknown)
    message = (
        f"Firewall has endpoints in {count} AZ(s): {zone_text(zones)}{placed.unknown_note()}"
        f"{options.shortfall(count)}"
    )
    return Assessment(
        check_id="networkfirewall.endpoints_multi_az",
        resource_arn=firewall.get("FirewallArn", ""),
        resource_name=firewall.get("FirewallName", ""),
        resource_id=firewall.get("FirewallId", ""),
        risk=options.too_few(count),
        message=message,
        availability_zones=tuple(zones),
        tags=tag_pairs(firewall.get("Tags")),
    )


def assess(
    described: Sequence[Record],
    subnet_zones: Mapping[str, str],
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    return [assess_firewall(d, subnet_zones, options) for d in described if in_scope(d)]


async def scan(scope: RegionScope) -> Batches:
    described, subnet_zones = await concurrently(scope.shared(FIREWALLS), scope.subnet_zones())
    yield assess(described, subnet_zones, scope.options)


CHECK = Check(
    key="networkfirewall",
    service="AWS Network Firewall",
    rule=(
        "A ready Network Firewall firewall is a risk when its endpoints (subnet mappings) lie in "
        "fewer than 2 AZs."
    ),
    actions=(
        "network-firewall:ListFirewalls",
        "network-firewall:DescribeFirewall",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "networkfirewall.endpoints_multi_az": Guidance(
            Severity.HIGH,
            "Map a firewall subnet in every AZ that sends traffic through the firewall "
            "(associate-subnets), and route each AZ to its own endpoint.",
            "AwsNetworkFirewallFirewall",
            fails=Fails.PATH,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "Firewalls still provisioning or being deleted are not judged. A firewall has one "
            "endpoint per subnet mapping and at most one per AZ, so a subnet the lookup cannot "
            "find still counts as an AZ (and is named); a firewall attached to a transit gateway "
            "counts its `AvailabilityZoneMappings`."
        ),
        (
            "Route tables that send subnets of other AZs through one firewall endpoint are "
            "judged by the `nat` check."
        ),
        ("`resource_arn` is the firewall's ARN, `resource_name` its name, `resource_id` its id."),
        (
            "API: `ListFirewalls` (all pages), then `DescribeFirewall` for each firewall "
            "(concurrently; shared with the `nat` check), `ec2:DescribeSubnets` (once per region, "
            "shared by checks)."
        ),
    ),
)

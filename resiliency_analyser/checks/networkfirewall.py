"""AWS Network Firewall firewalls whose endpoints all sit in one AZ.

Three kinds: a standard (routed) firewall has its endpoints in its subnet mappings, or in the
AZs a transit gateway attachment maps; a proxy-mode (NAT/Proxy) firewall in the subnets of its
``VpcEndpoint``; an internet gateway firewall, which AWS Network Security Manager manages, in
every AZ of its VPC that has resources, by design.
"""

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
from resiliency_analyser.errors import AnalyserError

IGW_FIREWALL = "IGW_FIREWALL"
ENDPOINT_READY = "READY"


class FirewallsNotDescribed(AnalyserError):
    """``DescribeFirewall`` failed for some firewalls: the others were judged, these were not."""

    def __init__(self, failed: Mapping[str, str], listed: int) -> None:
        named = "; ".join(f"{arn.rpartition('/')[2]}: {why}" for arn, why in sorted(failed.items()))
        super().__init__(
            f"DescribeFirewall failed for {len(failed)} of {listed} firewall(s), not judged "
            f"(the others were): {named}"
        )


def in_scope(described: Record) -> bool:
    """Ready: not provisioning, standing by (an internet gateway firewall whose VPC has no
    resources yet), failed or being deleted."""
    return (described.get("FirewallStatus") or {}).get("Status") == "READY"


def is_igw_firewall(described: Record) -> bool:
    firewall = described.get("Firewall") or {}
    return described.get("FirewallType") == IGW_FIREWALL or bool(
        firewall.get("IgwFirewallConfiguration")
    )


def ready_endpoint_zones(described: Record) -> list[str]:
    """The AZs whose endpoint ``DescribeFirewall`` files as ready in its sync states."""
    states = (described.get("FirewallStatus") or {}).get("SyncStates") or {}
    return sorted(
        zone
        for zone, state in states.items()
        if ((state or {}).get("Attachment") or {}).get("Status") == ENDPOINT_READY
    )


def assess_igw_firewall(described: Record) -> Assessment:
    firewall = described.get("Firewall") or {}
    zones = ready_endpoint_zones(described)
    message = (
        f"Internet gateway firewall of {firewall.get('VpcId', '?')}: AWS Network Security "
        "Manager places an endpoint in every AZ of the VPC that has resources (endpoints ready "
        f"in {len(zones)} AZ(s): {zone_text(zones)})"
    )
    return firewall_assessment(firewall, risk=False, message=message, zones=zones)


def assess_firewall(
    described: Record, subnet_zones: Mapping[str, str], options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment:
    if is_igw_firewall(described):
        return assess_igw_firewall(described)
    firewall = described.get("Firewall") or {}
    proxy = firewall.get("VpcEndpoint") or {}
    # One endpoint per AZ: a subnet the lookup cannot name is an AZ of its own. A proxy-mode
    # firewall keeps its endpoints in its VpcEndpoint's subnets; a firewall attached to a
    # transit gateway names its AZs instead of subnets.
    mappings = [*(firewall.get("SubnetMappings") or []), *(proxy.get("SubnetMappings") or [])]
    placed = subnet_spread((m["SubnetId"] for m in mappings if m.get("SubnetId")), subnet_zones)
    mapped = {m["AvailabilityZone"] for m in firewall.get("AvailabilityZoneMappings") or []}
    zones = sorted(set(placed.zones) | mapped)
    count = len(zones) + len(placed.unknown)
    kind = "Proxy firewall" if proxy else "Firewall"
    message = (
        f"{kind} has endpoints in {count} AZ(s): {zone_text(zones)}{placed.unknown_note()}"
        f"{options.shortfall(count)}"
    )
    return firewall_assessment(firewall, risk=options.too_few(count), message=message, zones=zones)


def firewall_assessment(
    firewall: Record, *, risk: bool, message: str, zones: Sequence[str]
) -> Assessment:
    return Assessment(
        check_id="networkfirewall.endpoints_multi_az",
        resource_arn=firewall.get("FirewallArn", ""),
        resource_name=firewall.get("FirewallName", ""),
        resource_id=firewall.get("FirewallId", ""),
        risk=risk,
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
    records, subnet_zones = await concurrently(scope.shared(FIREWALLS), scope.subnet_zones())
    yield assess(records.described, subnet_zones, scope.options)
    if records.failed:
        raise FirewallsNotDescribed(records.failed, len(records.described) + len(records.failed))


CHECK = Check(
    key="networkfirewall",
    service="AWS Network Firewall",
    rule=(
        "A ready Network Firewall firewall is a risk when its endpoints (its subnet mappings, or "
        "a proxy-mode firewall's endpoint subnets) lie in fewer than 2 AZs; an internet gateway "
        "firewall is not a risk."
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
            "Firewalls still provisioning, standing by, failed or being deleted are not judged. "
            "A firewall has one endpoint per subnet mapping and at most one per AZ, so a subnet "
            "the lookup cannot find still counts as an AZ (and is named); a firewall attached to "
            "a transit gateway counts its `AvailabilityZoneMappings`."
        ),
        (
            "A proxy-mode (NAT/Proxy) firewall keeps its endpoints, each with a NAT gateway, in "
            "the subnets of its `VpcEndpoint`: those count, and the message says it is a proxy "
            "firewall."
        ),
        (
            "Internet gateway firewalls, which AWS Network Security Manager creates and manages, "
            "are listed with `FirewallType` `IGW_FIREWALL` and described with that type (the "
            "API describes only standard firewalls otherwise). AWS places their endpoints in "
            "every AZ of the VPC that has resources: a finding that is not a risk, naming the "
            "AZs whose endpoint is ready."
        ),
        (
            "A firewall that cannot be described (denied, throttled, failing) does not stop the "
            "others: they are judged, `nat` still reads their endpoints, and this check's "
            "run-report row is `Error`, naming the firewalls left out and why."
        ),
        (
            "Route tables that send subnets of other AZs through one firewall endpoint are "
            "judged by the `nat` check."
        ),
        ("`resource_arn` is the firewall's ARN, `resource_name` its name, `resource_id` its id."),
        (
            "API: `ListFirewalls` once per firewall type (`FIREWALL`, `IGW_FIREWALL`; all pages), "
            "then `DescribeFirewall` for each firewall with its type (concurrently; shared with "
            "the `nat` check), `ec2:DescribeSubnets` (once per region, shared by checks)."
        ),
    ),
)

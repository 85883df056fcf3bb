"""Storage Gateway gateways hosted on EC2: each is one instance, so one AZ."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    concurrently,
)
from resiliency_analyser.checks.placement import instance_zones, instances


def on_ec2(gateway: Record) -> bool:
    return bool(
        gateway.get("Ec2InstanceId")
        or gateway.get("Ec2InstanceRegion")
        or gateway.get("HostEnvironment") == "EC2"
    )


def assess_gateway(gateway: Record, zones: Mapping[str, str]) -> Assessment:
    """``zones`` maps EC2 instance id to AZ for the instances the gateways run on."""
    instance = gateway.get("Ec2InstanceId", "")
    zone = zones.get(instance, "")
    if on_ec2(gateway):
        region = gateway.get("Ec2InstanceRegion") or "its region"
        where = zone or f"AZ unknown: instance not found in {region}"
        message = (
            f"Gateway runs on a single EC2 instance {instance or '(id not reported)'} ({where})"
        )
    else:
        host = gateway.get("HostEnvironment") or "unknown host"
        message = f"Gateway is hosted outside EC2 ({host}), in no AWS Availability Zone"
    return Assessment(
        check_id="sgw.gateway_on_ec2",
        resource_arn=gateway.get("GatewayARN", ""),
        resource_name=gateway.get("GatewayName", ""),
        resource_id=gateway.get("GatewayId", ""),
        risk=on_ec2(gateway),
        engine=gateway.get("GatewayType", ""),
        message=message,
        availability_zones=(zone,) if zone else (),
    )


def assess(gateways: Sequence[Record], instance_records: Sequence[Record]) -> list[Assessment]:
    zones = instance_zones(instance_records)
    return [assess_gateway(g, zones) for g in gateways]


async def gateway_instances(scope: RegionScope, gateways: Sequence[Record]) -> list[Record]:
    """The EC2 instances the gateways run on, looked up in each instance's own region."""
    by_region: dict[str, set[str]] = defaultdict(set)
    for gateway in gateways:
        if gateway.get("Ec2InstanceId"):
            region = gateway.get("Ec2InstanceRegion") or scope.region
            by_region[region].add(gateway["Ec2InstanceId"])
    found = await concurrently(
        *(instances(scope.in_region(region), ids) for region, ids in by_region.items())
    )
    return [instance for records in found for instance in records]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("storagegateway", "list_gateways"):
        gateways = page.get("Gateways", [])
        yield assess(gateways, await gateway_instances(scope, gateways))


CHECK = Check(
    key="sgw",
    service="AWS Storage Gateway",
    rule=(
        "A gateway hosted on EC2 is a risk: it is a single instance in one AZ. Gateways hosted "
        "elsewhere are not."
    ),
    actions=("storagegateway:ListGateways", "ec2:DescribeInstances"),
    scan=scan,
    guidance={
        "sgw.gateway_on_ec2": Guidance(
            Severity.HIGH,
            "Plan for the gateway's AZ failing: keep its data in S3 and a tested way to recreate the "
            "gateway in another AZ.",
            "Other",
            fails=Fails.PATH,
            well_architected=("REL10-BP02",),
        ),
    },
    notes=(
        (
            "A gateway is on EC2 when `ListGateways` reports `Ec2InstanceId`, "
            "`Ec2InstanceRegion`, or `HostEnvironment` `EC2`. The message names the instance and its AZ, looked up with "
            "`ec2:DescribeInstances` in the instance's own region (or says the instance was "
            "not found)."
        ),
        (
            "Gateways on VMware, Hyper-V, KVM or a hardware appliance are outside every AWS "
            "AZ: a finding that is not a risk, naming the host environment."
        ),
        "`engine` is the gateway type (`FILE_S3`, `CACHED`, …).",
        (
            "API: `ListGateways` (all pages), `ec2:DescribeInstances` (ids in filters, 200 "
            "per call)."
        ),
    ),
)

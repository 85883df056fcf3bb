"""Load balancers' registered targets and where they run.

The `elb` check judges where each target group's healthy targets are; the `ec2` check asks
whether a standalone instance shares a target group or Classic Load Balancer with healthy instances in
another AZ. Both read the same registrations, once per region: ``LOAD_BALANCER_TARGETS`` in
``checks/lookups.py``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from resiliency_analyser.checks.api import Record
from resiliency_analyser.checks.lookups import TargetRecords
from resiliency_analyser.checks.placement import instance_zones

REGIONAL_TARGET_TYPES = frozenset({"lambda", "alb"})
"""Target types that are not in one AZ: a Lambda function, or an ALB (judged by itself)."""
EVERY_ZONE = "all"
"""The AZ of an IP target outside the VPC that every enabled AZ's load balancer node reaches."""


@dataclass(frozen=True)
class Registration:
    """One target registered with a target group or Classic Load Balancer."""

    pool: str
    """For people: ``target group <name>`` or ``Classic Load Balancer <name>``."""
    target: str
    """Instance id, IP address, Lambda function ARN or ALB ARN."""
    kind: str
    """``instance``, ``ip``, ``lambda`` or ``alb``."""
    healthy: bool
    zone: str
    """The AZ the target runs in; '' when regional or not found."""
    vpc: str = ""
    """The target group's VPC (IP addresses mean something only within one)."""
    outside: bool = False
    """An IP address outside the VPC registered with AZ ``all``: every enabled AZ's load
    balancer node reaches it, so it is in no AZ of ours."""

    @property
    def regional(self) -> bool:
        return self.kind in REGIONAL_TARGET_TYPES

    @property
    def zonal(self) -> bool:
        """In one AZ (or meant to be, where the lookups cannot place it)."""
        return not self.regional and not self.outside


@dataclass(frozen=True)
class TargetGroup:
    """One target group and its registrations, each located where it can be."""

    arn: str
    name: str
    kind: str
    """Its target type: ``instance``, ``ip``, ``lambda`` or ``alb``."""
    balancers: tuple[str, ...]
    """The ARNs of the load balancers that forward to it."""
    registrations: tuple[Registration, ...]


def target_serves(health: Record) -> bool:
    """Healthy, or reachable with its health check off (a Lambda target's default)."""
    state = health.get("TargetHealth") or {}
    return state.get("State") == "healthy" or (
        state.get("State") == "unavailable" and state.get("Reason") == "Target.HealthCheckDisabled"
    )


def subnet_for_address(address: str, vpc: str, subnets: Iterable[Record]) -> Record | None:
    """The subnet of ``vpc`` whose IPv4 or IPv6 CIDR holds ``address``."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    for subnet in subnets:
        if subnet.get("VpcId") != vpc:
            continue
        blocks = [subnet.get("CidrBlock")] + [
            a.get("Ipv6CidrBlock") for a in subnet.get("Ipv6CidrBlockAssociationSet") or []
        ]
        if any(block and ip in ipaddress.ip_network(block) for block in blocks):
            return subnet
    return None


class Targets:
    """Every registration of a region, each located in its AZ where it has one."""

    def __init__(self, records: TargetRecords) -> None:
        zones = instance_zones(records.instances)
        self._groups: dict[str, TargetGroup] = {}
        for group in records.target_groups:
            arn = group.get("TargetGroupArn", "")
            name = group.get("TargetGroupName") or arn
            kind = group.get("TargetType") or "instance"
            vpc = group.get("VpcId") or ""
            registrations = tuple(
                self._registration(health, f"target group {name}", kind, vpc, zones, records)
                for health in records.target_health.get(arn, [])
                if (health.get("Target") or {}).get("Id")
            )
            balancers = tuple(group.get("LoadBalancerArns") or ())
            self._groups[arn] = TargetGroup(arn, name, kind, balancers, registrations)
        self._classic = {
            name: [
                Registration(
                    pool=f"Classic Load Balancer {name}",
                    target=state.get("InstanceId", ""),
                    kind="instance",
                    healthy=state.get("State") == "InService",
                    zone=zones.get(state.get("InstanceId", ""), ""),
                )
                for state in states
            ]
            for name, states in records.classic_health.items()
        }

    @staticmethod
    def _registration(
        health: Record,
        pool: str,
        kind: str,
        vpc: str,
        zones: Mapping[str, str],
        records: TargetRecords,
    ) -> Registration:
        target = health.get("Target") or {}
        target_id, given = str(target["Id"]), str(target.get("AvailabilityZone") or "")
        zone, outside = "", False
        if kind == "instance":
            zone = zones.get(target_id, "")
        elif kind == "ip":
            # An address in one of the VPC's subnets is where that subnet is; one outside the VPC
            # is reached through the AZ it was registered with, or through every AZ (``all``).
            subnet = subnet_for_address(target_id, vpc, records.subnets)
            if subnet is not None:
                zone = str(subnet.get("AvailabilityZone", ""))
            elif given == EVERY_ZONE:
                outside = True
            else:
                zone = given
        return Registration(
            pool=pool,
            target=target_id,
            kind=kind,
            healthy=target_serves(health),
            zone=zone,
            vpc=vpc,
            outside=outside,
        )

    def target_groups(self) -> list[TargetGroup]:
        return list(self._groups.values())

    def of_classic(self, name: str) -> list[Registration]:
        return self._classic.get(name, [])

    def pools(self) -> list[list[Registration]]:
        """Each target group's and Classic Load Balancer's registrations."""
        return [
            *(list(g.registrations) for g in self._groups.values()),
            *self._classic.values(),
        ]

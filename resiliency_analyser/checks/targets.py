"""Load balancers' registered targets and where they run.

The `elb` check judges where a load balancer's healthy targets are; the `ec2` check asks whether a
standalone instance shares a target group or Classic Load Balancer with healthy instances in
another AZ. Both read the same registrations, once per region: ``LOAD_BALANCER_TARGETS`` in
``checks/lookups.py``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from resiliency_analyser.checks.api import Record
from resiliency_analyser.checks.lookups import TargetRecords
from resiliency_analyser.checks.placement import instance_zones

REGIONAL_TARGET_TYPES = frozenset({"lambda", "alb"})
"""Target types that are not in one AZ: a Lambda function, or an ALB (judged by itself)."""


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

    @property
    def regional(self) -> bool:
        return self.kind in REGIONAL_TARGET_TYPES


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
        self._groups: dict[str, list[Registration]] = {}
        self._by_balancer: dict[str, list[str]] = {}
        for group in records.target_groups:
            arn = group.get("TargetGroupArn", "")
            kind = group.get("TargetType") or "instance"
            vpc = group.get("VpcId") or ""
            self._groups[arn] = [
                Registration(
                    pool=f"target group {group.get('TargetGroupName', arn)}",
                    target=target_id,
                    kind=kind,
                    healthy=target_serves(health),
                    zone=self._zone(kind, target_id, vpc, zones, records.subnets),
                    vpc=vpc,
                )
                for health in records.target_health.get(arn, [])
                if (target_id := (health.get("Target") or {}).get("Id", ""))
            ]
            for balancer in group.get("LoadBalancerArns") or []:
                self._by_balancer.setdefault(balancer, []).append(arn)
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
    def _zone(
        kind: str, target: str, vpc: str, zones: Mapping[str, str], subnets: Sequence[Record]
    ) -> str:
        if kind == "instance":
            return zones.get(target, "")
        if kind == "ip":
            subnet = subnet_for_address(target, vpc, subnets)
            return str(subnet.get("AvailabilityZone", "")) if subnet else ""
        return ""

    def target_group_count(self, balancer_arn: str) -> int:
        return len(self._by_balancer.get(balancer_arn, []))

    def of_balancer(self, balancer_arn: str) -> list[Registration]:
        """Every registration in the target groups the (elbv2) load balancer forwards to."""
        return [r for arn in self._by_balancer.get(balancer_arn, []) for r in self._groups[arn]]

    def of_classic(self, name: str) -> list[Registration]:
        return self._classic.get(name, [])

    def pools(self) -> list[list[Registration]]:
        """Each target group's and Classic Load Balancer's registrations."""
        return [*self._groups.values(), *self._classic.values()]

"""The single ordered list of checks: CLI choices, docs, ``services`` and the IAM policy derive
from it. Adding a check is one line here, naming its module."""

from __future__ import annotations

from importlib import import_module

from resiliency_analyser.checks.api import Check
from resiliency_analyser.model.guidance import Guidance

# The original tool's order, then the checks added since.
MODULES: tuple[str, ...] = (
    "vpce",
    "dms",
    "docdb",
    "sgw",
    "efs",
    "opensearch",
    "fsx",
    "awslambda",
    "elasticache",
    "memorydb",
    "dax",
    "globalaccelerator",
    "rds",
    "dx",
    "cloudhsm",
    "redshift",
    "neptune",
    "route53resolver",
    "clientvpn",
    "endpointservice",
    "mq",
    "msk",
    "ecs",
    "beanstalk",
    "sagemaker",
    "emr",
    "nat",
    "tgw",
    "vpn",
    "networkfirewall",
    "dxgw",
    "elb",
    "autoscaling",
    "eks",
    "ec2",
    "balance",
    "zonalshift",
)


def _check_of(module: str) -> Check:
    check = import_module(f"{__package__}.{module}").CHECK
    if not isinstance(check, Check):
        raise TypeError(f"{__package__}.{module}.CHECK is not a Check")
    return check


CHECKS: tuple[Check, ...] = tuple(_check_of(module) for module in MODULES)

BY_KEY: dict[str, Check] = {check.key: check for check in CHECKS}

MODULE_OF: dict[str, str] = {
    check.key: module for module, check in zip(MODULES, CHECKS, strict=True)
}
"""Check key -> the name of its module, which its demo seeder and its tests are named after."""

ALL = "ALL"

GUIDANCE: dict[str, Guidance] = {
    check_id: guidance for check in CHECKS for check_id, guidance in check.guidance.items()
}
"""Every check id any check can emit, with its guidance and resource type."""


def guidance_for(check_id: str, *, risk: bool) -> Guidance:
    """What a finding of ``check_id`` carries; one that is not a risk needs no action."""
    return GUIDANCE[check_id].of_finding(risk=risk)


def records_event(check_id: str) -> bool:
    """Whether findings of ``check_id`` record something AWS did (an autoshift), never a risk:
    written even with ``--report-only-risks``, and shown apart in the impact view."""
    guidance = GUIDANCE.get(check_id)
    return guidance is not None and guidance.event

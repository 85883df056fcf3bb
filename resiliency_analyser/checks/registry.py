"""The single ordered list of checks: CLI choices, docs, ``services`` and the IAM policy derive
from it. Adding a check is one line here, naming its module."""

from __future__ import annotations

from importlib import import_module

from resiliency_analyser.checks.api import Check
from resiliency_analyser.model.guidance import NO_ACTION, Guidance

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
)


def _check_of(module: str) -> Check:
    check = import_module(f"{__package__}.{module}").CHECK
    if not isinstance(check, Check):
        raise TypeError(f"{__package__}.{module}.CHECK is not a Check")
    return check


CHECKS: tuple[Check, ...] = tuple(_check_of(module) for module in MODULES)

BY_KEY: dict[str, Check] = {check.key: check for check in CHECKS}

ALL = "ALL"

GUIDANCE: dict[str, Guidance] = {
    check_id: guidance for check in CHECKS for check_id, guidance in check.guidance.items()
}
"""Every check id any check can emit, with its guidance."""


def guidance_for(check_id: str, *, risk: bool) -> Guidance:
    """A finding that is not a risk needs no action: severity ``none``, no remediation."""
    return GUIDANCE[check_id] if risk else NO_ACTION

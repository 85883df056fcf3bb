"""The single list of checks: CLI choices, docs, ``services`` and the IAM policy derive from it."""

from __future__ import annotations

from resiliency_analyser.checks import (
    awslambda,
    cloudhsm,
    dax,
    dms,
    docdb,
    dx,
    efs,
    elasticache,
    fsx,
    globalaccelerator,
    memorydb,
    neptune,
    opensearch,
    rds,
    redshift,
    sgw,
    vpce,
)
from resiliency_analyser.checks.base import Check

# The original tool's order, then the checks added since.
CHECKS: tuple[Check, ...] = (
    vpce.CHECK,
    dms.CHECK,
    docdb.CHECK,
    sgw.CHECK,
    efs.CHECK,
    opensearch.CHECK,
    fsx.CHECK,
    awslambda.CHECK,
    elasticache.CHECK,
    memorydb.CHECK,
    dax.CHECK,
    globalaccelerator.CHECK,
    rds.CHECK,
    dx.CHECK,
    cloudhsm.CHECK,
    redshift.CHECK,
    neptune.CHECK,
)

BY_KEY: dict[str, Check] = {check.key: check for check in CHECKS}

ALL = "ALL"

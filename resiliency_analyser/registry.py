"""The single list of checks: CLI choices, docs, ``services`` and the IAM policy derive from it."""

from __future__ import annotations

from resiliency_analyser.checks import (
    awslambda,
    dms,
    docdb,
    efs,
    elasticache,
    fsx,
    memorydb,
    neptune,
    opensearch,
    rds,
    redshift,
    vpce,
)
from resiliency_analyser.checks.base import Check

CHECKS: tuple[Check, ...] = (
    rds.CHECK,
    docdb.CHECK,
    awslambda.CHECK,
    opensearch.CHECK,
    vpce.CHECK,
    dms.CHECK,
    efs.CHECK,
    fsx.CHECK,
    elasticache.CHECK,
    memorydb.CHECK,
    redshift.CHECK,
    neptune.CHECK,
)

BY_KEY: dict[str, Check] = {check.key: check for check in CHECKS}

ALL = "ALL"

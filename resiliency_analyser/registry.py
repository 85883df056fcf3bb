"""The single list of checks: CLI choices, docs, ``services`` and the IAM policy derive from it."""

from __future__ import annotations

from resiliency_analyser.checks import (
    awslambda,
    cloudhsm,
    dax,
    docdb,
    dx,
    globalaccelerator,
    opensearch,
    rds,
    sgw,
)
from resiliency_analyser.checks.base import Check

CHECKS: tuple[Check, ...] = (
    rds.CHECK,
    docdb.CHECK,
    awslambda.CHECK,
    opensearch.CHECK,
    sgw.CHECK,
    dax.CHECK,
    globalaccelerator.CHECK,
    dx.CHECK,
    cloudhsm.CHECK,
)

BY_KEY: dict[str, Check] = {check.key: check for check in CHECKS}

ALL = "ALL"

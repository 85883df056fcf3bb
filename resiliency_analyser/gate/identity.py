"""How other systems name a finding: a stable id across runs and a title.

Security Hub (ASFF) and OCSF outputs share these, so one risk has the same id in both; the
resource type they share is the check id's own (``Guidance.resource_type``, in its check module).
"""

from __future__ import annotations

import hashlib

from resiliency_analyser.checks.registry import BY_KEY
from resiliency_analyser.gate.records import RiskKey, risk_key
from resiliency_analyser.model.findings import Finding

TOOL = "resiliency-analyser"


def key_id(key: RiskKey) -> str:
    check_id, account_id, region, resource = key
    digest = hashlib.sha256(resource.encode()).hexdigest()
    return f"{TOOL}/{account_id}/{region}/{check_id}/{digest}"


def finding_id(finding: Finding) -> str:
    """The same for the same risk in every run, so a re-import updates instead of adding."""
    return key_id(risk_key(finding))


def root_cause_id(finding: Finding) -> str | None:
    """The id of the finding that reports the risk ``finding`` goes down with, if any."""
    root = finding.root_cause
    if root is None:
        return None
    return key_id((root.check_id, finding.account_id, finding.region, root.resource_arn))


def finding_title(finding: Finding) -> str:
    """E.g. ``Amazon RDS db-1: single-AZ risk``."""
    check = BY_KEY.get(finding.service)
    service = check.service if check else finding.service
    name = finding.resource_name or finding.resource_id or finding.resource_arn
    state = "single-AZ risk" if finding.potential_single_az_risk else "no single-AZ risk"
    return f"{service} {name}: {state}"

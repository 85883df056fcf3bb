"""The ``json`` format: one document with the run's metadata, run report and findings.

Its JSON Schema is docs/scan-result.schema.json; tests validate real output against it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from resiliency_analyser import __version__
from resiliency_analyser.gate.baseline import Comparison
from resiliency_analyser.gate.records import Identified
from resiliency_analyser.model.accounts import account_counts
from resiliency_analyser.model.report import PairResult
from resiliency_analyser.output.accounts import account_totals
from resiliency_analyser.output.jsonl import finding_object, iso, suppression_object

if TYPE_CHECKING:
    from resiliency_analyser.output.run_view import RunView

SCHEMA_VERSION = 1


def pair_object(result: PairResult, *, organization: bool = False) -> dict[str, Any]:
    """A run-report row; in an organization run, with its account first."""
    account = {"account_id": result.account_id} if organization else {}
    return {
        **account,
        "service": result.service,
        "region": result.region,
        "result": result.outcome.value,
        "error_message": result.error_message,
        "start_time": iso(result.started),
        "end_time": iso(result.ended),
        "runtime_in_seconds": round(result.seconds, 2),
        "resources": result.resources,
        "risks": result.risks,
    }


def risk_reference(item: Identified) -> dict[str, str]:
    return {
        "service": item.service,
        "region": item.region,
        "account_id": item.account_id,
        "check_id": item.check_id,
        "resource_arn": item.resource_arn,
        "resource_name": item.resource_name,
        "resource_id": item.resource_id,
    }


def comparison_object(comparison: Comparison) -> dict[str, Any]:
    return {
        "new": [risk_reference(r.finding) for r in comparison.new],
        "resolved": [risk_reference(e) for e in comparison.resolved],
        "unchanged": [risk_reference(r.finding) for r in comparison.unchanged],
    }


def organization_object(run: RunView) -> dict[str, Any]:
    """An organization run's accounts: how each ended, what it held."""
    return {
        "management_account_id": run.account.payer_account_id,
        "management_account_name": run.account.payer_account_name,
        "totals": account_counts(run.accounts),
        "accounts": [totals.json_object() for totals in account_totals(run)],
    }


def json_document(run: RunView) -> dict[str, Any]:
    review, verdict = run.review, run.review.verdict
    organization = {"organization": organization_object(run)} if run.organization else {}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "resiliency-analyser", "version": __version__},
        "account": run.account.model_dump(),
        "regions": sorted(run.regions),
        "services": sorted({r.service for r in run.results}),
        "started": iso(run.started),
        "ended": iso(run.ended),
        "runtime_in_seconds": round(run.seconds, 2),
        "report_only_risks": run.report_only_risks,
        "totals": {
            "resources": sum(r.resources for r in run.results),
            "risks": sum(r.risks for r in run.results),
            "suppressed": len(review.suppressed),
            "open_risks": len(review.open_risks),
            "failed_pairs": len(run.failed),
        },
        **organization,
        **({"shard": run.shard.json_object()} if run.shard else {}),
        "run_report": [
            pair_object(r, organization=run.organization)
            for r in sorted(run.results, key=lambda r: (r.account_id, r.service, r.region))
        ],
        "suppressions": {
            "expired": [suppression_object(s) for s in review.expired],
            "unused": [suppression_object(s) for s in review.unused],
        },
        "baseline": comparison_object(review.comparison) if review.comparison else None,
        "gate": {
            "fail_on": verdict.fail_on.value,
            "failed": verdict.failed,
            "summary": verdict.sentence(),
        }
        if verdict
        else None,
        "findings": [finding_object(r) for r in review.records],
    }


def json_text(run: RunView) -> str:
    return json.dumps(json_document(run), indent=2, ensure_ascii=False) + "\n"

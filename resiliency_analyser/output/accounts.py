"""An organization run account by account: what each scan found, for the per-account views of
the JSON document, the Markdown summary and the HTML report."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from resiliency_analyser.model.accounts import AccountScan
from resiliency_analyser.model.report import PairResult
from resiliency_analyser.output.jsonl import iso

if TYPE_CHECKING:
    from resiliency_analyser.output.run_view import RunView


@dataclass(frozen=True)
class AccountTotals:
    scan: AccountScan
    resources: int
    risks: int
    open_risks: int
    """Risks no suppression accepts."""
    accepted: int
    failed_pairs: int
    open_by_check: Counter[str]
    """Unaccepted risks per check key."""

    def json_object(self) -> dict[str, Any]:
        scan = self.scan
        return {
            "account_id": scan.account_id,
            "account_name": scan.account.account_name,
            "status": scan.status,
            "result": scan.outcome.value,
            "error_message": scan.message,
            "regions": list(scan.regions),
            "start_time": iso(scan.started),
            "end_time": iso(scan.ended),
            "runtime_in_seconds": round((scan.ended - scan.started).total_seconds(), 2),
            "resources": self.resources,
            "risks": self.risks,
            "open_risks": self.open_risks,
            "suppressed": self.accepted,
            "failed_pairs": self.failed_pairs,
        }


def account_totals(run: RunView) -> list[AccountTotals]:
    """One per account of the run, in the run's (account id) order."""
    pairs: dict[str, list[PairResult]] = defaultdict(list)
    for result in run.results:
        pairs[result.account_id].append(result)
    open_by_check: dict[str, Counter[str]] = defaultdict(Counter)
    accepted: Counter[str] = Counter()
    for record in run.review.records:
        found = record.finding
        if record.open_risk:
            open_by_check[found.account_id][found.service] += 1
        elif record.matched:
            accepted[found.account_id] += 1
    return [
        AccountTotals(
            scan=scan,
            resources=sum(r.resources for r in pairs[scan.account_id]),
            risks=sum(r.risks for r in pairs[scan.account_id]),
            open_risks=sum(open_by_check[scan.account_id].values()),
            accepted=accepted[scan.account_id],
            failed_pairs=sum(r.outcome.is_failure for r in pairs[scan.account_id]),
            open_by_check=open_by_check[scan.account_id],
        )
        for scan in run.accounts
    ]


def organization_title(run: RunView) -> str:
    """``8 accounts of the organization of 111122223333 (management)``."""
    payer = run.account
    name = f" ({payer.payer_account_name})" if payer.payer_account_name else ""
    return f"{len(run.accounts)} accounts of the organization of {payer.payer_account_id}{name}"

"""Findings built directly, for tests of output and delivery that need no AWS behind them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from resiliency_analyser.checks.registry import CHECKS
from resiliency_analyser.gate.policy import Review
from resiliency_analyser.gate.records import FindingRecord, order_key
from resiliency_analyser.gate.suppressions import Suppression
from resiliency_analyser.model.accounts import AccountScan
from resiliency_analyser.model.findings import AccountInfo, Finding
from resiliency_analyser.model.report import Outcome, PairResult
from resiliency_analyser.output.run_view import RunView
from tests.support.moto import ACCOUNT_ID


def rds_risk(
    index: int,
    *,
    message: str = "DB instance has Multi-AZ disabled",
    region: str = "us-east-1",
    name_suffix: str = "",
    at: datetime = datetime(2024, 5, 1, tzinfo=UTC),
) -> Finding:
    """The risk of a single-AZ RDS instance named ``db-<index>``."""
    return Finding(
        service="rds",
        region=region,
        account_id=ACCOUNT_ID,
        account_name="",
        payer_account_id="N/A",
        payer_account_name="",
        resource_arn=f"arn:aws:rds:{region}:{ACCOUNT_ID}:db:db-{index:05d}",
        resource_name=f"db-{index:05d}{name_suffix}",
        resource_id="",
        potential_single_az_risk=True,
        engine="mysql",
        message=message,
        timestamp=at,
        check_id="rds.instance_multi_az",
    )


def organization_run(accounts: int, findings: int) -> RunView:
    """An organization run built directly: ``accounts`` accounts (the last one skipped, the one
    before it failed), ``findings`` findings spread over them, 17 checks, 4 regions and each
    account's own AZ IDs, a tenth of the risks accepted."""
    at = datetime(2026, 6, 1, tzinfo=UTC)
    checks = [c for c in CHECKS if not c.home_region][:17]
    regions = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")
    ids = [f"{100000000000 + i:012d}" for i in range(accounts)]
    infos = [
        AccountInfo(
            account_id=i,
            account_name=f"team-{n:03d}",
            payer_account_id=ids[0],
            payer_account_name="team-000",
        )
        for n, i in enumerate(ids)
    ]
    scanned = infos[:-2]
    records = []
    for n in range(findings):
        account, check, region = scanned[n % len(scanned)], checks[n % len(checks)], regions[n % 4]
        zone = f"{region}{'abc'[n % 3]}"
        check_id = sorted(check.guidance)[0]
        risk = n % 3 != 0
        finding = Finding(
            service=check.key,
            region=region,
            account_id=account.account_id,
            account_name=account.account_name,
            payer_account_id=account.payer_account_id,
            payer_account_name=account.payer_account_name,
            resource_arn=f"arn:aws:{check.key}:{region}:{account.account_id}:thing/r-{n:05d}",
            resource_name=f"r-{n:05d}",
            resource_id="",
            potential_single_az_risk=risk,
            engine="",
            message=f"resource r-{n:05d} lives in {zone}",
            timestamp=at,
            check_id=check_id,
            availability_zones=(zone,),
            availability_zone_ids=(
                f"{region[:2]}{region[-1]}-az{(n + int(account.account_id)) % 6 + 1}",
            ),
            location=zone if risk else "",
            location_id=f"{region[:2]}{region[-1]}-az{(n + int(account.account_id)) % 6 + 1}"
            if risk
            else "",
        )
        accepted = risk and n % 10 == 1
        records.append(FindingRecord(finding, (ACCEPTED,) if accepted else ()))
    held = Counter((r.finding.account_id, r.finding.service, r.finding.region) for r in records)
    risky = Counter(
        (r.finding.account_id, r.finding.service, r.finding.region)
        for r in records
        if r.finding.potential_single_az_risk
    )
    results = [
        PairResult(
            account_id=account.account_id,
            service=check.key,
            region=region,
            outcome=Outcome.SUCCESS,
            started=at,
            ended=at,
            resources=held[account.account_id, check.key, region],
            risks=risky[account.account_id, check.key, region],
        )
        for account in scanned
        for check in checks
        for region in regions
    ]
    outcomes = [(Outcome.SUCCESS, "")] * len(scanned) + [
        (Outcome.ACCESS_DENIED, "cannot assume arn:aws:iam::x:role/Audit: AccessDenied: no"),
        (Outcome.SKIPPED, "account status SUSPENDED"),
    ]
    scans = tuple(
        AccountScan(
            account=info,
            status="SUSPENDED" if outcome is Outcome.SKIPPED else "ACTIVE",
            outcome=outcome,
            message=message,
            regions=regions if outcome is Outcome.SUCCESS else (),
            started=at,
            ended=at,
        )
        for info, (outcome, message) in zip(infos, outcomes, strict=True)
    )
    return RunView(
        account=infos[0],
        regions=list(regions),
        results=results,
        started=at,
        ended=at,
        accounts=scans,
        review=Review(tuple(sorted(records, key=lambda r: order_key(r.finding)))),
    )


ACCEPTED = Suppression(line=1, reason="accepted for the test", service="*")

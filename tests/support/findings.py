"""Findings built directly, for tests of output and delivery that need no AWS behind them."""

from __future__ import annotations

from datetime import UTC, datetime

from resiliency_analyser.model.findings import Finding
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

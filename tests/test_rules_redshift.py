"""The Redshift rule on API-shaped DescribeClusters records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import redshift


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws-cn:{service}:cn-north-1:111122223333:{resource}"


def cluster(**fields: Any) -> dict[str, Any]:
    return {"ClusterIdentifier": "warehouse", "AvailabilityZone": "cn-north-1a", **fields}


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (cluster(), True, "Multi-AZ not reported (AZs: cn-north-1a)"),
        (cluster(MultiAZ="Disabled"), True, "Multi-AZ Disabled"),
        (
            cluster(MultiAZ="Enabled", MultiAZSecondary={"AvailabilityZone": "cn-north-1b"}),
            False,
            "Multi-AZ Enabled (AZs: cn-north-1a, cn-north-1b)",
        ),
        (cluster(MultiAZ="enabled"), True, "Multi-AZ enabled"),
    ],
)
def test_clusters(record: dict[str, Any], risk: bool, text: str) -> None:
    [result] = redshift.assess([record], arn_of)
    assert result.risk is risk
    assert text in result.message
    assert result.resource_arn == "arn:aws-cn:redshift:cn-north-1:111122223333:cluster:warehouse"

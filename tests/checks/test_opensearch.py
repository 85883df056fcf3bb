"""The OpenSearch rule on API-shaped DescribeDomains records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import opensearch

ZONES = {"subnet-a1": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b1": "us-east-1b"}


def domain(name: str, nodes: int, aware: bool, **fields: Any) -> dict[str, Any]:
    config: dict[str, Any] = {"InstanceCount": nodes, "ZoneAwarenessEnabled": aware}
    if aware:
        config["ZoneAwarenessConfig"] = {"AvailabilityZoneCount": 2}
    return {
        "DomainName": name,
        "DomainId": f"111122223333/{name}",
        "ARN": f"arn:aws:es:us-east-1:111122223333:domain/{name}",
        "EngineVersion": "OpenSearch_2.11",
        "ClusterConfig": config,
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "risk", "reason"),
    [
        (domain("public-single", 1, False), True, "1 data node"),
        (domain("public-many-unaware", 3, False), True, "zone awareness disabled"),
        (domain("public-ha", 2, True), False, "public endpoint"),
        (domain("zero-nodes", 0, True), True, "0 data node"),
        (
            domain("vpc-one-az", 2, True, VPCOptions={"SubnetIds": ["subnet-a1", "subnet-a2"]}),
            True,
            "VPC subnets in one AZ (us-east-1a)",
        ),
        (
            domain("vpc-two-az", 2, True, VPCOptions={"SubnetIds": ["subnet-a1", "subnet-b1"]}),
            False,
            "VPC AZs: us-east-1a, us-east-1b",
        ),
        (
            domain(
                "vpc-api-zones",
                2,
                True,
                VPCOptions={"SubnetIds": ["subnet-x"], "AvailabilityZones": ["us-east-1c"]},
            ),
            True,
            "us-east-1c",
        ),
        (domain("es", 1, False, EngineVersion="Elasticsearch_7.10"), True, "1 data node"),
    ],
)
def test_opensearch_domains(record: dict[str, Any], risk: bool, reason: str) -> None:
    [result] = opensearch.assess([record], ZONES)
    assert result.risk is risk
    assert reason in result.message
    assert result.engine == record["EngineVersion"]


def test_opensearch_looks_up_subnets_only_when_the_api_lacks_zones() -> None:
    with_zones = domain("a", 2, True, VPCOptions={"SubnetIds": ["s"], "AvailabilityZones": ["z"]})
    without = domain("b", 2, True, VPCOptions={"SubnetIds": ["s"]})
    assert not opensearch.needs_subnet_lookup([with_zones, domain("c", 1, False)])
    assert opensearch.needs_subnet_lookup([with_zones, without])

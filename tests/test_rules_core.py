"""Table-driven tests of the four core rules on API-shaped records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import awslambda, docdb, opensearch, rds

ZONES = {"subnet-a1": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b1": "us-east-1b"}


def instance(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "DBInstanceIdentifier": name,
        "DBInstanceArn": f"arn:aws:rds:us-east-1:111122223333:db:{name}",
        "Engine": "mysql",
        "MultiAZ": False,
        "AvailabilityZone": "us-east-1a",
        **fields,
    }


def cluster(name: str, members: list[str], **fields: Any) -> dict[str, Any]:
    return {
        "DBClusterIdentifier": name,
        "DBClusterArn": f"arn:aws:rds:us-east-1:111122223333:cluster:{name}",
        "Engine": "aurora-mysql",
        "MultiAZ": False,
        "AvailabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"],
        "DBClusterMembers": [{"DBInstanceIdentifier": m} for m in members],
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "risk"),
    [
        (instance("single"), True),
        (instance("multi", MultiAZ=True, SecondaryAvailabilityZone="us-east-1b"), False),
        (instance("no-flag", MultiAZ=None), True),
        (instance("sqlserver", Engine="sqlserver-ex"), True),
    ],
)
def test_rds_standalone_instances(record: dict[str, Any], risk: bool) -> None:
    [result] = rds.assess([record], [])
    assert result.risk is risk
    assert result.engine == record["Engine"]
    assert result.resource_arn == record["DBInstanceArn"]
    assert "us-east-1a" in result.message


@pytest.mark.parametrize(
    "record",
    [
        instance("member", DBClusterIdentifier="aurora"),
        instance("doc", Engine="docdb"),
        instance("graph", Engine="neptune"),
    ],
)
def test_rds_skips_cluster_members_and_other_checks_engines(record: dict[str, Any]) -> None:
    assert rds.assess([record], []) == []


def test_rds_cluster_message_names_member_zones() -> None:
    members = [
        instance("w", DBClusterIdentifier="c", AvailabilityZone="us-east-1a"),
        instance("r", DBClusterIdentifier="c", AvailabilityZone="us-east-1c"),
    ]
    [result] = rds.assess(members, [cluster("c", ["w", "r"], MultiAZ=True)])
    assert not result.risk
    assert result.availability_zones == ("us-east-1a", "us-east-1c")
    assert "members in us-east-1a, us-east-1c" in result.message


@pytest.mark.parametrize(
    ("record", "included", "risk"),
    [
        (cluster("aurora-single", []), True, True),
        (cluster("aurora-ha", [], MultiAZ=True), True, False),
        (cluster("multi-az-db-cluster", [], Engine="postgres", MultiAZ=True), True, False),
        (cluster("docs", [], Engine="docdb"), False, None),
        (cluster("graph", [], Engine="neptune"), False, None),
    ],
)
def test_rds_clusters(record: dict[str, Any], included: bool, risk: bool | None) -> None:
    results = rds.assess([], [record])
    assert bool(results) is included
    if included:
        assert results[0].risk is risk
        assert "configured AZs us-east-1a, us-east-1b, us-east-1c" in results[0].message


@pytest.mark.parametrize(
    ("record", "risk"),
    [
        (cluster("d1", [], Engine="docdb"), True),
        (cluster("d2", [], Engine="docdb", MultiAZ=True), False),
        (cluster("aurora", [], Engine="aurora-mysql"), None),
        (cluster("graph", [], Engine="neptune"), None),
    ],
)
def test_docdb_only_judges_docdb_clusters(record: dict[str, Any], risk: bool | None) -> None:
    results = docdb.assess([record], [])
    assert [r.risk for r in results] == ([] if risk is None else [risk])
    assert all(r.check_id == "docdb.cluster_multi_az" for r in results)


def function(name: str, subnets: list[str] | None, vpc_id: str = "vpc-1") -> dict[str, Any]:
    record: dict[str, Any] = {
        "FunctionName": name,
        "FunctionArn": f"arn:aws:lambda:us-east-1:111122223333:function:{name}",
    }
    if subnets is not None:
        record["VpcConfig"] = {"SubnetIds": subnets, "SecurityGroupIds": [], "VpcId": vpc_id}
    return record


@pytest.mark.parametrize(
    ("record", "risk", "zones"),
    [
        (function("one-subnet", ["subnet-a1"]), True, ("us-east-1a",)),
        (function("same-az", ["subnet-a1", "subnet-a2"]), True, ("us-east-1a",)),
        (function("two-az", ["subnet-a1", "subnet-b1"]), False, ("us-east-1a", "us-east-1b")),
        (function("unknown", ["subnet-a1", "subnet-gone"]), True, ("us-east-1a",)),
        (function("all-unknown", ["subnet-gone"]), True, ()),
    ],
)
def test_lambda_vpc_functions(record: dict[str, Any], risk: bool, zones: tuple[str, ...]) -> None:
    [result] = awslambda.assess([record], ZONES)
    assert (result.risk, result.availability_zones) == (risk, zones)
    if "subnet-gone" in record["VpcConfig"]["SubnetIds"]:
        assert "subnet-gone" in result.message


@pytest.mark.parametrize(
    "record",
    [
        function("no-vpc", None),
        function("empty-vpc", [], vpc_id=""),
        function("vpc-without-subnets", []),
        {**function("blank", None), "VpcConfig": {"SubnetIds": [], "VpcId": ""}},
    ],
)
def test_lambda_without_vpc_gives_no_finding(record: dict[str, Any]) -> None:
    assert awslambda.assess([record], ZONES) == []


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

"""The RDS rule on API-shaped DescribeDBInstances / DescribeDBClusters records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import rds
from tests.support.records import db_cluster


def instance(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "DBInstanceIdentifier": name,
        "DBInstanceArn": f"arn:aws:rds:us-east-1:111122223333:db:{name}",
        "Engine": "mysql",
        "MultiAZ": False,
        "AvailabilityZone": "us-east-1a",
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
        instance("going", DBInstanceStatus="deleting"),
        instance("broken", DBInstanceStatus="failed"),
    ],
)
def test_rds_skips_cluster_members_and_other_checks_engines(record: dict[str, Any]) -> None:
    assert rds.assess([record], []) == []


def test_rds_cluster_message_names_member_zones() -> None:
    members = [
        instance("w", DBClusterIdentifier="c", AvailabilityZone="us-east-1a"),
        instance("r", DBClusterIdentifier="c", AvailabilityZone="us-east-1c"),
    ]
    [result] = rds.assess(members, [db_cluster("c", ["w", "r"], MultiAZ=True)])
    assert not result.risk
    assert result.availability_zones == ("us-east-1a", "us-east-1c")
    assert "members in us-east-1a, us-east-1c" in result.message


@pytest.mark.parametrize(
    ("record", "included", "risk"),
    [
        (db_cluster("aurora-single", ["w"]), True, True),
        (db_cluster("aurora-ha", ["w"], MultiAZ=True), True, False),
        (db_cluster("multi-az-db-cluster", ["w"], Engine="postgres", MultiAZ=True), True, False),
        (db_cluster("docs", ["w"], Engine="docdb"), False, None),
        (db_cluster("graph", ["w"], Engine="neptune"), False, None),
    ],
)
def test_rds_clusters(record: dict[str, Any], included: bool, risk: bool | None) -> None:
    results = rds.assess([], [record])
    assert bool(results) is included
    if included:
        assert results[0].risk is risk
        assert "configured AZs us-east-1a, us-east-1b, us-east-1c" in results[0].message


MEMBERS = [
    instance("w", DBClusterIdentifier="c", AvailabilityZone="us-east-1a"),
    instance("r", DBClusterIdentifier="c", AvailabilityZone="us-east-1a"),
    instance("b", DBClusterIdentifier="c", AvailabilityZone="us-east-1b"),
]


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (
            db_cluster("shared-az", ["w", "r"], MultiAZ=True),
            True,
            "DB cluster has Multi-AZ enabled, but all 2 member(s) are in us-east-1a",
        ),
        (
            db_cluster("spread", ["w", "b"], MultiAZ=True),
            False,
            "DB cluster has Multi-AZ enabled (members in us-east-1a, us-east-1b)",
        ),
        (
            db_cluster("one-known", ["w", "unlisted"], MultiAZ=True),
            False,
            "DB cluster has Multi-AZ enabled (members in us-east-1a)",
        ),
        (
            db_cluster("headless", [], MultiAZ=False),
            False,
            "DB cluster has no instances: no compute to fail over (configured AZs us-east-1a, "
            "us-east-1b, us-east-1c)",
        ),
        (
            db_cluster(
                "replica",
                ["w", "b"],
                MultiAZ=True,
                ReplicationSourceIdentifier="arn:aws:rds:eu-west-1:111122223333:cluster:main",
            ),
            False,
            "DB cluster has Multi-AZ enabled (members in us-east-1a, us-east-1b); read replica "
            "of arn:aws:rds:eu-west-1:111122223333:cluster:main",
        ),
    ],
    ids=["aurora-one-az-flag-true", "spread", "partly-known", "headless", "replica"],
)
def test_rds_cluster_members_outrank_the_flag(
    record: dict[str, Any], risk: bool, message: str
) -> None:
    [result] = rds.assess(MEMBERS, [record])
    assert (result.risk, result.message) == (risk, message)


@pytest.mark.parametrize("status", ["deleting", "failed"])
def test_rds_clusters_being_deleted_or_failed_give_no_finding(status: str) -> None:
    assert rds.assess([], [db_cluster("going", ["w"], Status=status)]) == []


def test_rds_read_replica_instance_names_its_source() -> None:
    [result] = rds.assess([instance("copy", ReadReplicaSourceDBInstanceIdentifier="orders")], [])
    assert (
        result.message
        == "RDS instance has Multi-AZ disabled (AZ: us-east-1a); read replica of orders"
    )

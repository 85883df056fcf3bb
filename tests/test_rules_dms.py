"""The DMS rule on API-shaped replication instance and task records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import dms

ARN = "arn:aws:dms:us-east-1:111122223333:rep:"


def instance(name: str, multi_az: bool | None, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "ReplicationInstanceIdentifier": name,
        "ReplicationInstanceArn": ARN + name,
        "AvailabilityZone": "us-east-1a",
        "EngineVersion": "3.5.3",
        **fields,
    }
    if multi_az is not None:
        record["MultiAZ"] = multi_az
    return record


def task(name: str, instance_name: str | None) -> dict[str, Any]:
    record = {
        "ReplicationTaskIdentifier": name,
        "ReplicationTaskArn": f"arn:aws:dms:us-east-1:111122223333:task:{name}",
    }
    if instance_name is not None:
        record["ReplicationInstanceArn"] = ARN + instance_name
    return record


SINGLE = instance("single", False)
HA = instance("ha", True, SecondaryAvailabilityZone="us-east-1c")


@pytest.mark.parametrize(
    ("record", "risk", "zones"),
    [
        (SINGLE, True, ("us-east-1a",)),
        (HA, False, ("us-east-1a", "us-east-1c")),
        (instance("unset", None), True, ("us-east-1a",)),
        (instance("no-az", False, AvailabilityZone=None), True, ()),
    ],
)
def test_replication_instances(record: dict[str, Any], risk: bool, zones: tuple[str, ...]) -> None:
    [result] = dms.assess([record], [])
    assert (result.risk, result.availability_zones) == (risk, zones)
    assert ("disabled" if risk else "enabled") in result.message
    assert result.resource_arn == record["ReplicationInstanceArn"]
    assert all(z in result.message for z in zones)


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (
            task("on-single", "single"),
            True,
            "single-AZ replication instance single (AZs: us-east-1a)",
        ),
        (
            task("on-ha", "ha"),
            False,
            "Multi-AZ replication instance ha (AZs: us-east-1a, us-east-1c)",
        ),
        (task("orphan", "deleted"), False, f"{ARN}deleted not found"),
        (task("no-instance", None), False, "(none) not found"),
    ],
)
def test_replication_tasks_take_their_instances_layout(
    record: dict[str, Any], risk: bool, text: str
) -> None:
    results = dms.assess([SINGLE, HA], [record])
    assert len(results) == 3
    result = results[-1]
    assert (result.check_id, result.resource_name, result.risk) == (
        "dms.task_instance_multi_az",
        record["ReplicationTaskIdentifier"],
        risk,
    )
    assert text in result.message

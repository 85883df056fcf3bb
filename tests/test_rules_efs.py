"""The EFS rule on API-shaped DescribeFileSystems / DescribeMountTargets records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import efs


def file_system(fs_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "FileSystemId": fs_id,
        "FileSystemArn": f"arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/{fs_id}",
        "Name": f"name-{fs_id}",
        "LifeCycleState": "available",
        **fields,
    }


def target(zone: str, state: str = "available") -> dict[str, Any]:
    return {"MountTargetId": f"fsmt-{zone}", "AvailabilityZoneName": zone, "LifeCycleState": state}


A, B = "us-east-1a", "us-east-1b"


@pytest.mark.parametrize(
    ("record", "targets", "risk", "text"),
    [
        (
            file_system("fs-1", AvailabilityZoneName=A),
            [target(A), target(B)],
            True,
            "One Zone storage in us-east-1a",
        ),
        (file_system("fs-2"), [], True, "mount targets in 0 AZ(s): none"),
        (file_system("fs-3"), [target(A)], True, "1 AZ(s): us-east-1a"),
        (file_system("fs-4"), [target(A), target(A)], True, "1 AZ(s): us-east-1a"),
        (file_system("fs-5"), [target(A), target(B)], False, "2 AZ(s): us-east-1a, us-east-1b"),
        (file_system("fs-6"), [target(A), target(B, "deleting")], True, "1 AZ(s): us-east-1a"),
        (file_system("fs-7", LifeCycleState="creating"), [target(A), target(B)], False, "Standard"),
    ],
)
def test_file_systems(
    record: dict[str, Any], targets: list[dict[str, Any]], risk: bool, text: str
) -> None:
    [result] = efs.assess([record], {record["FileSystemId"]: targets})
    assert result.risk is risk
    assert text in result.message
    assert (result.resource_id, result.resource_name) == (
        record["FileSystemId"],
        f"name-{record['FileSystemId']}",
    )


@pytest.mark.parametrize("state", ["deleting", "deleted"])
def test_file_systems_being_deleted_are_not_judged(state: str) -> None:
    assert efs.assess([file_system("fs-9", LifeCycleState=state)], {}) == []


def test_standard_file_system_without_a_listing_has_no_mount_targets() -> None:
    [result] = efs.assess([file_system("fs-x")], {})
    assert result.risk

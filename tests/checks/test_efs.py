"""EFS: the rule on file system and mount target records, and collection through the CLI.

moto pages file systems ten at a time.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import efs
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import make_subnets


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
        (
            file_system("fs-2", NumberOfMountTargets=0),
            [],
            False,
            "EFS Standard storage with no mount targets: no AZ can reach it",
        ),
        (file_system("fs-3"), [target(A)], True, "1 AZ(s): us-east-1a"),
        (file_system("fs-4"), [target(A), target(A)], True, "1 AZ(s): us-east-1a"),
        (file_system("fs-5"), [target(A), target(B)], False, "2 AZ(s): us-east-1a, us-east-1b"),
        (file_system("fs-6"), [target(A), target(B, "deleting")], True, "1 AZ(s): us-east-1a"),
        (file_system("fs-8"), [target(A, "deleting")], False, "no mount targets"),
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


def test_mount_targets_are_listed_only_for_standard_storage_that_reports_some() -> None:
    assert efs.needs_mount_targets(file_system("fs-x", NumberOfMountTargets=2))
    assert efs.needs_mount_targets(file_system("fs-x"))
    assert not efs.needs_mount_targets(file_system("fs-x", NumberOfMountTargets=0))
    assert not efs.needs_mount_targets(file_system("fs-x", AvailabilityZoneName=A))
    assert not efs.needs_mount_targets(file_system("fs-x", LifeCycleState="deleting"))


REGION = "ap-southeast-2"


def test_file_systems_by_storage_class_and_mount_targets(boto: Boto, run_cli: RunCli) -> None:
    efs = boto("efs", REGION)
    subnets = make_subnets(boto, REGION)  # AZs a, a, b

    def create(name: str, **extra: str) -> str:
        fs_id: str = efs.create_file_system(
            CreationToken=name, Tags=[{"Key": "Name", "Value": name}], **extra
        )["FileSystemId"]
        return fs_id

    create("one-zone", AvailabilityZoneName=f"{REGION}b")
    create("no-targets")
    one_az = create("targets-one-az")
    efs.create_mount_target(FileSystemId=one_az, SubnetId=subnets[0])
    two_az = create("targets-two-az")
    for subnet in (subnets[0], subnets[2]):
        efs.create_mount_target(FileSystemId=two_az, SubnetId=subnet)
    for i in range(9):  # 13 file systems: moto answers ten per page
        create(f"bulk-{i}", AvailabilityZoneName=f"{REGION}a")

    run = run_cli("scan", "-r", REGION, "-s", "efs")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        "one-zone": True,
        "no-targets": False,
        "targets-one-az": True,
        "targets-two-az": False,
        **{f"bulk-{i}": True for i in range(9)},
    }
    assert "One Zone storage in ap-southeast-2b" in run.finding("one-zone")["message"]
    assert "1 AZ(s): ap-southeast-2a" in run.finding("targets-one-az")["message"]
    assert "2 AZ(s): ap-southeast-2a, ap-southeast-2b" in run.finding("targets-two-az")["message"]
    assert run.finding("targets-two-az")["resource_id"] == two_az
    assert run.pair_results == {("efs", REGION): "Success"}

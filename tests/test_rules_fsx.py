"""The FSx rule on API-shaped DescribeFileSystems records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import fsx

ZONES = {"subnet-a": "us-east-1a", "subnet-b": "us-east-1b"}


def file_system(fs_type: str, subnets: list[str], deployment: str | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "FileSystemId": "fs-0123",
        "FileSystemType": fs_type,
        "ResourceARN": "arn:aws:fsx:us-east-1:111122223333:file-system/fs-0123",
        "SubnetIds": subnets,
        "Tags": [{"Key": "Name", "Value": "shares"}],
    }
    if deployment is not None:
        field = fsx.CONFIGURATION_FIELD[fs_type]
        record[field] = {"DeploymentType": deployment}
    return record


ONE, TWO = ["subnet-a"], ["subnet-a", "subnet-b"]


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (file_system("WINDOWS", ONE, "SINGLE_AZ_1"), True, "SINGLE_AZ_1 (AZs: us-east-1a)"),
        (file_system("WINDOWS", ONE, "SINGLE_AZ_2"), True, "SINGLE_AZ_2"),
        (
            file_system("WINDOWS", TWO, "MULTI_AZ_1"),
            False,
            "MULTI_AZ_1 (AZs: us-east-1a, us-east-1b)",
        ),
        (file_system("WINDOWS", ONE), True, "not reported"),
        (file_system("ONTAP", ONE, "SINGLE_AZ_2"), True, "ONTAP"),
        (file_system("ONTAP", TWO, "MULTI_AZ_2"), False, "MULTI_AZ_2"),
        (file_system("OPENZFS", ONE, "SINGLE_AZ_HA_2"), True, "SINGLE_AZ_HA_2"),
        (file_system("OPENZFS", TWO, "MULTI_AZ_1"), False, "OPENZFS"),
        (file_system("LUSTRE", ONE), True, "one AZ by design (AZs: us-east-1a)"),
        (file_system("LUSTRE", ["subnet-gone"]), True, "AZs: none"),
    ],
)
def test_file_systems(record: dict[str, Any], risk: bool, text: str) -> None:
    [result] = fsx.assess([record], ZONES)
    assert result.risk is risk
    assert text in result.message
    assert (result.engine, result.resource_name, result.resource_id) == (
        record["FileSystemType"],
        "shares",
        "fs-0123",
    )


def test_file_system_without_name_tag_is_named_by_id() -> None:
    [result] = fsx.assess([{**file_system("LUSTRE", ONE), "Tags": []}], ZONES)
    assert result.resource_name == "fs-0123"

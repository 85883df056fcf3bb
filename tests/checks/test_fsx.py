"""FSx: the rule on DescribeFileSystems records, and collection through the CLI.

moto serves every file system type; a stand-in serves paged listings.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import fsx
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import make_subnets
from tests.support.standins import serve_standin

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


@pytest.mark.parametrize("lifecycle", ["DELETING", "FAILED"])
def test_file_systems_being_deleted_or_failed_give_no_finding(lifecycle: str) -> None:
    record = {**file_system("WINDOWS", ONE, "SINGLE_AZ_2"), "Lifecycle": lifecycle}
    assert fsx.assess([record], ZONES) == []


def test_file_system_without_name_tag_is_named_by_id() -> None:
    [result] = fsx.assess([{**file_system("LUSTRE", ONE), "Tags": []}], ZONES)
    assert result.resource_name == "fs-0123"


REGION = "eu-west-1"


def test_every_file_system_type(boto: Boto, run_cli: RunCli) -> None:
    fsx = boto("fsx", REGION)
    subnets = make_subnets(boto, REGION)  # AZs a, a, b
    two_az = [subnets[0], subnets[2]]

    def create(name: str, kind: str, subnet_ids: list[str], **config: Any) -> None:
        fsx.create_file_system(
            FileSystemType=kind,
            StorageCapacity=1200,
            SubnetIds=subnet_ids,
            Tags=[{"Key": "Name", "Value": name}],
            **config,
        )

    create(
        "win-single",
        "WINDOWS",
        subnets[:1],
        WindowsConfiguration={"DeploymentType": "SINGLE_AZ_2", "ThroughputCapacity": 32},
    )
    create(
        "win-multi",
        "WINDOWS",
        two_az,
        WindowsConfiguration={
            "DeploymentType": "MULTI_AZ_1",
            "ThroughputCapacity": 32,
            "PreferredSubnetId": subnets[0],
        },
    )
    create(
        "ontap-multi",
        "ONTAP",
        two_az,
        OntapConfiguration={"DeploymentType": "MULTI_AZ_1", "ThroughputCapacity": 128},
    )
    create(
        "zfs-single",
        "OPENZFS",
        subnets[:1],
        OpenZFSConfiguration={"DeploymentType": "SINGLE_AZ_1", "ThroughputCapacity": 64},
    )
    create("lustre", "LUSTRE", subnets[:1])

    run = run_cli("scan", "-r", REGION, "-s", "fsx")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        "win-single": True,
        "win-multi": False,
        "ontap-multi": False,
        "zfs-single": True,
        "lustre": True,
    }
    engines = {f["resource_name"]: f["engine"] for f in run.findings}
    assert engines["ontap-multi"] == "ONTAP"
    assert engines["lustre"] == "LUSTRE"
    assert "AZs: eu-west-1a, eu-west-1b" in run.finding("win-multi")["message"]
    assert "SINGLE_AZ_2 (AZs: eu-west-1a)" in run.finding("win-single")["message"]
    assert run.pair_results == {("fsx", REGION): "Success"}


def test_every_page_of_file_systems_is_read(boto: Boto, run_cli: RunCli) -> None:
    subnets = make_subnets(boto, REGION)  # subnets stay on moto; only FSx is stood in
    file_systems = [
        {
            "FileSystemId": f"fs-{i}",
            "FileSystemType": "LUSTRE",
            "ResourceARN": f"arn:aws:fsx:{REGION}:123456789012:file-system/fs-{i}",
            "SubnetIds": subnets[2:],
        }
        for i in range(5)
    ]
    handlers = {
        "DescribeFileSystems": paged("fsx", "DescribeFileSystems", lambda p, r: file_systems, 2)
    }
    with serve_standin("fsx", handlers) as server:
        run = run_cli("scan", "-r", REGION, "-s", "fsx")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"fs-{i}": True for i in range(5)}
    assert "AZs: eu-west-1b" in run.finding("fs-4")["message"]
    assert len(server.requests) == 3

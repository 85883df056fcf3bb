"""The efs check through the real CLI against moto (which pages file systems ten at a time)."""

from __future__ import annotations

from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import make_subnets

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
        "no-targets": True,
        "targets-one-az": True,
        "targets-two-az": False,
        **{f"bulk-{i}": True for i in range(9)},
    }
    assert "One Zone storage in ap-southeast-2b" in run.finding("one-zone")["message"]
    assert "1 AZ(s): ap-southeast-2a" in run.finding("targets-one-az")["message"]
    assert "2 AZ(s): ap-southeast-2a, ap-southeast-2b" in run.finding("targets-two-az")["message"]
    assert run.finding("targets-two-az")["resource_id"] == two_az
    assert run.pair_results == {("efs", REGION): "Success"}

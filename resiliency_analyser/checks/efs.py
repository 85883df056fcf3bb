"""EFS file systems stored in one AZ, or reachable through mount targets in one AZ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    concurrently,
    tag_pairs,
    zone_text,
)

GONE_STATES = frozenset({"deleting", "deleted"})


def is_live(record: Record) -> bool:
    return record.get("LifeCycleState") not in GONE_STATES


def is_one_zone(file_system: Record) -> bool:
    return bool(file_system.get("AvailabilityZoneName"))


def needs_mount_targets(file_system: Record) -> bool:
    """Standard storage is judged by its mount targets; one reporting none needs no call."""
    return (
        is_live(file_system)
        and not is_one_zone(file_system)
        and file_system.get("NumberOfMountTargets") != 0
    )


def assess_file_system(
    file_system: Record, mount_targets: Sequence[Record], options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment:
    if is_one_zone(file_system):
        zones = [file_system["AvailabilityZoneName"]]
        risk = True
        message = f"EFS One Zone storage in {zones[0]}"
    elif not mount_targets:
        zones, risk = [], False
        message = "EFS Standard storage with no mount targets: no AZ can reach it"
    else:
        zones = sorted(
            {m["AvailabilityZoneName"] for m in mount_targets if m.get("AvailabilityZoneName")}
        )
        risk = options.too_few(len(zones))
        message = (
            f"EFS Standard storage with mount targets in {len(zones)} AZ(s): {zone_text(zones)}"
            f"{options.shortfall(len(zones))}"
        )
    return Assessment(
        check_id="efs.file_system_multi_az",
        resource_arn=file_system.get("FileSystemArn", ""),
        resource_name=file_system.get("Name", ""),
        resource_id=file_system.get("FileSystemId", ""),
        risk=risk,
        message=message,
        availability_zones=tuple(zones),
        tags=tag_pairs(file_system.get("Tags")),
    )


def assess(
    file_systems: Sequence[Record],
    mount_targets: Mapping[str, Sequence[Record]],
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    """``mount_targets``: file system id -> its mount targets (needed for Standard ones only)."""
    return [
        assess_file_system(
            fs,
            [m for m in mount_targets.get(fs.get("FileSystemId", ""), []) if is_live(m)],
            options,
        )
        for fs in file_systems
        if is_live(fs)
    ]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("efs", "describe_file_systems"):
        file_systems = page.get("FileSystems", [])
        standard = [fs["FileSystemId"] for fs in file_systems if needs_mount_targets(fs)]
        targets = await concurrently(
            *(
                scope.items("efs", "describe_mount_targets", "MountTargets", FileSystemId=fs_id)
                for fs_id in standard
            )
        )
        yield assess(file_systems, dict(zip(standard, targets, strict=True)), scope.options)


CHECK = Check(
    key="efs",
    service="Amazon EFS",
    rule=(
        "A file system not being deleted is a risk when it uses One Zone storage, or uses "
        "Standard storage with mount targets in fewer than 2 AZs (none: no AZ can reach it, "
        "not a risk)."
    ),
    actions=("elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeMountTargets"),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "efs.file_system_multi_az": Guidance(
            Severity.HIGH,
            "Use Regional (Standard) storage, replicating a One Zone file system to a new one, with "
            "a mount target in every AZ your clients use.",
            "Other",
            fails=Fails.DATA,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        ("One Zone storage (`AvailabilityZoneName` set) is a risk whatever its mount targets."),
        (
            "For Standard storage the message names the AZs of its mount targets (two in one "
            "AZ count once); mount targets being deleted do not count. With no mount target it "
            "cannot be reached from any AZ: a finding that is not a risk, saying so."
        ),
        (
            "API: `DescribeFileSystems` (all pages), then `DescribeMountTargets` for each "
            "Standard file system whose `NumberOfMountTargets` is not 0 (all pages, in "
            "parallel)."
        ),
    ),
)

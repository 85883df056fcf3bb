"""FSx file systems deployed in a single AZ: Single-AZ Windows, ONTAP, OpenZFS, and all Lustre."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    tag_pairs,
    tag_value,
    zone_text,
)

CONFIGURATION_FIELD = {
    "WINDOWS": "WindowsConfiguration",
    "ONTAP": "OntapConfiguration",
    "OPENZFS": "OpenZFSConfiguration",
}
"""Types with a Single-AZ / Multi-AZ choice -> the field holding their DeploymentType."""
GONE_STATES = frozenset({"DELETING", "FAILED"})
"""Lifecycles of file systems that carry no traffic: they give no finding."""


def assess_file_system(file_system: Record, subnet_zones: Mapping[str, str]) -> Assessment:
    fs_type = file_system.get("FileSystemType", "")
    subnets = file_system.get("SubnetIds") or []
    zones = sorted({subnet_zones[s] for s in subnets if s in subnet_zones})
    where = f"AZs: {zone_text(zones)}"
    if fs_type in CONFIGURATION_FIELD:
        config = file_system.get(CONFIGURATION_FIELD[fs_type]) or {}
        deployment = config.get("DeploymentType", "")
        # Only MULTI_AZ_* deployments have a standby file server in a second AZ.
        risk = not deployment.startswith("MULTI_AZ")
        message = f"{fs_type} file system, deployment type {deployment or 'not reported'} ({where})"
    else:  # LUSTRE, the one type without a Multi-AZ deployment
        risk = True
        message = f"{fs_type} file systems run in one AZ by design ({where})"
    file_system_id = file_system.get("FileSystemId", "")
    return Assessment(
        check_id="fsx.file_system_multi_az",
        resource_arn=file_system.get("ResourceARN", ""),
        resource_name=tag_value(file_system, "Name") or file_system_id,
        resource_id=file_system_id,
        risk=risk,
        engine=fs_type,
        message=message,
        availability_zones=tuple(zones),
        tags=tag_pairs(file_system.get("Tags")),
    )


def assess(file_systems: Sequence[Record], subnet_zones: Mapping[str, str]) -> list[Assessment]:
    return [
        assess_file_system(fs, subnet_zones)
        for fs in file_systems
        if fs.get("Lifecycle") not in GONE_STATES
    ]


async def scan(scope: RegionScope) -> Batches:
    subnet_zones: Mapping[str, str] | None = None
    async for page in scope.pages("fsx", "describe_file_systems"):
        file_systems = page.get("FileSystems", [])
        if subnet_zones is None and file_systems:
            subnet_zones = await scope.subnet_zones()
        yield assess(file_systems, subnet_zones or {})


CHECK = Check(
    key="fsx",
    service="Amazon FSx",
    rule=(
        "A Windows, ONTAP or OpenZFS file system is a risk unless its deployment type is "
        "MULTI_AZ_*; a Lustre file system is always a risk (one AZ by design); file systems "
        "being deleted or failed are not judged."
    ),
    actions=("fsx:DescribeFileSystems", "ec2:DescribeSubnets"),
    scan=scan,
    tagged=True,
    guidance={
        "fsx.file_system_multi_az": Guidance(
            Severity.HIGH,
            "Move the data to a MULTI_AZ_* deployment (the type cannot change in place; Lustre is "
            "single-AZ by design, so keep its data in S3).",
            "Other",
            fails=Fails.DATA,
            fsbp=("FSx.3", "FSx.4", "FSx.5"),
            well_architected=("REL10-BP01", "REL10-BP02"),
        ),
    },
    notes=(
        "`engine` is the file system type (`WINDOWS`, `ONTAP`, `OPENZFS`, `LUSTRE`).",
        (
            "A Windows, ONTAP or OpenZFS file system whose deployment type is not reported is"
            " treated as single-AZ (only `MULTI_AZ_*` deployments have a standby in a second "
            "AZ)."
        ),
        "The message names the deployment type and the AZs of the file system's subnets.",
        "File systems whose `Lifecycle` is `DELETING` or `FAILED` carry no traffic: no finding.",
        (
            "API: `DescribeFileSystems` (all pages), `ec2:DescribeSubnets` (once per region, "
            "shared by checks)."
        ),
    ),
)

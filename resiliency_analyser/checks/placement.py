"""Looking up EC2 records by id, for checks whose resources point at EC2.

A record in another region is looked up through ``scope.in_region(region)``. The shared lookups
(``checks/lookups.py``) use these too, so this module imports the check API for annotations only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from resiliency_analyser.checks.fanout import chunks, concurrently

if TYPE_CHECKING:
    from resiliency_analyser.checks.api import Record, RegionScope

# Ids go in a filter, not the *Ids parameter: a filter skips ids that no longer exist where the
# parameter fails the whole call. EC2 accepts up to 200 values per filter.
FILTER_BATCH = 200


async def find_by_id(
    scope: RegionScope, operation: str, key: str, id_filter: str, ids: Iterable[str]
) -> list[Record]:
    """Every ``key`` record of ``operation`` whose ``id_filter`` is one of ``ids``, all pages."""
    found = await concurrently(
        *(
            scope.items("ec2", operation, key, Filters=[{"Name": id_filter, "Values": batch}])
            for batch in chunks(sorted(set(ids)), FILTER_BATCH)
        )
    )
    return [record for records in found for record in records]


async def instances(scope: RegionScope, ids: Iterable[str]) -> list[Record]:
    """The instances with these ids, from every reservation of every page."""
    reservations = await find_by_id(scope, "describe_instances", "Reservations", "instance-id", ids)
    return [instance for r in reservations for instance in r.get("Instances", [])]


def instance_zones(instance_records: Iterable[Record]) -> dict[str, str]:
    return {
        i["InstanceId"]: i["Placement"]["AvailabilityZone"]
        for i in instance_records
        if (i.get("Placement") or {}).get("AvailabilityZone")
    }

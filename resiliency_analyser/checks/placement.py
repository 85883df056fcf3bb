"""Looking up EC2 records by id in any region, for checks whose resources point at EC2."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING

from resiliency_analyser.checks.api import Record, chunks

if TYPE_CHECKING:
    from resiliency_analyser.aws.clients import AwsClients

# Ids go in a filter, not the *Ids parameter: a filter skips ids that no longer exist where the
# parameter fails the whole call. EC2 accepts up to 200 values per filter.
FILTER_BATCH = 200


async def find_by_id(
    clients: AwsClients, region: str, operation: str, key: str, id_filter: str, ids: Iterable[str]
) -> list[Record]:
    """Every ``key`` record of ``operation`` whose ``id_filter`` is one of ``ids``, all pages."""
    batches = chunks(sorted(set(ids)), FILTER_BATCH)
    found = await asyncio.gather(
        *(
            clients.items(
                "ec2", region, operation, key, Filters=[{"Name": id_filter, "Values": list(batch)}]
            )
            for batch in batches
        )
    )
    return [record for records in found for record in records]


async def instances(clients: AwsClients, region: str, ids: Iterable[str]) -> list[Record]:
    """The instances with these ids, from every reservation of every page."""
    reservations = await find_by_id(
        clients, region, "describe_instances", "Reservations", "instance-id", ids
    )
    return [instance for r in reservations for instance in r.get("Instances", [])]


def instance_zones(instance_records: Iterable[Record]) -> dict[str, str]:
    return {
        i["InstanceId"]: i["Placement"]["AvailabilityZone"]
        for i in instance_records
        if (i.get("Placement") or {}).get("AvailabilityZone")
    }

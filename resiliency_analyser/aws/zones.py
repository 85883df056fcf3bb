"""Each region's AZ names and the AZ IDs they stand for in the scanned account."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from resiliency_analyser.aws.clients import AwsClients


async def zone_ids(clients: AwsClients, region: str) -> dict[str, str]:
    """AZ name -> AZ ID for every zone of the region, Local and Wavelength Zones included.

    Names are shuffled per account in the older regions (one account's ``us-east-1a`` is
    another's ``us-east-1c``); the IDs name the same physical zone in every account.
    """
    zones = await clients.items(
        "ec2", region, "describe_availability_zones", "AvailabilityZones", AllAvailabilityZones=True
    )
    return {z["ZoneName"]: z["ZoneId"] for z in zones if z.get("ZoneName") and z.get("ZoneId")}

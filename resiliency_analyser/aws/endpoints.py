"""Whether AWS offers a service in a region, from the endpoint data botocore ships with."""

from __future__ import annotations

import aioboto3
import botocore
from botocore.exceptions import UnknownRegionError

from resiliency_analyser.errors import AnalyserError


class ServiceNotInRegion(AnalyserError):
    """The service has no endpoint in the region: there is nothing there to scan.

    A pair it ends is ``NotAvailable``, not a failure (``aws.outcomes.classify``); only should
    it escape a run (a call the run itself needs) does it end the process with exit code 1.
    """

    def __init__(self, service: str, region: str) -> None:
        super().__init__(
            f"{service} has no endpoint in {region} "
            f"(per the endpoint data of botocore {botocore.__version__})"
        )
        self.service, self.region = service, region


async def lacks_endpoint(session: aioboto3.Session, service: str, region: str) -> bool:
    """True only when botocore knows the region and lists the service in other regions of its
    partition but not this one; a region or service botocore has never heard of is tried anyway,
    so an old botocore cannot silently skip a new region."""
    try:
        partition = session.get_partition_for_region(region)
    except UnknownRegionError:
        return False
    available = await session.get_available_regions(service, partition)
    return bool(available) and region not in available

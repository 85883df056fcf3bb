"""One way to start a stand-in: serve a service from Python handlers and point its clients at it.

Listings are paged with :func:`resiliency_analyser.demo.standin.paged`, as the demo pages them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol

import pytest

from resiliency_analyser.demo.standin import Handler, ServiceStandin, StandinError


@contextmanager
def serve_standin(
    service: str, handlers: Mapping[str, Handler], upstream: str | None = None
) -> Iterator[ServiceStandin]:
    """Serves ``service`` from ``handlers`` while in the ``with``, and points that service's
    clients (``AWS_ENDPOINT_URL_<SERVICE>``) at it; every other service stays on the moto server.
    With ``upstream`` (the moto server's URL), the service's other operations go on to it.
    Yields the stand-in, whose ``requests`` record what was asked (served ones only)."""
    with (
        ServiceStandin(service, handlers, upstream) as server,
        pytest.MonkeyPatch.context() as env,
    ):
        env.setenv(server.endpoint_variable, server.url)
        yield server


class StartStandin(Protocol):
    """The ``standin`` fixture: ``standin("dax", handlers)`` serves for the rest of the test;
    ``standin("dms", handlers, aws_env)`` forwards the operations it does not serve to moto."""

    def __call__(
        self, service: str, handlers: Mapping[str, Handler], upstream: str | None = None
    ) -> ServiceStandin: ...


def deny(params: dict[str, Any], region: str) -> dict[str, Any]:
    """A handler answering AccessDenied, as a missing IAM permission does."""
    raise StandinError("AccessDenied", "User is not authorized to perform this action", 403)


def zone_listing(zone_ids: Mapping[str, str]) -> Handler:
    """EC2 ``DescribeAvailabilityZones`` answering these AZ names -> IDs: an EC2 stand-in needs it
    whenever the scan's findings name AZs (each is given its AZ ID)."""

    def handle(params: dict[str, Any], region: str) -> dict[str, Any]:
        if params.get("AllAvailabilityZones") != "true":
            raise StandinError("InvalidParameterValue", "expected AllAvailabilityZones=true")
        return {
            "AvailabilityZones": [
                {"ZoneName": name, "ZoneId": zone_id, "RegionName": region}
                for name, zone_id in zone_ids.items()
            ]
        }

    return handle


def region_zone_listing(region: str) -> Handler:
    """``zone_listing`` for the region's AZs a to c, with made-up but well-formed AZ IDs."""
    return zone_listing(
        {f"{region}{z}": f"{region[:2]}{region[-1]}-az{i}" for i, z in enumerate("abc", 1)}
    )

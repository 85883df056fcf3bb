"""Start, seed, and stop the embedded simulated account the ``demo`` command scans."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import aioboto3
import boto3
from moto.server import ThreadedMotoServer

from resiliency_analyser.aws.clients import ClientSettings
from resiliency_analyser.demo.seed import seed
from resiliency_analyser.demo.standin import Handler, ServiceStandin, paged
from resiliency_analyser.demo.world import DEMO_KEYS, DemoWorld
from resiliency_analyser.registry import CHECKS
from resiliency_analyser.scan import OutputOptions, ScanRequest

DEMO_REGIONS = ("us-east-1", "eu-west-1")


class DemoAccount:
    def __init__(self, regions: tuple[str, ...] | None = DEMO_REGIONS) -> None:
        """``regions=None`` seeds every region the simulator offers, as far as it can."""
        self.regions = regions or ()
        self._every_region = regions is None
        self._stack = ExitStack()
        self.world: DemoWorld | None = None
        self.standin_urls: dict[str, str] = {}
        self.unseeded: list[str] = []

    def __enter__(self) -> DemoAccount:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        self._stack.callback(server.stop)
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        if self._every_region:
            # The demo's resources live in the commercial partition, like its credentials.
            listing = DemoWorld(url, ()).client("ec2", DEMO_REGIONS[0]).describe_regions()
            commercial = set(boto3.session.Session().get_available_regions("ec2"))
            self.regions = tuple(
                r["RegionName"] for r in listing["Regions"] if r["RegionName"] in commercial
            )
        self.world = world = DemoWorld(url, self.regions)
        for service, handlers in standin_handlers(world).items():
            standin = self._stack.enter_context(ServiceStandin(service, handlers))
            self.standin_urls[service] = standin.url
        self.unseeded = seed(world, skip_unsupported=self._every_region)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def session(self) -> aioboto3.Session:
        return aioboto3.Session(
            aws_access_key_id=DEMO_KEYS[0],
            aws_secret_access_key=DEMO_KEYS[1],
            region_name=self.regions[0],
        )

    def scan_request(self, folder: Path) -> ScanRequest:
        assert self.world is not None
        return ScanRequest(
            checks=CHECKS,
            regions=list(self.regions),
            output=OutputOptions(folder=folder, truncate=True),
            settings=ClientSettings(
                endpoint_url=self.world.endpoint_url,
                service_endpoints=tuple(self.standin_urls.items()),
            ),
        )


def no_records(key: str) -> Handler:
    def handler(params: dict[str, Any], region: str) -> dict[str, Any]:
        return {key: []}

    return handler


PAGE_SIZE = 2  # small, so a demo scan follows second pages too


def listed(
    world: DemoWorld, service: str, operation: str, store: str = "", by: str = ""
) -> Handler:
    """Serves ``world.records(store or service, key)`` a page at a time; the key is the signed
    region, or the request parameter ``by`` (e.g. the listener an endpoint-group listing is for)."""

    def records(params: dict[str, Any], region: str) -> list[dict[str, Any]]:
        return world.records(store or service, params[by] if by else region)

    return paged(service, operation, records, PAGE_SIZE)


def standin_handlers(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    """Every service the demo serves from stand-ins: APIs, or parts of APIs, moto lacks."""
    ga = "globalaccelerator"
    return {
        "docdb": {
            "DescribeDBClusters": listed(world, "docdb", "DescribeDBClusters"),
            "DescribeDBInstances": no_records("DBInstances"),
        },
        "memorydb": {"DescribeClusters": listed(world, "memorydb", "DescribeClusters")},
        "redshift": {"DescribeClusters": listed(world, "redshift", "DescribeClusters")},
        "storagegateway": {"ListGateways": listed(world, "storagegateway", "ListGateways")},
        "dax": {"DescribeClusters": listed(world, "dax", "DescribeClusters")},
        "cloudhsmv2": {"DescribeClusters": listed(world, "cloudhsmv2", "DescribeClusters")},
        "directconnect": {
            "DescribeConnections": listed(world, "directconnect", "DescribeConnections"),
            "DescribeVirtualInterfaces": listed(
                world,
                "directconnect",
                "DescribeVirtualInterfaces",
                store="directconnect/virtual-interfaces",
            ),
        },
        ga: {
            "ListAccelerators": listed(world, ga, "ListAccelerators"),
            "ListListeners": listed(
                world, ga, "ListListeners", store=f"{ga}/listeners", by="AcceleratorArn"
            ),
            "ListEndpointGroups": listed(
                world, ga, "ListEndpointGroups", store=f"{ga}/endpoint-groups", by="ListenerArn"
            ),
        },
    }

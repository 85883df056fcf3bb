"""Start, seed, and stop the embedded simulated account the ``demo`` command scans."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from pathlib import Path

import aioboto3
import boto3
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks.registry import CHECKS
from resiliency_analyser.config.tuning import DEFAULT_CHECK_TIMEOUT
from resiliency_analyser.demo.seeders import seeders
from resiliency_analyser.demo.standin import Handler, ServiceStandin
from resiliency_analyser.demo.world import DEMO_KEYS, DemoWorld
from resiliency_analyser.run.request import OutputOptions, ScanRequest

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
            standin = self._stack.enter_context(ServiceStandin(service, handlers, url))
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
            check_timeout=DEFAULT_CHECK_TIMEOUT,
            settings=ClientSettings(
                endpoint_url=self.world.endpoint_url,
                service_endpoints=tuple(self.standin_urls.items()),
            ),
        )


def seed(world: DemoWorld, *, skip_unsupported: bool = False) -> list[str]:
    """Seeds every region for every check; returns '<check> in <region>' for each seeder the
    simulator refused.

    Only with ``skip_unsupported`` (the benchmark's many regions, some of which moto serves
    partially) is a refusal skipped; the demo's own regions must seed completely.
    """
    world.client("organizations", "us-east-1").create_organization(FeatureSet="ALL")
    skipped: list[str] = []
    by_check = seeders()
    for region in world.regions:
        for check in CHECKS:
            try:
                by_check[check.key].seed(world, region)
            except ClientError:
                if not skip_unsupported:
                    raise
                skipped.append(f"{check.key} in {region}")
    return skipped


def standin_handlers(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    """Every service the demo serves from stand-ins: APIs, or parts of APIs, moto lacks."""
    handlers: dict[str, dict[str, Handler]] = {}
    for seeder in seeders().values():
        for service, operations in (seeder.standins(world) if seeder.standins else {}).items():
            handlers.setdefault(service, {}).update(operations)
    return handlers

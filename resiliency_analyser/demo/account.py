"""Start, seed, and stop the embedded simulated account the ``demo`` command scans."""

from __future__ import annotations

import logging
import os
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

import aioboto3
import boto3
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from resiliency_analyser.aws.names import SESSION_NAME
from resiliency_analyser.checks.registry import CHECKS
from resiliency_analyser.config.tuning import DEFAULT_CHECK_TIMEOUT
from resiliency_analyser.demo.organization import MEMBER_ROLE, organize, zone_listing
from resiliency_analyser.demo.seeders import registered_seeders
from resiliency_analyser.demo.standin import Handler, ServiceStandin
from resiliency_analyser.demo.world import DEMO_KEYS, DemoWorld, Seeder
from resiliency_analyser.model.accounts import MemberRole
from resiliency_analyser.run.request import AccountScope, OutputOptions, ScanRequest, WorkerChoice

DEMO_REGIONS = ("us-east-1", "eu-west-1")
DEMO_ZONES = 3
"""The AZs the seeders' examples spread over: the benchmark skips a region with fewer."""

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@contextmanager
def isolated_from_user() -> Iterator[None]:
    """While the demo runs, the SDK sees none of the user's AWS settings (profile, config and
    credentials files, endpoints) nor proxies: the demo talks only to its own 127.0.0.1 servers,
    which a proxy could not reach."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.upper().startswith("AWS_") or name.upper() in PROXY_VARIABLES:
            del os.environ[name]
    os.environ.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class DemoAccount:
    def __init__(
        self,
        regions: tuple[str, ...] | None = DEMO_REGIONS,
        on_step: Callable[[str], None] | None = None,
        *,
        organization: bool = False,
    ) -> None:
        """``regions=None`` seeds every region the simulator offers, as far as it can;
        ``on_step`` is told each step of starting the account, for the user to watch;
        ``organization`` makes the account an organization's management account, with members
        (``demo/organization.py``)."""
        self.regions = regions or ()
        self.organization = organization
        self.members: dict[str, str] = {}
        """Member name -> account id."""
        self._every_region = regions is None
        self._on_step = on_step or (lambda step: None)
        self._stack = ExitStack()
        self.world: DemoWorld | None = None
        self.standin_urls: dict[str, str] = {}
        self.unseeded: list[str] = []

    def __enter__(self) -> DemoAccount:
        try:
            return self._start()
        except BaseException:
            self._stack.close()
            raise

    def _start(self) -> DemoAccount:
        by_check = registered_seeders()
        self._stack.enter_context(isolated_from_user())
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        self._stack.callback(server.stop)
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        start_fresh(url)
        if self._every_region:
            # The demo's resources live in the commercial partition, like its credentials.
            listing = DemoWorld(url, ()).client("ec2", DEMO_REGIONS[0]).describe_regions()
            commercial = set(boto3.session.Session().get_available_regions("ec2"))
            self.regions = tuple(
                r["RegionName"] for r in listing["Regions"] if r["RegionName"] in commercial
            )
        self.world = world = DemoWorld(url, self.regions)
        shifts: dict[str, int] = {}
        handlers = standin_handlers(world, by_check.values())
        if self.organization:
            handlers.setdefault("ec2", {})["DescribeAvailabilityZones"] = zone_listing(
                world, shifts
            )
        for service, served in handlers.items():
            standin = self._stack.enter_context(ServiceStandin(service, served, upstream=url))
            self.standin_urls[service] = standin.url
        self.unseeded = seed(
            world, by_check, skip_unsupported=self._every_region, on_step=self._on_step
        )
        if self.organization:
            self.members = organize(world, by_check, self._on_step)
            shifts.update((account, n) for n, account in enumerate(self.members.values(), 1))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def session(self) -> aioboto3.Session:
        return aioboto3.Session(
            aws_access_key_id=DEMO_KEYS[0],
            aws_secret_access_key=DEMO_KEYS[1],
            region_name=self.regions[0],
        )

    def scan_request(self, folder: Path, like: ScanRequest | None = None) -> ScanRequest:
        """A scan of this account, with the output and gate options of ``like`` if given; the
        files start afresh each time."""
        assert self.world is not None
        base = like or ScanRequest(
            checks=CHECKS,
            output=OutputOptions(folder=folder),
            regions=None,
            check_timeout=DEFAULT_CHECK_TIMEOUT,
        )
        return replace(
            base,
            regions=list(self.regions),
            output=replace(base.output, folder=folder, truncate=True),
            settings=replace(
                base.settings,
                endpoint_url=self.world.endpoint_url,
                service_endpoints=tuple(self.standin_urls.items()),
            ),
            profile=None,
            assume_role=None,
            scope=AccountScope(organization=True) if self.organization else None,
            member_role=MemberRole(MEMBER_ROLE, SESSION_NAME) if self.organization else None,
            # Workers rebuild their session from the profile and the environment, which are
            # not the demo's; its small account scans faster in one process anyway.
            workers=WorkerChoice(),
        )


ID_SEED = 20221129
"""moto draws resource ids from a generator; seeded, every demo run has the same ids, so two
runs compare as the same account (``diff``, ``--history``) as real runs of one account do."""


def start_fresh(url: str) -> None:
    """An empty simulator whose ids come from ``ID_SEED``. moto keeps its state per process, not
    per server: a process that ran another simulator before (the tests' one) starts empty too,
    not in an organization it made."""
    for path in ("/moto-api/reset", f"/moto-api/seed?a={ID_SEED}"):
        request = urllib.request.Request(f"{url}{path}", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass


def seed(
    world: DemoWorld,
    by_check: Mapping[str, Seeder],
    *,
    skip_unsupported: bool = False,
    on_step: Callable[[str], None] = lambda step: None,
) -> list[str]:
    """Seeds every region for every check, with its seeder in ``by_check``; returns
    '<check> in <region>' for each seeder the simulator refused.

    Only with ``skip_unsupported`` (the benchmark's many regions, some of which moto serves
    partially) is a refusal skipped; the demo's own regions must seed completely.
    """
    world.client("organizations", "us-east-1").create_organization(FeatureSet="ALL")
    skipped: list[str] = []
    for region in world.regions:
        if skip_unsupported and len(world.subnets(region)) < DEMO_ZONES:
            # The seeders' examples spread over three AZs (us-west-1 has two).
            skipped.append(f"every check in {region} (fewer than {DEMO_ZONES} AZs)")
            continue
        for key, seeder in by_check.items():
            on_step(f"starting the simulated account: {key} in {region}…")
            try:
                seeder.seed(world, region)
            # IndexError: a region moto serves with fewer AZs than the seeder spreads over.
            except (ClientError, IndexError):
                if not skip_unsupported:
                    raise
                skipped.append(f"{key} in {region}")
    return skipped


def standin_handlers(world: DemoWorld, seeders: Iterable[Seeder]) -> dict[str, dict[str, Handler]]:
    """Every service the seeders' checks need stand-ins for: APIs, or parts of APIs, moto lacks."""
    handlers: dict[str, dict[str, Handler]] = {}
    for seeder in seeders:
        for service, operations in (seeder.standins(world) if seeder.standins else {}).items():
            handlers.setdefault(service, {}).update(operations)
    return handlers

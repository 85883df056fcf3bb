"""The engine run directly on a few (check, region) pairs, its findings and outcomes collected."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import aioboto3

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks.api import Check, CheckOptions
from resiliency_analyser.model.findings import AccountInfo, Finding
from resiliency_analyser.model.report import PairResult
from resiliency_analyser.run.engine import Pair, Scanner
from tests.support.moto import ACCOUNT_ID


class Collected:
    """The scan's sink and observer: every finding, and each pair's result as it ends."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.results: list[PairResult] = []

    async def emit(self, findings: Sequence[Finding]) -> None:
        self.findings.extend(findings)

    def pair_progress(self, check: Check, region: str, resources: int, risks: int) -> None:
        return

    def pair_finished(self, result: PairResult) -> None:
        self.results.append(result)

    def result(self, service: str) -> PairResult:
        [found] = [r for r in self.results if r.service == service]
        return found


async def run_pairs(
    pairs: Sequence[Pair],
    collected: Collected,
    settings: ClientSettings | None = None,
    *,
    check_timeout: float = 5.0,
    linger: float = 0.0,
    only_risks: bool = False,
    options: CheckOptions | None = None,
) -> None:
    """Scans ``pairs`` as the moto account; the clients stay open ``linger`` seconds after the
    scan, for requests sent by then to show."""
    async with AwsClients(aioboto3.Session(), settings or ClientSettings()) as clients:
        scanner = Scanner(
            clients,
            AccountInfo(account_id=ACCOUNT_ID),
            collected,
            collected,
            only_risks=only_risks,
            check_timeout=check_timeout,
            options=options or CheckOptions(),
        )
        await scanner.run(pairs)
        await asyncio.sleep(linger)

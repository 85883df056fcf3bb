"""The orchestrator: one coroutine per (check, region), all concurrent, findings streamed out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from botocore.exceptions import ClientError

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.scope import RegionScope, SharedLookups
from resiliency_analyser.checks.base import Check
from resiliency_analyser.models import AccountInfo, Finding, Outcome, PairResult

log = logging.getLogger(__name__)


class FindingSink(Protocol):
    async def emit(self, findings: Sequence[Finding]) -> None: ...


class ScanObserver(Protocol):
    """Told as the scan moves, to drive progress display and the run report."""

    def pair_progress(self, check: Check, region: str, resources: int, risks: int) -> None: ...

    def pair_finished(self, result: PairResult) -> None: ...


@dataclass(frozen=True)
class Pair:
    check: Check
    region: str


def plan_pairs(checks: Sequence[Check], regions: Sequence[str]) -> list[Pair]:
    """Regional checks run in every region; global ones once, in their API's home region."""
    pairs: list[Pair] = []
    for check in checks:
        if check.home_region:
            pairs.append(Pair(check, check.home_region))
        else:
            pairs.extend(Pair(check, region) for region in regions)
    return pairs


def describe_error(error: BaseException) -> str:
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', 'Unknown')}: {details.get('Message', '')}".strip()
    return f"{type(error).__name__}: {error}"


class Scanner:
    def __init__(
        self,
        clients: AwsClients,
        account: AccountInfo,
        sink: FindingSink,
        observer: ScanObserver,
        *,
        only_risks: bool,
    ) -> None:
        self._clients = clients
        self._account = account
        self._sink = sink
        self._observer = observer
        self._only_risks = only_risks
        self._shared = SharedLookups()

    async def run(self, pairs: Sequence[Pair]) -> list[PairResult]:
        return list(await asyncio.gather(*(self._run_pair(pair) for pair in pairs)))

    async def _run_pair(self, pair: Pair) -> PairResult:
        scope = RegionScope(self._clients, pair.region, self._account, self._shared)
        started = datetime.now(UTC)
        resources = risks = 0
        outcome, error_message = Outcome.SUCCESS, ""
        try:
            async for batch in pair.check.scan(scope):
                at = datetime.now(UTC)
                findings = [
                    Finding.of(
                        a, service=pair.check.key, region=pair.region, account=self._account, at=at
                    )
                    for a in batch
                ]
                resources += len(findings)
                risks += sum(f.potential_single_az_risk for f in findings)
                if self._only_risks:
                    findings = [f for f in findings if f.potential_single_az_risk]
                await self._sink.emit(findings)
                self._observer.pair_progress(pair.check, pair.region, resources, risks)
        except Exception as error:
            # One failing (check, region) must not stop the others; it is reported, not dropped.
            log.debug("%s in %s failed", pair.check.key, pair.region, exc_info=True)
            outcome, error_message = Outcome.FAILURE, describe_error(error)
        result = PairResult(
            service=pair.check.key,
            region=pair.region,
            outcome=outcome,
            error_message=error_message,
            started=started,
            ended=datetime.now(UTC),
            resources=resources,
            risks=risks,
        )
        self._observer.pair_finished(result)
        return result

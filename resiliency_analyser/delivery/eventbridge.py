"""Publishing findings to an EventBridge bus while the scan runs, within PutEvents' limits.

Entries are packed into calls of at most 10 entries and 256 KB, sent in the background as each
call fills, and per-entry failures that the API calls retryable are sent again with backoff.
Nothing is dropped silently: every finding ends up counted as published or failed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.outcomes import Failure, classify, classify_code
from resiliency_analyser.delivery.tally import DeliveryStats, RetryPolicy
from resiliency_analyser.model.findings import Finding
from resiliency_analyser.model.report import Outcome

log = logging.getLogger(__name__)

SERVICE = "eventbridge"
"""The ``service`` of the run-report row that counts published and failed events."""

# The original tool's values, so rules users already wrote keep matching.
SOURCE = "ResiliencyAnalyser"
DETAIL_TYPE = "ResiliencyRisk"

MAX_ENTRIES = 10
# The API allows 256 KB of entries per call; reading "KB" as 1,000 bytes keeps us under either reading.
MAX_REQUEST_BYTES = 256_000
TIME_BYTES = 14  # how EventBridge counts a Time parameter towards the size
RETRYABLE = frozenset({"InternalFailure", "ThrottlingException"})
TRIM_NOTE = " [trimmed to fit the EventBridge event size limit]"
TOO_LARGE = "EntryTooLarge"

Entry = dict[str, Any]


def bus_region(bus_arn: str) -> str:
    return bus_arn.split(":")[3]


def entry_size(entry: Entry) -> int:
    """An entry's size as EventBridge counts it against the per-call limit."""
    size = TIME_BYTES if "Time" in entry else 0
    for name in ("Source", "DetailType", "Detail"):
        size += len(entry.get(name, "").encode())
    return size + sum(len(resource.encode()) for resource in entry.get("Resources", []))


def _entry(finding: Finding, bus_arn: str, message: str) -> Entry:
    detail = finding.model_dump(mode="json") | {"message": message}
    entry: Entry = {
        "Source": SOURCE,
        "DetailType": DETAIL_TYPE,
        "Detail": json.dumps(detail, separators=(",", ":"), ensure_ascii=False),
        "EventBusName": bus_arn,
        "Time": finding.timestamp,
    }
    if finding.resource_arn:
        entry["Resources"] = [finding.resource_arn]
    return entry


def fit_entry(finding: Finding, bus_arn: str) -> tuple[Entry | None, bool]:
    """The finding's entry and whether its message had to be shortened; ``None`` if nothing fits."""
    entry = _entry(finding, bus_arn, finding.message)
    if entry_size(entry) <= MAX_REQUEST_BYTES:
        return entry, False
    # The longest message prefix that fits; JSON escaping makes bytes per character uneven.
    low, high = 0, len(finding.message)
    best: Entry | None = None
    while low <= high:
        middle = (low + high) // 2
        candidate = _entry(finding, bus_arn, finding.message[:middle] + TRIM_NOTE)
        if entry_size(candidate) <= MAX_REQUEST_BYTES:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best, True


@dataclass
class EventStats(DeliveryStats):
    """Publishing to one bus; its row's region is the bus's."""

    service = SERVICE
    bus_arn: str
    published: int = 0
    trimmed: int = 0
    retried: int = 0

    def summary(self) -> str:
        return (
            f"published={self.published} failed={self.failed}"
            f" trimmed={self.trimmed} retried={self.retried}"
        ) + self.failure_text()


class EventBridgePublisher:
    """A finding sink that streams events to one bus; ``close`` sends the rest and reports."""

    def __init__(
        self,
        clients: AwsClients,
        bus_arn: str,
        *,
        retry: RetryPolicy | None = None,
        max_in_flight: int = 4,
    ) -> None:
        self._clients = clients
        self._bus_arn = bus_arn
        self._region = bus_region(bus_arn)
        self._retry = retry or RetryPolicy()
        self.stats = EventStats(bus_arn, region=self._region)
        self._pending: list[Entry] = []
        self._pending_bytes = 0
        self._slots = asyncio.Semaphore(max_in_flight)
        self._sending: set[asyncio.Task[None]] = set()
        self._broken: Failure | None = None

    async def emit(self, findings: Sequence[Finding]) -> None:
        # Batches are cut without awaiting, so concurrent callers never interleave inside one.
        ready: list[list[Entry]] = []
        for finding in findings:
            entry, trimmed = fit_entry(finding, self._bus_arn)
            if entry is None:
                self.stats.record_failure(
                    1,
                    Failure(
                        Outcome.ERROR,
                        TOO_LARGE,
                        f"{finding.resource_arn[:200]} exceeds the limit even without a message",
                    ),
                )
                continue
            if trimmed:
                self.stats.trimmed += 1
                log.warning("event for %s trimmed to fit EventBridge", finding.resource_arn)
            size = entry_size(entry)
            if self._pending and self._pending_bytes + size > MAX_REQUEST_BYTES:
                ready.append(self._take())
            self._pending.append(entry)
            self._pending_bytes += size
            if len(self._pending) == MAX_ENTRIES:
                ready.append(self._take())
        for batch in ready:
            await self._dispatch(batch)

    async def close(self) -> EventStats:
        if self._pending:
            await self._dispatch(self._take())
        await asyncio.gather(*tuple(self._sending))
        self.stats.ended = datetime.now(UTC)
        # The failures are not logged here: the summary on stderr and the run report say them.
        return self.stats

    def _take(self) -> list[Entry]:
        batch, self._pending, self._pending_bytes = self._pending, [], 0
        return batch

    async def _dispatch(self, batch: list[Entry]) -> None:
        # Waiting for a slot slows the scan down to the bus's pace instead of queueing unboundedly.
        await self._slots.acquire()
        task = asyncio.ensure_future(self._send(batch))
        self._sending.add(task)
        task.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._sending.discard(task)
        self._slots.release()

    async def _send(self, entries: list[Entry]) -> None:
        for attempt in range(self._retry.attempts):
            if self._broken is not None:
                self.stats.record_failure(len(entries), self._broken)
                return
            try:
                response = await self._clients.call(
                    "events", self._region, "put_events", Entries=entries
                )
            except Exception as error:
                # botocore has already retried what it could; further calls would fail alike.
                self._broken = classify(error)
                self.stats.record_failure(len(entries), self._broken)
                return
            entries = self._settle(
                entries, response.get("Entries", []), last=attempt + 1 == self._retry.attempts
            )
            if not entries:
                return
            self.stats.retried += len(entries)
            await asyncio.sleep(self._retry.delay(attempt))

    def _settle(
        self, entries: list[Entry], results: list[dict[str, Any]], *, last: bool
    ) -> list[Entry]:
        """Counts what the call published or finally failed; returns the entries to send again."""
        if len(results) != len(entries):
            self.stats.record_failure(
                len(entries),
                Failure(
                    Outcome.ERROR,
                    "MalformedResponse",
                    f"{len(results)} results for {len(entries)} entries",
                ),
            )
            return []
        again: list[Entry] = []
        for entry, result in zip(entries, results, strict=True):
            code = result.get("ErrorCode")
            if not code:
                self.stats.published += 1
            elif code in RETRYABLE and not last:
                again.append(entry)
            else:
                self.stats.record_failure(1, classify_code(code, result.get("ErrorMessage", "")))
        return again

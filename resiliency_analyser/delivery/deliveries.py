"""The scan's deliveries beyond the local CSVs, and what became of them for the report and summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.outcomes import ACCESS_DENIED_CODES, THROTTLING_CODES
from resiliency_analyser.delivery.eventbridge import EventBridgePublisher, EventStats, bus_region
from resiliency_analyser.delivery.options import DeliveryOptions
from resiliency_analyser.delivery.s3 import UploadError, upload_files
from resiliency_analyser.model.findings import FindingSink
from resiliency_analyser.model.report import Outcome, PairResult

EVENTBRIDGE_SERVICE = "eventbridge"
"""The ``service`` of the run-report row that counts published and failed events."""


@dataclass
class DeliveryOutcome:
    events: EventStats | None = None
    uploaded: list[str] = field(default_factory=list)
    upload_error: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.upload_error) or bool(self.events and self.events.failed)

    def lines(self) -> list[str]:
        lines = []
        if self.events is not None:
            lines.append(f"events:     {self.events.summary()} ({self.events.bus_arn})")
        lines.extend(f"uploaded:   {uri}" for uri in self.uploaded)
        if self.upload_error:
            lines.append(f"S3 {self.upload_error}; the local files are kept")
        return lines


def events_outcome(stats: EventStats) -> Outcome:
    """The run-report outcome of publishing, named after the first failure's cause."""
    if not stats.failed:
        return Outcome.SUCCESS
    if stats.first_code in ACCESS_DENIED_CODES:
        return Outcome.ACCESS_DENIED
    if stats.first_code in THROTTLING_CODES:
        return Outcome.THROTTLED
    return Outcome.ERROR


class Delivery:
    """Owns the run's optional sinks: events stream during the scan, files go up after it."""

    def __init__(self, options: DeliveryOptions, clients: AwsClients) -> None:
        self._options = options
        self._clients = clients
        self._publisher = (
            EventBridgePublisher(clients, options.event_bus_arn) if options.event_bus_arn else None
        )
        self.outcome = DeliveryOutcome()

    @property
    def sinks(self) -> list[FindingSink]:
        return [self._publisher] if self._publisher else []

    async def finish_events(self, account_id: str) -> list[tuple[str, ...]]:
        """Sends what is still queued; returns the run-report row counting the events."""
        if self._publisher is None:
            return []
        stats = self.outcome.events = await self._publisher.close()
        row = PairResult(
            service=EVENTBRIDGE_SERVICE,
            region=bus_region(stats.bus_arn),
            outcome=events_outcome(stats),
            error_message=stats.summary(),
            started=stats.started,
            ended=stats.ended or datetime.now(UTC),
        )
        return [row.csv_row(account_id)]

    async def upload(
        self, region: str, account_id: str, folder: Path, files: Sequence[Path]
    ) -> None:
        bucket = self._options.bucket
        if bucket is None:
            return
        try:
            self.outcome.uploaded = await upload_files(
                self._clients,
                region,
                bucket,
                folder,
                files,
                owner=self._options.bucket_owner or account_id,
                kms_key_id=self._options.kms_key_id,
            )
        except UploadError as error:
            self.outcome.upload_error = str(error)

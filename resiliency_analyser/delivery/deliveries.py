"""The scan's deliveries beyond the local CSVs, and what became of them for the report and summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.delivery.eventbridge import EventBridgePublisher, EventStats
from resiliency_analyser.delivery.options import DeliveryOptions
from resiliency_analyser.delivery.s3 import ReadError, UploadError, read_objects, upload_files
from resiliency_analyser.delivery.securityhub import ImportStats, SecurityHubImporter, totals
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.model.findings import FindingSink
from resiliency_analyser.model.report import PairResult, ReportRow

Picker = Callable[[list[str]], Sequence[str]]
"""Chooses the keys to read among those listed."""


@dataclass
class DeliveryOutcome:
    events: EventStats | None = None
    uploaded: list[str] = field(default_factory=list)
    upload_error: str = ""
    history_error: str = ""
    """The runs' history could not be read from S3: the report lacks it."""
    security_hub: list[ImportStats] = field(default_factory=list)
    """One per (account, region) imported into."""

    @property
    def failed(self) -> bool:
        return (
            bool(self.upload_error)
            or bool(self.history_error)
            or bool(self.events and self.events.failed)
            or any(stats.unsuccessful for stats in self.security_hub)
        )

    def lines(self) -> list[str]:
        lines = []
        if self.events is not None:
            lines.append(f"events:     {self.events.summary()} ({self.events.bus_arn})")
        if self.security_hub:
            lines.append(f"securityhub: {totals(self.security_hub)}")
            lines.extend(stats.line() for stats in self.security_hub if stats.unsuccessful)
        if self.history_error:
            lines.append(f"history: {self.history_error}; the report shows the local runs only")
        lines.extend(f"uploaded:   {uri}" for uri in self.uploaded)
        if self.upload_error:
            lines.append(f"S3 {self.upload_error}; the local files are kept")
        return lines


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
    def bucket(self) -> str | None:
        return self._options.bucket

    @property
    def sinks(self) -> list[FindingSink]:
        return [self._publisher] if self._publisher else []

    async def finish_events(self, account_id: str) -> list[ReportRow]:
        """Sends what is still queued; returns the run-report row counting the events."""
        if self._publisher is None:
            return []
        stats = self.outcome.events = await self._publisher.close()
        return [stats.report_row(account_id)]

    async def import_to_security_hub(
        self,
        records: Iterable[FindingRecord],
        covered: Iterable[PairResult],
        clients: Mapping[str, AwsClients],
        partition: str,
    ) -> list[ReportRow]:
        """With ``--security-hub``, imports into each (account, region) through that account's
        ``clients``; returns their run-report rows. ``covered``: the pairs those accounts ran.
        An organization run calls this once per account, as each account ends."""
        if not self._options.security_hub:
            return []
        importer = SecurityHubImporter(
            clients, partition, include_passed=self._options.security_hub_all
        )
        stats = await importer.run(records, covered)
        self.outcome.security_hub.extend(stats)
        return [s.report_row(s.account_id) for s in stats]

    async def read(self, region: str, account_id: str, prefix: str, pick: Picker) -> dict[str, str]:
        """With ``--bucket``, the objects ``pick`` chooses among those under ``prefix``: key ->
        text (the runs' history); none when that fails, which is recorded."""
        bucket = self._options.bucket
        if bucket is None:
            return {}
        try:
            return await read_objects(
                self._clients,
                region,
                bucket,
                prefix,
                pick,
                owner=self._options.bucket_owner or account_id,
            )
        except ReadError as error:
            self.outcome.history_error = str(error)
            return {}

    async def upload(self, region: str, account_id: str, files: Mapping[Path, str]) -> None:
        """With ``--bucket``, uploads ``files``, each with its Content-Type, under the folder
        it is in."""
        bucket = self._options.bucket
        if bucket is None:
            return
        try:
            self.outcome.uploaded = await upload_files(
                self._clients,
                region,
                bucket,
                files,
                owner=self._options.bucket_owner or account_id,
                kms_key_id=self._options.kms_key_id,
            )
        except UploadError as error:
            self.outcome.upload_error = str(error)

"""``merge``: the shards' files (local, or under S3 prefixes) as one run's files, with the gate and
the deliveries applied to the merged run as a scan applies them to its own."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import aioboto3

from resiliency_analyser.aws.account import identify_account
from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.delivery.deliveries import Delivery
from resiliency_analyser.delivery.options import DeliveryOptions
from resiliency_analyser.delivery.s3 import read_objects
from resiliency_analyser.gate.policy import GatePolicy
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.model.report import ReportRow
from resiliency_analyser.output.formats import media_type
from resiliency_analyser.output.naming import SUMMARY_SUFFIX
from resiliency_analyser.output.run_text import is_document, parse_run_file
from resiliency_analyser.run.files import CsvFiles
from resiliency_analyser.run.merging import MergedRun, ShardFile, merge_shards
from resiliency_analyser.run.pipeline import (
    DEFAULT_HOME_REGION,
    create_output_folder,
    unmatched,
    whole_run_files,
)
from resiliency_analyser.run.request import OutputOptions
from resiliency_analyser.run.result import ScanResult


@dataclass(frozen=True)
class S3Source:
    """``s3://bucket/prefix``: the shards' JSON documents directly under the prefix, as a
    folder's."""

    bucket: str
    prefix: str
    """Empty, or ending in ``/``."""

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


@dataclass(frozen=True)
class MergeRequest:
    local: tuple[ShardFile, ...]
    """The shards read from files and folders, checked (config reads them first)."""
    s3: tuple[S3Source, ...]
    output: OutputOptions
    gate: GatePolicy = field(default_factory=GatePolicy)
    delivery: DeliveryOptions = field(default_factory=DeliveryOptions)
    settings: ClientSettings = field(default_factory=ClientSettings)
    profile: str | None = None

    @property
    def needs_aws(self) -> bool:
        return bool(self.s3 or self.delivery.bucket or self.delivery.event_bus_arn)


def documents_under(source: S3Source) -> Callable[[list[str]], list[str]]:
    """Picks the keys that may hold a run's JSON document: directly under the prefix, as a
    local folder's files are (a history summary is not a run)."""

    def pick(keys: list[str]) -> list[str]:
        return [
            key
            for key in keys
            if "/" not in key[len(source.prefix) :]
            and key.endswith(".json")
            and not key.endswith(SUMMARY_SUFFIX)
        ]

    return pick


def shard_documents(source: S3Source, texts: dict[str, str]) -> list[ShardFile]:
    """The run documents among the objects read (another tool's JSON is left alone)."""
    found = []
    for key, text in sorted(texts.items()):
        uri = f"s3://{source.bucket}/{key}"
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            continue
        if is_document(whole) and isinstance(whole.get("findings"), list):
            found.append(ShardFile(uri, parse_run_file(text, uri)))
    return found


async def read_s3(
    clients: AwsClients, region: str, owner: str, source: S3Source
) -> list[ShardFile]:
    pick = documents_under(source)
    texts = await read_objects(clients, region, source.bucket, source.prefix, pick, owner=owner)
    return shard_documents(source, texts)


async def run_merge(request: MergeRequest, session: aioboto3.Session) -> ScanResult:
    """Reads every shard (S3 through the caller's credentials), merges, writes and delivers.
    Nothing is written before every shard is read and checked."""
    home_region = session.region_name or DEFAULT_HOME_REGION
    files = list(request.local)
    async with AwsClients(session, request.settings) as clients:
        identity = ""
        if request.needs_aws:
            caller = await identify_account(session, request.settings, home_region, names=False)
            identity = caller.account_id
            owner = request.delivery.bucket_owner or identity
            for source in request.s3:
                files += await read_s3(clients, home_region, owner, source)
        merged = merge_shards(files)
        delivery = Delivery(request.delivery, clients)
        result = await write_merged(merged, request.output, request.gate, delivery)
        uploads = {path: media_type(path.name) for path in result.files}
        await delivery.upload(home_region, identity, uploads)
    return replace(result, delivery=delivery.outcome)


async def write_merged(
    merged: MergedRun, output: OutputOptions, gate: GatePolicy, delivery: Delivery
) -> ScanResult:
    """The merged run's files, as its scan would have written them had it run whole: the CSVs
    (rows in the same order), then the ``--format`` files; its findings published as events."""
    run = merged.summary
    if gate.suppressions.naming_units:
        unmatched(gate.suppressions.naming_units, "merge does not read the organization's OUs")
    records = [FindingRecord(f, gate.suppressions.match(f)) for f in merged.findings]
    folder = create_output_folder(output.folder)
    accounts = [a.account for a in run.accounts] or [run.account]
    with CsvFiles(
        folder, run.started, output, run.account, accounts, organization=run.organization
    ) as files:
        for account in accounts:
            own = [r for r in run.results if r.account_id == account.account_id]
            files.plan(account, [(r.service, r.region) for r in own])
        files.add(records)
        for pair in run.results:
            files.pair_finished(pair)
        for scan in run.accounts:
            files.account_done(scan, ())
        for sink in delivery.sinks:
            await sink.emit([r.finding for r in records])
        event_rows = await delivery.finish_events(run.account.account_id)
        files.finish(event_rows, ReportRow.overall(run.account.account_id, run.started, run.ended))
        run_pair = files.run_pair()
    result = ScanResult(
        account=run.account,
        regions=run.regions,
        results=run.results,
        started=run.started,
        ended=run.ended,
        accounts=run.accounts,
        review=gate.review(records, run.results),
        csv_extended=output.csv_extended,
        report_only_risks=merged.report_only_risks,
        report_path=run_pair.report_path,
        findings_path=run_pair.findings_path,
        files=files.paths,
    )
    written = whole_run_files(result, output, folder, run_pair.stem)
    return replace(result, files=(*result.files, *written))

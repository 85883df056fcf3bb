"""One scan from request to files: session, account, regions, the engine, the outputs."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aioboto3

from resiliency_analyser.aws.account import enabled_regions, identify_account, resolve_regions
from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.session import assumed_role_session
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks.api import Check
from resiliency_analyser.delivery.deliveries import Delivery
from resiliency_analyser.delivery.fanout import FanOutSink
from resiliency_analyser.delivery.keys import object_key
from resiliency_analyser.errors import FatalError
from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.model.report import RUN_REPORT_COLUMNS, PairResult, ReportRow
from resiliency_analyser.output.csv_file import CsvAppender
from resiliency_analyser.output.findings_csv import open_findings_csv
from resiliency_analyser.output.formats import OutputFormat, media_type
from resiliency_analyser.output.history import (
    HistoryFolder,
    RunHistory,
    account_prefix,
    history_keys,
    history_view,
    merged,
    stored_entries,
    write_history,
)
from resiliency_analyser.output.naming import findings_stem, output_paths
from resiliency_analyser.output.publish import write_run_files
from resiliency_analyser.output.run_view import RunView
from resiliency_analyser.run.collect import Observers, RecordingSink
from resiliency_analyser.run.engine import Display, Scanner, ScanObserver, plan_pairs
from resiliency_analyser.run.interrupt import stop_on_signals
from resiliency_analyser.run.request import ScanRequest
from resiliency_analyser.run.result import ScanResult

log = logging.getLogger(__name__)

DEFAULT_HOME_REGION = "us-east-1"


def write_rows(report: CsvAppender, rows: Iterable[ReportRow]) -> None:
    report.write(row.csv_row() for row in rows)


class ReportingObserver:
    """Writes each run-report row the moment its pair ends, then tells the display."""

    def __init__(self, report: CsvAppender, display: ScanObserver) -> None:
        self._report = report
        self._display = display

    def pair_progress(self, check: Check, region: str, resources: int, risks: int) -> None:
        self._display.pair_progress(check, region, resources, risks)

    def pair_finished(self, result: PairResult) -> None:
        write_rows(self._report, [result])
        self._display.pair_finished(result)


async def open_session(
    session: aioboto3.Session, settings: ClientSettings, home_region: str, assume_role: str | None
) -> tuple[aioboto3.Session, AccountInfo, AwsClients]:
    account = await identify_account(session, settings, home_region)
    if assume_role is not None:
        role_arn = f"arn:{account.partition}:iam::{account.account_id}:role/{assume_role}"
        session = await assumed_role_session(session, role_arn)
        account = await identify_account(session, settings, home_region)
    return session, account, AwsClients(session, settings)


async def run_scan(request: ScanRequest, session: aioboto3.Session, display: Display) -> ScanResult:
    started = datetime.now(UTC)
    home_region = session.region_name or DEFAULT_HOME_REGION
    session, account, clients = await open_session(
        session, request.settings, home_region, request.assume_role
    )
    async with clients:
        regions = resolve_regions(request.regions, await enabled_regions(clients, home_region))
        pairs = plan_pairs(request.checks, regions)
        folder = create_output_folder(request.output.folder)
        stem = findings_stem(started, account, with_account_id=request.output.with_account_id)
        findings_path, report_path = output_paths(folder, stem)
        truncate = request.output.truncate
        write_csv = OutputFormat.CSV in request.output.formats
        with (
            open_findings_csv(
                findings_path if write_csv else None,
                [(p.check.key, p.region) for p in pairs],
                extended=request.output.csv_extended,
                truncate=truncate,
            ) as rows,
            CsvAppender(report_path, RUN_REPORT_COLUMNS, truncate=truncate) as report_file,
        ):
            sink = RecordingSink(request.gate.suppressions, rows, keep=request.output.keep_findings)
            observer = ReportingObserver(report_file, Observers(sink, display))
            delivery = Delivery(request.delivery, clients)
            scanner = Scanner(
                clients,
                account,
                FanOutSink([sink, *delivery.sinks]),
                observer,
                only_risks=request.output.only_risks,
                check_timeout=request.check_timeout,
                options=request.check_options,
            )
            display.start(pairs)
            try:
                with stop_on_signals(scanner.stop):
                    results = await scanner.run(pairs)
            finally:
                display.stop()
            write_rows(report_file, await delivery.finish_events(account.account_id))
            write_rows(
                report_file,
                await delivery.import_to_security_hub(
                    sink.records, results, {account.account_id: clients}, account.partition
                ),
            )
            ended = datetime.now(UTC)
            write_rows(report_file, [ReportRow.overall(account.account_id, started, ended)])
        csv_files = (findings_path, report_path) if write_csv else (report_path,)
        result = ScanResult(
            account=account,
            regions=regions,
            results=results,
            started=started,
            ended=ended,
            review=request.gate.review(sink.records, results, account.account_id, used=sink.used),
            csv_extended=request.output.csv_extended,
            report_only_risks=request.output.only_risks,
            report_path=report_path,
            findings_path=findings_path if write_csv else None,
            files=csv_files,
        )
        kept = request.output.history
        if kept is not None:
            history = await read_history(kept, delivery, home_region, result)
            result = replace(result, history=history)
        written = write_run_files(result, request.output.formats, folder, stem)
        # An interrupted run would show as a drop in the trend: it is not kept.
        if kept is not None and not result.interrupted:
            written += write_history(result, kept.folder)
        result = replace(result, files=(*result.files, *written))
        files = {path: media_type(path.name) for path in result.files}
        await delivery.upload(home_region, account.account_id, files)
    return replace(result, delivery=delivery.outcome)


async def read_history(
    kept: HistoryFolder, delivery: Delivery, region: str, run: RunView
) -> RunHistory:
    """The history's runs in the folder, and (with ``-b``) in S3 under the folder's name: a
    scheduled task keeps no disk between runs."""
    account_id = run.account.account_id
    prefix = object_key(kept.folder, account_prefix(account_id))
    stored = await delivery.read(region, account_id, prefix, history_keys)
    found, notes = stored_entries(stored, f"s3://{delivery.bucket}")
    if delivery.outcome.history_error:
        notes.append(delivery.outcome.history_error)
    return history_view(run, merged(kept.entries, found), notes)


def create_output_folder(folder: Path) -> Path:
    """Only now, with the account known: a run that ends in a usage error writes nothing."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FatalError(f"cannot create output folder {folder}: {error.strerror}") from error
    return folder

"""One scan from request to files: session, accounts, regions, the engine, the outputs."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import aioboto3

from resiliency_analyser.aws.account import enabled_regions, identify_account, resolve_regions
from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.members import AccountSessions
from resiliency_analyser.aws.organization import CannotList, Organization, UnknownUnits
from resiliency_analyser.aws.session import assumed_role_session
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.delivery.deliveries import Delivery
from resiliency_analyser.delivery.fanout import FanOutSink
from resiliency_analyser.delivery.keys import object_key
from resiliency_analyser.errors import FatalError, UsageError
from resiliency_analyser.gate.policy import GatePolicy
from resiliency_analyser.gate.suppressions import Suppression, SuppressionSet
from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.model.report import ReportRow
from resiliency_analyser.model.shards import Shard, ShardMark
from resiliency_analyser.output.formats import media_type
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
from resiliency_analyser.output.naming import findings_stem
from resiliency_analyser.output.publish import write_run_files
from resiliency_analyser.output.run_view import RunView
from resiliency_analyser.run.accounts import AccountScans, Target
from resiliency_analyser.run.cells import WorkerSetup
from resiliency_analyser.run.collect import RecordingSink
from resiliency_analyser.run.engine import Display
from resiliency_analyser.run.files import CsvFiles
from resiliency_analyser.run.interrupt import stop_on_signals
from resiliency_analyser.run.request import AccountScope, OutputOptions, ScanRequest, WorkerChoice
from resiliency_analyser.run.result import ScanResult
from resiliency_analyser.run.selection import (
    SelectedAccount,
    Selection,
    select_accounts,
    shard_accounts,
    shard_regions,
)
from resiliency_analyser.run.workers import WorkerPool

log = logging.getLogger(__name__)

DEFAULT_HOME_REGION = "us-east-1"


async def open_session(
    session: aioboto3.Session,
    settings: ClientSettings,
    home_region: str,
    assume_role: str | None,
    *,
    names: bool = True,
) -> tuple[aioboto3.Session, AccountInfo, AwsClients]:
    account = await identify_account(session, settings, home_region, names=names)
    if assume_role is not None:
        role_arn = f"arn:{account.partition}:iam::{account.account_id}:role/{assume_role}"
        session = await assumed_role_session(session, role_arn)
        account = await identify_account(session, settings, home_region, names=names)
    return session, account, AwsClients(session, settings)


async def choose_accounts(
    scope: AccountScope,
    suppressions: SuppressionSet,
    clients: AwsClients,
    caller: AccountInfo,
    home_region: str,
) -> tuple[Selection, dict[str, frozenset[str]]]:
    """The organization listed once (and the OU tree read only under the OUs the options or the
    suppressions name), then the selection made from it; a filter that chooses nothing is said
    on stderr. Also returns the accounts under each OU named."""
    organization = Organization(clients, caller.account_id, caller.partition, home_region)
    try:
        listing = await organization.accounts()
    except CannotList as error:
        if scope.organization:
            raise
        # --accounts from an account that may not list the organization: scanned as named.
        log.info("%s; the accounts named are scanned without names", error)
        listing = None
    under = await organization.accounts_under(scope.units) if scope.units else {}
    selection = select_accounts(scope, caller, listing, under)
    for note in selection.notes:
        log.warning("%s", note)
    naming = suppressions.naming_units
    if naming and listing is None:
        unmatched(naming, "the organization's units cannot be read from this account")
    elif naming:
        try:
            under |= await organization.accounts_under(s.ou for s in naming)
        except UnknownUnits as error:
            lines = ", ".join(str(s.line) for s in naming if s.ou in error.units)
            raise UsageError(f"suppressions line {lines}: {error}") from error
    return selection, under


def unmatched(entries: Sequence[Suppression], why: str) -> None:
    """Entries naming an OU when the run cannot tell which accounts are under it."""
    lines = ", ".join(str(s.line) for s in entries)
    log.warning("suppressions line %s: its ou matches nothing (%s)", lines, why)


def needs_role(selection: Selection, request: ScanRequest) -> None:
    members = [
        a.info.account_id
        for a in selection.active
        if a.info.account_id != selection.caller.account_id
    ]
    if members and request.member_role is None:
        shown = ", ".join(members[:5]) + (
            f" and {len(members) - 5} more" if len(members) > 5 else ""
        )
        raise UsageError(f"--role-name is needed to scan member accounts: {shown}")


@dataclass(frozen=True)
class Plan:
    """What a run scans: as whom, which accounts (and regions), under which gate, and which
    shard of the whole run it is."""

    caller: AccountInfo
    """The scanning account, as the organization's listing names it."""
    targets: list[Target]
    gate: GatePolicy
    """With the OUs its suppressions name read."""
    shard: ShardMark | None = None


async def plan_accounts(
    request: ScanRequest,
    clients: AwsClients,
    caller: AccountInfo,
    home_region: str,
    display: Display,
) -> Plan:
    """What the run scans, before anything is written (a problem is a ``UsageError``): the
    caller's account in its regions, or the accounts chosen; with ``--shard``, only its slice."""
    gate, shard = request.gate, request.shard
    if request.scope is None:
        regions = resolve_regions(request.regions, await enabled_regions(clients, home_region))
        if gate.suppressions.naming_units:
            unmatched(gate.suppressions.naming_units, "OUs are read in organization runs only")
        if shard is None:
            return Plan(caller, [Target(SelectedAccount(caller), regions)], gate)
        owned, by_region = shard_regions(caller.account_id, regions, shard, request.checks)
        return Plan(caller, [Target(SelectedAccount(caller), owned, shard)], gate, by_region)
    display.begin("listing the organization's accounts…")
    selection, under = await choose_accounts(
        request.scope, gate.suppressions, clients, caller, home_region
    )
    needs_role(selection, request)
    mark: ShardMark | None = None
    if shard is not None:
        selection, mark = shard_accounts(selection, shard, request.checks)
    display.expect_accounts(len(selection.accounts))
    targets = [Target(a) for a in selection.accounts]
    return Plan(selection.caller, targets, gate.with_units(under), mark)


AUTO_MIN_CELLS = 8
"""Fewest (account, region) pairs for which a run not told ``--workers`` starts workers: below
it, starting them (about 0.65 s of CPU each) costs more than they save."""

ASSUMED_REGIONS = 17
"""Regions an account has enabled by default: the size of an account whose regions are listed
only when its scan starts."""


def worker_count(
    choice: WorkerChoice, targets: Sequence[Target], requested: Sequence[str] | None
) -> int:
    """Processes for the run, never more than it has cells: a single account's regions, or an
    organization's accounts. Not typed, a single account stays in one process (split by
    region, it reads again the listings global checks share with each region, for a gain the
    benchmark could not tell from its noise; docs/usage.md), and so does an organization run
    too small to pay for starting workers."""
    if len(targets) == 1 and targets[0].regions is not None:
        if choice.auto:
            return 1
        cells = size = len(targets[0].regions)
    else:
        active = [t for t in targets if t.account.active]
        cells = len(active)
        size = cells * (len(requested) if requested is not None else ASSUMED_REGIONS)
    if choice.auto and size < AUTO_MIN_CELLS:
        return 1
    return max(1, min(choice.count, cells))


def shares(total: int, count: int) -> list[int]:
    """``-m`` bounds the requests of the whole run: each worker's share of it (``count`` is at
    most ``total``)."""
    return [total // count + (n < total % count) for n in range(count)]


def start_workers(
    request: ScanRequest,
    caller: AccountInfo,
    home_region: str,
    targets: Sequence[Target],
    display: Display,
) -> WorkerPool | None:
    """The run's worker processes, started; ``None`` when it scans in this process."""
    settings = request.settings
    count = min(worker_count(request.workers, targets, request.regions), settings.max_concurrency)
    if count == 1:
        return None
    log.info("scanning with %d worker processes", count)
    setup = WorkerSetup(
        caller=caller,
        home_region=home_region,
        profile=request.profile,
        assume_role=request.assume_role,
        member_role=request.member_role,
        settings=settings,
        check_timeout=request.check_timeout,
        check_options=request.check_options,
        only_risks=request.output.only_risks,
        log_level=logging.getLogger("resiliency_analyser").getEffectiveLevel(),
    )
    pool = WorkerPool(
        [
            replace(setup, settings=replace(settings, max_concurrency=share))
            for share in shares(settings.max_concurrency, count)
        ],
        display,
        by_region=request.scope is None,
    )
    pool.start()
    return pool


async def run_scan(request: ScanRequest, session: aioboto3.Session, display: Display) -> ScanResult:
    started = datetime.now(UTC)
    home_region = session.region_name or DEFAULT_HOME_REGION
    organization = request.scope is not None
    session, caller, clients = await open_session(
        session, request.settings, home_region, request.assume_role, names=not organization
    )
    async with clients:
        plan = await plan_accounts(request, clients, caller, home_region, display)
        caller, targets, gate = plan.caller, plan.targets, plan.gate
        folder = create_output_folder(request.output.folder)
        with CsvFiles(
            folder,
            started,
            request.output,
            caller,
            [t.account.info for t in targets],
            organization=organization,
            shard=request.shard,
        ) as files:
            recorder = RecordingSink(gate.suppressions, files, keep=request.output.keep_findings)
            delivery = Delivery(request.delivery, clients)
            pool = start_workers(request, caller, home_region, targets, display)
            scans = AccountScans(
                request,
                AccountSessions(
                    session, caller, request.member_role, request.settings, home_region
                ),
                clients,
                home_region,
                sink=FanOutSink([recorder, *delivery.sinks]),
                recorder=recorder,
                files=files,
                display=display,
                delivery=delivery,
                organization=organization,
                pool=pool,
            )
            try:
                with stop_on_signals(scans.stop):
                    runs = await scans.run(targets)
                    if pool is not None:
                        await pool.close()
            finally:
                display.stop()
                if pool is not None:
                    await pool.close(failed=True)
            event_rows = await delivery.finish_events(caller.account_id)
            ended = datetime.now(UTC)
            files.finish(event_rows, ReportRow.overall(caller.account_id, started, ended))
            run_pair = files.run_pair()
        results = [result for run in runs for result in run.results]
        result = ScanResult(
            account=caller,
            regions=sorted({r for run in runs for r in run.scan.regions})
            if organization
            else list(targets[0].regions or ()),
            results=results,
            started=started,
            ended=ended,
            accounts=tuple(run.scan for run in runs) if organization else (),
            review=gate.review(recorder.records, results, used=recorder.used),
            csv_extended=request.output.csv_extended,
            report_only_risks=request.output.only_risks,
            report_path=run_pair.report_path,
            findings_path=run_pair.findings_path,
            files=files.paths,
            shard=plan.shard,
        )
        kept = request.output.history
        if kept is not None:
            history = await read_history(kept, delivery, home_region, result)
            result = replace(result, history=history)
        written = whole_run_files(result, request.output, folder, run_pair.stem, request.shard)
        # An interrupted run would show as a drop in the trend: it is not kept.
        if kept is not None and not result.interrupted:
            written += write_history(result, kept.folder)
        result = replace(result, files=(*result.files, *written))
        uploads = {path: media_type(path.name) for path in result.files}
        await delivery.upload(home_region, caller.account_id, uploads)
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


def whole_run_files(
    result: RunView, output: OutputOptions, folder: Path, stem: str, shard: Shard | None = None
) -> tuple[Path, ...]:
    """The ``--format`` files: the run's, or with ``--filename-with-accountid`` in an
    organization run each account's, beside its CSVs."""
    if not (result.organization and output.with_account_id):
        return write_run_files(result, output.formats, folder, stem)
    return tuple(
        path
        for scan in result.accounts
        for path in write_run_files(
            result.for_account(scan),
            output.formats,
            folder,
            findings_stem(result.started, scan.account, with_account_id=True, shard=shard),
        )
    )


def create_output_folder(folder: Path) -> Path:
    """Only now, with the account known: a run that ends in a usage error writes nothing."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FatalError(f"cannot create output folder {folder}: {error.strerror}") from error
    return folder

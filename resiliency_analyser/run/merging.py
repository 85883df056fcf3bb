"""The shards of one run put back together (pure: documents in, one run out): every shard there
once, all of the same run, then their findings, run reports and accounts as one run's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.accounts import ACTIVE, AccountScan
from resiliency_analyser.model.findings import AccountInfo, Finding, RootCause
from resiliency_analyser.model.report import Outcome, PairResult
from resiliency_analyser.model.shards import Shard, ShardMark, ShardOf
from resiliency_analyser.model.summary import ScanSummary

Document = dict[str, Any]


@dataclass(frozen=True)
class ShardFile:
    """One shard's run as read: where from (a path or an ``s3://`` URI), and its document."""

    source: str
    document: Document


@dataclass(frozen=True)
class MergedRun:
    summary: ScanSummary
    findings: list[Finding]
    report_only_risks: bool
    shards: int


def _mark(file: ShardFile) -> ShardMark:
    shard = file.document.get("shard")
    if not isinstance(shard, Mapping):
        raise UsageError(
            f"{file.source}: not a shard's run (its JSON document has no 'shard': scan with "
            "--shard K/N, which writes it)"
        )
    try:
        index, count, of, run = shard["index"], shard["count"], shard["of"], shard["run"]
        if not (isinstance(index, int) and isinstance(count, int) and isinstance(run, str)):
            raise TypeError
        return ShardMark(Shard(index, count), ShardOf(of), run)
    except (KeyError, TypeError, ValueError) as error:
        raise UsageError(f"{file.source}: its 'shard' is not one this version writes") from error


def check_shards(files: Sequence[ShardFile]) -> ShardMark:
    """Every shard of one run, each once: otherwise one ``UsageError`` naming the shard (and the
    files) at fault. Returns the first shard's mark (the run's count, what it is split by)."""
    if not files:
        raise UsageError("no shard's run found (scan with --shard K/N, then merge its files)")
    marks = [(_mark(f), f) for f in files]
    first, first_file = marks[0]
    for mark, file in marks[1:]:
        if (mark.shard.count, mark.of, mark.run) != (first.shard.count, first.of, first.run):
            raise UsageError(
                f"not the shards of one run: {first_file.source} is shard {first.shard.label} "
                f"of run {first.run} (by {first.of.value}), {file.source} is shard "
                f"{mark.shard.label} of run {mark.run} (by {mark.of.value})"
            )
    seen: dict[int, str] = {}
    for mark, file in marks:
        if mark.shard.index in seen:
            raise UsageError(
                f"shard {mark.shard.label} given twice: {seen[mark.shard.index]} and {file.source}"
            )
        seen[mark.shard.index] = file.source
    count = first.shard.count
    missing = [f"{i}/{count}" for i in range(1, count + 1) if i not in seen]
    if missing:
        kind = "shard" if len(missing) == 1 else "shards"
        raise UsageError(
            f"{kind} {', '.join(missing)} of run {first.run} missing (found {len(seen)} of "
            f"{count}): merging without them would be a partial report"
        )
    return first


def _time(value: object, where: str) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise UsageError(f"{where}: not a time: {value!r}")


def _outcome(value: object, where: str) -> Outcome:
    try:
        return Outcome(str(value))
    except ValueError as error:
        raise UsageError(f"{where}: unknown result {value!r} (a newer version's?)") from error


def _pairs(file: ShardFile, account_id: str) -> list[PairResult]:
    where = f"{file.source} run_report"
    return [
        PairResult(
            account_id=row.get("account_id") or account_id,
            region=row["region"],
            service=row["service"],
            outcome=_outcome(row["result"], where),
            error_message=row.get("error_message", ""),
            started=_time(row.get("start_time"), where),
            ended=_time(row.get("end_time"), where),
            resources=row.get("resources", 0),
            risks=row.get("risks", 0),
        )
        for row in file.document.get("run_report", [])
    ]


def _accounts(file: ShardFile, caller: AccountInfo) -> list[AccountScan]:
    organization = file.document.get("organization") or {}
    where = f"{file.source} organization"
    return [
        AccountScan(
            account=AccountInfo(
                account_id=a["account_id"],
                account_name=a.get("account_name", ""),
                payer_account_id=organization.get("management_account_id", ""),
                payer_account_name=organization.get("management_account_name", ""),
                partition=caller.partition,
            ),
            status=a.get("status", ACTIVE),
            outcome=_outcome(a["result"], where),
            message=a.get("error_message", ""),
            regions=tuple(a.get("regions", ())),
            started=_time(a.get("start_time"), where),
            ended=_time(a.get("end_time"), where),
        )
        for a in organization.get("accounts", [])
    ]


def finding_of(value: Mapping[str, Any], where: str) -> Finding:
    """A finding as a run's JSON wrote it (``output.jsonl.finding_object``), back as one; the
    guidance and suppression fields are left: the merge's gate gives them afresh."""
    root = value.get("root_cause")
    rebuilt: dict[str, Any] = {
        "tags": tuple((value.get("tags") or {}).items()),
        "root_cause": RootCause(**root) if root else None,
    }
    try:
        return Finding(
            **{k: value[k] for k in Finding.model_fields if k in value and k not in rebuilt},
            **rebuilt,
        )
    except (ValidationError, TypeError) as error:
        raise UsageError(f"{where}: not a finding this version reads: {error}") from error


def merge_shards(files: Sequence[ShardFile]) -> MergedRun:
    """One run from every shard of it (``check_shards`` first)."""
    mark = check_shards(files)
    first = files[0].document
    try:
        caller = AccountInfo(**first["account"])
    except (KeyError, TypeError, ValidationError) as error:
        raise UsageError(f"{files[0].source}: no account this version reads") from error
    for file in files[1:]:
        other = (file.document.get("account") or {}).get("account_id")
        if other != caller.account_id:
            raise UsageError(
                f"{file.source} was scanned from account {other}, {files[0].source} from "
                f"{caller.account_id}: not one run's shards"
            )
    only_risks = {bool(f.document.get("report_only_risks")) for f in files}
    if len(only_risks) > 1:
        raise UsageError("some shards were scanned with --report-only-risks, others without")
    results = [r for f in files for r in _pairs(f, caller.account_id)]
    findings = [
        finding_of(value, f"{f.source} finding {n}")
        for f in files
        for n, value in enumerate(f.document.get("findings", []), start=1)
    ]
    accounts = sorted((a for f in files for a in _accounts(f, caller)), key=lambda a: a.account_id)
    summary = ScanSummary(
        account=caller,
        regions=sorted({r for f in files for r in f.document.get("regions", [])}),
        results=sorted(results, key=lambda r: (r.account_id, r.service, r.region)),
        started=min(_time(f.document.get("started"), f.source) for f in files),
        ended=max(_time(f.document.get("ended"), f.source) for f in files),
        accounts=tuple(accounts) if mark.of is ShardOf.ACCOUNTS else (),
    )
    return MergedRun(summary, findings, only_risks.pop(), mark.shard.count)

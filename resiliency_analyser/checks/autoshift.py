"""ARC zonal autoshift: a region's records of it, and the rules on them.

Amazon Application Recovery Controller (ARC) lists the resources registered for zonal shift
(``ListManagedResources``: each one's autoshift status, whether it has a practice run
configuration, the autoshifts applied to it), each one's practice run configuration
(``GetManagedResource``), the zonal shifts it started, practice runs among them with their outcome
(``ListZonalShifts``), and the autoshifts AWS started in the region (``ListAutoshifts``). The
`zonalshift` check judges, for each resource with autoshift on, whether it is practised; the
records are read here, the rules are pure functions of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from resiliency_analyser.checks.api import (
    Assessment,
    Record,
    RegionScope,
    chunks,
    concurrently,
    listed_note,
)
from resiliency_analyser.checks.verdicts import Verdict

ARC = "arc-zonal-shift"
ENABLED = "ENABLED"
PRACTICE_RUN = "PRACTICE_RUN"
PRACTICE_WINDOW = timedelta(days=14)
"""A resource with autoshift on must have succeeded in a practice run this recently; AWS starts
one about weekly, so two missed in a row are a pattern, not a blocked window."""
FAILED_OUTCOMES = frozenset({"FAILED", "CAPACITY_CHECK_FAILED"})
CONCLUSIVE_OUTCOMES = FAILED_OUTCOMES | {"SUCCEEDED"}
"""``PENDING`` runs are in progress and ``INTERRUPTED`` ones inconclusive: neither is judged."""
FINISHED_SHIFTS = ("EXPIRED", "CANCELED")
"""``ListZonalShifts`` lists only active shifts unless asked for a status: a finished practice
run is ``EXPIRED`` (most) or ``CANCELED`` (ended by an alarm)."""
AUTOSHIFT_STATUSES = ("ACTIVE", "COMPLETED")
"""``ListAutoshifts`` lists only active autoshifts unless asked for completed ones."""
ALARMS_PER_CALL = 100  # the most names DescribeAlarms takes
ALARM_TYPES = ("MetricAlarm", "CompositeAlarm")
"""``DescribeAlarms`` answers metric alarms only unless asked for composite ones too."""
NAMED_ALARMS = 3


@dataclass(frozen=True)
class AutoshiftIds:
    """The check ids of the autoshift rules for one kind of resource (Security Hub types each
    kind apart)."""

    unpractised: str
    alarm_missing: str
    practice_failed: str
    practice_stale: str


@dataclass(frozen=True)
class ArcRecords:
    """One region's ARC records, as the APIs return them."""

    offered: bool = True
    """Whether ARC zonal shift is offered in the region; when not, nothing else is read."""
    managed: Mapping[str, Record] = field(default_factory=dict)
    """Resource ARN -> its ``ListManagedResources`` summary."""
    configurations: Mapping[str, Record] = field(default_factory=dict)
    """Resource ARN -> its ``practiceRunConfiguration`` (``GetManagedResource``), read for the
    resources with autoshift on and a configuration; ``{}`` where it has none."""
    practice_runs: Mapping[str, Sequence[Record]] = field(default_factory=dict)
    """Resource ARN -> its finished practice runs (``ListZonalShifts`` items), read when some
    resource has autoshift on."""
    alarms_checked: frozenset[str] = frozenset()
    """The outcome alarms (ARNs) looked up: those of this account and region."""
    alarms_found: frozenset[str] = frozenset()
    """Those of them ``DescribeAlarms`` found."""
    observer: str = ""
    """``GetAutoshiftObserverNotificationStatus``: ``ENABLED`` or ``DISABLED``."""
    autoshifts: Sequence[Record] = ()
    """``ListAutoshifts`` items, active and completed."""

    def autoshift_on(self, arn: str) -> bool:
        return (self.managed.get(arn) or {}).get("zonalAutoshiftStatus") == ENABLED


NOT_OFFERED = ArcRecords(offered=False)


# --- collection


async def arc_items(scope: RegionScope, operation: str, **params: str) -> list[Record]:
    return list(await scope.items(ARC, operation, "items", **params))


async def listed_autoshifts(scope: RegionScope) -> list[Record]:
    listed = await concurrently(
        *(arc_items(scope, "list_autoshifts", status=s) for s in AUTOSHIFT_STATUSES)
    )
    return [shift for found in listed for shift in found]


async def region_records(scope: RegionScope) -> ArcRecords:
    """What ARC says of the whole region: its managed resources, whether observer
    notifications are on, and the autoshifts AWS started (active and completed)."""
    if not await scope.offers(ARC):
        return NOT_OFFERED
    managed, observer, autoshifts = await concurrently(
        arc_items(scope, "list_managed_resources"),
        scope.call(ARC, "get_autoshift_observer_notification_status"),
        listed_autoshifts(scope),
    )
    return ArcRecords(
        managed={str(r["arn"]): r for r in managed if r.get("arn")},
        observer=str(observer.get("status", "")),
        autoshifts=autoshifts,
    )


async def practice_configuration(scope: RegionScope, arn: str) -> Record:
    described = await scope.call_unless_gone(ARC, "get_managed_resource", resourceIdentifier=arn)
    configuration: Record = (described or {}).get("practiceRunConfiguration") or {}
    return configuration


async def practice_runs(scope: RegionScope) -> dict[str, list[Record]]:
    """Resource ARN -> its finished practice runs, from one listing per status for the region."""
    listed = await concurrently(
        *(arc_items(scope, "list_zonal_shifts", status=s) for s in FINISHED_SHIFTS)
    )
    runs: dict[str, list[Record]] = defaultdict(list)
    for shift in (s for found in listed for s in found):
        if shift.get("shiftType") == PRACTICE_RUN and shift.get("resourceIdentifier"):
            runs[str(shift["resourceIdentifier"])].append(shift)
    return dict(runs)


def alarm_name(alarm_arn: str, account: str, region: str) -> str | None:
    """The alarm's name when the ARN is of this account and region (the only alarms the scan can
    look up), else None."""
    parts = alarm_arn.split(":", 6)
    if len(parts) != 7 or parts[2] != "cloudwatch" or parts[5] != "alarm":
        return None
    return parts[6] if (parts[3], parts[4]) == (region, account) else None


async def existing_alarms(scope: RegionScope, names: Sequence[str]) -> set[str]:
    """The ARNs of the alarms of ``names`` that exist, metric or composite, 100 names a call."""
    pages = await concurrently(
        *(
            collected_alarms(scope, AlarmNames=batch, AlarmTypes=list(ALARM_TYPES))
            for batch in chunks(names, ALARMS_PER_CALL)
        )
    )
    return {arn for page in pages for arn in page}


async def collected_alarms(scope: RegionScope, **params: Any) -> list[str]:
    return [
        str(alarm["AlarmArn"])
        async for page in scope.pages("cloudwatch", "describe_alarms", **params)
        for key in ("MetricAlarms", "CompositeAlarms")
        for alarm in page.get(key, [])
        if alarm.get("AlarmArn")
    ]


def outcome_alarms(configuration: Record) -> list[str]:
    return [
        str(a["alarmIdentifier"])
        for a in configuration.get("outcomeAlarms") or []
        if a.get("alarmIdentifier")
    ]


async def practice_records(
    scope: RegionScope, region: ArcRecords, judged: Iterable[str]
) -> ArcRecords:
    """``region`` with what the autoshift rules need of the ``judged`` resources that have
    autoshift on: their practice run configurations, the region's finished practice runs and
    whether their outcome alarms exist. Nothing is read when none has autoshift on."""
    autoshifting = [arn for arn in judged if region.autoshift_on(arn)]
    if not autoshifting:
        return region
    configured = [a for a in autoshifting if region.managed[a].get("practiceRunStatus") == ENABLED]
    configurations, runs = await concurrently(
        concurrently(*(practice_configuration(scope, arn) for arn in configured)),
        practice_runs(scope),
    )
    by_arn = dict(zip(configured, configurations, strict=True))
    account, name_of = scope.account.account_id, {}
    for alarm in {a for c in configurations for a in outcome_alarms(c)}:
        if (name := alarm_name(alarm, account, scope.region)) is not None:
            name_of[alarm] = name
    found = await existing_alarms(scope, sorted(set(name_of.values()))) if name_of else set()
    return ArcRecords(
        offered=region.offered,
        managed=region.managed,
        configurations=by_arn,
        practice_runs=runs,
        alarms_checked=frozenset(name_of),
        alarms_found=frozenset(found & set(name_of)),
        observer=region.observer,
        autoshifts=region.autoshifts,
    )


# --- rules


def utc(moment: Any) -> datetime | None:
    """A timestamp as botocore parses it (or an ISO text), in UTC; None when absent."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if not isinstance(moment, datetime):
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def duration(length: timedelta) -> str:
    """E.g. ``47 min``, ``3 h 5 min``, ``2 d 4 h``."""
    minutes = max(0, round(length.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def zone_label(zone_id: str, zone_names: Mapping[str, str]) -> str:
    """An AZ ID with the account's name for it: ``use1-az4 (us-east-1b)``."""
    name = zone_names.get(zone_id)
    return f"{zone_id} ({name})" if name else zone_id


def latest(runs: Iterable[Record], outcomes: frozenset[str]) -> Record | None:
    dated = [(utc(r.get("startTime")), r) for r in runs if r.get("practiceRunOutcome") in outcomes]
    started = [(moment, run) for moment, run in dated if moment is not None]
    return max(started, key=lambda pair: pair[0])[1] if started else None


def run_text(run: Record, zone_names: Mapping[str, str]) -> str:
    started = utc(run.get("startTime"))
    away = zone_label(str(run.get("awayFrom", "")), zone_names)
    return f"on {when(started) if started else 'an unknown date'}, shifting away from {away}"


OUTCOME_TEXT = {
    "SUCCEEDED": "succeeded",
    "FAILED": "failed (its outcome alarm went into ALARM while traffic was shifted)",
    "CAPACITY_CHECK_FAILED": "failed its capacity check (ARC found the other AZs without the "
    "capacity to take the load)",
}


def last_run(ids: AutoshiftIds, runs: Sequence[Record], zone_names: Mapping[str, str]) -> Verdict:
    """The last practice run that came to a conclusion: a risk when it failed."""
    run = latest(runs, CONCLUSIVE_OUTCOMES)
    if run is None:
        return Verdict(ids.practice_failed, False, "no finished practice run on record")
    outcome = str(run.get("practiceRunOutcome"))
    text = f"last practice run {run_text(run, zone_names)}: {OUTCOME_TEXT[outcome]}"
    return Verdict(ids.practice_failed, outcome in FAILED_OUTCOMES, text)


def recent_success(ids: AutoshiftIds, runs: Sequence[Record], now: datetime) -> Verdict:
    """A risk when no practice run succeeded within ``PRACTICE_WINDOW``."""
    success = latest(runs, frozenset({"SUCCEEDED"}))
    started = utc(success.get("startTime")) if success else None
    days = PRACTICE_WINDOW.days
    if started is None:
        return Verdict(ids.practice_stale, True, "no successful practice run on record")
    if now - started > PRACTICE_WINDOW:
        text = f"no successful practice run in the last {days} days (the last on {when(started)})"
        return Verdict(ids.practice_stale, True, text)
    return Verdict(ids.practice_stale, False, f"a practice run succeeded within {days} days")


def alarms_exist(ids: AutoshiftIds, alarms: Sequence[str], arc: ArcRecords) -> Verdict:
    """A risk when an outcome alarm of this account and region does not exist: a practice run
    cannot tell whether the shift hurt."""
    missing = [a for a in alarms if a in arc.alarms_checked and a not in arc.alarms_found]
    unchecked = [a for a in alarms if a not in arc.alarms_checked]
    if missing:
        text = f"outcome alarm(s) that do not exist: {named_alarms(missing)}"
    else:
        text = f"{len(alarms) - len(unchecked)} outcome alarm(s) found"
    if unchecked:
        text += f"; not looked up (another account or region): {named_alarms(unchecked)}"
    return Verdict(ids.alarm_missing, bool(missing), text)


def named_alarms(alarms: Sequence[str]) -> str:
    names = sorted(a.rpartition(":alarm:")[2] or a for a in alarms)
    more = len(names) - NAMED_ALARMS
    return ", ".join(names[:NAMED_ALARMS]) + (f" and {more} more" if more > 0 else "")


def active_shifts(summary: Record, zone_names: Mapping[str, str]) -> str:
    """The shifts moving the resource's traffic right now, as a note, or ''."""
    applied = [
        zone_label(str(s.get("awayFrom", "")), zone_names)
        for s in [*(summary.get("zonalShifts") or []), *(summary.get("autoshifts") or [])]
        if s.get("appliedStatus") == "APPLIED"
    ]
    return listed_note("traffic shifted away now from", applied)


def autoshift_verdicts(
    arn: str, ids: AutoshiftIds, arc: ArcRecords, zone_names: Mapping[str, str], now: datetime
) -> list[Verdict]:
    """What the autoshift rules find for one resource with zonal shift on: whether autoshift is
    on and, if so, practised (configured with an outcome alarm that exists, its last practice
    run not failed, one succeeded within ``PRACTICE_WINDOW``)."""
    if not arc.offered:
        return [Verdict(ids.unpractised, False, "ARC zonal shift is not offered in the region")]
    summary = arc.managed.get(arn)
    if summary is None:
        return [Verdict(ids.unpractised, False, "not (yet) among ARC's managed resources")]
    note = active_shifts(summary, zone_names)
    if not arc.autoshift_on(arn):
        return [Verdict(ids.unpractised, False, f"zonal autoshift off{note}")]
    configuration = arc.configurations.get(arn) or {}
    alarms = outcome_alarms(configuration)
    if not configuration or not alarms:
        missing = "a practice run configuration" if not configuration else "an outcome alarm"
        text = (
            f"zonal autoshift on without {missing}{note}: AWS requires practice runs with an "
            "outcome alarm, which prove the other AZs can take the load"
        )
        return [Verdict(ids.unpractised, True, text)]
    runs = arc.practice_runs.get(arn, ())
    return [
        Verdict(ids.unpractised, False, f"zonal autoshift on, with practice runs{note}"),
        last_run(ids, runs, zone_names),
        alarms_exist(ids, alarms, arc),
        recent_success(ids, runs, now),
    ]


# --- the region's own findings


def observer_assessment(check_id: str, status: str) -> Assessment:
    """The account's autoshift observer notifications in the region: off is a risk."""
    on = status == ENABLED
    state = (
        "on: autoshifts AWS starts in this region are sent to EventBridge"
        if on
        else "off: nobody is told when AWS starts an autoshift in this region"
    )
    return Assessment(
        check_id=check_id,
        risk=not on,
        resource_id="autoshift-observer-notification",
        resource_name="zonal autoshift observer notification",
        message=f"Autoshift observer notifications {state}",
    )


def autoshift_event(
    check_id: str,
    autoshift: Record,
    zone_names: Mapping[str, str],
    shifted: Sequence[str],
    now: datetime,
) -> Assessment | None:
    """One autoshift AWS started, located in the AZ it shifted away from; never a risk.
    ``shifted``: the account's resources it was applied to. None when it names no AZ or start."""
    zone_id = str(autoshift.get("awayFrom") or "")
    started = utc(autoshift.get("startTime"))
    if not zone_id or started is None:
        return None
    ended = utc(autoshift.get("endTime"))
    away = zone_label(zone_id, zone_names)
    if autoshift.get("status") == "ACTIVE" or ended is None:
        text = (
            f"AWS is shifting traffic away from {away}, since {when(started)} "
            f"({duration(now - started)} so far)"
        )
    else:
        text = f"AWS shifted traffic away from {away} on {when(started)}, for {duration(ended - started)}"
    text += listed_note("applied to", shifted) or "; applied to none of the judged resources"
    name = zone_names.get(zone_id, "")
    return Assessment(
        check_id=check_id,
        risk=False,
        resource_id=f"autoshift/{zone_id}/{started:%Y-%m-%dT%H:%M:%SZ}",
        resource_name=f"AWS autoshift away from {zone_id}",
        engine=str(autoshift.get("status") or ""),
        message=text,
        availability_zones=(name,) if name else (),
        location=name,
    )


def applied_to(autoshift: Record, arc: ArcRecords, names: Mapping[str, str]) -> list[str]:
    """The judged resources (ARN -> name) ARC lists this autoshift as applied to."""
    key = (autoshift.get("awayFrom"), utc(autoshift.get("startTime")))
    return sorted(
        name
        for arn, name in names.items()
        for applied in (arc.managed.get(arn) or {}).get("autoshifts") or []
        if (applied.get("awayFrom"), utc(applied.get("startTime"))) == key
    )

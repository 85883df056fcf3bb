"""Findings reach an EventBridge bus exactly once: read back from an SQS queue the bus routes to."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aioboto3
import pytest

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.delivery.eventbridge import (
    DETAIL_TYPE,
    MAX_ENTRIES,
    MAX_REQUEST_BYTES,
    SOURCE,
    TOO_LARGE,
    TRIM_NOTE,
    EventBridgePublisher,
    EventStats,
    entry_size,
    fit_entry,
)
from resiliency_analyser.delivery.tally import RetryPolicy
from resiliency_analyser.demo.standin import ServiceStandin, StandinError
from resiliency_analyser.model.findings import Finding
from tests.support.cli import CliRun, RunCli
from tests.support.findings import rds_risk
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import seed_rds_instances
from tests.support.standins import StartStandin

BUS_REGION = "eu-west-1"
BUS_ARN = f"arn:aws:events:{BUS_REGION}:{ACCOUNT_ID}:event-bus/findings"
FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)


def bus_with_queue(boto: Boto) -> str:
    """Creates the bus and routes every event of ours on it to a queue; returns the queue URL."""
    events, sqs = boto("events", BUS_REGION), boto("sqs", BUS_REGION)
    assert events.create_event_bus(Name="findings")["EventBusArn"] == BUS_ARN
    queue = sqs.create_queue(QueueName="findings")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    pattern = {"source": [SOURCE], "detail-type": [DETAIL_TYPE]}
    events.put_rule(Name="to-queue", EventBusName="findings", EventPattern=json.dumps(pattern))
    events.put_targets(
        Rule="to-queue",
        EventBusName="findings",
        Targets=[{"Id": "queue", "Arn": queue_arn["Attributes"]["QueueArn"]}],
    )
    return str(queue)


def drain(boto: Boto, queue: str) -> list[dict[str, Any]]:
    """Every event now in the queue, each removed once read (so a duplicate would show twice)."""
    sqs = boto("sqs", BUS_REGION)
    events: list[dict[str, Any]] = []
    while messages := sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        events.extend(json.loads(m["Body"]) for m in messages)
        sqs.delete_message_batch(
            QueueUrl=queue,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
            ],
        )
    return events


def event_row(run: CliRun) -> dict[str, str]:
    [row] = [r for r in run.report if r["service"] == "eventbridge"]
    return row


@pytest.mark.parametrize("count", [0, 1, 10, 11])
def test_scan_publishes_every_finding_exactly_once(boto: Boto, run_cli: RunCli, count: int) -> None:
    queue = bus_with_queue(boto)
    seed_rds_instances(boto, count)
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "--event-bus-arn", BUS_ARN)
    assert run.code == 0, run.stderr
    events = drain(boto, queue)
    arns = [e["resources"][0] for e in events]
    assert sorted(arns) == sorted(f["resource_arn"] for f in run.findings)
    assert len(set(arns)) == len(arns) == count
    by_arn = {f["resource_arn"]: f for f in run.findings}
    for event in events:
        assert (event["source"], event["detail-type"]) == (SOURCE, DETAIL_TYPE)
        detail, row = event["detail"], by_arn[event["resources"][0]]
        for column in ("service", "region", "account_id", "resource_name", "message", "engine"):
            assert detail[column] == row[column], column
        assert str(detail["potential_single_az_risk"]) == row["potential_single_az_risk"]
    row = event_row(run)
    assert (row["region"], row["result"]) == (BUS_REGION, "Success")
    assert row["error_message"].startswith(f"published={count} failed=0 ")
    assert run.report[-1]["service"] == "Overall", "the Overall row stays last"
    assert f"published={count} failed=0" in run.stderr


def test_report_only_risks_publishes_only_risks(boto: Boto, run_cli: RunCli) -> None:
    queue = bus_with_queue(boto)
    seed_rds_instances(boto, 6, multi_az_every=3)
    run = run_cli(
        "scan", "-r", "us-east-1", "-s", "rds", "--event-bus-arn", BUS_ARN, "--report-only-risks"
    )
    assert run.code == 0, run.stderr
    events = drain(boto, queue)
    assert sorted(e["detail"]["resource_name"] for e in events) == [
        "db-0001",
        "db-0002",
        "db-0004",
        "db-0005",
    ]
    assert all(e["detail"]["potential_single_az_risk"] for e in events)


def test_a_missing_bus_fails_every_event_and_exits_1(boto: Boto, run_cli: RunCli) -> None:
    seed_rds_instances(boto, 25)
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "--event-bus-arn", BUS_ARN)
    assert run.code == 1
    assert len(run.findings) == 25, "the local findings are complete regardless"
    row = event_row(run)
    assert row["result"] == "Error"
    assert row["error_message"].startswith("published=0 failed=25 ")
    assert "ResourceNotFoundException" in row["error_message"]
    failures = [line for line in run.stderr.splitlines() if "ResourceNotFoundException" in line]
    assert len(failures) == 1, "said once, without a terminal"


async def publish(findings: list[Finding], *, chunk: int = 50, between: Any = None) -> EventStats:
    """Drives the publisher as the engine does: many small emits, then close."""
    async with AwsClients(aioboto3.Session(), ClientSettings()) as clients:
        publisher = EventBridgePublisher(clients, BUS_ARN, retry=FAST_RETRY)
        for start in range(0, len(findings), chunk):
            await publisher.emit(findings[start : start + chunk])
            if between is not None:
                await asyncio.to_thread(between)
        return await publisher.close()


def test_2500_findings_arrive_exactly_once(boto: Boto) -> None:
    queue = bus_with_queue(boto)
    findings = [rds_risk(i) for i in range(2500)]
    received: list[dict[str, Any]] = []

    def read_so_far() -> None:
        # Reading while publishing keeps moto's queue short: its every send and receive scans it.
        received.extend(drain(boto, queue))

    stats = asyncio.run(publish(findings, chunk=97, between=read_so_far))
    received.extend(drain(boto, queue))
    assert (stats.published, stats.failed, stats.retried) == (2500, 0, 0)
    names = [e["detail"]["resource_name"] for e in received]
    assert len(names) == 2500
    assert sorted(names) == [f.resource_name for f in findings]


class PutEventsRecorder:
    """A PutEvents stand-in that checks the API limits on every call and fails entries on cue."""

    def __init__(self, fail: Any) -> None:
        self.fail = fail
        self.accepted: list[str] = []
        self.calls: list[int] = []
        self.attempts: dict[str, int] = {}

    def handle(self, params: dict[str, Any], region: str) -> dict[str, Any]:
        entries = params["Entries"]
        if len(entries) > MAX_ENTRIES:
            raise StandinError("ValidationException", "more than 10 entries")
        sizes = sum(entry_size({**e, "Time": 0} if "Time" in e else e) for e in entries)
        if sizes > MAX_REQUEST_BYTES:
            raise StandinError("ValidationException", f"{sizes} bytes of entries")
        assert region == BUS_REGION
        self.calls.append(len(entries))
        results = []
        for entry in entries:
            name = json.loads(entry["Detail"])["resource_name"]
            attempt = self.attempts[name] = self.attempts.get(name, 0) + 1
            code = self.fail(name, attempt)
            if code:
                results.append({"ErrorCode": code, "ErrorMessage": f"{code} for {name}"})
            else:
                self.accepted.append(name)
                results.append({"EventId": f"id-{name}"})
        failed = sum("ErrorCode" in r for r in results)
        return {"FailedEntryCount": failed, "Entries": results}


@pytest.fixture
def put_events(standin: StartStandin) -> Any:
    def serve(fail: Any) -> tuple[PutEventsRecorder, ServiceStandin]:
        recorder = PutEventsRecorder(fail)
        return recorder, standin("events", {"PutEvents": recorder.handle})

    return serve


def test_retryable_entry_failures_are_retried_until_published(
    boto: Boto, run_cli: RunCli, put_events: Any
) -> None:
    seed_rds_instances(boto, 23)

    def flaky(name: str, attempt: int) -> str:
        # Every third entry is throttled twice, one entry fails internally once.
        if int(name[-4:]) % 3 == 0 and attempt <= 2:
            return "ThrottlingException"
        return "InternalFailure" if name == "db-0007" and attempt == 1 else ""

    recorder, _ = put_events(flaky)
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "--event-bus-arn", BUS_ARN)
    assert run.code == 0, run.stderr
    assert sorted(recorder.accepted) == sorted(f["resource_name"] for f in run.findings)
    assert len(set(recorder.accepted)) == 23
    assert max(recorder.attempts.values()) == 3
    assert event_row(run)["error_message"] == "published=23 failed=0 trimmed=0 retried=17"


def test_entries_that_keep_failing_are_reported_and_exit_1(
    boto: Boto, run_cli: RunCli, put_events: Any
) -> None:
    seed_rds_instances(boto, 12)

    def broken(name: str, attempt: int) -> str:
        return {"db-0003": "InternalFailure", "db-0009": "MalformedDetail"}.get(name, "")

    recorder, _ = put_events(broken)
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "--event-bus-arn", BUS_ARN)
    assert run.code == 1
    assert len(run.findings) == 12
    assert len(recorder.accepted) == 10
    assert recorder.attempts["db-0009"] == 1, "a non-retryable failure is not retried"
    assert recorder.attempts["db-0003"] == RetryPolicy().attempts
    row = event_row(run)
    assert row["result"] == "Error"
    assert row["error_message"].startswith("published=10 failed=2 ")
    assert "InternalFailure x1, MalformedDetail x1" in row["error_message"]
    assert "published=10 failed=2" in run.stderr


def test_calls_respect_the_entry_and_size_limits_and_oversize_events_are_trimmed(
    put_events: Any,
) -> None:
    recorder, standin = put_events(lambda name, attempt: "")
    findings = [rds_risk(i, message="x" * 60_000) for i in range(9)]
    findings.append(rds_risk(9, message="é" * 400_000))
    findings += [rds_risk(i) for i in range(10, 35)]
    stats = asyncio.run(publish(findings, chunk=7))
    assert (stats.published, stats.failed, stats.trimmed) == (35, 0, 1)
    assert sorted(recorder.accepted) == sorted(f.resource_name for f in findings)
    assert max(recorder.calls) <= MAX_ENTRIES
    [trimmed] = [
        json.loads(e["Detail"])
        for _, _, params in standin.requests
        for e in params["Entries"]
        if json.loads(e["Detail"])["resource_name"] == "db-00009"
    ]
    assert trimmed["message"].endswith(TRIM_NOTE)
    assert trimmed["message"].startswith("é" * 1000)


def test_a_finding_that_cannot_fit_even_without_its_message_is_counted_failed(boto: Boto) -> None:
    queue = bus_with_queue(boto)
    huge = rds_risk(1).model_copy(update={"resource_arn": "arn:" + "x" * MAX_REQUEST_BYTES})
    assert fit_entry(huge, BUS_ARN) == (None, True)
    stats = asyncio.run(publish([rds_risk(0), huge]))
    assert (stats.published, stats.failed) == (1, 1)
    assert stats.errors == {TOO_LARGE: 1}
    assert [e["detail"]["resource_name"] for e in drain(boto, queue)] == ["db-00000"]

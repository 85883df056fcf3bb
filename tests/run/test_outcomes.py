"""Every way a (check, region) can end is named, and only real failures make the run exit 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError

from resiliency_analyser.aws.endpoints import ServiceNotInRegion
from resiliency_analyser.aws.outcomes import classify
from resiliency_analyser.gate.policy import Review
from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.model.report import Outcome, PairResult
from resiliency_analyser.run.result import ScanResult
from tests.support.cli import RunCli
from tests.support.faults import FaultProxy
from tests.support.moto import ACCOUNT_ID
from tests.support.paths import ROOT


def client_error(code: str, status: int, retries: int = 0) -> ClientError:
    """As botocore raises it: the parsed error and response metadata."""
    response: Any = {
        "Error": {"Code": code, "Message": "details"},
        "ResponseMetadata": {"HTTPStatusCode": status, "RetryAttempts": retries},
    }
    return ClientError(response, "DescribeThings")


@pytest.mark.parametrize(
    ("error", "outcome", "message"),
    [
        (client_error("AccessDenied", 403), Outcome.ACCESS_DENIED, "AccessDenied: details"),
        (client_error("AccessDeniedException", 400), Outcome.ACCESS_DENIED, None),
        (client_error("UnauthorizedOperation", 403), Outcome.ACCESS_DENIED, None),
        (client_error("AuthorizationError", 403), Outcome.ACCESS_DENIED, None),
        (client_error("InvalidClientTokenId", 403), Outcome.REGION_DISABLED, None),
        (client_error("UnrecognizedClientException", 400), Outcome.REGION_DISABLED, None),
        (client_error("AuthFailure", 401), Outcome.REGION_DISABLED, None),
        (client_error("OptInRequired", 401), Outcome.REGION_DISABLED, None),
        (
            client_error("Throttling", 400, retries=7),
            Outcome.THROTTLED,
            "Throttling: details (after 8 attempts)",
        ),
        (client_error("RequestLimitExceeded", 503), Outcome.THROTTLED, None),
        (client_error("TooManyRequestsException", 429), Outcome.THROTTLED, None),
        (client_error("SomethingNew", 429), Outcome.THROTTLED, None),
        (client_error("InternalFailure", 500), Outcome.ERROR, "InternalFailure: details"),
        (client_error("InvalidParameterValue", 400), Outcome.ERROR, None),
        (
            ServiceNotInRegion("dax", "me-central-1"),
            Outcome.NOT_AVAILABLE,
            None,
        ),
        (
            ConnectTimeoutError(endpoint_url="https://rds.eu-west-1.amazonaws.com/"),
            Outcome.TIMEOUT,
            'Connect timeout on endpoint URL: "https://rds.eu-west-1.amazonaws.com/"',
        ),
        (
            EndpointConnectionError(endpoint_url="https://x/"),
            Outcome.ERROR,
            'EndpointConnectionError: Could not connect to the endpoint URL: "https://x/"',
        ),
        (KeyError("VpcId"), Outcome.ERROR, "KeyError: 'VpcId'"),
    ],
)
def test_errors_are_classified(error: BaseException, outcome: Outcome, message: str | None) -> None:
    failure = classify(error)
    assert failure.outcome is outcome
    if message is not None:
        assert failure.text == message


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (client_error("AccessDenied", 403), "AccessDenied", "details"),
        (client_error("Throttling", 400, retries=2), "Throttling", "details (after 3 attempts)"),
        (ServiceNotInRegion("dax", "me-central-1"), "ServiceNotInRegion", "dax has no endpoint"),
        (ConnectTimeoutError(endpoint_url="https://x/"), "ConnectTimeoutError", "Connect timeout"),
        (KeyError("VpcId"), "KeyError", "'VpcId'"),
    ],
)
def test_the_code_and_message_are_fields_of_their_own(
    error: BaseException, code: str, message: str
) -> None:
    """What the delivery sinks count by: never recovered by splitting the report's text."""
    failure = classify(error)
    assert failure.code == code
    assert failure.message.startswith(message)
    assert not failure.message.startswith(code)


@pytest.mark.parametrize(
    ("outcomes", "exit_code"),
    [
        ([Outcome.SUCCESS], 0),
        ([Outcome.SUCCESS, Outcome.NOT_AVAILABLE], 0),
        ([Outcome.NOT_AVAILABLE], 0),
        *(([Outcome.SUCCESS, o], 1) for o in Outcome if o.is_failure),
        ([Outcome.SUCCESS, Outcome.CANCELLED], 130),
        ([Outcome.ACCESS_DENIED, Outcome.CANCELLED], 130),
    ],
)
def test_exit_code(outcomes: list[Outcome], exit_code: int) -> None:
    """Without a --fail-on gate: the scan's own outcomes decide."""
    now = datetime.now(UTC)
    results = [
        PairResult(
            account_id=ACCOUNT_ID, service="rds", region=f"r{i}", outcome=o, started=now, ended=now
        )
        for i, o in enumerate(outcomes)
    ]
    account = AccountInfo(account_id=ACCOUNT_ID)
    result = ScanResult(
        account=account,
        regions=[],
        results=results,
        started=now,
        ended=now,
        review=Review(()),
        report_path=Path("r"),
        findings_path=Path("f"),
        files=(),
    )
    assert result.exit_code == exit_code


def test_failures_are_exactly_the_issue_list() -> None:
    assert {o.value for o in Outcome if o.is_failure} == {
        "AccessDenied",
        "RegionDisabled",
        "Throttled",
        "Timeout",
        "Error",
    }


def test_a_service_without_an_endpoint_in_the_region_is_not_available(
    aws_env: str, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    """botocore's endpoint data has no DAX in me-central-1: no request goes there, exit 0."""
    with FaultProxy(aws_env) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        run = run_cli("scan", "-r", "us-east-1,me-central-1", "-s", "dax")
    assert run.code == 0, run.stderr
    rows = {r["region"]: r for r in run.report}
    assert rows["me-central-1"]["result"] == "NotAvailable"
    assert rows["me-central-1"]["error_message"].startswith("dax has no endpoint in me-central-1")
    assert rows["us-east-1"]["result"] == "Success"
    assert {(s.region, s.operation) for s in proxy.seen if s.service == "dax"} == {
        ("us-east-1", "DescribeClusters")
    }
    assert "1 Success, 1 NotAvailable" in run.stderr


def test_the_json_schema_lists_every_outcome() -> None:
    schema = json.loads((ROOT / "docs/scan-result.schema.json").read_text())
    found = [
        node["enum"]
        for node in walk(schema)
        if isinstance(node, dict) and "enum" in node and "Success" in node["enum"]
    ]
    assert found == [[o.value for o in Outcome]]


def walk(node: Any) -> Iterator[Any]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from walk(child)

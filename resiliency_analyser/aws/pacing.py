"""Every call keeps to its AWS budget, asks for the largest page, and is counted.

``Pacing`` hooks into each client's events once, when the client is built:

- before parameters are checked, a paginated operation with no page size gets its API's
  largest (EC2 describes are charged to a smaller budget without one), and the call's bucket is
  chosen (``aws/budgets``): one bucket per (region, AWS throttling bucket) of the pool, so per
  account and region, shared by every check;
- before each attempt is signed, the attempt waits for a token of its bucket;
- after each answer, a throttling one empties the bucket and is retried at once, which means
  after the wait for the bucket, rather than after botocore's backoff on top of it.

Each attempt, throttling answer and retry is counted in the ``CallCounts`` the caller's
context carries (``counting``): the engine gives each (check, region) pair its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from botocore.exceptions import DataNotFoundError
from botocore.session import Session as BotocoreSession

from resiliency_analyser.aws.budgets import Call, budget_for, unbounded
from resiliency_analyser.aws.outcomes import THROTTLING_CODES
from resiliency_analyser.aws.ratelimit import AdaptiveBucket

DOCUMENTED_PAGES = {
    "autoscaling": 100,
    "dax": 100,
    "directconnect": 100,
    "dms": 100,
    "docdb": 100,
    "ec2": 1000,
    "ecs": 100,
    "elasticache": 100,
    "neptune": 100,
    "rds": 100,
    "redshift": 100,
}
"""The largest page each API's reference states where botocore's model states none (EC2's
describes take 1,000, ECS listings 100, the query APIs' ``MaxRecords`` 100)."""
TOO_MANY_REQUESTS = 429
BURST_KEPT = 0.9
"""Share of a published burst the client spends: requests sent a token apart can arrive closer
together (a slow connection, then a fast one), and the rest absorbs that."""
BUCKET = "resiliency_analyser.bucket"
"""The request context's key for the bucket a call spends."""


@dataclass
class CallCounts:
    """Attempts sent, throttling answers, and attempts that were retries."""

    calls: int = 0
    throttled: int = 0
    retried: int = 0


_counts: ContextVar[CallCounts | None] = ContextVar("call_counts", default=None)


@contextmanager
def counting(counts: CallCounts) -> Iterator[CallCounts]:
    """Counts every call made in this context (and the tasks it starts) into ``counts``."""
    token = _counts.set(counts)
    try:
        yield counts
    finally:
        _counts.reset(token)


def is_throttling(response: Any) -> bool:
    """Whether a needs-retry event's ``response`` (HTTP response, parsed) is a throttling
    answer."""
    if response is None:
        return False
    http, parsed = response
    code = (parsed.get("Error") or {}).get("Code", "")
    return code in THROTTLING_CODES or http.status_code == TOO_MANY_REQUESTS


@cache
def _models() -> BotocoreSession:
    return BotocoreSession()


@cache
def page_size_key(service: str, operation: str) -> tuple[str, int] | None:
    """The page-size parameter of a paginated operation and its largest value, if the model
    or the API reference states one."""
    session = _models()
    try:
        config = session.get_paginator_model(service).get_paginator(operation)
    except (DataNotFoundError, ValueError):
        return None
    key = config.get("limit_key")
    if not isinstance(key, str):
        return None
    shape = session.get_service_model(service).operation_model(operation).input_shape
    member = shape.members.get(key) if shape is not None else None
    if member is None:
        return None
    largest = member.metadata.get("max") or DOCUMENTED_PAGES.get(service)
    return (key, int(largest)) if largest else None


class Pacing:
    """The buckets of one account's client pool, and the hooks that spend them."""

    def __init__(self, max_attempts: int) -> None:
        self._max_attempts = max_attempts
        self._buckets: dict[tuple[str, str], AdaptiveBucket] = {}

    def bucket(self, region: str, call: Call) -> AdaptiveBucket:
        name, budget = budget_for(call)
        key = (region, name)
        found = self._buckets.get(key)
        if found is None:
            found = self._buckets[key] = AdaptiveBucket(
                budget.rate, max(1.0, budget.burst * BURST_KEPT), published=budget.published
            )
        return found

    def attach(self, client: Any, region: str) -> None:
        model = client.meta.service_model
        service, event = model.service_name, model.service_id.hyphenize()

        def choose(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
            size = page_size_key(service, model.name)
            # EC2 refuses a page size beside ids; ids bound the call already.
            if size and size[0] not in params and unbounded_ids(params):
                params[size[0]] = size[1]
            call = Call(
                model.service_model.signing_name,
                model.service_model.api_version,
                model.name,
                unbounded(k for k, v in params.items() if v),
            )
            context[BUCKET] = self.bucket(region, call)

        async def wait(request: Any, **_: Any) -> None:
            bucket: AdaptiveBucket | None = request.context.get(BUCKET)
            counts = _counts.get()
            if counts is not None:
                counts.calls += 1
                counts.retried += (request.context.get("retries") or {}).get("attempt", 1) > 1
            if bucket is not None:
                await bucket.take()

        def answered(
            response: Any, attempts: int, request_dict: dict[str, Any], **_: Any
        ) -> float | None:
            bucket: AdaptiveBucket | None = request_dict["context"].get(BUCKET)
            if not is_throttling(response):
                if bucket is not None and response is not None:
                    bucket.answered()
                return None
            counts = _counts.get()
            if counts is not None:
                counts.throttled += 1
            if bucket is None:
                return None
            bucket.throttled()
            # Retried with no sleep: the retry waits for the bucket instead.
            return 0.0 if attempts < self._max_attempts else None

        events = client.meta.events
        events.register(f"before-parameter-build.{event}", choose)
        events.register_first(f"request-created.{event}", wait)
        events.register_first(f"needs-retry.{event}", answered)


def unbounded_ids(params: dict[str, Any]) -> bool:
    """No ids named: a page size may be added."""
    return not any(v for k, v in params.items() if k.endswith("Ids"))

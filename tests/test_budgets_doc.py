"""The large-region figure of docs/api-budgets.md: its call plan is the scan's own (checked on a
stand-in region, counted by the pair's run-report row), and its bound is the slowest bucket."""

from __future__ import annotations

import asyncio

from resiliency_analyser.aws.budgets import Call, seconds_for
from resiliency_analyser.budgets_doc import LargeRegion, lower_bound, per_bucket, planned_calls
from resiliency_analyser.checks import ecs
from resiliency_analyser.demo.seeders.ecs import ecs_handlers, service_record, task_records
from resiliency_analyser.run.engine import Pair
from tests.support.engine import Collected, run_pairs
from tests.support.moto import Boto
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin

REGION = "eu-west-1"
ECS_PAGE = 100
"""The largest page ECS listings serve, as the stand-in serves them."""


def test_the_ecs_plan_is_what_the_scan_calls(boto: Boto, standin: StartStandin) -> None:
    region = LargeRegion(clusters=3, services=45, tasks_per_service=3)
    a1, _, b = make_subnets(boto, REGION)
    services = [
        service_record(REGION, f"c{i % region.clusters}", f"svc-{i:03d}", 3, [a1, b])
        for i in range(region.services)
    ]
    tasks = [t for s in services for t in task_records(s, "aba")]
    server = standin("ecs", ecs_handlers(lambda r: services, lambda r: tasks, ECS_PAGE))

    collected = Collected()
    asyncio.run(run_pairs([Pair(ecs.CHECK, REGION)], collected))

    planned = {c.operation: n for c, n in planned_calls(region).items() if c.api == "ecs"}
    made: dict[str, int] = {}
    for _, operation, _ in server.requests:
        made[operation] = made.get(operation, 0) + 1
    assert made == planned
    result = collected.result("ecs")
    # Besides ECS: the region's subnets and its AZ IDs, one call each.
    assert (result.calls, result.throttled, result.retried) == (sum(planned.values()) + 2, 0, 0)


def test_the_bound_is_the_slowest_bucket() -> None:
    calls = planned_calls(LargeRegion())
    buckets = per_bucket(calls)
    assert lower_bound(calls) == max(seconds_for(n, b) for b, n in buckets.values())
    # The load balancers' attributes and target health: one call per load balancer and per
    # target group, 10 a second after 40.
    target_health = Call("elasticloadbalancing", "2015-12-01", "DescribeTargetHealth")
    assert calls[target_health] == LargeRegion().target_groups
    assert lower_bound(calls) == (1_805 - 40) / 10
    before = planned_calls(LargeRegion(), before=True)
    assert sum(n for c, n in before.items() if c.api == "ecs") > 7 * sum(
        n for c, n in calls.items() if c.api == "ecs"
    )

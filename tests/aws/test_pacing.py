"""AWS budgets: which bucket a call spends, buckets that believe throttling answers, and the pool
pacing, sizing and counting real calls (moto behind the fault proxy)."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import aioboto3
import pytest

from resiliency_analyser.aws.budgets import UNKNOWN, Budget, Call, budget_for, unbounded
from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.pacing import CallCounts, Pacing, counting, page_size_key
from resiliency_analyser.aws.ratelimit import COOL_DOWN, LEARNED_SHARE, MIN_RATE, AdaptiveBucket
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.demo.standin import paged
from tests.support.faults import FaultProxy, Faults
from tests.support.standins import StartStandin

ELB_V2, ELB_CLASSIC, RDS_VERSION = "2015-12-01", "2012-06-01", "2014-10-31"


@pytest.mark.parametrize(
    ("call", "bucket", "budget"),
    [
        (
            Call("ec2", "", "DescribeInstances"),
            "ec2 non-mutating actions: DescribeInstances",
            (100, 20),
        ),
        (
            Call("ec2", "", "DescribeInstances", unbounded=True),
            "ec2 unfiltered and unpaginated non-mutating actions: DescribeInstances",
            (50, 10),
        ),
        # Not among the describes EC2 charges to the smaller bucket, however called.
        (
            Call("ec2", "", "DescribeVpnConnections", unbounded=True),
            "ec2 non-mutating actions: DescribeVpnConnections",
            (100, 20),
        ),
        (
            Call("elasticloadbalancing", ELB_V2, "DescribeTargetHealth"),
            "elasticloadbalancing v2 (Application, Network, Gateway) non-mutating actions",
            (40, 10),
        ),
        (
            Call("elasticloadbalancing", ELB_CLASSIC, "DescribeInstanceHealth"),
            "elasticloadbalancing Classic non-mutating actions",
            (40, 10),
        ),
        # DocumentDB and Neptune sign as rds: one budget for the three.
        (
            Call("rds", RDS_VERSION, "DescribeDBClusters"),
            "rds every action (RDS, DocumentDB, Neptune)",
            (300, 12),
        ),
        (Call("ecs", "", "ListTasks"), "ecs read actions", (50, 20)),
        (Call("lambda", "", "GetFunction"), "lambda GetFunction", (100, 100)),
        (Call("lambda", "", "ListFunctions"), "lambda other control plane actions", (15, 15)),
        (Call("securityhub", "", "GetFindings"), "securityhub GetFindings", (6, 3)),
        (Call("kafka", "", "ListClustersV2"), "kafka (unpublished)", (10, 5)),
    ],
)
def test_each_call_spends_its_aws_bucket(
    call: Call, bucket: str, budget: tuple[float, float]
) -> None:
    name, found = budget_for(call)
    assert (name, (found.burst, found.rate)) == (bucket, budget)
    assert found.published is (found is not UNKNOWN)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ((), True),
        (("DryRun",), True),
        (("MaxResults",), False),
        (("Filters",), False),
        (("InstanceIds",), False),
        (("NextToken",), False),
        # The same parameters as the EC2 query protocol puts them on the wire.
        (("Action", "Version"), True),
        (("Action", "Filter.1.Name", "Filter.1.Value.1"), False),
        (("Action", "InstanceId.1"), False),
        (("Action", "MaxResults"), False),
    ],
)
def test_a_call_is_unbounded_without_page_size_filter_or_ids(
    names: tuple[str, ...], expected: bool
) -> None:
    assert unbounded(names) is expected


async def wait_one(bucket: AdaptiveBucket) -> float:
    start = time.monotonic()
    await bucket.take()
    return time.monotonic() - start


def test_a_throttling_answer_empties_the_bucket_and_halves_its_rate() -> None:
    bucket = AdaptiveBucket(20, 100, published=True)
    bucket.throttled()
    bucket.throttled()
    assert bucket.rate == 10, "answers refused together are one sign: one cut"
    assert asyncio.run(wait_one(bucket)) >= 0.09, "an emptied bucket makes the next call wait"
    for _ in range(100):
        bucket.answered()
    assert bucket.rate == 20, "answered calls win the published rate back, never more"
    slow = AdaptiveBucket(0.8, 1, published=True)
    slow.throttled()
    assert slow.rate == MIN_RATE


def test_an_unpublished_budget_grows_then_keeps_under_the_rate_that_was_refused() -> None:
    bucket = AdaptiveBucket(UNKNOWN.rate, UNKNOWN.burst, published=False)
    for _ in range(40):
        bucket.answered()
    refused = bucket.rate
    assert refused > UNKNOWN.rate
    bucket.throttled()
    assert bucket.rate == refused / 2
    for _ in range(100):
        bucket.answered()
    learned = refused * LEARNED_SHARE
    assert bucket.rate == pytest.approx(learned), "learned at the first refusal"
    time.sleep(COOL_DOWN)
    bucket.throttled()
    for _ in range(100):
        bucket.answered()
    assert bucket.rate == pytest.approx(learned * LEARNED_SHARE), "refused again: lower still"


@pytest.mark.parametrize(
    ("service", "operation", "expected"),
    [
        ("ec2", "DescribeSubnets", ("MaxResults", 1000)),
        ("ec2", "DescribeRouteTables", ("MaxResults", 100)),
        ("ec2", "DescribeInstances", ("MaxResults", 1000)),  # the model states no maximum
        ("ec2", "DescribeAvailabilityZones", None),  # not paginated
        ("ecs", "ListServices", ("maxResults", 100)),  # 10 a page unless asked
        ("autoscaling", "DescribeAutoScalingGroups", ("MaxRecords", 100)),
        ("elbv2", "DescribeTargetGroups", ("PageSize", 400)),
    ],
)
def test_a_paginated_call_asks_for_its_largest_page(
    service: str, operation: str, expected: tuple[str, int] | None
) -> None:
    assert page_size_key(service, operation) == expected


def paced(proxy: FaultProxy, calls: Any, **settings: Any) -> CallCounts:
    return paced_at(proxy.url, calls, **settings)


def paced_at(url: str, calls: Any, **settings: Any) -> CallCounts:
    async def run() -> CallCounts:
        client_settings = ClientSettings(endpoint_url=url, **settings)
        async with AwsClients(aioboto3.Session(), client_settings) as clients:
            with counting(CallCounts()) as counts:
                await calls(clients)
            return counts

    return asyncio.run(run())


def test_calls_are_sized_counted_and_throttled_ones_wait_for_their_bucket(aws_env: str) -> None:
    async def calls(clients: AwsClients) -> None:
        await clients.items("ec2", "us-east-1", "describe_subnets", "Subnets")
        await clients.call("ec2", "us-east-1", "describe_instances", InstanceIds=["i-1234567a"])

    faults = Faults(throttle_always=frozenset({"ec2"}))
    with (
        FaultProxy(aws_env, faults) as proxy,
        pytest.raises(Exception, match="RequestLimitExceeded"),
    ):
        paced(proxy, calls, max_attempts=3)
    # Throttled three times: each retry waits for the emptied bucket (a token at the halved rate,
    # 1/10 s; the second answer within the cool-down cuts no more), and for nothing else: no
    # backoff of botocore's, which is random, of up to seconds.
    arrivals = [s.at for s in proxy.seen]
    assert len(arrivals) == 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert all(0.09 <= gap < 1.0 for gap in gaps), gaps


def test_a_pool_counts_calls_retries_and_throttling_answers(aws_env: str) -> None:
    async def calls(clients: AwsClients) -> None:
        await asyncio.gather(
            *(clients.call("ec2", "us-east-1", "describe_subnets") for _ in range(12))
        )

    with FaultProxy(aws_env, Faults(seed=3, throttle=0.3)) as proxy:
        counts = paced(proxy, calls)
    throttled = proxy.count("throttle")
    assert throttled > 0
    assert counts == CallCounts(calls=len(proxy.seen), throttled=throttled, retried=throttled)


def test_each_bucket_is_shared_by_the_pool_per_region() -> None:
    pacing = Pacing(max_attempts=3)
    subnets = Call("ec2", "", "DescribeSubnets")
    assert pacing.bucket("us-east-1", subnets) is pacing.bucket("us-east-1", subnets)
    assert pacing.bucket("us-east-1", subnets) is not pacing.bucket("eu-west-1", subnets)
    neptune = Call("rds", RDS_VERSION, "DescribeDBClusters")
    assert pacing.bucket("us-east-1", neptune) is pacing.bucket(
        "us-east-1", Call("rds", RDS_VERSION, "DescribeDBInstances")
    )
    assert Budget(1, 1).published


def test_ec2_describes_ask_for_the_largest_page_unless_naming_ids(
    aws_env: str, standin: StartStandin
) -> None:
    server = standin(
        "ec2",
        {
            "DescribeSubnets": paged("ec2", "DescribeSubnets", lambda p, r: [], 1000),
            "DescribeInstances": lambda params, region: {"Reservations": []},
        },
    )

    async def calls(clients: AwsClients) -> None:
        await clients.items("ec2", "us-east-1", "describe_subnets", "Subnets")
        await clients.call("ec2", "us-east-1", "describe_instances", InstanceIds=["i-1234567a"])

    async def run() -> None:
        async with AwsClients(aioboto3.Session(), ClientSettings()) as clients:
            await calls(clients)

    asyncio.run(run())
    asked = [(op, p.get("MaxResults")) for _, op, p in server.requests]
    assert asked == [("DescribeSubnets", "1000"), ("DescribeInstances", None)]


def test_the_scan_keeps_within_an_endpoint_throttling_like_aws(aws_env: str) -> None:
    """The benchmark's endpoint throttles by the same table: a burst of calls past a budget is
    paced by the client, never refused."""
    from benchmarks.replay_proxy import ReplayProxy

    extra = 15  # past the burst: 1.5 s at 10 a second
    burst = int(
        budget_for(Call("elasticloadbalancing", "2015-12-01", "DescribeLoadBalancers"))[1].burst
    )

    async def calls(clients: AwsClients) -> None:
        await asyncio.gather(
            *(
                clients.items("elbv2", "us-east-1", "describe_load_balancers", "LoadBalancers")
                for _ in range(burst + extra)
            ),
            clients.items("ecs", "us-east-1", "list_clusters", "clusterArns"),
            clients.items("ec2", "us-east-1", "describe_subnets", "Subnets"),
        )

    proxy = ReplayProxy({"moto": aws_env}, budgets=True)
    with proxy.running():
        started = time.monotonic()
        counts = paced_at(proxy.urls["moto"], calls)
        took = time.monotonic() - started
    # Unpaced, the calls past the burst would all be refused at once; paced, none is, but for
    # the odd request a loaded machine delivers closer together than it was sent.
    assert counts.throttled == len([e for e in proxy.log if e.throttled]) <= 3 < extra
    assert {e.bucket for e in proxy.log} == {
        "elasticloadbalancing v2 (Application, Network, Gateway) non-mutating actions",
        "ecs read actions",
        "ec2 non-mutating actions: DescribeSubnets",
    }
    assert took >= (extra - 1) / 10

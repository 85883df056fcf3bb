"""A failed call ends its (check, region) pair at once: the pair's other requests are cancelled,
and none reaches AWS after the pair's outcome is reported.

The engine scans the `elb` check through the fault proxy, which denies one request of a pair that
fans out to a dozen, and records when each request arrives.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

import pytest

from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks import ec2, elb
from resiliency_analyser.checks.api import Check
from resiliency_analyser.model.report import Outcome, PairResult
from resiliency_analyser.run.engine import Pair
from tests.support.engine import Collected, run_pairs
from tests.support.faults import FaultProxy, Faults, Request
from tests.support.moto import Boto
from tests.support.seeding import classic_load_balancer, launch_instance, make_subnets

REGION = "eu-west-1"
GROUPS = 13
SETTLE = 0.3
"""Seconds for requests already on the wire to reach the proxy, and for stray ones to show."""


class Watch(Collected):
    """When each pair's outcome was reported."""

    def __init__(self) -> None:
        super().__init__()
        self.ended: dict[str, float] = {}

    def pair_finished(self, result: PairResult) -> None:
        # Holding the event loop here, no request can be sent, while the proxy's threads take in
        # those sent before this moment: whatever arrives after the mark was sent after it.
        time.sleep(SETTLE)
        self.ended[result.service] = time.monotonic()
        super().pair_finished(result)


def seed(boto: Boto) -> list[str]:
    """An Application Load Balancer forwarding to GROUPS target groups with an instance each,
    and a Classic Load Balancer; returns the target groups' ARNs as the API lists them."""
    a, _, b = make_subnets(boto, REGION)
    instance = launch_instance(boto, REGION, a)
    elbv2 = boto("elbv2", REGION)
    balancer = elbv2.create_load_balancer(Name="front", Subnets=[a, b])["LoadBalancers"][0]
    for port in range(GROUPS):
        group = elbv2.create_target_group(
            Name=f"tg-{port}", Protocol="HTTP", Port=80, VpcId=balancer["VpcId"]
        )["TargetGroups"][0]["TargetGroupArn"]
        elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": instance}])
        elbv2.create_listener(
            LoadBalancerArn=balancer["LoadBalancerArn"],
            Protocol="HTTP",
            Port=8000 + port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
        )
    classic_load_balancer(boto, REGION, "legacy", [a, b], [instance])
    return [g["TargetGroupArn"] for g in elbv2.describe_target_groups()["TargetGroups"]]


def scan(proxy: FaultProxy, checks: Sequence[Check], watch: Watch) -> None:
    # Two requests at a time per client: the target groups' health is read in turns, as on an
    # account whose fan-out outgrows the bound.
    settings = ClientSettings(endpoint_url=proxy.url, per_client_concurrency=2)
    pairs = [Pair(check, REGION) for check in checks]
    asyncio.run(run_pairs(pairs, watch, settings, check_timeout=60, linger=SETTLE))


def late_requests(proxy: FaultProxy, ended: float) -> list[str]:
    return [f"{s.service} {s.operation}" for s in proxy.seen if s.at > ended]


@pytest.mark.parametrize(
    "denied",
    [
        pytest.param(lambda groups: Request("DescribeTargetHealth", groups[0]), id="target-health"),
        pytest.param(
            lambda groups: Request("DescribeLoadBalancerAttributes", "legacy"),
            id="beside-a-shared-lookup",
        ),
    ],
)
def test_no_request_reaches_aws_after_a_denied_pair_ends(
    aws_env: str, boto: Boto, denied: Callable[[list[str]], Request]
) -> None:
    """Denied target health: the lookup's other requests are cancelled. Denied attributes of a
    Classic Load Balancer: the registrations lookup the pair was waiting for, which no other pair
    needs, is cancelled too."""
    groups = seed(boto)
    watch = Watch()
    # Slow target-health answers: however loaded the machine, the denial comes back while most of
    # the lookup's requests are still to be sent.
    faults = Faults(
        deny_requests=(denied(groups),), slow_requests=(Request("DescribeTargetHealth"),)
    )
    with FaultProxy(aws_env, faults) as proxy:
        scan(proxy, [elb.CHECK], watch)
    result = watch.result("elb")
    assert result.outcome is Outcome.ACCESS_DENIED, result.error_message
    assert proxy.count("deny") == 1
    assert late_requests(proxy, watch.ended["elb"]) == []
    health = [s for s in proxy.seen if s.operation == "DescribeTargetHealth"]
    assert len(health) < GROUPS


def test_a_lookup_another_pair_still_waits_for_goes_on(aws_env: str, boto: Boto) -> None:
    """`elb` fails beside the registrations lookup it shares with `ec2`: `ec2` still judges its
    instance by them."""
    seed(boto)
    _, _, b = make_subnets(boto, REGION)
    standalone = launch_instance(boto, REGION, b)
    watch = Watch()
    faults = Faults(deny_requests=(Request("DescribeLoadBalancerAttributes", "legacy"),))
    with FaultProxy(aws_env, faults) as proxy:
        scan(proxy, [elb.CHECK, ec2.CHECK], watch)
    assert watch.result("elb").outcome is Outcome.ACCESS_DENIED
    assert watch.result("ec2").outcome is Outcome.SUCCESS, watch.result("ec2").error_message
    assert standalone in {f.resource_id for f in watch.findings if f.service == "ec2"}

"""Elastic Beanstalk: the rule on environment records, and collection through a stand-in.

moto lacks DescribeEnvironmentResources, so Elastic Beanstalk is a stand-in speaking its query
protocol; the environments' instances are moto's.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import beanstalk
from resiliency_analyser.checks.lookups import Environment
from resiliency_analyser.demo.seeders.beanstalk import (
    STACK,
    beanstalk_handlers,
    environment_record,
    environment_resources,
)
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin

ZONES = {"i-a1": "us-east-1a", "i-a2": "us-east-1a", "i-b": "us-east-1b"}


def environment(**fields: Any) -> dict[str, Any]:
    return environment_record("us-east-1", "web", "e-1234567890", **fields)


def resources(instances: list[str], *, load_balanced: bool) -> dict[str, Any]:
    return environment_resources("web", instances, load_balanced=load_balanced)


@pytest.mark.parametrize(
    ("found", "risk", "zones", "message"),
    [
        (
            resources(["i-a1"], load_balanced=False),
            True,
            ("us-east-1a",),
            "Single-instance web-server environment: no load balancer, 1 instance(s) in us-east-1a",
        ),
        (
            resources(["i-a1", "i-b"], load_balanced=True),
            False,
            ("us-east-1a", "us-east-1b"),
            "Load-balanced environment (load balancer awseb-web-lb), 2 instance(s) in "
            "us-east-1a, us-east-1b; its Auto Scaling group (awseb-web-AutoScalingGroup) is "
            "judged by the autoscaling check",
        ),
        # The AZ spread of a load-balanced environment is its Auto Scaling group's to judge.
        (
            resources(["i-a1", "i-a2"], load_balanced=True),
            False,
            ("us-east-1a",),
            "2 instance(s) in us-east-1a",
        ),
        (
            {"LoadBalancers": [{"Name": "lb"}]},
            False,
            (),
            "0 instance(s) in none; its Auto Scaling group (none listed)",
        ),
        (resources(["i-gone"], load_balanced=False), True, (), "1 instance(s) in none"),
        ({}, True, (), "no load balancer, 0 instance(s) in none"),
    ],
)
def test_beanstalk_rule(
    found: dict[str, Any], risk: bool, zones: tuple[str, ...], message: str
) -> None:
    record = environment()
    [result] = beanstalk.assess([Environment(record, found)], ZONES)
    assert (result.risk, result.availability_zones) == (risk, zones)
    assert message in result.message
    assert (result.resource_arn, result.resource_name, result.resource_id) == (
        record["EnvironmentArn"],
        "web",
        "e-1234567890",
    )
    assert result.engine == STACK


@pytest.mark.parametrize(
    "record",
    [
        environment(Status="Launching"),
        environment(Status="Terminating"),
        environment(Status="Terminated"),
        environment(Tier={"Name": "Worker", "Type": "SQS/HTTP", "Version": "1.0"}),
    ],
)
def test_workers_and_environments_coming_or_going_give_no_finding(
    record: dict[str, Any],
) -> None:
    assert (
        beanstalk.assess([Environment(record, resources(["i-a1"], load_balanced=False))], ZONES)
        == []
    )


@pytest.mark.parametrize("status", ["Ready", "Updating", "Aborting", "LinkingFrom", "LinkingTo"])
def test_environments_that_serve_are_judged(status: str) -> None:
    record = environment(Status=status, SolutionStackName="", PlatformArn="arn:platform")
    [result] = beanstalk.assess([Environment(record, resources([], load_balanced=False))], ZONES)
    assert (result.risk, result.engine) == (True, "arn:platform")


REGION = "eu-west-1"


def test_beanstalk_collection_follows_every_page(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    a, _, b = make_subnets(boto, REGION)  # AZs a, a, b
    ec2 = boto("ec2", REGION)

    def launch(subnet: str) -> str:
        reservation = ec2.run_instances(
            ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnet
        )
        instance: str = reservation["Instances"][0]["InstanceId"]
        return instance

    environments: list[dict[str, Any]] = []
    found: dict[str, dict[str, Any]] = {}

    def add(name: str, subnets: list[str], *, load_balanced: bool, **fields: Any) -> None:
        environment_id = f"e-{len(environments):010d}"
        environments.append(environment_record(REGION, name, environment_id, **fields))
        members = [launch(s) for s in subnets]
        found[environment_id] = environment_resources(name, members, load_balanced=load_balanced)

    add("single", [b], load_balanced=False)
    add("balanced", [a, b], load_balanced=True)
    add("worker", [a], load_balanced=False, Tier={"Name": "Worker", "Type": "SQS/HTTP"})
    add("launching", [a], load_balanced=False, Status="Launching")
    add("gone", [], load_balanced=False, Status="Terminated")
    add("single-too", [a], load_balanced=False)
    server = standin("elasticbeanstalk", beanstalk_handlers(lambda r: environments, found.get, 2))

    run = run_cli("scan", "-r", REGION, "-s", "beanstalk")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"single": True, "balanced": False, "single-too": True}
    assert f"1 instance(s) in {REGION}b" in run.finding("single")["message"]
    assert f"2 instance(s) in {REGION}a, {REGION}b" in run.finding("balanced")["message"]
    assert run.finding("single")["resource_arn"] == (
        f"arn:aws:elasticbeanstalk:{REGION}:{ACCOUNT_ID}:environment/shop/single"
    )
    calls = [(op, p) for _, op, p in server.requests]
    listings = [p for op, p in calls if op == "DescribeEnvironments"]
    # Five environments not terminated, two a page.
    assert [p.get("NextToken") for p in listings] == [None, "2", "4"]
    assert {p["IncludeDeleted"] for p in listings} == {"false"}
    described = sorted(
        p["EnvironmentId"] for op, p in calls if op == "DescribeEnvironmentResources"
    )
    assert described == ["e-0000000000", "e-0000000001", "e-0000000005"]

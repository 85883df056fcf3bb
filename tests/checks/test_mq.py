"""Amazon MQ brokers: the rule on API records, and collection through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import mq
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin

REGION = "eu-west-1"
ZONES = {"subnet-a": "us-east-1a", "subnet-b": "us-east-1b"}


def summary(mode: str, **fields: Any) -> dict[str, Any]:
    return {
        "BrokerArn": "arn:aws:mq:us-east-1:111122223333:broker:orders:b-1",
        "BrokerId": "b-1",
        "BrokerName": "orders",
        "BrokerState": "RUNNING",
        "DeploymentMode": mode,
        "EngineType": "RabbitMQ",
        **fields,
    }


@pytest.mark.parametrize(
    ("mode", "subnets", "risk", "message"),
    [
        (
            "SINGLE_INSTANCE",
            ["subnet-a"],
            True,
            "Deployment mode SINGLE_INSTANCE (AZs: us-east-1a)",
        ),
        (
            "ACTIVE_STANDBY_MULTI_AZ",
            ["subnet-a", "subnet-b"],
            False,
            "Deployment mode ACTIVE_STANDBY_MULTI_AZ (AZs: us-east-1a, us-east-1b)",
        ),
        (
            "CLUSTER_MULTI_AZ",
            ["subnet-a", "subnet-b"],
            False,
            "Deployment mode CLUSTER_MULTI_AZ (AZs: us-east-1a, us-east-1b)",
        ),
        ("", [], True, "Deployment mode not reported (AZs: none)"),
    ],
)
def test_broker_rule(mode: str, subnets: list[str], risk: bool, message: str) -> None:
    result = mq.assess_broker(summary(mode), {"SubnetIds": subnets}, ZONES)
    assert (result.risk, result.message, result.engine) == (risk, message, "rabbitmq")
    assert result.availability_zones == tuple(sorted(ZONES[s] for s in subnets))
    assert (result.resource_id, result.resource_name) == ("b-1", "orders")


@pytest.mark.parametrize(
    ("state", "judged"),
    [
        ("RUNNING", True),
        ("REBOOT_IN_PROGRESS", True),
        ("CRITICAL_ACTION_REQUIRED", True),
        ("REPLICA", True),
        ("CREATION_IN_PROGRESS", False),
        ("CREATION_FAILED", False),
        ("DELETION_IN_PROGRESS", False),
    ],
)
def test_brokers_being_created_or_deleted_are_not_judged(state: str, judged: bool) -> None:
    assert mq.in_scope(summary("SINGLE_INSTANCE", BrokerState=state)) is judged


def create_broker(boto: Boto, name: str, mode: str, subnets: list[str]) -> str:
    broker_id: str = boto("mq", REGION).create_broker(
        BrokerName=name,
        DeploymentMode=mode,
        EngineType="ACTIVEMQ",
        EngineVersion="5.18",
        HostInstanceType="mq.m5.large",
        PubliclyAccessible=False,
        AutoMinorVersionUpgrade=True,
        SubnetIds=subnets,
        Users=[{"Username": "u", "Password": "test-password-1"}],
    )["BrokerId"]
    return broker_id


def test_collection_on_moto(boto: Boto, run_cli: RunCli) -> None:
    subnets = make_subnets(boto, REGION)  # AZs a, a, b
    create_broker(boto, "single", "SINGLE_INSTANCE", subnets[:1])
    create_broker(boto, "standby", "ACTIVE_STANDBY_MULTI_AZ", [subnets[0], subnets[2]])
    run = run_cli("scan", "-r", REGION, "-s", "mq")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"single": True, "standby": False}
    assert run.finding("single")["message"] == "Deployment mode SINGLE_INSTANCE (AZs: eu-west-1a)"
    assert "eu-west-1a, eu-west-1b" in run.finding("standby")["message"]


def test_collection_follows_every_page(run_cli: RunCli, standin: StartStandin) -> None:
    """moto ignores MaxResults, so a stand-in serves the listing (rest-json, GET /v1/brokers)."""
    brokers = [
        summary(
            "SINGLE_INSTANCE" if i % 2 else "CLUSTER_MULTI_AZ",
            BrokerId=f"b-{i}",
            BrokerName=f"broker-{i}",
        )
        for i in range(5)
    ]
    server = standin(
        "mq",
        {
            "ListBrokers": paged("mq", "ListBrokers", lambda p, r: brokers, 2),
            "DescribeBroker": lambda p, r: {"BrokerId": p["BrokerId"], "SubnetIds": []},
        },
    )
    run = run_cli("scan", "-r", REGION, "-s", "mq")
    assert run.code == 0, run.stderr
    assert run.verdicts == {f"broker-{i}": bool(i % 2) for i in range(5)}
    listing = [p.get("NextToken") for _, op, p in server.requests if op == "ListBrokers"]
    assert listing == [None, "2", "4"]
    described = sorted(p["BrokerId"] for _, op, p in server.requests if op == "DescribeBroker")
    assert described == [f"b-{i}" for i in range(5)]

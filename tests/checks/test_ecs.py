"""ECS: the rules on DescribeServices and DescribeTasks records, and collection through the CLI.

moto serves clusters and services but starts no task with an AZ, so task spread and paging are
collected from a stand-in speaking the ECS protocol.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from resiliency_analyser.checks import ecs
from resiliency_analyser.checks.lookups import JudgedService
from resiliency_analyser.demo.seeders.ecs import ecs_handlers, service_record, task_records
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin

ZONES = {"subnet-a1": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b": "us-east-1b"}


def service(desired: int, subnets: list[str], **fields: Any) -> dict[str, Any]:
    return service_record("us-east-1", "shop", "web", desired, subnets, **fields)


def judged(record: dict[str, Any], zones: str) -> JudgedService:
    return JudgedService(record, task_records(record, zones))


SPREAD = ["subnet-a1", "subnet-b"]
ONE_AZ = ["subnet-a1", "subnet-a2"]


@pytest.mark.parametrize(
    ("record", "zones", "check_id", "risk", "message"),
    [
        (
            service(2, SPREAD),
            "ab",
            ecs.TASK_ZONES,
            False,
            "not a single-AZ risk (desired 2, 2 running task(s) in us-east-1a, us-east-1b; "
            "subnets in us-east-1a, us-east-1b)",
        ),
        (
            service(1, SPREAD),
            "a",
            ecs.SINGLE_TASK,
            True,
            "its desired count is 1 (desired 1, 1 running task(s) in us-east-1a; "
            "subnets in us-east-1a, us-east-1b)",
        ),
        (
            service(3, ONE_AZ),
            "aaa",
            ecs.SUBNETS,
            True,
            "its awsvpc subnets lie in 1 AZ(s); its 3 running task(s) sit in 1 AZ(s) "
            "(desired 3, 3 running task(s) in us-east-1a; subnets in us-east-1a)",
        ),
        (
            service(2, SPREAD),
            "bb",
            ecs.TASK_ZONES,
            True,
            "its 2 running task(s) sit in 1 AZ(s) (desired 2, 2 running task(s) in "
            "us-east-1b; subnets in us-east-1a, us-east-1b)",
        ),
        (
            service(1, ["subnet-a1"]),
            "a",
            ecs.SUBNETS,
            True,
            "its awsvpc subnets lie in 1 AZ(s); its desired count is 1",
        ),
        (
            service(2, ["subnet-a1", "subnet-gone"]),
            "a",
            ecs.SUBNETS,
            True,
            "subnets not found in the region: subnet-gone",
        ),
        # Bridge or host networking: no subnets, judged by where the tasks run.
        (service(2, [], launchType="EC2"), "ab", ecs.TASK_ZONES, False, "not a single-AZ risk"),
        (service(2, [], launchType="EC2"), "cc", ecs.TASK_ZONES, True, "sit in 1 AZ(s)"),
        # No task running yet: nothing to judge the spread on.
        (service(2, SPREAD), "", ecs.TASK_ZONES, False, "0 running task(s) in none"),
        (service(0, []), "", ecs.TASK_ZONES, False, "desired 0"),
        (
            service(
                2,
                [],
                deploymentController={"type": "EXTERNAL"},
                taskSets=[
                    {"networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a1"]}}}
                ],
            ),
            "ab",
            ecs.SUBNETS,
            True,
            "its awsvpc subnets lie in 1 AZ(s)",
        ),
    ],
)
def test_ecs_rules(
    record: dict[str, Any], zones: str, check_id: str, risk: bool, message: str
) -> None:
    [result] = ecs.assess([judged(record, zones)], ZONES)
    assert (result.check_id, result.risk) == (check_id, risk)
    assert message in result.message
    assert result.message.startswith("ECS service: ")
    assert result.resource_arn == record["serviceArn"]
    assert (result.resource_name, result.resource_id) == ("web", "shop/web")
    assert result.tags == (("Name", "web"),)


def test_availability_zones_are_the_tasks_else_the_subnets() -> None:
    running, idle = ecs.assess(
        [judged(service(2, ONE_AZ), "bc"), judged(service(2, SPREAD), "")], ZONES
    )
    assert running.availability_zones == ("us-east-1b", "us-east-1c")
    assert idle.availability_zones == ("us-east-1a", "us-east-1b")


def test_only_tasks_that_run_count() -> None:
    record = service(2, SPREAD)
    tasks = task_records(record, "ab")
    tasks[1] = {**tasks[1], "lastStatus": "PROVISIONING"}
    [result] = ecs.assess([JudgedService(record, tasks)], ZONES)
    assert (result.risk, result.check_id) == (True, ecs.TASK_ZONES)
    assert "1 running task(s) in us-east-1a" in result.message


@pytest.mark.parametrize(
    "record",
    [
        service(1, ["subnet-a1"], schedulingStrategy="DAEMON"),
        service(1, ["subnet-a1"], status="DRAINING"),
        service(1, ["subnet-a1"], status="INACTIVE"),
    ],
)
def test_daemons_and_services_going_away_give_no_finding(record: dict[str, Any]) -> None:
    assert ecs.assess([judged(record, "a")], ZONES) == []


REGION = "eu-west-1"


def test_ecs_collection_on_moto(boto: Boto, run_cli: RunCli) -> None:
    ec2 = boto("ec2", REGION)
    a1, a2, b = make_subnets(boto, REGION)  # AZs a, a, b
    vpc = ec2.describe_subnets(SubnetIds=[a1])["Subnets"][0]["VpcId"]
    group = ec2.create_security_group(GroupName="tasks", Description="tasks", VpcId=vpc)["GroupId"]
    client = boto("ecs", REGION)
    client.register_task_definition(
        family="web",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}],
    )

    def create(cluster: str, name: str, desired: int, subnets: list[str], **extra: Any) -> None:
        network = {"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group]}}
        client.create_service(
            cluster=cluster,
            serviceName=name,
            taskDefinition="web",
            desiredCount=desired,
            launchType="FARGATE",
            networkConfiguration=network,
            tags=[{"key": "team", "value": "shop"}],
            **extra,
        )

    for cluster in ("shop", "search"):
        client.create_cluster(clusterName=cluster)
    # More services in one cluster than DescribeServices takes in one call.
    for i in range(12):
        create("shop", f"spread-{i:02d}", 2, [a1, b])
    create("shop", "one-task", 1, [a1, b])
    create("search", "one-az", 2, [a1, a2])
    create("search", "gone", 2, [a1])
    client.delete_service(cluster="search", service="gone", force=True)
    client.create_service(
        cluster="search", serviceName="agent", taskDefinition="web", schedulingStrategy="DAEMON"
    )

    run = run_cli("scan", "-r", REGION, "-s", "ecs")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        **{f"spread-{i:02d}": False for i in range(12)},
        "one-task": True,
        "one-az": True,
    }
    finding = run.finding("one-az")
    assert finding["resource_arn"] == f"arn:aws:ecs:{REGION}:{ACCOUNT_ID}:service/search/one-az"
    assert finding["resource_id"] == "search/one-az"
    assert finding["engine"] == "FARGATE"
    assert "subnets in eu-west-1a" in finding["message"]
    assert run.pair_results == {("ecs", REGION): "Success"}


def test_ecs_collection_follows_every_page_and_batches_describes(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    a1, _, b = make_subnets(boto, REGION)
    services = [
        *(service_record(REGION, "big", f"spread-{i:02d}", 2, [a1, b]) for i in range(11)),
        service_record(REGION, "big", "crowd", 120, [a1, b]),
        service_record(REGION, "small", "one-az", 2, [a1, b]),
        service_record(REGION, "other", "single", 1, [a1, b]),
    ]
    zones = {"crowd": "b" * 119 + "a", "one-az": "aa", "single": "a"}
    tasks = [t for s in services for t in task_records(s, zones.get(s["serviceName"], "ab"))]
    server = standin("ecs", ecs_handlers(lambda r: services, lambda r: tasks, 2))

    run = run_cli("scan", "-r", REGION, "-s", "ecs")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        **{f"spread-{i:02d}": False for i in range(11)},
        "crowd": False,
        "one-az": True,
        "single": True,
    }
    assert "120 running task(s) in eu-west-1a, eu-west-1b" in run.finding("crowd")["message"]
    calls = [(op, p) for _, op, p in server.requests]
    assert [p.get("nextToken") for op, p in calls if op == "ListClusters"] == [None, "2"]
    listed = Counter(p["cluster"].rpartition("/")[2] for op, p in calls if op == "ListServices")
    assert listed == {"big": 6, "small": 1, "other": 1}  # 12 services, 2 a page
    # Tasks are listed per cluster (142 in big, 2 a page), never per service.
    task_listings = [p for op, p in calls if op == "ListTasks"]
    assert not [p for p in task_listings if "serviceName" in p]
    by_cluster = Counter(p["cluster"].rpartition("/")[2] for p in task_listings)
    assert by_cluster == {"big": 71, "small": 1, "other": 1}
    described = sorted(len(p["services"]) for op, p in calls if op == "DescribeServices")
    assert described == [1, 1, 2, 10]
    task_batches = sorted(len(p["tasks"]) for op, p in calls if op == "DescribeTasks")
    # big: 11 x 2 + 120 tasks in 100-task calls; small and other: one call each.
    assert task_batches == [1, 2, 42, 100]

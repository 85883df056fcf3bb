"""DMS: the rule on replication instance and task records, and collection through the CLI.

moto serves instances and tasks; a stand-in serves paged listings.
"""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import dms
from resiliency_analyser.demo.standin import ServiceStandin, paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.standins import StartStandin, serve_standin

ARN = "arn:aws:dms:us-east-1:111122223333:rep:"


def instance(name: str, multi_az: bool | None, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "ReplicationInstanceIdentifier": name,
        "ReplicationInstanceArn": ARN + name,
        "AvailabilityZone": "us-east-1a",
        "EngineVersion": "3.5.3",
        **fields,
    }
    if multi_az is not None:
        record["MultiAZ"] = multi_az
    return record


def task(name: str, instance_name: str | None) -> dict[str, Any]:
    record = {
        "ReplicationTaskIdentifier": name,
        "ReplicationTaskArn": f"arn:aws:dms:us-east-1:111122223333:task:{name}",
    }
    if instance_name is not None:
        record["ReplicationInstanceArn"] = ARN + instance_name
    return record


SINGLE = instance("single", False)
HA = instance("ha", True, SecondaryAvailabilityZone="us-east-1c")


@pytest.mark.parametrize(
    ("record", "risk", "zones"),
    [
        (SINGLE, True, ("us-east-1a",)),
        (HA, False, ("us-east-1a", "us-east-1c")),
        (instance("unset", None), True, ("us-east-1a",)),
        (instance("no-az", False, AvailabilityZone=None), True, ()),
    ],
)
def test_replication_instances(record: dict[str, Any], risk: bool, zones: tuple[str, ...]) -> None:
    [result] = dms.assess([record], [])
    assert (result.risk, result.availability_zones) == (risk, zones)
    assert ("disabled" if risk else "enabled") in result.message
    assert result.resource_arn == record["ReplicationInstanceArn"]
    assert all(z in result.message for z in zones)


@pytest.mark.parametrize(
    ("record", "risk", "text"),
    [
        (
            task("on-single", "single"),
            True,
            "single-AZ replication instance single (AZs: us-east-1a)",
        ),
        (
            task("on-ha", "ha"),
            False,
            "Multi-AZ replication instance ha (AZs: us-east-1a, us-east-1c)",
        ),
        (task("orphan", "deleted"), False, f"{ARN}deleted not found"),
        (task("no-instance", None), False, "(none) not found"),
    ],
)
def test_replication_tasks_take_their_instances_layout(
    record: dict[str, Any], risk: bool, text: str
) -> None:
    results = dms.assess([SINGLE, HA], [record])
    assert len(results) == 3
    result = results[-1]
    assert (result.check_id, result.resource_name, result.risk) == (
        "dms.task_instance_multi_az",
        record["ReplicationTaskIdentifier"],
        risk,
    )
    assert text in result.message


REGION = "eu-west-1"


@pytest.mark.parametrize("status", ["deleting", "failed"])
def test_instances_and_tasks_being_deleted_or_failed_give_no_finding(status: str) -> None:
    going = instance("going", False, ReplicationInstanceStatus=status)
    assert dms.assess([going], [{**task("t", "going"), "Status": status}]) == []


def config(name: str, multi_az: bool | None, zone: str = "") -> dict[str, Any]:
    compute: dict[str, Any] = {"MaxCapacityUnits": 16}
    if multi_az is not None:
        compute["MultiAZ"] = multi_az
    if zone:
        compute["AvailabilityZone"] = zone
    return {
        "ReplicationConfigIdentifier": name,
        "ReplicationConfigArn": f"arn:aws:dms:{REGION}:{ACCOUNT_ID}:replication-config:{name}",
        "ReplicationType": "cdc",
        "ComputeConfig": compute,
    }


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (
            config("one-az", False, f"{REGION}b"),
            True,
            "Serverless replication has Multi-AZ disabled (AZ: eu-west-1b)",
        ),
        (config("unset", None), True, "Serverless replication has Multi-AZ disabled (AZ: none)"),
        (config("ha", True), False, "Serverless replication has Multi-AZ enabled (AZ: none)"),
    ],
)
def test_serverless_replications(record: dict[str, Any], risk: bool, message: str) -> None:
    [result] = dms.assess([], [], [record])
    assert (result.check_id, result.risk, result.message) == (
        "dms.serverless_multi_az",
        risk,
        message,
    )
    assert (result.resource_arn, result.engine) == (record["ReplicationConfigArn"], "cdc")


def serve_configs(
    standin: StartStandin, moto_url: str, configs: list[dict[str, Any]]
) -> ServiceStandin:
    """moto lacks DescribeReplicationConfigs: a stand-in serves it, moto the rest of DMS."""
    listing = paged("dms", "DescribeReplicationConfigs", lambda p, r: configs, 2)
    return standin("dms", {"DescribeReplicationConfigs": listing}, moto_url)


def test_instances_and_their_tasks(
    boto: Boto, run_cli: RunCli, standin: StartStandin, aws_env: str
) -> None:
    server = serve_configs(standin, aws_env, [config(f"rc-{i}", i % 2 == 1) for i in range(5)])
    dms = boto("dms", REGION)
    arns = {
        name: dms.create_replication_instance(
            ReplicationInstanceIdentifier=name,
            ReplicationInstanceClass="dms.t3.micro",
            MultiAZ=multi_az,
            AvailabilityZone=f"{REGION}a",
        )["ReplicationInstance"]["ReplicationInstanceArn"]
        for name, multi_az in (("single", False), ("ha", True))
    }
    arns["gone"] = f"arn:aws:dms:{REGION}:{ACCOUNT_ID}:rep:gone"
    for task, instance in (("task-single", "single"), ("task-ha", "ha"), ("task-orphan", "gone")):
        dms.create_replication_task(
            ReplicationTaskIdentifier=task,
            SourceEndpointArn=f"arn:aws:dms:{REGION}:{ACCOUNT_ID}:endpoint:SRC",
            TargetEndpointArn=f"arn:aws:dms:{REGION}:{ACCOUNT_ID}:endpoint:DST",
            ReplicationInstanceArn=arns[instance],
            MigrationType="full-load",
            TableMappings="{}",
        )

    run = run_cli("scan", "-r", REGION, "-s", "dms")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        "single": True,
        "ha": False,
        "task-single": True,
        "task-ha": False,
        "task-orphan": False,
        **{f"rc-{i}": i % 2 == 0 for i in range(5)},
    }
    assert [p.get("Marker") for _, _, p in server.requests] == [None, "2", "4"]
    assert run.finding("single")["resource_arn"] == arns["single"]
    assert "AZs: eu-west-1a" in run.finding("single")["message"]
    assert "single-AZ replication instance single" in run.finding("task-single")["message"]
    assert f"{arns['gone']} not found" in run.finding("task-orphan")["message"]
    assert run.pair_results == {("dms", REGION): "Success"}


def test_every_page_of_instances_and_tasks_is_read(run_cli: RunCli) -> None:
    instances = [
        {
            "ReplicationInstanceIdentifier": f"ri-{i}",
            "ReplicationInstanceArn": f"arn:aws:dms:{REGION}:{ACCOUNT_ID}:rep:RI{i}",
            "MultiAZ": i % 2 == 1,
            "AvailabilityZone": f"{REGION}a",
        }
        for i in range(3)
    ]
    tasks: list[dict[str, Any]] = [
        {
            "ReplicationTaskIdentifier": f"task-{i}",
            "ReplicationTaskArn": f"arn:aws:dms:{REGION}:{ACCOUNT_ID}:task:T{i}",
            "ReplicationInstanceArn": instances[i % 3]["ReplicationInstanceArn"],
        }
        for i in range(5)
    ]
    handlers = {
        "DescribeReplicationInstances": paged(
            "dms", "DescribeReplicationInstances", lambda p, r: instances, 2
        ),
        "DescribeReplicationTasks": paged("dms", "DescribeReplicationTasks", lambda p, r: tasks, 2),
        "DescribeReplicationConfigs": paged(
            "dms", "DescribeReplicationConfigs", lambda p, r: [], 2
        ),
    }
    with serve_standin("dms", handlers) as server:
        run = run_cli("scan", "-r", REGION, "-s", "dms")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        **{f"ri-{i}": i % 2 == 0 for i in range(3)},
        **{f"task-{i}": (i % 3) % 2 == 0 for i in range(5)},
    }
    task_calls = [p for _, op, p in server.requests if op == "DescribeReplicationTasks"]
    assert [p.get("Marker") for p in task_calls] == [None, "2", "4"]
    assert all(p["WithoutSettings"] for p in task_calls)

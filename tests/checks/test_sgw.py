"""Storage Gateway: the rule on ListGateways records, and collection through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import sgw
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.standins import StartStandin

AMI = "ami-12c6146b"  # an image id moto ships


def gateway(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "GatewayId": f"sgw-{name.upper()}",
        "GatewayARN": f"arn:aws:storagegateway:us-east-1:{ACCOUNT_ID}:gateway/sgw-{name.upper()}",
        "GatewayName": name,
        "GatewayType": "FILE_S3",
        "GatewayOperationalState": "ACTIVE",
        **fields,
    }


INSTANCES = [{"InstanceId": "i-found", "Placement": {"AvailabilityZone": "us-east-1b"}}]


@pytest.mark.parametrize(
    ("record", "risk", "zones", "words"),
    [
        (
            gateway("ec2", Ec2InstanceId="i-found", Ec2InstanceRegion="us-east-1"),
            True,
            ("us-east-1b",),
            ["single EC2 instance i-found", "us-east-1b"],
        ),
        (
            gateway("gone", Ec2InstanceId="i-gone", Ec2InstanceRegion="eu-west-1"),
            True,
            (),
            ["i-gone", "AZ unknown: instance not found in eu-west-1"],
        ),
        (
            gateway("region-only", Ec2InstanceRegion="us-east-1", HostEnvironment="EC2"),
            True,
            (),
            ["id not reported"],
        ),
        (
            gateway("host-only", HostEnvironment="EC2"),
            True,
            (),
            ["id not reported", "instance not found in its region"],
        ),
        (
            gateway("vmware", HostEnvironment="VMWARE"),
            False,
            (),
            ["outside EC2 (VMWARE)"],
        ),
        (gateway("bare"), False, (), ["outside EC2 (unknown host)"]),
    ],
)
def test_sgw_rule(
    record: dict[str, Any], risk: bool, zones: tuple[str, ...], words: list[str]
) -> None:
    [result] = sgw.assess([record], INSTANCES)
    assert result.risk is risk
    assert result.availability_zones == zones
    assert all(word in result.message for word in words), result.message
    assert (result.resource_arn, result.resource_id, result.engine) == (
        record["GatewayARN"],
        record["GatewayId"],
        "FILE_S3",
    )


def launch(boto: Boto, zone: str) -> str:
    ec2 = boto("ec2", zone[:-1])
    reservation = ec2.run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, Placement={"AvailabilityZone": zone}
    )
    instance_id: str = reservation["Instances"][0]["InstanceId"]
    return instance_id


def test_sgw_collection_reads_every_page_and_each_instances_region(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    local = launch(boto, "us-east-1c")
    remote = launch(boto, "eu-west-1a")
    gateways = [
        gateway("local", Ec2InstanceId=local, Ec2InstanceRegion="us-east-1"),
        gateway("remote", Ec2InstanceId=remote, Ec2InstanceRegion="eu-west-1"),
        gateway("stale", Ec2InstanceId="i-0123456789abcdef0", Ec2InstanceRegion="us-east-1"),
        gateway("onprem", HostEnvironment="HYPER-V"),
        gateway("appliance", HostEnvironment="SNOWBALL"),
    ]
    server = standin(
        "storagegateway",
        {"ListGateways": paged("storagegateway", "ListGateways", lambda p, r: gateways, 2)},
    )
    run = run_cli("scan", "-r", "us-east-1", "-s", "sgw")
    assert run.code == 0, run.stderr
    got = {f["resource_name"]: (f["potential_single_az_risk"], f["message"]) for f in run.findings}
    assert got == {
        "local": ("True", f"Gateway runs on a single EC2 instance {local} (us-east-1c)"),
        "remote": ("True", f"Gateway runs on a single EC2 instance {remote} (eu-west-1a)"),
        "stale": (
            "True",
            "Gateway runs on a single EC2 instance i-0123456789abcdef0 "
            "(AZ unknown: instance not found in us-east-1)",
        ),
        "onprem": ("False", "Gateway is hosted outside EC2 (HYPER-V), in no AWS Availability Zone"),
        "appliance": (
            "False",
            "Gateway is hosted outside EC2 (SNOWBALL), in no AWS Availability Zone",
        ),
    }
    markers = [params.get("Marker") for _, op, params in server.requests if op == "ListGateways"]
    assert markers == [None, "2", "4"]
    first = run.report[0]
    assert (first["service"], first["region"], first["result"]) == ("sgw", "us-east-1", "Success")

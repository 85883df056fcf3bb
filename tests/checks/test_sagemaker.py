"""SageMaker: the rule on DescribeEndpoint records, and collection on moto across pages."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import sagemaker
from resiliency_analyser.demo.seeders.sagemaker import IMAGE, ROLE, create_endpoint
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto

SERVERLESS = {"MemorySizeInMB": 2048, "MaxConcurrency": 5}


def provisioned(name: str, current: int, desired: int | None = None) -> dict[str, Any]:
    return {
        "VariantName": name,
        "CurrentInstanceCount": current,
        "DesiredInstanceCount": current if desired is None else desired,
        "CurrentWeight": 1.0,
    }


def serverless(name: str) -> dict[str, Any]:
    return {
        "VariantName": name,
        "CurrentServerlessConfig": SERVERLESS,
        "DesiredServerlessConfig": SERVERLESS,
    }


def endpoint(status: str, *variants: dict[str, Any]) -> dict[str, Any]:
    return {
        "EndpointName": "ranker",
        "EndpointArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT_ID}:endpoint/ranker",
        "EndpointConfigName": "ranker-config",
        "EndpointStatus": status,
        "ProductionVariants": list(variants),
    }


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (
            endpoint("InService", provisioned("AllTraffic", 1)),
            True,
            "Endpoint (InService) has fewer than 2 instances in AllTraffic "
            "(variants: AllTraffic 1 instance(s))",
        ),
        (
            endpoint("InService", provisioned("AllTraffic", 2)),
            False,
            "Endpoint (InService) has no provisioned variant on fewer than 2 instances "
            "(variants: AllTraffic 2 instance(s))",
        ),
        (
            endpoint("InService", serverless("AllTraffic")),
            False,
            "(variants: AllTraffic serverless)",
        ),
        (
            endpoint("InService", provisioned("blue", 3), provisioned("canary", 1)),
            True,
            "fewer than 2 instances in canary (variants: blue 3 instance(s); canary 1 instance(s))",
        ),
        (
            endpoint("InService", serverless("small"), provisioned("big", 4)),
            False,
            "(variants: small serverless; big 4 instance(s))",
        ),
        # Updates are judged by what serves now, not by what is asked for.
        (endpoint("Updating", provisioned("AllTraffic", 1, 3)), True, "Endpoint (Updating)"),
        (endpoint("SystemUpdating", provisioned("AllTraffic", 2, 1)), False, "SystemUpdating"),
        (endpoint("RollingBack", provisioned("AllTraffic", 1)), True, "RollingBack"),
        (
            endpoint("InService", {"VariantName": "AllTraffic"}),
            True,
            "AllTraffic 0 instance(s)",
        ),
    ],
)
def test_sagemaker_rule(record: dict[str, Any], risk: bool, message: str) -> None:
    [result] = sagemaker.assess([record])
    assert result.risk == risk
    assert message in result.message
    assert (result.resource_arn, result.resource_name) == (record["EndpointArn"], "ranker")
    assert result.check_id == "sagemaker.endpoint_instance_count"


@pytest.mark.parametrize(
    "status", ["Creating", "Deleting", "OutOfService", "Failed", "UpdateRollbackFailed"]
)
def test_endpoints_not_serving_give_no_finding(status: str) -> None:
    assert sagemaker.assess([endpoint(status, provisioned("AllTraffic", 1))]) == []


REGION = "eu-west-1"


def test_sagemaker_collection_on_moto_follows_every_page(boto: Boto, run_cli: RunCli) -> None:
    client = boto("sagemaker", REGION)
    client.create_model(ModelName="m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE})
    on = {"InstanceType": "ml.m5.large"}
    # moto lists 100 endpoints a page.
    for i in range(100):
        create_endpoint(client, f"pair-{i:03d}", "m", {**on, "InitialInstanceCount": 2})
    create_endpoint(client, "single", "m", {**on, "InitialInstanceCount": 1})
    create_endpoint(client, "serverless", "m", {"ServerlessConfig": SERVERLESS})

    run = run_cli("scan", "-r", REGION, "-s", "sagemaker")
    assert run.code == 0, run.stderr
    assert run.verdicts == {
        **{f"pair-{i:03d}": False for i in range(100)},
        "single": True,
        "serverless": False,
    }
    finding = run.finding("single")
    assert finding["resource_arn"] == f"arn:aws:sagemaker:{REGION}:{ACCOUNT_ID}:endpoint/single"
    assert "fewer than 2 instances in AllTraffic" in finding["message"]
    assert run.pair_results == {("sagemaker", REGION): "Success"}

"""SageMaker: the rules on DescribeEndpoint, DescribeEndpointConfig and DescribeModel records,
and collection on moto across pages."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import sagemaker
from resiliency_analyser.demo.seeders.sagemaker import IMAGE, ROLE, create_endpoint
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import make_subnets

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


ZONES = {"subnet-a": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b": "us-east-1b"}


def config(**models: str) -> dict[str, Any]:
    """An endpoint config whose variants (by name) serve these models."""
    return {
        "EndpointConfigName": "ranker-config",
        "ProductionVariants": [
            {"VariantName": variant, "ModelName": model, "InitialInstanceCount": 2}
            for variant, model in models.items()
        ],
    }


def model(name: str, *subnets: str) -> dict[str, Any]:
    vpc = {"VpcConfig": {"SecurityGroupIds": ["sg-1"], "Subnets": list(subnets)}} if subnets else {}
    return {"ModelName": name, **vpc}


@pytest.mark.parametrize(
    ("record", "models", "risk", "check_id", "texts", "zones"),
    [
        pytest.param(
            endpoint("InService", provisioned("AllTraffic", 3)),
            [model("ranker", "subnet-a", "subnet-a2")],
            True,
            "sagemaker.endpoint_subnet_zones",
            ["AllTraffic's 3 instances run in its model's VPC subnets in 1 AZ(s): us-east-1a"],
            ("us-east-1a",),
            id="several instances, subnets in one AZ",
        ),
        pytest.param(
            endpoint("InService", provisioned("AllTraffic", 2)),
            [model("ranker", "subnet-a", "subnet-b")],
            False,
            "sagemaker.endpoint_instance_count",
            ["subnets in 2 AZ(s): us-east-1a, us-east-1b"],
            ("us-east-1a", "us-east-1b"),
            id="subnets in two AZs",
        ),
        pytest.param(
            endpoint("InService", provisioned("AllTraffic", 2)),
            [model("ranker")],
            False,
            "sagemaker.endpoint_instance_count",
            ["(variants: AllTraffic 2 instance(s))"],
            (),
            id="model outside a VPC: SageMaker's own network spans AZs",
        ),
        pytest.param(
            endpoint("InService", provisioned("AllTraffic", 1)),
            [model("ranker", "subnet-a")],
            True,
            "sagemaker.endpoint_instance_count",
            ["fewer than 2 instances in AllTraffic"],
            ("us-east-1a",),
            id="one instance: the instance rule, not the subnet one",
        ),
        pytest.param(
            endpoint("InService", provisioned("AllTraffic", 2)),
            [model("ranker", "subnet-a", "subnet-gone")],
            True,
            "sagemaker.endpoint_subnet_zones",
            ["in 1 AZ(s): us-east-1a; subnets not found in the region: subnet-gone"],
            ("us-east-1a",),
            id="a subnet the lookup cannot find counts as no AZ",
        ),
        pytest.param(
            endpoint("InService", provisioned("AllTraffic", 2)),
            [],
            False,
            "sagemaker.endpoint_instance_count",
            ["(variants: AllTraffic 2 instance(s))"],
            (),
            id="model deleted since: nothing to place",
        ),
    ],
)
def test_a_variants_instances_go_where_its_models_subnets_are(
    record: dict[str, Any],
    models: list[dict[str, Any]],
    risk: bool,
    check_id: str,
    texts: list[str],
    zones: tuple[str, ...],
) -> None:
    [result] = sagemaker.assess(
        [record],
        {"ranker-config": config(AllTraffic="ranker")},
        {m["ModelName"]: m for m in models},
        ZONES,
    )
    assert (result.risk, result.check_id, result.availability_zones) == (risk, check_id, zones)
    for text in texts:
        assert text in result.message


def test_each_variant_is_placed_by_its_own_model() -> None:
    record = endpoint("InService", provisioned("blue", 2), provisioned("green", 2))
    [result] = sagemaker.assess(
        [record],
        {"ranker-config": config(blue="spread", green="confined")},
        {
            "spread": model("spread", "subnet-a", "subnet-b"),
            "confined": model("confined", "subnet-b"),
        },
        ZONES,
    )
    assert result.risk
    assert "blue's 2 instances run in its model's VPC subnets in 2 AZ(s)" in result.message
    assert "green's 2 instances run in its model's VPC subnets in 1 AZ(s): us-east-1b" in (
        result.message
    )


def test_only_endpoints_with_a_variant_on_several_instances_have_their_config_read() -> None:
    endpoints = [
        endpoint("InService", provisioned("AllTraffic", 1)),
        endpoint("InService", serverless("AllTraffic")),
        {**endpoint("InService", provisioned("AllTraffic", 2)), "EndpointConfigName": "pair"},
    ]
    assert sagemaker.placed_configs(endpoints) == ["pair"]


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


def test_moto_models_in_a_vpc_place_their_endpoints(boto: Boto, run_cli: RunCli) -> None:
    subnets = make_subnets(boto, REGION)  # AZs a, a, b
    client = boto("sagemaker", REGION)
    for name, model_subnets in (("one-az", subnets[:2]), ("two-az", [subnets[0], subnets[2]])):
        client.create_model(
            ModelName=name,
            ExecutionRoleArn=ROLE,
            PrimaryContainer={"Image": IMAGE},
            VpcConfig={"SecurityGroupIds": ["sg-1"], "Subnets": model_subnets},
        )
    on = {"InstanceType": "ml.m5.large", "InitialInstanceCount": 2}
    create_endpoint(client, "vpc-one-az", "one-az", on)
    create_endpoint(client, "vpc-two-az", "two-az", on)

    run = run_cli("scan", "-r", REGION, "-s", "sagemaker")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"vpc-one-az": True, "vpc-two-az": False}
    assert (
        f"AllTraffic's 2 instances run in its model's VPC subnets in 1 AZ(s): {REGION}a"
        in run.finding("vpc-one-az")["message"]
    )
    assert f"2 AZ(s): {REGION}a, {REGION}b" in run.finding("vpc-two-az")["message"]

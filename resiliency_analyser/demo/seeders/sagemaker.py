"""The demo account's `sagemaker` resources: a risky and a safe example of each rule."""

from __future__ import annotations

from typing import Any

from resiliency_analyser.demo.world import ACCOUNT_ID, DemoWorld, Seeder

ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/SageMakerExecution"
IMAGE = f"{ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/ranker:latest"


def create_endpoint(client: Any, name: str, model: str, variant: dict[str, Any]) -> None:
    """An endpoint whose config has one production variant of ``model``."""
    client.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[{"VariantName": "AllTraffic", "ModelName": model, **variant}],
    )
    client.create_endpoint(EndpointName=name, EndpointConfigName=name)


def seed(world: DemoWorld, region: str) -> None:
    sagemaker = world.client("sagemaker", region)
    model = "ranker"
    sagemaker.create_model(
        ModelName=model, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE}
    )
    on = {"InstanceType": "ml.m5.large"}
    create_endpoint(sagemaker, "ranker-one-instance", model, {**on, "InitialInstanceCount": 1})
    create_endpoint(sagemaker, "ranker-two-instances", model, {**on, "InitialInstanceCount": 2})
    create_endpoint(
        sagemaker,
        "ranker-serverless",
        model,
        {"ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}},
    )
    # Models in the VPC: two instances go where the model's subnets are.
    subnets = world.subnets(region)
    for name, model_subnets in (("ranker-vpc-one-az", subnets[:1]), ("ranker-vpc", subnets[:2])):
        sagemaker.create_model(
            ModelName=name,
            ExecutionRoleArn=ROLE,
            PrimaryContainer={"Image": IMAGE},
            VpcConfig={"SecurityGroupIds": ["sg-12345678"], "Subnets": model_subnets},
        )
        create_endpoint(sagemaker, name, name, {**on, "InitialInstanceCount": 2})


SEEDER = Seeder(check="sagemaker", seed=seed)

"""The demo account's `lambda` resources: a risky and a safe example."""

from __future__ import annotations

import io
import zipfile

from resiliency_analyser.demo.world import DemoWorld, Seeder


def lambda_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def seed(world: DemoWorld, region: str) -> None:
    iam = world.client("iam", "us-east-1")
    role_name = f"demo-lambda-{region}"
    role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    subnets = world.subnets(region)
    security_group = world.client("ec2", region).describe_security_groups()["SecurityGroups"][0]
    code = {"ZipFile": lambda_zip()}
    layouts: dict[str, list[str]] = {
        "checkout-one-az": subnets[:1],
        "search-two-az": subnets[:2],
        "nightly-no-vpc": [],
    }
    for name, function_subnets in layouts.items():
        vpc = {"SubnetIds": function_subnets, "SecurityGroupIds": [security_group["GroupId"]]}
        world.client("lambda", region).create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="handler.handler",
            Code=code,
            **({"VpcConfig": vpc} if function_subnets else {}),
        )


SEEDER = Seeder(check="lambda", seed=seed)

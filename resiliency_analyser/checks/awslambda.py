"""VPC-attached Lambda functions whose subnets sit in a single AZ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    zone_text,
)


def assess_function(
    function: Record, subnet_zones: Mapping[str, str], options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment | None:
    vpc = function.get("VpcConfig") or {}
    subnets: list[str] = vpc.get("SubnetIds") or []
    if not vpc.get("VpcId") or not subnets:
        return None
    zones = sorted({subnet_zones[s] for s in subnets if s in subnet_zones})
    unknown = sorted(s for s in subnets if s not in subnet_zones)
    risk = options.too_few(len(zones))
    message = (
        f"VPC-enabled Lambda function in {len(zones)} AZ(s): {zone_text(zones)}"
        f" ({len(subnets)} subnet(s)){options.shortfall(len(zones))}"
    )
    if unknown:
        message += f"; subnets not found in the region: {', '.join(unknown)}"
    return Assessment(
        check_id="lambda.vpc_multi_az",
        resource_arn=function.get("FunctionArn", ""),
        resource_name=function.get("FunctionName", ""),
        risk=risk,
        message=message,
        availability_zones=tuple(zones),
    )


def assess(
    functions: Sequence[Record],
    subnet_zones: Mapping[str, str],
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    return [a for f in functions if (a := assess_function(f, subnet_zones, options)) is not None]


async def scan(scope: RegionScope) -> Batches:
    subnet_zones: Mapping[str, str] | None = None
    async for page in scope.pages("lambda", "list_functions"):
        functions = page.get("Functions", [])
        if subnet_zones is None and any(
            (f.get("VpcConfig") or {}).get("SubnetIds") for f in functions
        ):
            subnet_zones = await scope.subnet_zones()
        yield assess(functions, subnet_zones or {}, scope.options)


CHECK = Check(
    key="lambda",
    service="AWS Lambda",
    rule="A function attached to a VPC is a risk when its subnets lie in fewer than 2 AZs.",
    actions=("lambda:ListFunctions", "ec2:DescribeSubnets"),
    scan=scan,
    counts_azs=True,
    guidance={
        "lambda.vpc_multi_az": Guidance(
            Severity.MEDIUM,
            "Give the function subnets in at least two AZs "
            "(update-function-configuration --vpc-config SubnetIds=...).",
            "AwsLambdaFunction",
            fails=Fails.CAPACITY,
            fsbp=("Lambda.5",),
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        "Subnets are resolved to AZs: two subnets in one AZ are still one AZ.",
        "Functions outside a VPC run across AZs by design and get no finding.",
        ("A subnet that no longer exists is named in the message and does not count as an AZ."),
        (
            "API: `ListFunctions` (all pages), `ec2:DescribeSubnets` (once per region, shared"
            " by checks)."
        ),
    ),
)

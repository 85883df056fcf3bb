"""SageMaker real-time inference endpoints with a provisioned variant on fewer than two instances."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    concurrently,
)

SERVING_STATES = frozenset({"InService", "Updating", "SystemUpdating", "RollingBack"})
"""An endpoint being updated (by its owner or by SageMaker) or rolled back still serves traffic
from its current instances."""


def in_scope(endpoint: Record) -> bool:
    return endpoint.get("EndpointStatus") in SERVING_STATES


def variant_text(variant: Record) -> str:
    name = variant.get("VariantName", "?")
    if variant.get("CurrentServerlessConfig"):
        return f"{name} serverless"
    return f"{name} {int(variant.get('CurrentInstanceCount') or 0)} instance(s)"


def is_short(variant: Record) -> bool:
    """A provisioned variant SageMaker cannot spread over AZs."""
    return not variant.get("CurrentServerlessConfig") and (
        int(variant.get("CurrentInstanceCount") or 0) < 2
    )


def assess_endpoint(endpoint: Record) -> Assessment:
    variants = endpoint.get("ProductionVariants") or []
    short = [v.get("VariantName", "?") for v in variants if is_short(v)]
    if short:
        verdict = f"fewer than 2 instances in {', '.join(short)}"
    else:
        verdict = "no provisioned variant on fewer than 2 instances"
    layout = "; ".join(map(variant_text, variants)) or "no production variants"
    return Assessment(
        check_id="sagemaker.endpoint_instance_count",
        resource_arn=endpoint.get("EndpointArn", ""),
        resource_name=endpoint.get("EndpointName", ""),
        risk=bool(short),
        message=(
            f"Endpoint ({endpoint.get('EndpointStatus', '')}) has {verdict} (variants: {layout})"
        ),
    )


def assess(endpoints: Sequence[Record]) -> list[Assessment]:
    return [assess_endpoint(e) for e in endpoints if in_scope(e)]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("sagemaker", "list_endpoints"):
        described = await concurrently(
            *(
                scope.call("sagemaker", "describe_endpoint", EndpointName=e["EndpointName"])
                for e in page.get("Endpoints", [])
                if in_scope(e)
            )
        )
        yield assess(described)


CHECK = Check(
    key="sagemaker",
    service="Amazon SageMaker",
    rule=(
        "A real-time inference endpoint that serves traffic is a risk when a provisioned "
        "production variant runs fewer than 2 instances; serverless variants are not a risk."
    ),
    actions=("sagemaker:ListEndpoints", "sagemaker:DescribeEndpoint"),
    scan=scan,
    guidance={
        "sagemaker.endpoint_instance_count": Guidance(
            Severity.MEDIUM,
            "Run at least two instances per production variant (InitialInstanceCount or an "
            "auto scaling minimum of 2): SageMaker spreads instances over AZs only then.",
            "Other",
            fails=Fails.CAPACITY,
            fsbp=("SageMaker.4",),
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "Endpoints `InService`, `Updating`, `SystemUpdating` or `RollingBack` are judged "
            "(they serve traffic from their current instances); endpoints being created or "
            "deleted, out of service or failed give no finding."
        ),
        (
            "Each production variant is read by its current instance count; a variant with a "
            "current serverless config is not a risk. Shadow variants take no production "
            "traffic and are not judged. Asynchronous inference endpoints are endpoints too "
            "and are judged alike."
        ),
        (
            "SageMaker does not report which AZs an endpoint's instances run in, so "
            "`availability_zones` is empty; the message names every variant with its "
            "instance count."
        ),
        (
            "API: `ListEndpoints` (all pages), `DescribeEndpoint` for each judged endpoint of "
            "a page in parallel."
        ),
    ),
)

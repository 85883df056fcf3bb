"""PrivateLink endpoint services this account provides, offered in one AZ."""

from __future__ import annotations

from collections.abc import Sequence

from resiliency_analyser.checks.api import (
    DEFAULT_OPTIONS,
    ArnOf,
    Assessment,
    Batches,
    Check,
    CheckOptions,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    tag_pairs,
    tag_value,
    zone_text,
)

SERVING_STATES = frozenset({"available"})


def in_scope(service: Record) -> bool:
    return str(service.get("ServiceState", "")).lower() in SERVING_STATES


def balancer_name(balancer_arn: str) -> str:
    """``…:loadbalancer/net/<name>/<id>`` -> ``<name>``."""
    parts = balancer_arn.split("/")
    return parts[-2] if len(parts) >= 3 else balancer_arn


def assess_service(
    service: Record, arn_of: ArnOf, options: CheckOptions = DEFAULT_OPTIONS
) -> Assessment:
    zones = tuple(sorted(set(service.get("AvailabilityZones") or [])))
    balancers = [
        *(service.get("NetworkLoadBalancerArns") or []),
        *(service.get("GatewayLoadBalancerArns") or []),
    ]
    message = f"Endpoint service is offered in {len(zones)} AZ(s): {zone_text(zones)}"
    if balancers:
        message += f"; load balancers: {', '.join(map(balancer_name, balancers))}"
    message += options.shortfall(len(zones))
    service_id = service.get("ServiceId", "")
    return Assessment(
        check_id="endpointservice.service_multi_az",
        resource_arn=arn_of("ec2", f"vpc-endpoint-service/{service_id}"),
        resource_name=tag_value(service, "Name") or service.get("ServiceName", ""),
        resource_id=service_id,
        risk=options.too_few(len(zones)),
        engine=", ".join(t.get("ServiceType", "") for t in service.get("ServiceType") or []),
        message=message,
        availability_zones=zones,
        tags=tag_pairs(service.get("Tags")),
    )


def assess(
    services: Sequence[Record], arn_of: ArnOf, options: CheckOptions = DEFAULT_OPTIONS
) -> list[Assessment]:
    return [assess_service(s, arn_of, options) for s in services if in_scope(s)]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("ec2", "describe_vpc_endpoint_service_configurations"):
        yield assess(page.get("ServiceConfigurations", []), scope.arn, scope.options)


CHECK = Check(
    key="endpointservice",
    service="AWS PrivateLink endpoint services",
    rule=(
        "An available endpoint service this account provides is a risk when it is offered in "
        "fewer than 2 AZs."
    ),
    actions=("ec2:DescribeVpcEndpointServiceConfigurations",),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        "endpointservice.service_multi_az": Guidance(
            Severity.HIGH,
            "Enable the service's load balancer in a second AZ (set-subnets): consumers can "
            "connect only in the AZs the service is offered in, and one AZ failure ends it.",
            "AwsEc2VpcEndpointService",
            fails=Fails.PATH,
            well_architected=("REL10-BP01",),
        ),
    },
    notes=(
        (
            "Services this account provides (`DescribeVpcEndpointServiceConfigurations`), not the "
            "ones it consumes; only `Available` services are judged."
        ),
        "The service's load balancers are judged by the `elb` check; the message names them.",
        "`engine` is the service type (`Interface` or `GatewayLoadBalancer`).",
        (
            "`resource_arn` is the service's ARN "
            "(`arn:<partition>:ec2:<region>:<account>:vpc-endpoint-service/<id>`), "
            "`resource_name` its `Name` tag or else its service name, `resource_id` its id."
        ),
        "API: `DescribeVpcEndpointServiceConfigurations` (all pages).",
    ),
)

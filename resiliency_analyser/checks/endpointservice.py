"""PrivateLink endpoint services this account provides, offered in one AZ."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from resiliency_analyser.checks import elb
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
    RootCause,
    Severity,
    tag_pairs,
    tag_value,
    zone_text,
)
from resiliency_analyser.checks.lookups import LOAD_BALANCERS
from resiliency_analyser.checks.verdicts import Root, Verdict, combined, goes_down_with

SERVING_STATES = frozenset({"available"})
CHECK_ID = "endpointservice.service_multi_az"


def in_scope(service: Record) -> bool:
    return str(service.get("ServiceState", "")).lower() in SERVING_STATES


def balancer_name(balancer_arn: str) -> str:
    """``…:loadbalancer/net/<name>/<id>`` -> ``<name>``."""
    parts = balancer_arn.split("/")
    return parts[-2] if len(parts) >= 3 else balancer_arn


def balancer_roots(balancers: Iterable[Record], options: CheckOptions) -> dict[str, Root]:
    """Load balancer ARN -> itself, where `elb`'s own rule finds it enabled in fewer than 2 AZs:
    the root cause of the services it serves."""
    found: dict[str, Root] = {}
    for balancer in balancers:
        if not elb.in_scope(balancer):
            continue
        zones = [z["ZoneName"] for z in balancer.get("AvailabilityZones") or [] if "ZoneName" in z]
        verdict = elb.balancer_zones(balancer.get("Type", ""), zones, options)
        if verdict.risk:
            arn = balancer.get("LoadBalancerArn", "")
            cause = RootCause(check_id=verdict.check_id, resource_arn=arn)
            found[arn] = Root(cause, f"its {elb.balancer_kind(balancer)}")
    return found


def assess_service(
    service: Record, arn_of: ArnOf, roots: Mapping[str, Root], options: CheckOptions
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
    root = next((roots[b] for b in sorted(balancers) if b in roots), None)
    service_id = service.get("ServiceId", "")
    return combined(
        [goes_down_with(Verdict(CHECK_ID, options.too_few(len(zones)), message), root)],
        resource_arn=arn_of("ec2", f"vpc-endpoint-service/{service_id}"),
        resource_name=tag_value(service, "Name") or service.get("ServiceName", ""),
        resource_id=service_id,
        engine=", ".join(t.get("ServiceType", "") for t in service.get("ServiceType") or []),
        availability_zones=zones,
        tags=tag_pairs(service.get("Tags")),
    )


def assess(
    services: Sequence[Record],
    arn_of: ArnOf,
    options: CheckOptions = DEFAULT_OPTIONS,
    balancers: Sequence[Record] = (),
) -> list[Assessment]:
    """``balancers``: the region's load balancers (``DescribeLoadBalancers``), of which one in
    too few AZs is the root cause of the services it serves."""
    roots = balancer_roots(balancers, options)
    return [assess_service(s, arn_of, roots, options) for s in services if in_scope(s)]


def too_few_zones(service: Record, options: CheckOptions) -> bool:
    return in_scope(service) and options.too_few(len(set(service.get("AvailabilityZones") or [])))


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("ec2", "describe_vpc_endpoint_service_configurations"):
        services = page.get("ServiceConfigurations", [])
        # A service in too few AZs may go down with its load balancer: judged by `elb`'s rule.
        short = any(too_few_zones(s, scope.options) for s in services)
        balancers = await scope.shared(LOAD_BALANCERS) if short else []
        yield assess(services, scope.arn, scope.options, balancers)


CHECK = Check(
    key="endpointservice",
    service="AWS PrivateLink endpoint services",
    rule=(
        "An available endpoint service this account provides is a risk when it is offered in "
        "fewer than 2 AZs."
    ),
    actions=(
        "ec2:DescribeVpcEndpointServiceConfigurations",
        "elasticloadbalancing:DescribeLoadBalancers",
    ),
    scan=scan,
    counts_azs=True,
    tagged=True,
    guidance={
        CHECK_ID: Guidance(
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
        (
            "One failure, one risk (see [above](#one-failure-one-risk)): a service offered in "
            "one AZ because its Network or Gateway Load Balancer is enabled in one AZ goes down "
            "with that load balancer, which `elb` reports (`elb.load_balancer_zones`, judged "
            "here by the same rule on the same shared listing): the service's finding is not a "
            "risk, names the load balancer, and its `root_cause` points to it. Consumers can "
            "reach a service only in the AZs its load balancer is enabled in (AWS PrivateLink "
            'Guide, "Configure an endpoint service").'
        ),
        "`engine` is the service type (`Interface` or `GatewayLoadBalancer`).",
        (
            "`resource_arn` is the service's ARN "
            "(`arn:<partition>:ec2:<region>:<account>:vpc-endpoint-service/<id>`), "
            "`resource_name` its `Name` tag or else its service name, `resource_id` its id."
        ),
        (
            "API: `DescribeVpcEndpointServiceConfigurations` (all pages); "
            "`elasticloadbalancing:DescribeLoadBalancers` (once per region, shared with `elb`) "
            "when a service is offered in one AZ."
        ),
    ),
)

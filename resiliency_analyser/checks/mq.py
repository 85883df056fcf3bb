"""Amazon MQ brokers deployed as a single instance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    subnet_spread,
    zone_text,
)

GONE_STATES = frozenset({"CREATION_IN_PROGRESS", "CREATION_FAILED", "DELETION_IN_PROGRESS"})
MULTI_AZ_MODES = frozenset({"ACTIVE_STANDBY_MULTI_AZ", "CLUSTER_MULTI_AZ"})


def in_scope(broker: Record) -> bool:
    return str(broker.get("BrokerState", "")).upper() not in GONE_STATES


def assess_broker(summary: Record, detail: Record, subnet_zones: Mapping[str, str]) -> Assessment:
    mode = str(detail.get("DeploymentMode") or summary.get("DeploymentMode", ""))
    zones = subnet_spread(detail.get("SubnetIds") or [], subnet_zones).zones
    engine = str(summary.get("EngineType", "")).lower()
    return Assessment(
        check_id="mq.broker_multi_az",
        resource_arn=summary.get("BrokerArn", ""),
        resource_name=summary.get("BrokerName", ""),
        resource_id=summary.get("BrokerId", ""),
        risk=mode.upper() not in MULTI_AZ_MODES,
        engine=engine,
        message=f"Deployment mode {mode or 'not reported'} (AZs: {zone_text(zones)})",
        availability_zones=zones,
    )


async def describe(scope: RegionScope, broker: Record) -> Record:
    return await scope.call("mq", "describe_broker", BrokerId=broker["BrokerId"])


async def assess_page(scope: RegionScope, brokers: Sequence[Record]) -> list[Assessment]:
    subnet_zones, details = await concurrently(
        scope.subnet_zones(), concurrently(*(describe(scope, b) for b in brokers))
    )
    return [assess_broker(b, d, subnet_zones) for b, d in zip(brokers, details, strict=True)]


async def scan(scope: RegionScope) -> Batches:
    async for page in scope.pages("mq", "list_brokers"):
        brokers = [b for b in page.get("BrokerSummaries", []) if in_scope(b)]
        if brokers:
            yield await assess_page(scope, brokers)


CHECK = Check(
    key="mq",
    service="Amazon MQ",
    rule=(
        "A broker that is not being created or deleted is a risk when its deployment mode is "
        "SINGLE_INSTANCE."
    ),
    actions=("mq:ListBrokers", "mq:DescribeBroker", "ec2:DescribeSubnets"),
    scan=scan,
    guidance={
        "mq.broker_multi_az": Guidance(
            Severity.HIGH,
            "Recreate the broker as ACTIVE_STANDBY_MULTI_AZ (ActiveMQ) or CLUSTER_MULTI_AZ "
            "(RabbitMQ); the deployment mode cannot be changed in place.",
            "AwsAmazonMqBroker",
            fails=Fails.DATA,
            well_architected=("REL10-BP01", "REL11-BP02"),
        ),
    },
    notes=(
        "`ACTIVE_STANDBY_MULTI_AZ` and `CLUSTER_MULTI_AZ` brokers are not a risk.",
        (
            "Each broker is described for its subnets, so the message and the finding's AZs name "
            "where it runs."
        ),
        "`engine` is the broker engine (`activemq` or `rabbitmq`).",
        "`resource_arn` is the broker's ARN, `resource_name` its name, `resource_id` its id.",
        (
            "API: `ListBrokers` (all pages), `DescribeBroker` per broker (concurrent), "
            "`ec2:DescribeSubnets` (once per region, shared by checks)."
        ),
    ),
)

"""Every lookup several pairs share, each declared once: its name, its loader, and whether it is
loaded once per region or once per scan in one region.

A pair reads one with ``scope.shared(ROUTE_TABLES)``: the key is the ``Lookup`` object, so a
misspelt lookup is a NameError, never a second copy loaded under another name. The records a
loader returns are typed here too (``TargetRecords``, ``GatewayRecords``).

The check API imports this module (``scope.subnets()``), so it reads the API for annotations only
and reaches AWS through the scope its loaders are given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from resiliency_analyser.checks.fanout import chunks, concurrently
from resiliency_analyser.checks.placement import instances
from resiliency_analyser.checks.sharing import Lookup

if TYPE_CHECKING:
    from resiliency_analyser.checks.api import Record, RegionScope

Records = list[dict[str, Any]]


def listing(name: str, service: str, operation: str, key: str) -> Lookup[Records]:
    """A region's every record under ``key`` of ``operation``, all pages."""
    return Lookup(name, lambda scope: scope.items(service, operation, key))


# Networks: subnets locate most resources; route tables and their targets are read by `nat`.
SUBNETS = listing("subnets", "ec2", "describe_subnets", "Subnets")
ROUTE_TABLES = listing("route tables", "ec2", "describe_route_tables", "RouteTables")
NAT_GATEWAYS = listing("NAT gateways", "ec2", "describe_nat_gateways", "NatGateways")
VPC_ENDPOINTS = listing("VPC endpoints", "ec2", "describe_vpc_endpoints", "VpcEndpoints")


async def zone_ids(scope: RegionScope) -> dict[str, str]:
    """AZ name -> AZ ID for every zone of the region, Local and Wavelength Zones included.

    Names are shuffled per account in the older regions (one account's ``us-east-1a`` is
    another's ``us-east-1c``); the IDs name the same physical zone in every account.
    """
    zones = await scope.items(
        "ec2", "describe_availability_zones", "AvailabilityZones", AllAvailabilityZones=True
    )
    return {z["ZoneName"]: z["ZoneId"] for z in zones if z.get("ZoneName") and z.get("ZoneId")}


ZONE_IDS = Lookup("AZ IDs", zone_ids)
"""The engine's: each finding's AZ IDs, from the zones it names."""

# Compute: `autoscaling` judges the groups, `eks` reads where node groups' nodes run, `elb` which
# group fills a target group, `zonalshift` whether they can be shifted away from an AZ,
# `balance` how their capacity is spread.
AUTO_SCALING_GROUPS = listing(
    "Auto Scaling groups", "autoscaling", "describe_auto_scaling_groups", "AutoScalingGroups"
)


# EKS: `eks` judges the managed node groups' AZs, `balance` how their nodes are spread.
async def eks_cluster_names(scope: RegionScope) -> list[str]:
    return [str(name) for name in await scope.items("eks", "list_clusters", "clusters")]


EKS_CLUSTERS = Lookup("EKS clusters", eks_cluster_names)
"""The names of the region's EKS clusters: `eks` and `balance` read their node groups,
`zonalshift` describes them."""


async def listed_and_described(
    scope: RegionScope, cluster: str, listing: str, key: str, describe: str, by: str, result: str
) -> Records:
    """One kind of a cluster's parts (node groups, Fargate profiles): every page of its listing,
    then each described, all at once."""
    names = await scope.items("eks", listing, key, clusterName=cluster)
    found = await concurrently(
        *(scope.call("eks", describe, clusterName=cluster, **{by: str(n)}) for n in names)
    )
    return [response[result] for response in found]


async def eks_node_groups(scope: RegionScope) -> Records:
    clusters = await scope.shared(EKS_CLUSTERS)
    per_cluster = await concurrently(
        *(
            listed_and_described(
                scope,
                cluster,
                "list_nodegroups",
                "nodegroups",
                "describe_nodegroup",
                "nodegroupName",
                "nodegroup",
            )
            for cluster in clusters
        )
    )
    return [group for groups in per_cluster for group in groups]


EKS_NODE_GROUPS = Lookup("EKS managed node groups", eks_node_groups)
"""``DescribeNodegroup`` records of every cluster's managed node groups."""

# Elastic Beanstalk: `beanstalk` judges the environments, `autoscaling` links their groups to them.
BEANSTALK_SKIPPED = frozenset({"Launching", "Terminating", "Terminated"})
"""Environment states not judged: not serving yet, or no more."""


def serving_web_tier(environment: Record) -> bool:
    """A web-server environment that exists; worker environments take no web traffic."""
    tier = (environment.get("Tier") or {}).get("Name", "WebServer")
    return tier == "WebServer" and environment.get("Status") not in BEANSTALK_SKIPPED


@dataclass(frozen=True)
class Environment:
    """A ``DescribeEnvironments`` record and its ``DescribeEnvironmentResources`` answer."""

    environment: Record
    resources: Record
    """``EnvironmentResources``: its instances, Auto Scaling groups and load balancers."""


async def environment_resources(scope: RegionScope, environment: Record) -> Environment:
    described = await scope.call(
        "elasticbeanstalk",
        "describe_environment_resources",
        EnvironmentId=environment["EnvironmentId"],
    )
    return Environment(environment, described.get("EnvironmentResources") or {})


async def beanstalk_environments(scope: RegionScope) -> list[Environment]:
    """Every serving web-server environment with its resources, each page's described
    together."""
    found: list[Environment] = []
    async for page in scope.pages(
        "elasticbeanstalk", "describe_environments", IncludeDeleted=False
    ):
        serving = [e for e in page.get("Environments", []) if serving_web_tier(e)]
        found += await concurrently(*(environment_resources(scope, e) for e in serving))
    return found


BEANSTALK_ENVIRONMENTS = Lookup("Elastic Beanstalk environments", beanstalk_environments)

# ECS: `ecs` judges the services, `elb` asks whether one that fills a target group is a risk.
SERVICES_PER_CALL = 10
TASKS_PER_CALL = 100


@dataclass(frozen=True)
class JudgedService:
    """A DescribeServices record and the DescribeTasks records of its running tasks."""

    service: Record
    tasks: Sequence[Record]


def active_replicas(service: Record) -> bool:
    """Active replica services; daemons run one task per instance, wherever the instances are."""
    return (
        service.get("status") == "ACTIVE"
        and service.get("schedulingStrategy", "REPLICA") != "DAEMON"
    )


def needs_tasks(service: Record) -> bool:
    return active_replicas(service) and int(service.get("desiredCount") or 0) >= 1


async def ecs_arns(scope: RegionScope, operation: str, key: str, **params: str) -> list[str]:
    """Every page of an ECS listing, which lists ARNs rather than records."""
    return [
        str(arn)
        async for page in scope.pages("ecs", operation, **params)
        for arn in page.get(key, [])
    ]


async def running_tasks(
    scope: RegionScope, cluster: str, services: Sequence[Record]
) -> dict[str, list[Record]]:
    """Service ARN -> its running tasks, described 100 at a time across the cluster's services."""
    listed = await concurrently(
        *(
            ecs_arns(
                scope,
                "list_tasks",
                "taskArns",
                cluster=cluster,
                serviceName=service["serviceName"],
                desiredStatus="RUNNING",
            )
            for service in services
        )
    )
    described = await concurrently(
        *(
            scope.call("ecs", "describe_tasks", cluster=cluster, tasks=batch)
            for batch in chunks(
                [arn for service_arns in listed for arn in service_arns], TASKS_PER_CALL
            )
        )
    )
    by_arn = {t["taskArn"]: t for response in described for t in response.get("tasks", [])}
    return {
        service["serviceArn"]: [by_arn[arn] for arn in task_arns if arn in by_arn]
        for service, task_arns in zip(services, listed, strict=True)
    }


async def cluster_services(scope: RegionScope, cluster: str) -> list[JudgedService]:
    listed = await ecs_arns(scope, "list_services", "serviceArns", cluster=cluster)
    described = await concurrently(
        *(
            scope.call(
                "ecs", "describe_services", cluster=cluster, services=batch, include=["TAGS"]
            )
            for batch in chunks(listed, SERVICES_PER_CALL)
        )
    )
    services = [s for response in described for s in response.get("services", [])]
    tasks = await running_tasks(scope, cluster, [s for s in services if needs_tasks(s)])
    return [JudgedService(s, tasks.get(s.get("serviceArn", ""), ())) for s in services]


async def ecs_services(scope: RegionScope) -> list[JudgedService]:
    """Every service of every cluster, with its running tasks."""
    clusters = await ecs_arns(scope, "list_clusters", "clusterArns")
    found = await concurrently(*(cluster_services(scope, c) for c in clusters))
    return [s for cluster in found for s in cluster]


ECS_SERVICES = Lookup("ECS services", ecs_services)

FIREWALL = "network-firewall"
FIREWALL_TYPES = ("FIREWALL", "IGW_FIREWALL")
"""Standard firewalls, and the internet gateway firewalls AWS Network Security Manager manages:
``DescribeFirewall`` takes a firewall of the second kind only when told its type."""


@dataclass(frozen=True)
class FirewallRecords:
    """A region's firewalls as ``DescribeFirewall`` answers: one that could not be described
    does not take the others with it."""

    described: Sequence[Record] = ()
    """``Firewall`` and ``FirewallStatus`` of each, and the ``FirewallType`` it was listed as."""
    failed: Mapping[str, str] = field(default_factory=dict)
    """Firewall ARN -> why ``DescribeFirewall`` failed."""


async def listed_firewalls(scope: RegionScope) -> dict[str, str]:
    """Firewall ARN -> its type, from a listing of each type (all pages). An endpoint that
    ignores the filter lists every firewall twice: the first type wins."""
    listings = await concurrently(
        *(
            scope.items(FIREWALL, "list_firewalls", "Firewalls", FirewallType=t)
            for t in FIREWALL_TYPES
        )
    )
    found: dict[str, str] = {}
    for firewall_type, listed in zip(FIREWALL_TYPES, listings, strict=True):
        for firewall in listed:
            found.setdefault(firewall["FirewallArn"], firewall_type)
    return found


async def described_firewall(
    scope: RegionScope, firewall_arn: str, firewall_type: str
) -> Record | str | None:
    """The firewall described with its type; why it could not be (its error, as a line); or
    None when it was deleted between the listing and this call."""
    try:
        answer = await scope.call_unless_gone(
            FIREWALL, "describe_firewall", FirewallArn=firewall_arn, FirewallType=firewall_type
        )
    except Exception as error:  # one firewall's failure is reported, not the region's
        return " ".join(str(error).split()) or type(error).__name__
    if answer is None:
        return None
    kept: dict[str, Any] = {k: answer[k] for k in ("Firewall", "FirewallStatus") if k in answer}
    return {**kept, "FirewallType": firewall_type}


async def described_firewalls(scope: RegionScope) -> FirewallRecords:
    """Every firewall of either type, each described with its type."""
    listed = await listed_firewalls(scope)
    answers = await concurrently(
        *(described_firewall(scope, arn, firewall_type) for arn, firewall_type in listed.items())
    )
    return FirewallRecords(
        described=[a for a in answers if isinstance(a, Mapping)],
        failed={arn: a for arn, a in zip(listed, answers, strict=True) if isinstance(a, str)},
    )


FIREWALLS = Lookup("Network Firewall firewalls", described_firewalls)
"""Read by `networkfirewall` (every firewall) and `nat` (the endpoints default routes lead to)."""

# Caches and search: `elasticache` and `opensearch` judge them, `balance` how their primaries
# and data nodes are spread.
ELASTICACHE_REPLICATION_GROUPS = listing(
    "ElastiCache replication groups",
    "elasticache",
    "describe_replication_groups",
    "ReplicationGroups",
)
OPENSEARCH_DESCRIBE_BATCH = 5  # DescribeDomains rejects more than five names per call


async def described_domains(scope: RegionScope, names: list[str]) -> Sequence[Record]:
    response = await scope.call("opensearch", "describe_domains", DomainNames=names)
    statuses: Sequence[Record] = response.get("DomainStatusList", [])
    return statuses


async def opensearch_domains(scope: RegionScope) -> Records:
    listed = await scope.call("opensearch", "list_domain_names")
    names = [d["DomainName"] for d in listed.get("DomainNames", [])]
    described = await concurrently(
        *(described_domains(scope, batch) for batch in chunks(names, OPENSEARCH_DESCRIBE_BATCH))
    )
    return [dict(domain) for batch in described for domain in batch]


OPENSEARCH_DOMAINS = Lookup("OpenSearch domains", opensearch_domains)
"""``DescribeDomains`` records of every OpenSearch and Elasticsearch domain of the region."""

# Load balancers: `elb` judges them, `ec2` reads their registrations, Global Accelerator
# locates its endpoints among another region's, `zonalshift` reads their attributes and targets.
LOAD_BALANCERS = listing("load balancers", "elbv2", "describe_load_balancers", "LoadBalancers")
"""Every Application, Network and Gateway Load Balancer of the region."""
CLASSIC_LOAD_BALANCERS = listing(
    "Classic Load Balancers", "elb", "describe_load_balancers", "LoadBalancerDescriptions"
)


@dataclass(frozen=True)
class TargetRecords:
    """One region's load-balancer registrations, as the APIs return them."""

    target_groups: Sequence[Record] = ()
    """elbv2 ``DescribeTargetGroups`` records."""
    target_health: Mapping[str, Sequence[Record]] = field(default_factory=dict)
    """Target group ARN -> its ``TargetHealthDescriptions``."""
    classic: Sequence[Record] = ()
    """Classic ``DescribeLoadBalancers`` records (``LoadBalancerDescriptions``)."""
    classic_health: Mapping[str, Sequence[Record]] = field(default_factory=dict)
    """Classic Load Balancer name -> its ``InstanceStates``."""
    instances: Sequence[Record] = ()
    """The registered instances (``DescribeInstances``)."""
    subnets: Sequence[Record] = ()
    """``DescribeSubnets`` records, for IP targets."""


async def target_health(scope: RegionScope, group: Record) -> list[Record]:
    response = await scope.call(
        "elbv2", "describe_target_health", TargetGroupArn=group["TargetGroupArn"]
    )
    descriptions: list[Record] = response.get("TargetHealthDescriptions", [])
    return descriptions


async def instance_health(scope: RegionScope, balancer: Record) -> list[Record]:
    response = await scope.call(
        "elb", "describe_instance_health", LoadBalancerName=balancer["LoadBalancerName"]
    )
    states: list[Record] = response.get("InstanceStates", [])
    return states


async def no_subnets() -> Records:
    return []


async def target_records(scope: RegionScope) -> TargetRecords:
    groups, classic = await concurrently(
        scope.items("elbv2", "describe_target_groups", "TargetGroups"),
        scope.shared(CLASSIC_LOAD_BALANCERS),
    )
    # A target group no load balancer forwards to has no healthy targets: nothing to ask.
    attached = [g for g in groups if g.get("LoadBalancerArns")]
    registered = [b for b in classic if b.get("Instances")]
    group_health, classic_health, subnets = await concurrently(
        concurrently(*(target_health(scope, g) for g in attached)),
        concurrently(*(instance_health(scope, b) for b in registered)),
        scope.subnets() if any(g.get("TargetType") == "ip" for g in attached) else no_subnets(),
    )
    instance_ids = [
        health["Target"]["Id"]
        for group, descriptions in zip(attached, group_health, strict=True)
        if (group.get("TargetType") or "instance") == "instance"
        for health in descriptions
    ] + [state["InstanceId"] for states in classic_health for state in states]
    return TargetRecords(
        target_groups=groups,
        target_health={g["TargetGroupArn"]: h for g, h in zip(attached, group_health, strict=True)},
        classic=classic,
        classic_health={
            b["LoadBalancerName"]: s for b, s in zip(registered, classic_health, strict=True)
        },
        instances=await instances(scope, instance_ids),
        subnets=subnets,
    )


LOAD_BALANCER_TARGETS = Lookup("load balancers' registered targets", target_records)
"""The registrations and the records that locate them: `elb` and `ec2` both judge by them."""

Attributes = dict[str, dict[str, str]]
"""Resource ARN -> its attributes, key -> value, as a ``Describe...Attributes`` call lists them."""


def attribute_map(response: Record) -> dict[str, str]:
    """An elbv2 ``Attributes`` list, ``[{"Key": k, "Value": v}]``, as key -> value."""
    return {str(a["Key"]): str(a.get("Value", "")) for a in response.get("Attributes") or []}


async def described_attributes(
    scope: RegionScope, operation: str, param: str, arns: Sequence[str]
) -> Attributes:
    """``operation`` once per ARN, concurrently; one deleted since its listing is left out."""
    found = await concurrently(
        *(scope.call_unless_gone("elbv2", operation, **{param: arn}) for arn in arns)
    )
    return {arn: attribute_map(a) for arn, a in zip(arns, found, strict=True) if a is not None}


CROSS_ZONE_KINDS = frozenset({"network", "gateway"})
"""Load balancers whose cross-zone load balancing is off by default, per target group too."""


async def attributes_of_kinds(scope: RegionScope, *, zonal: bool) -> Attributes:
    """The attributes of the Network and Gateway Load Balancers, or of the others."""
    balancers = await scope.shared(LOAD_BALANCERS)
    arns = [b["LoadBalancerArn"] for b in balancers if (b.get("Type") in CROSS_ZONE_KINDS) == zonal]
    return await described_attributes(
        scope, "describe_load_balancer_attributes", "LoadBalancerArn", arns
    )


async def zonal_balancer_attributes(scope: RegionScope) -> Attributes:
    return await attributes_of_kinds(scope, zonal=True)


ZONAL_BALANCER_ATTRIBUTES = Lookup(
    "Network and Gateway Load Balancers' attributes", zonal_balancer_attributes
)
"""The Network and Gateway Load Balancers' attributes, by ARN: `balance` reads whether their
cross-zone load balancing is on, and needs no Application Load Balancer's."""


async def balancer_attributes(scope: RegionScope) -> Attributes:
    zonal, others = await concurrently(
        scope.shared(ZONAL_BALANCER_ATTRIBUTES),
        attributes_of_kinds(scope, zonal=False),
    )
    return {**zonal, **others}


ELBV2_ATTRIBUTES = Lookup("load balancers' attributes", balancer_attributes)
"""Every Application, Network and Gateway Load Balancer's attributes, by its ARN: one
``DescribeLoadBalancerAttributes`` each (the API takes one load balancer per call), the Network
and Gateway Load Balancers' shared with ``ZONAL_BALANCER_ATTRIBUTES``."""


async def target_group_attributes(scope: RegionScope) -> Attributes:
    balancers, records = await concurrently(
        scope.shared(LOAD_BALANCERS), scope.shared(LOAD_BALANCER_TARGETS)
    )
    kinds = {b.get("LoadBalancerArn"): b.get("Type") for b in balancers}
    arns = [
        g["TargetGroupArn"]
        for g in records.target_groups
        if any(kinds.get(b) in CROSS_ZONE_KINDS for b in g.get("LoadBalancerArns") or [])
    ]
    return await described_attributes(
        scope, "describe_target_group_attributes", "TargetGroupArn", arns
    )


TARGET_GROUP_ATTRIBUTES = Lookup("target groups' attributes", target_group_attributes)
"""Target group ARN -> its attributes, for every target group a Network or Gateway Load Balancer
forwards to (``load_balancing.cross_zone.enabled``: ``true``, ``false`` or
``use_load_balancer_configuration``). Application Load Balancers' target groups are not
described: no pair reads them, and each would cost a call."""

# Direct Connect: `dx` judges a region's connections, `dxgw` the account's gateways.
DX_HOME_REGION = "us-east-1"
"""Where Direct Connect gateways, which are global, are listed and judged."""
DX_PAGE_SIZE = 100  # the most Direct Connect returns per call
GATEWAY_GONE = frozenset({"deleting", "deleted"})


async def dx_records(scope: RegionScope, operation: str, key: str) -> list[Record]:
    """Direct Connect listings page with ``nextToken`` but botocore has no paginator for them."""
    records: list[Record] = []
    async for page in scope.token_pages(
        "directconnect", operation, "nextToken", maxResults=DX_PAGE_SIZE
    ):
        records.extend(page.get(key, []))
    return records


DX_VIRTUAL_INTERFACES = Lookup(
    "Direct Connect virtual interfaces",
    lambda scope: dx_records(scope, "describe_virtual_interfaces", "virtualInterfaces"),
)
"""A region's VIFs: `dx` judges its own region's, the gateways those of every region they
reach."""


@dataclass(frozen=True)
class GatewayRecords:
    """Every Direct Connect gateway of the account, its VIF attachments, and those VIFs as
    their own regions list them."""

    gateways: Sequence[Record]
    attachments: Mapping[str, Sequence[Record]]
    """Gateway id -> its attachments."""
    vifs: Mapping[str, Record]
    """VIF id -> the VIF, from ``DescribeVirtualInterfaces`` in the attachment's region."""


async def gateway_records(scope: RegionScope) -> GatewayRecords:
    listed = await scope.items(
        "directconnect", "describe_direct_connect_gateways", "directConnectGateways"
    )
    gateways = [g for g in listed if g.get("directConnectGatewayState") not in GATEWAY_GONE]
    ids = [g["directConnectGatewayId"] for g in gateways]
    attachments = await concurrently(
        *(
            scope.items(
                "directconnect",
                "describe_direct_connect_gateway_attachments",
                "directConnectGatewayAttachments",
                directConnectGatewayId=gateway_id,
            )
            for gateway_id in ids
        )
    )
    # Whatever --regions says: a gateway judged on some of its VIFs would look less redundant.
    regions = sorted(
        {
            a["virtualInterfaceRegion"]
            for at in attachments
            for a in at
            if a.get("virtualInterfaceRegion")
        }
    )
    vifs = await concurrently(
        *(scope.in_region(region).shared(DX_VIRTUAL_INTERFACES) for region in regions)
    )
    return GatewayRecords(
        gateways=gateways,
        attachments=dict(zip(ids, attachments, strict=True)),
        vifs={v["virtualInterfaceId"]: v for found in vifs for v in found},
    )


DX_GATEWAYS = Lookup("Direct Connect gateways", gateway_records, region=DX_HOME_REGION)
"""Global: listed once a scan, in ``DX_HOME_REGION``, for every region's `dx` and for `dxgw`."""

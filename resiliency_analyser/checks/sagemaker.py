"""SageMaker real-time inference endpoints that an AZ failure takes down: a provisioned variant on
fewer than two instances, or on several whose model's VPC subnets all lie in one AZ."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

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
    concurrently,
    subnet_spread,
    zone_text,
)
from resiliency_analyser.checks.verdicts import Verdict, combined

SERVING_STATES = frozenset({"InService", "Updating", "SystemUpdating", "RollingBack"})
"""An endpoint being updated (by its owner or by SageMaker) or rolled back still serves traffic
from its current instances."""


def in_scope(endpoint: Record) -> bool:
    return endpoint.get("EndpointStatus") in SERVING_STATES


def instance_count(variant: Record) -> int:
    return int(variant.get("CurrentInstanceCount") or 0)


def variant_text(variant: Record) -> str:
    name = variant.get("VariantName", "?")
    if variant.get("CurrentServerlessConfig"):
        return f"{name} serverless"
    return f"{name} {instance_count(variant)} instance(s)"


def is_short(variant: Record) -> bool:
    """A provisioned variant SageMaker cannot spread over AZs."""
    return not variant.get("CurrentServerlessConfig") and instance_count(variant) < 2


def spreads(variant: Record) -> bool:
    """A provisioned variant on several instances, which SageMaker spreads over the AZs its
    model's subnets allow."""
    return not variant.get("CurrentServerlessConfig") and instance_count(variant) >= 2


def model_subnets(config: Record | None, models: Mapping[str, Record]) -> dict[str, list[str]]:
    """Variant name -> the VPC subnets of its model, for the variants of the endpoint config
    whose model runs in a VPC (a model outside one, or not found, has none)."""
    found: dict[str, list[str]] = {}
    for variant in (config or {}).get("ProductionVariants") or []:
        model = models.get(str(variant.get("ModelName") or "")) or {}
        if subnets := (model.get("VpcConfig") or {}).get("Subnets"):
            found[str(variant.get("VariantName", "?"))] = list(subnets)
    return found


def subnet_verdict(
    variants: Sequence[Record],
    subnets: Mapping[str, Sequence[str]],
    subnet_zones: Mapping[str, str],
    options: CheckOptions,
) -> Verdict:
    texts, confined = [], False
    for variant in variants:
        name = str(variant.get("VariantName", "?"))
        if not spreads(variant) or name not in subnets:
            continue
        spread = subnet_spread(subnets[name], subnet_zones)
        short = options.too_few(len(spread.zones))
        confined = confined or short
        texts.append(
            f"{name}'s {instance_count(variant)} instances run in its model's VPC subnets in "
            f"{len(spread.zones)} AZ(s): {zone_text(spread.zones)}"
            + spread.unknown_note()
            + (options.shortfall(len(spread.zones)) if short else "")
        )
    return Verdict("sagemaker.endpoint_subnet_zones", confined, "; ".join(texts))


def assess_endpoint(
    endpoint: Record,
    config: Record | None = None,
    models: Mapping[str, Record] | None = None,
    subnet_zones: Mapping[str, str] | None = None,
    options: CheckOptions = DEFAULT_OPTIONS,
) -> Assessment:
    """``config`` is the endpoint's DescribeEndpointConfig answer and ``models`` its models'
    DescribeModel answers by name, where they were read (only for endpoints with a variant on
    several instances)."""
    variants = endpoint.get("ProductionVariants") or []
    short = [v.get("VariantName", "?") for v in variants if is_short(v)]
    if short:
        verdict = f"fewer than 2 instances in {', '.join(short)}"
    else:
        verdict = "no provisioned variant on fewer than 2 instances"
    layout = "; ".join(map(variant_text, variants)) or "no production variants"
    verdicts = [
        Verdict(
            "sagemaker.endpoint_instance_count",
            bool(short),
            f"Endpoint ({endpoint.get('EndpointStatus', '')}) has {verdict} (variants: {layout})",
        )
    ]
    subnets = model_subnets(config, models or {})
    zones = subnet_zones or {}
    placed = subnet_verdict(variants, subnets, zones, options)
    if placed.text:  # only endpoints whose models run in a VPC say where
        verdicts.append(placed)
    return combined(
        verdicts,
        resource_arn=endpoint.get("EndpointArn", ""),
        resource_name=endpoint.get("EndpointName", ""),
        availability_zones=tuple(
            sorted({zones[s] for names in subnets.values() for s in names if s in zones})
        ),
    )


def assess(
    endpoints: Sequence[Record],
    configs: Mapping[str, Record] | None = None,
    models: Mapping[str, Record] | None = None,
    subnet_zones: Mapping[str, str] | None = None,
    options: CheckOptions = DEFAULT_OPTIONS,
) -> list[Assessment]:
    """``configs``: endpoint config name -> its DescribeEndpointConfig answer."""
    return [
        assess_endpoint(
            e, (configs or {}).get(e.get("EndpointConfigName", "")), models, subnet_zones, options
        )
        for e in endpoints
        if in_scope(e)
    ]


def placed_configs(endpoints: Iterable[Record]) -> list[str]:
    """The configs worth reading: those of endpoints with a variant on several instances."""
    return sorted(
        {
            str(e["EndpointConfigName"])
            for e in endpoints
            if e.get("EndpointConfigName") and any(map(spreads, e.get("ProductionVariants") or []))
        }
    )


async def described(
    scope: RegionScope, operation: str, param: str, names: Sequence[str], known: dict[str, Record]
) -> None:
    """Adds to ``known`` the answer for each name it lacks; one deleted meanwhile gets none."""
    missing = [n for n in names if n not in known]
    answers = await concurrently(
        *(scope.call_unless_gone("sagemaker", operation, **{param: name}) for name in missing)
    )
    known.update({n: a for n, a in zip(missing, answers, strict=True) if a is not None})


async def scan(scope: RegionScope) -> Batches:
    # Read once a scan: endpoints often share a config, configs a model.
    configs: dict[str, Record] = {}
    models: dict[str, Record] = {}
    subnet_zones: Mapping[str, str] | None = None
    async for page in scope.pages("sagemaker", "list_endpoints"):
        endpoints = await concurrently(
            *(
                scope.call("sagemaker", "describe_endpoint", EndpointName=e["EndpointName"])
                for e in page.get("Endpoints", [])
                if in_scope(e)
            )
        )
        await described(
            scope,
            "describe_endpoint_config",
            "EndpointConfigName",
            placed_configs(endpoints),
            configs,
        )
        names = {
            str(v["ModelName"])
            for c in configs.values()
            for v in c.get("ProductionVariants") or []
            if v.get("ModelName")
        }
        await described(scope, "describe_model", "ModelName", sorted(names), models)
        if subnet_zones is None and model_subnets_any(models):
            subnet_zones = await scope.subnet_zones()
        yield assess(endpoints, configs, models, subnet_zones, scope.options)


def model_subnets_any(models: Mapping[str, Record]) -> bool:
    return any((m.get("VpcConfig") or {}).get("Subnets") for m in models.values())


CHECK = Check(
    key="sagemaker",
    service="Amazon SageMaker",
    rule=(
        "A real-time inference endpoint that serves traffic is a risk when a provisioned "
        "production variant runs fewer than 2 instances, or runs 2 or more in its model's VPC "
        "subnets that lie in fewer than 2 AZs; serverless variants are not a risk."
    ),
    actions=(
        "sagemaker:ListEndpoints",
        "sagemaker:DescribeEndpoint",
        "sagemaker:DescribeEndpointConfig",
        "sagemaker:DescribeModel",
        "ec2:DescribeSubnets",
    ),
    scan=scan,
    counts_azs=True,
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
        "sagemaker.endpoint_subnet_zones": Guidance(
            Severity.MEDIUM,
            "Give the model's VPC config subnets in at least two AZs (a new model and endpoint "
            "config, then update-endpoint), so SageMaker can place the instances apart.",
            "Other",
            fails=Fails.CAPACITY,
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
            "A variant on 2 or more instances whose model runs in a VPC "
            "(`sagemaker.endpoint_subnet_zones`) is placed by SageMaker in the AZs of the "
            "model's `VpcConfig.Subnets` only: subnets in one AZ put every instance there. The "
            "variant's model is the one its endpoint config names (`DescribeEndpointConfig`); "
            "variants of inference components name no model and are judged on instances only."
        ),
        (
            "One finding per endpoint, saying what each rule found; it carries the check id of "
            "the first rule that finds a risk (instance count, then subnets). SageMaker does not "
            "report which AZs an endpoint's instances run in, so `availability_zones` holds the "
            "AZs of its VPC models' subnets, and is empty for models outside a VPC; the message "
            "names every variant with its instance count."
        ),
        (
            "API: `ListEndpoints` (all pages), `DescribeEndpoint` for each judged endpoint of "
            "a page in parallel; `DescribeEndpointConfig` for each endpoint config with a variant "
            "on 2 or more instances and `DescribeModel` for each model those name (each once a "
            "scan, in parallel); `ec2:DescribeSubnets` (once per region, shared by checks) when a "
            "model runs in a VPC."
        ),
    ),
)

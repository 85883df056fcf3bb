"""The demo account's `zonalshift` resources: a risky and a safe example of each rule.

moto has no ARC zonal shift API, and models neither an Auto Scaling group's
``AvailabilityZoneImpairmentPolicy`` nor an EKS cluster's ``zonalShiftConfig``: ARC is served
from the stand-in's records, and the stand-in adds the two fields to moto's own answers for the
groups and clusters created here. Load balancers, their attributes and target groups, and the
outcome alarms are moto's. Times are whole minutes of past days, so two demo runs of one day
compare as the same account.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from resiliency_analyser.demo.seeders.autoscaling import auto_scaling_group, launch_configuration
from resiliency_analyser.demo.seeders.eks import ROLE
from resiliency_analyser.demo.seeders.elb import demo_vpc, listener, target_group
from resiliency_analyser.demo.standin import Handler, StandinError, paged
from resiliency_analyser.demo.world import ACCOUNT_ID, PAGE_SIZE, DemoWorld, Seeder

ARC = "arc-zonal-shift"
MANAGED = "arc-zonal-shift/managed"
CONFIGURATIONS = "arc-zonal-shift/configurations"
SHIFTS = "arc-zonal-shift/shifts"
AUTOSHIFTS = "arc-zonal-shift/autoshifts"
OBSERVER = "arc-zonal-shift/observer"
POLICIES = "autoscaling/impairment-policies"
CLUSTER_CONFIGS = "eks/zonal-shift"
LAUNCH_CONFIGURATION = "demo-zonalshift-launch-config"
SHIFT_ON = {"Key": "zonal_shift.config.enabled", "Value": "true"}
MANAGED_FIELDS = ("arn", "name", "appliedWeights", "zonalShifts", "autoshifts")
"""The members ``GetManagedResource`` answers with besides the configuration and status."""

Runs = tuple[tuple[str, int], ...]
"""Finished practice runs: (outcome, days ago)."""

Records = Callable[[str, str], list[dict[str, Any]]]
"""(store, region) -> the records the stand-in serves there."""


def days_ago(days: int, hour: int = 10, minute: int = 0) -> datetime:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days) + timedelta(hours=hour, minutes=minute)


def alarm_arn(region: str, name: str) -> str:
    return f"arn:aws:cloudwatch:{region}:{ACCOUNT_ID}:alarm:{name}"


def create_alarm(world: DemoWorld, region: str, name: str) -> None:
    world.client("cloudwatch", region).put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/ApplicationELB",
        MetricName="HTTPCode_Target_5XX_Count",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=3,
        Threshold=10,
        ComparisonOperator="GreaterThanThreshold",
    )


def practice_run(
    arn: str, outcome: str, started: datetime, away_from: str, status: str = "EXPIRED"
) -> dict[str, Any]:
    """A ``ListZonalShifts`` item: a 30-minute practice run ARC started for ``arn``."""
    return {
        "zonalShiftId": f"{arn.rpartition('/')[2][:20]}-{started:%Y%m%d%H%M}",
        "resourceIdentifier": arn,
        "awayFrom": away_from,
        "expiryTime": started + timedelta(minutes=30),
        "startTime": started,
        "status": status,
        "comment": "Zonal autoshift practice run",
        "shiftType": "PRACTICE_RUN",
        "practiceRunOutcome": outcome,
    }


class Arc:
    """The demo's ARC records of one region, built as the resources are created."""

    def __init__(self, world: DemoWorld, region: str) -> None:
        self.world, self.region = world, region
        ec2 = world.client("ec2", region)
        zones = ec2.describe_availability_zones()["AvailabilityZones"]
        self.zone_ids = [z["ZoneId"] for z in sorted(zones, key=lambda z: z["ZoneName"])]

    def manage(
        self, arn: str, name: str, alarm: str = "", runs: Runs = (), *, unpractised: bool = False
    ) -> None:
        """Registers a resource with zonal shift on. With an outcome ``alarm`` (its name), zonal
        autoshift is on, with a practice run configuration naming that alarm and finished
        practice runs (``runs``) away from the region's second AZ; ``unpractised``: autoshift
        on without a practice run configuration."""
        self.world.records(MANAGED, self.region).append(
            {
                "arn": arn,
                "name": name,
                "availabilityZones": self.zone_ids[:2],
                "appliedWeights": {zone: 1.0 for zone in self.zone_ids[:2]},
                "zonalShifts": [],
                "autoshifts": [],
                "zonalAutoshiftStatus": "ENABLED" if alarm or unpractised else "DISABLED",
                "practiceRunStatus": "ENABLED" if alarm else "DISABLED",
            }
        )
        if alarm:
            outcome = [{"type": "CLOUDWATCH", "alarmIdentifier": alarm_arn(self.region, alarm)}]
            self.world.records(CONFIGURATIONS, self.region).append(
                {"arn": arn, "practiceRunConfiguration": {"outcomeAlarms": outcome}}
            )
        self.world.records(SHIFTS, self.region).extend(
            practice_run(arn, outcome, days_ago(days), self.zone_ids[1]) for outcome, days in runs
        )

    def autoshift(self, days: int, minutes: int, applied: tuple[str, ...]) -> None:
        """An autoshift AWS started ``days`` ago away from the region's second AZ, lasting
        ``minutes``, applied to the managed resources named ``applied``."""
        started = days_ago(days, 14, 5)
        self.world.records(AUTOSHIFTS, self.region).append(
            {
                "awayFrom": self.zone_ids[1],
                "startTime": started,
                "endTime": started + timedelta(minutes=minutes),
                "status": "COMPLETED",
            }
        )
        for record in self.world.records(MANAGED, self.region):
            if record["name"] in applied:
                record["autoshifts"].append(
                    {
                        "appliedStatus": "NOT_APPLIED",
                        "awayFrom": self.zone_ids[1],
                        "startTime": started,
                    }
                )


def balancer(
    world: DemoWorld, region: str, name: str, kind: str, *attributes: dict[str, str]
) -> str:
    """A load balancer in the first two demo subnets with ``attributes`` set; its ARN."""
    elbv2 = world.client("elbv2", region)
    created = elbv2.create_load_balancer(Name=name, Subnets=world.subnets(region)[:2], Type=kind)
    arn: str = created["LoadBalancers"][0]["LoadBalancerArn"]
    if attributes:
        elbv2.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=list(attributes))
    return arn


def nlb_group(world: DemoWorld, region: str, nlb: str, name: str, cross_zone: str) -> None:
    """A TCP target group of the NLB, its unhealthy-target connections left open, with
    cross-zone load balancing ``cross_zone``."""
    elbv2 = world.client("elbv2", region)
    group = target_group(elbv2, demo_vpc(world, region), name, "ip")
    elbv2.modify_target_group_attributes(
        TargetGroupArn=group,
        Attributes=[
            {"Key": "load_balancing.cross_zone.enabled", "Value": cross_zone},
            {
                "Key": "target_health_state.unhealthy.connection_termination.enabled",
                "Value": "false",
            },
        ],
    )
    listener(elbv2, nlb, group, "TCP")


def seed_balancers(world: DemoWorld, region: str, arc: Arc) -> None:
    """Load balancers with zonal shift on: practised, with autoshift and no practice run
    configuration, with a target group in one AZ (it goes down with that group), behind an NLB
    with zonal shift off and with it on, and cross-zone NLBs with a target group zonal shift
    supports and one it does not."""
    elbv2 = world.client("elbv2", region)
    vpc = demo_vpc(world, region)
    orders = balancer(world, region, "orders-alb-practised", "application", SHIFT_ON)
    arc.manage(orders, "orders-alb-practised", "orders-5xx", (("SUCCEEDED", 10), ("SUCCEEDED", 3)))
    catalog = balancer(world, region, "catalog-alb-autoshift-unpractised", "application", SHIFT_ON)
    arc.manage(catalog, "catalog-alb-autoshift-unpractised", unpractised=True)

    cart = balancer(world, region, "cart-alb-targets-one-az", "application", SHIFT_ON)
    arc.manage(cart, "cart-alb-targets-one-az")
    group = elbv2.create_target_group(
        Name="cart-targets-one-az", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": f"10.20.0.{i}"} for i in (61, 62)])
    listener(elbv2, cart, group, "HTTP")

    for alb_name, nlb_name, nlb_shift, group_name in (
        ("app-alb-behind-nlb", "edge-nlb-shift-off", False, "edge-to-app-alb"),
        ("api-alb-behind-shifting-nlb", "api-nlb-shift-on", True, "api-nlb-to-api-alb"),
    ):
        alb = balancer(world, region, alb_name, "application", SHIFT_ON)
        arc.manage(alb, alb_name)
        nlb = balancer(world, region, nlb_name, "network", *([SHIFT_ON] if nlb_shift else []))
        if nlb_shift:
            arc.manage(nlb, nlb_name)
        albs = elbv2.create_target_group(
            Name=group_name, Protocol="TCP", Port=80, VpcId=vpc, TargetType="alb"
        )["TargetGroups"][0]["TargetGroupArn"]
        elbv2.register_targets(TargetGroupArn=albs, Targets=[{"Id": alb}])
        listener(elbv2, nlb, albs, "TCP")

    cross_zone = {"Key": "load_balancing.cross_zone.enabled", "Value": "true"}
    for name, group_cross_zone in (
        ("ingest-nlb-cross-zone-unsupported", "false"),
        ("stream-nlb-cross-zone", "use_load_balancer_configuration"),
    ):
        nlb = balancer(world, region, name, "network", SHIFT_ON, cross_zone)
        arc.manage(nlb, name)
        nlb_group(world, region, nlb, f"{name.partition('-')[0]}-targets", group_cross_zone)


GROUPS: tuple[tuple[str, str, Runs], ...] = (
    # (Auto Scaling group, the outcome alarm of its practice runs if autoshift is on, its runs)
    ("orders-asg-shift-on", "", ()),
    ("billing-asg-practice-failed", "billing-latency", (("SUCCEEDED", 9), ("FAILED", 2))),
)
CLUSTERS: tuple[tuple[str, str, Runs], ...] = (
    # (EKS cluster, the outcome alarm of its practice runs if autoshift is on, its runs)
    ("ledger-eks-shift-on", "", ()),
    ("payments-eks-alarm-missing", "payments-errors", (("SUCCEEDED", 4),)),
    ("search-eks-practice-stale", "search-latency", (("SUCCEEDED", 20), ("INTERRUPTED", 6))),
)
EXISTING_ALARMS = ("orders-5xx", "billing-latency", "search-latency")
"""The outcome alarms created; ``payments-errors`` is missing."""


def seed(world: DemoWorld, region: str) -> None:
    """Per rule a risky and a safe resource (every load balancer, group and cluster of the other
    checks' demo has zonal shift off); observer notifications on in the first demo region and
    off in the second; one autoshift AWS started, three days ago."""
    arc = Arc(world, region)
    seed_balancers(world, region, arc)
    for alarm in EXISTING_ALARMS:
        create_alarm(world, region, alarm)

    launch_configuration(world, region, LAUNCH_CONFIGURATION)
    autoscaling = world.client("autoscaling", region)
    for name, alarm, runs in GROUPS:
        auto_scaling_group(
            world, region, name, [0, 1], 0, LaunchConfigurationName=LAUNCH_CONFIGURATION
        )
        listed = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])
        policy = {"ZonalShiftEnabled": True, "ImpairedZoneHealthCheckBehavior": "IgnoreUnhealthy"}
        world.records(POLICIES, region).append(
            {"AutoScalingGroupName": name, "AvailabilityZoneImpairmentPolicy": policy}
        )
        arc.manage(listed["AutoScalingGroups"][0]["AutoScalingGroupARN"], name, alarm, runs)

    eks = world.client("eks", region)
    subnets = world.subnets(region)
    for name, alarm, runs in CLUSTERS:
        created = eks.create_cluster(
            name=name, roleArn=ROLE, resourcesVpcConfig={"subnetIds": subnets}
        )
        world.records(CLUSTER_CONFIGS, region).append(
            {"name": name, "zonalShiftConfig": {"enabled": True}}
        )
        arc.manage(created["cluster"]["arn"], name, alarm, runs)

    first = region == world.regions[0]
    world.records(OBSERVER, region).append({"status": "ENABLED" if first else "DISABLED"})
    if first:
        arc.autoshift(3, 47, ("orders-alb-practised", "billing-asg-practice-failed"))


def arc_handlers(records: Records, page_size: int) -> dict[str, Handler]:
    """ARC zonal shift's read operations over the stand-in's records (``records(store,
    region)``), listings a page at a time; a listing's status filter defaults as AWS's does."""

    def listing(
        store: str, default: str | None = None
    ) -> Callable[[dict[str, Any], str], list[Any]]:
        def found(params: dict[str, Any], region: str) -> list[Any]:
            wanted = params.get("status", default)
            return [
                r for r in records(store, region) if wanted is None or r.get("status") == wanted
            ]

        return found

    def managed(params: dict[str, Any], region: str) -> dict[str, Any]:
        arn = params["resourceIdentifier"]
        for record in records(MANAGED, region):
            if record["arn"] == arn:
                configured = [c for c in records(CONFIGURATIONS, region) if c["arn"] == arn]
                answer = {k: record[k] for k in MANAGED_FIELDS if k in record}
                answer["zonalAutoshiftStatus"] = record["zonalAutoshiftStatus"]
                if configured:
                    answer["practiceRunConfiguration"] = configured[0]["practiceRunConfiguration"]
                return answer
        raise StandinError("ResourceNotFoundException", f"{arn} is not a managed resource", 404)

    def observer(params: dict[str, Any], region: str) -> dict[str, Any]:
        found = records(OBSERVER, region)
        return {"status": found[0]["status"] if found else "DISABLED"}

    return {
        "ListManagedResources": paged(ARC, "ListManagedResources", listing(MANAGED), page_size),
        "GetManagedResource": managed,
        "ListZonalShifts": paged(ARC, "ListZonalShifts", listing(SHIFTS, "ACTIVE"), page_size),
        "ListAutoshifts": paged(ARC, "ListAutoshifts", listing(AUTOSHIFTS, "ACTIVE"), page_size),
        "GetAutoshiftObserverNotificationStatus": observer,
    }


def query_list(params: Mapping[str, Any], name: str) -> list[str]:
    """A list parameter of a query-protocol request (``Name.member.1``, ...), in order."""
    prefix = f"{name}.member."
    members = [(int(k[len(prefix) :]), v) for k, v in params.items() if k.startswith(prefix)]
    return [v for _, v in sorted(members)]


def impairment_policies(client: Callable[[str], Any], policies: Records) -> Handler:
    """``DescribeAutoScalingGroups`` answered by moto (``client(region)``), each group given the
    ``AvailabilityZoneImpairmentPolicy`` recorded for it, as AWS answers."""

    def describe(params: dict[str, Any], region: str) -> dict[str, Any]:
        asked: dict[str, Any] = {}
        if names := query_list(params, "AutoScalingGroupNames"):
            asked["AutoScalingGroupNames"] = names
        if params.get("NextToken"):
            asked["NextToken"] = params["NextToken"]
        if params.get("MaxRecords"):
            asked["MaxRecords"] = int(params["MaxRecords"])
        answer = client(region).describe_auto_scaling_groups(**asked)
        by_name = {p["AutoScalingGroupName"]: p for p in policies(POLICIES, region)}
        for group in answer["AutoScalingGroups"]:
            if policy := by_name.get(group["AutoScalingGroupName"]):
                group["AvailabilityZoneImpairmentPolicy"] = policy[
                    "AvailabilityZoneImpairmentPolicy"
                ]
        return {k: v for k, v in answer.items() if k in ("AutoScalingGroups", "NextToken")}

    return describe


def cluster_zonal_shift(client: Callable[[str], Any], configs: Records) -> Handler:
    """EKS ``DescribeCluster`` answered by moto (``client(region)``), with the cluster's
    ``zonalShiftConfig`` (and ``computeConfig``) recorded for it, as AWS answers."""

    def describe(params: dict[str, Any], region: str) -> dict[str, Any]:
        try:
            cluster = client(region).describe_cluster(name=params["name"])["cluster"]
        except ClientError as error:
            raise StandinError(error.response["Error"]["Code"], str(error), 404) from error
        for config in configs(CLUSTER_CONFIGS, region):
            if config["name"] == cluster["name"]:
                cluster.update({k: v for k, v in config.items() if k != "name"})
        return {"cluster": cluster}

    return describe


def standins(world: DemoWorld) -> dict[str, dict[str, Handler]]:
    return {
        ARC: arc_handlers(world.records, PAGE_SIZE),
        "autoscaling": {
            "DescribeAutoScalingGroups": impairment_policies(
                lambda region: world.client("autoscaling", region), world.records
            )
        },
        "eks": {
            "DescribeCluster": cluster_zonal_shift(
                lambda region: world.client("eks", region), world.records
            )
        },
    }


SEEDER = Seeder(check="zonalshift", seed=seed, standins=standins)

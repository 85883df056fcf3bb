"""ARC zonal shift: the rules on load balancer, Auto Scaling group, EKS cluster and ARC records,
and collection through moto and stand-ins for what moto lacks (ARC, the groups' impairment
policy, the clusters' zonal shift configuration), across pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from resiliency_analyser.checks import zonalshift
from resiliency_analyser.checks.api import Assessment, RootCause
from resiliency_analyser.checks.autoshift import (
    NOT_OFFERED,
    ArcRecords,
    applied_to,
    autoshift_event,
    duration,
)
from resiliency_analyser.checks.lookups import TargetRecords
from resiliency_analyser.checks.verdicts import Root
from resiliency_analyser.checks.zonalshift import Balancers, Region
from resiliency_analyser.demo.seeders.zonalshift import (
    CLUSTER_CONFIGS,
    CONFIGURATIONS,
    MANAGED,
    OBSERVER,
    POLICIES,
    SHIFTS,
    arc_handlers,
    cluster_zonal_shift,
    impairment_policies,
    practice_run,
    query_list,
)
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.standins import StartStandin, zone_listing

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
REGION = "us-east-1"
ZONE_IDS = {"us-east-1a": "use1-az6", "us-east-1b": "use1-az1", "us-east-1c": "use1-az2"}
SUBNET_ZONES = {"subnet-a": "us-east-1a", "subnet-b": "us-east-1b", "subnet-c": "us-east-1c"}
ASG = f"arn:aws:autoscaling:{REGION}:111122223333:autoScalingGroup:1:autoScalingGroupName/web"
ALARM = f"arn:aws:cloudwatch:{REGION}:111122223333:alarm:web-5xx"
ON = {"ZonalShiftEnabled": True, "ImpairedZoneHealthCheckBehavior": "IgnoreUnhealthy"}


def auto_scaling_group(policy: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """A DescribeAutoScalingGroups record over AZs a and b."""
    return {
        "AutoScalingGroupName": "web",
        "AutoScalingGroupARN": ASG,
        "VPCZoneIdentifier": "subnet-a,subnet-b",
        "DesiredCapacity": 2,
        **({"AvailabilityZoneImpairmentPolicy": policy} if policy is not None else {}),
        **fields,
    }


def run(outcome: str, days: float, away: str = "use1-az1") -> dict[str, Any]:
    return practice_run(ASG, outcome, NOW - timedelta(days=days), away)


def managed(autoshift: bool = True, configured: bool = True, **fields: Any) -> dict[str, Any]:
    """A ListManagedResources summary of the group."""
    return {
        "arn": ASG,
        "name": "web",
        "zonalAutoshiftStatus": "ENABLED" if autoshift else "DISABLED",
        "practiceRunStatus": "ENABLED" if configured else "DISABLED",
        **fields,
    }


def arc(
    *runs: dict[str, Any],
    summary: dict[str, Any] | None = None,
    alarms: tuple[str, ...] = (ALARM,),
    found: tuple[str, ...] = (ALARM,),
    configured: bool = True,
) -> ArcRecords:
    """ARC's records of the group: autoshift on, a practice run configuration with ``alarms``
    (none without ``configured``), those of them that exist, and its finished practice runs."""
    configuration = {
        "outcomeAlarms": [{"type": "CLOUDWATCH", "alarmIdentifier": a} for a in alarms]
    }
    return ArcRecords(
        managed={ASG: summary or managed(configured=configured)},
        configurations={ASG: configuration} if configured else {},
        practice_runs={ASG: list(runs)},
        alarms_checked=frozenset(a for a in alarms if f":{REGION}:" in a),
        alarms_found=frozenset(found),
    )


def judge_group(group: dict[str, Any], records: ArcRecords) -> Assessment:
    region = Region(groups=[group], subnet_zones=SUBNET_ZONES, arc=records, zone_ids=ZONE_IDS)
    [found] = [a for a in zonalshift.assess(region, NOW) if a.resource_arn]
    return found


GROUP = "Auto Scaling group in 2 AZ(s): us-east-1a, us-east-1b; "
SHIFT_ON = (
    GROUP + "zonal shift on (instances failing health checks in a shifted AZ: IgnoreUnhealthy)"
)
PRACTISED = SHIFT_ON + "; zonal autoshift on, with practice runs; "
LAST_SUCCESS = (
    "last practice run on 2025-03-17 12:00 UTC, shifting away from use1-az1 (us-east-1b): succeeded"
)


@pytest.mark.parametrize(
    ("group", "records", "check_id", "risk", "message"),
    [
        pytest.param(
            auto_scaling_group(),
            ArcRecords(),
            "zonalshift.asg_shift_off",
            True,
            GROUP + "zonal shift off (AvailabilityZoneImpairmentPolicy.ZonalShiftEnabled false): "
            "a shift cannot stop it launching instances in an impaired AZ",
            id="no impairment policy",
        ),
        pytest.param(
            auto_scaling_group({"ZonalShiftEnabled": False}),
            ArcRecords(),
            "zonalshift.asg_shift_off",
            True,
            GROUP + "zonal shift off",
            id="zonal shift off",
        ),
        pytest.param(
            auto_scaling_group(ON),
            ArcRecords(),
            "zonalshift.asg_shift_off",
            False,
            SHIFT_ON + "; not (yet) among ARC's managed resources",
            id="on, not listed by ARC yet",
        ),
        pytest.param(
            auto_scaling_group(ON),
            NOT_OFFERED,
            "zonalshift.asg_shift_off",
            False,
            SHIFT_ON + "; ARC zonal shift is not offered in the region",
            id="ARC not offered",
        ),
        pytest.param(
            auto_scaling_group(ON),
            ArcRecords(managed={ASG: managed(autoshift=False, configured=False)}),
            "zonalshift.asg_shift_off",
            False,
            SHIFT_ON + "; zonal autoshift off",
            id="autoshift off",
        ),
        pytest.param(
            auto_scaling_group(ON),
            ArcRecords(
                managed={
                    ASG: managed(
                        autoshift=False,
                        zonalShifts=[{"appliedStatus": "APPLIED", "awayFrom": "use1-az6"}],
                    )
                }
            ),
            "zonalshift.asg_shift_off",
            False,
            SHIFT_ON
            + "; zonal autoshift off; traffic shifted away now from: use1-az6 (us-east-1a)",
            id="a shift in effect",
        ),
        pytest.param(
            auto_scaling_group(ON),
            arc(configured=False),
            "zonalshift.asg_autoshift_unpractised",
            True,
            SHIFT_ON + "; zonal autoshift on without a practice run configuration: AWS requires "
            "practice runs with an outcome alarm, which prove the other AZs can take the load",
            id="autoshift without a practice run configuration",
        ),
        pytest.param(
            auto_scaling_group(ON),
            arc(run("SUCCEEDED", 3), alarms=(), found=()),
            "zonalshift.asg_autoshift_unpractised",
            True,
            SHIFT_ON + "; zonal autoshift on without an outcome alarm",
            id="a configuration without an outcome alarm",
        ),
        pytest.param(
            auto_scaling_group(ON),
            arc(run("SUCCEEDED", 10), run("SUCCEEDED", 3)),
            "zonalshift.asg_shift_off",
            False,
            PRACTISED + LAST_SUCCESS + "; 1 outcome alarm(s) found; a practice run succeeded "
            "within 14 days",
            id="practised",
        ),
        pytest.param(
            auto_scaling_group(ON),
            arc(run("SUCCEEDED", 3), found=()),
            "zonalshift.asg_outcome_alarm_missing",
            True,
            "; outcome alarm(s) that do not exist: web-5xx;",
            id="the outcome alarm does not exist",
        ),
        pytest.param(
            auto_scaling_group(ON),
            arc(
                run("SUCCEEDED", 3),
                alarms=(ALARM, "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:global"),
            ),
            "zonalshift.asg_shift_off",
            False,
            "; 1 outcome alarm(s) found; not looked up (another account or region): global;",
            id="an alarm of another region is not looked up",
        ),
        pytest.param(
            auto_scaling_group(ON),
            arc(run("SUCCEEDED", 10), run("FAILED", 3, "use1-az6"), run("INTERRUPTED", 1)),
            "zonalshift.asg_practice_failed",
            True,
            PRACTISED + "last practice run on 2025-03-17 12:00 UTC, shifting away from use1-az6 "
            "(us-east-1a): failed (its outcome alarm went into ALARM while traffic was shifted)",
            id="last conclusive practice run failed",
        ),
        pytest.param(
            auto_scaling_group(ON),
            arc(run("CAPACITY_CHECK_FAILED", 3)),
            "zonalshift.asg_practice_failed",
            True,
            "failed its capacity check (ARC found the other AZs without the capacity to take the "
            "load); 1 outcome alarm(s) found; no successful practice run on record",
            id="capacity check failed",
        ),
        pytest.param(
            auto_scaling_group(ON),
            arc(run("FAILED", 5), run("SUCCEEDED", 3)),
            "zonalshift.asg_shift_off",
            False,
            LAST_SUCCESS,
            id="a failure since followed by a success",
        ),
        pytest.param(
            auto_scaling_group(ON),
            arc(run("SUCCEEDED", 20), run("PENDING", 0)),
            "zonalshift.asg_practice_stale",
            True,
            "; no successful practice run in the last 14 days (the last on 2025-02-28 12:00 UTC)",
            id="no success in 14 days",
        ),
        pytest.param(
            auto_scaling_group(ON),
            arc(),
            "zonalshift.asg_practice_stale",
            True,
            PRACTISED + "no finished practice run on record; 1 outcome alarm(s) found; no "
            "successful practice run on record",
            id="no practice run at all",
        ),
    ],
)
def test_auto_scaling_group_rules(
    group: dict[str, Any], records: ArcRecords, check_id: str, risk: bool, message: str
) -> None:
    found = judge_group(group, records)
    assert (found.check_id, found.risk) == (check_id, risk)
    assert message in found.message
    assert found.availability_zones == ("us-east-1a", "us-east-1b")


@pytest.mark.parametrize(
    "group",
    [
        pytest.param(auto_scaling_group(VPCZoneIdentifier="subnet-a"), id="one AZ"),
        pytest.param(auto_scaling_group(Status="Delete in progress"), id="being deleted"),
        pytest.param(
            auto_scaling_group(Tags=[{"Key": "eks:nodegroup-name", "Value": "ng"}]),
            id="a managed node group's, judged with its cluster",
        ),
    ],
)
def test_groups_in_one_az_deleted_or_of_node_groups_are_not_judged(group: dict[str, Any]) -> None:
    region = Region(groups=[group], subnet_zones=SUBNET_ZONES, arc=ArcRecords(observer="ENABLED"))
    assert zonalshift.assess(region, NOW) == []


# --- load balancers

LB = f"arn:aws:elasticloadbalancing:{REGION}:111122223333:loadbalancer/app/web/1"
NLB = f"arn:aws:elasticloadbalancing:{REGION}:111122223333:loadbalancer/net/edge/2"
HEALTHY = {"State": "healthy"}
INSTANCES = [
    {"InstanceId": f"i-{z}{n}", "Placement": {"AvailabilityZone": f"us-east-1{z}"}}
    for z in "ab"
    for n in (1, 2)
]


def load_balancer(arn: str = LB, kind: str = "application", zones: str = "ab") -> dict[str, Any]:
    return {
        "LoadBalancerArn": arn,
        "LoadBalancerName": arn.split("/")[-2],
        "Type": kind,
        "State": {"Code": "active"},
        "AvailabilityZones": [{"ZoneName": f"us-east-1{z}"} for z in zones],
    }


def group_arn(name: str) -> str:
    return f"arn:aws:elasticloadbalancing:{REGION}:111122223333:targetgroup/{name}/1"


def target_group(
    name: str, balancer: str, targets: list[str], kind: str = "instance", protocol: str = "HTTP"
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A DescribeTargetGroups record and its healthy targets' DescribeTargetHealth records."""
    record = {
        "TargetGroupArn": group_arn(name),
        "TargetGroupName": name,
        "TargetType": kind,
        "Protocol": protocol,
        "LoadBalancerArns": [balancer],
    }
    return record, [{"Target": {"Id": t}, "TargetHealth": HEALTHY} for t in targets]


def balancers(
    records: list[dict[str, Any]],
    groups: list[tuple[dict[str, Any], list[dict[str, Any]]]],
    attributes: dict[str, dict[str, str]],
    group_attributes: dict[str, dict[str, str]] | None = None,
    roots: dict[str, Root] | None = None,
) -> Balancers:
    return Balancers(
        records=records,
        attributes=attributes,
        targets=TargetRecords(
            target_groups=[g for g, _ in groups],
            target_health={g["TargetGroupArn"]: h for g, h in groups},
            instances=INSTANCES,
        ),
        group_attributes=group_attributes or {},
        roots=roots or {},
    )


def judge_balancers(found: Balancers) -> dict[str, Assessment]:
    region = Region(balancers=found, arc=ArcRecords(), zone_ids=ZONE_IDS)
    return {a.resource_name: a for a in zonalshift.assess(region, NOW) if a.resource_arn}


SHIFT = {"zonal_shift.config.enabled": "true"}
OFF = {"zonal_shift.config.enabled": "false"}
CROSS_ZONE = {**SHIFT, "load_balancing.cross_zone.enabled": "true"}
SUPPORTED = {"target_health_state.unhealthy.connection_termination.enabled": "false"}


def test_a_load_balancer_with_zonal_shift_off_is_a_low_risk() -> None:
    found = judge_balancers(
        balancers([load_balancer()], [target_group("web", LB, ["i-a1", "i-b1"])], {LB: OFF})
    )
    assert (found["web"].check_id, found["web"].risk) == ("zonalshift.lb_shift_off", True)
    assert found["web"].message == (
        "Application Load Balancer in 2 AZ(s): us-east-1a, us-east-1b; zonal shift off "
        "(zonal_shift.config.enabled false): traffic leaves an impaired AZ only as far as health "
        "checks fail there"
    )
    assert found["web"].engine == "application"


@pytest.mark.parametrize(
    ("targets", "kind", "rooted"),
    [
        pytest.param(["i-a1", "i-a2"], "instance", True, id="healthy targets in one AZ"),
        pytest.param(["i-a1", "i-b1"], "instance", False, id="in two AZs"),
        pytest.param([], "instance", False, id="no healthy target"),
        pytest.param(["arn:aws:lambda:us-east-1:1:function:f"], "lambda", False, id="Lambda"),
    ],
)
def test_a_target_group_in_one_az_goes_down_with_its_own_risk(
    targets: list[str], kind: str, rooted: bool
) -> None:
    found = judge_balancers(
        balancers([load_balancer()], [target_group("web", LB, targets, kind)], {LB: SHIFT})
    )["web"]
    assert found.risk is False
    if not rooted:
        assert (found.check_id, found.root_cause) == ("zonalshift.lb_shift_off", None)
        return
    assert found.check_id == "zonalshift.lb_targets_one_az"
    assert found.root_cause == RootCause(
        check_id="elb.target_group_zones", resource_arn=group_arn("web")
    )
    assert (
        "; target group web has every healthy target in us-east-1a: a shift away from that AZ "
        "leaves it none, so the load balancer fails open and the shift does nothing; it goes "
        "down with its target group web (elb.target_group_zones), the root cause" in found.message
    )


def test_a_target_group_filled_by_a_risk_goes_down_with_that_risk() -> None:
    cause = RootCause(check_id="autoscaling.group_zones", resource_arn=ASG)
    found = judge_balancers(
        balancers(
            [load_balancer()],
            [target_group("web", LB, ["i-a1"])],
            {LB: SHIFT},
            roots={group_arn("web"): Root(cause, "its Auto Scaling group web")},
        )
    )["web"]
    assert (found.risk, found.root_cause) == (False, cause)
    assert "it goes down with its Auto Scaling group web (autoscaling.group_zones)" in found.message


@pytest.mark.parametrize(
    ("attributes", "protocol", "kind", "group_attributes", "problems"),
    [
        pytest.param(CROSS_ZONE, "TCP", "ip", SUPPORTED, "", id="supported"),
        pytest.param(
            CROSS_ZONE,
            "TCP",
            "ip",
            {**SUPPORTED, "load_balancing.cross_zone.enabled": "false"},
            "edge-tg (cross-zone load balancing off)",
            id="group cross-zone off",
        ),
        pytest.param(
            CROSS_ZONE,
            "UDP",
            "ip",
            {"load_balancing.cross_zone.enabled": "use_load_balancer_configuration"},
            "edge-tg (protocol UDP, not TCP or TLS, connections to unhealthy targets terminated)",
            id="UDP, termination by default",
        ),
        pytest.param(
            CROSS_ZONE,
            "TCP",
            "alb",
            SUPPORTED,
            "edge-tg (an Application Load Balancer as its target)",
            id="ALB target",
        ),
        pytest.param(
            SHIFT,
            "UDP",
            "ip",
            {"load_balancing.cross_zone.enabled": "false"},
            "",
            id="cross-zone off on the NLB: any group",
        ),
    ],
)
def test_a_cross_zone_nlb_shifts_only_with_target_groups_zonal_shift_supports(
    attributes: dict[str, str],
    protocol: str,
    kind: str,
    group_attributes: dict[str, str],
    problems: str,
) -> None:
    group = target_group("edge-tg", NLB, [], kind, protocol)
    found = judge_balancers(
        balancers(
            [load_balancer(NLB, "network")],
            [group],
            {NLB: attributes},
            {group_arn("edge-tg"): group_attributes},
        )
    )["edge"]
    assert (found.check_id, found.risk) == (
        ("zonalshift.nlb_target_group_unsupported", True)
        if problems
        else ("zonalshift.lb_shift_off", False)
    )
    if problems:
        assert (
            "; cross-zone load balancing on, with target groups zonal shift does not support: "
            + problems
            in found.message
        )


def test_an_nlb_with_zonal_shift_off_names_what_keeps_it_from_being_turned_on() -> None:
    group = target_group("edge-tg", NLB, [], "ip", "TCP")
    found = judge_balancers(
        balancers(
            [load_balancer(NLB, "network")],
            [group],
            {NLB: {**CROSS_ZONE, **OFF}},
            {group_arn("edge-tg"): {"load_balancing.cross_zone.enabled": "false", **SUPPORTED}},
        )
    )["edge"]
    assert (found.check_id, found.risk) == ("zonalshift.lb_shift_off", True)
    assert found.message.endswith(
        "; before it can be turned on, fix its target groups: edge-tg (cross-zone load "
        "balancing off)"
    )


@pytest.mark.parametrize(("nlb_shift", "risk"), [(OFF, True), (SHIFT, False)])
def test_an_alb_behind_an_nlb_shifts_only_with_the_nlb(
    nlb_shift: dict[str, str], risk: bool
) -> None:
    front = target_group("to-web", NLB, [LB], "alb", "TCP")
    found = judge_balancers(
        balancers(
            [load_balancer(), load_balancer(NLB, "network")],
            [front],
            {LB: SHIFT, NLB: nlb_shift},
            {group_arn("to-web"): SUPPORTED},
        )
    )
    alb = found["web"]
    assert (alb.check_id, alb.risk) == (
        ("zonalshift.alb_behind_nlb", True) if risk else ("zonalshift.lb_shift_off", False)
    )
    if risk:
        assert (
            "; behind Network Load Balancer(s) with zonal shift off: edge (target group to-web); "
            "a shift of this ALB alone leaves them sending it traffic through the impaired AZ"
            in alb.message
        )


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(load_balancer(zones="a"), id="one AZ"),
        pytest.param(load_balancer(kind="gateway"), id="Gateway Load Balancer"),
        pytest.param({**load_balancer(), "State": {"Code": "provisioning"}}, id="provisioning"),
    ],
)
def test_load_balancers_zonal_shift_cannot_serve_are_not_judged(record: dict[str, Any]) -> None:
    assert judge_balancers(balancers([record], [], {LB: OFF})) == {}


def test_the_autoshift_rules_judge_load_balancers_too() -> None:
    records = ArcRecords(managed={LB: {**managed(configured=False), "arn": LB}})
    region = Region(
        balancers=balancers([load_balancer()], [], {LB: SHIFT}), arc=records, zone_ids=ZONE_IDS
    )
    [found, _] = zonalshift.assess(region, NOW)
    assert (found.check_id, found.risk) == ("zonalshift.lb_autoshift_unpractised", True)


# --- EKS clusters

CLUSTER = f"arn:aws:eks:{REGION}:111122223333:cluster/web"


def cluster(enabled: bool | None, subnets: str = "abc", **fields: Any) -> dict[str, Any]:
    """A DescribeCluster ``cluster``."""
    return {
        "name": "web",
        "arn": CLUSTER,
        "status": "ACTIVE",
        "version": "1.31",
        "resourcesVpcConfig": {"subnetIds": [f"subnet-{z}" for z in subnets]},
        "tags": {"team": "shop"},
        **({"zonalShiftConfig": {"enabled": enabled}} if enabled is not None else {}),
        **fields,
    }


CLUSTER_ZONES = "EKS cluster with subnets in 3 AZ(s): us-east-1a, us-east-1b, us-east-1c; "


@pytest.mark.parametrize(
    ("record", "check_id", "risk", "message"),
    [
        pytest.param(
            cluster(None),
            "zonalshift.eks_shift_off",
            True,
            CLUSTER_ZONES + "zonal shift off (zonalShiftConfig.enabled false): in-cluster traffic "
            "keeps reaching pods in an impaired AZ, and managed node groups keep launching nodes "
            "there",
            id="off",
        ),
        pytest.param(
            cluster(True),
            "zonalshift.eks_shift_off",
            False,
            CLUSTER_ZONES + "zonal shift on; zonal autoshift off",
            id="on",
        ),
        pytest.param(
            cluster(False, computeConfig={"enabled": True}),
            "zonalshift.eks_shift_off",
            False,
            CLUSTER_ZONES + "EKS Auto Mode, which zonal shift does not support: not judged",
            id="Auto Mode",
        ),
    ],
)
def test_eks_cluster_rules(record: dict[str, Any], check_id: str, risk: bool, message: str) -> None:
    records = ArcRecords(managed={CLUSTER: {"arn": CLUSTER, "zonalAutoshiftStatus": "DISABLED"}})
    region = Region(clusters=[record], subnet_zones=SUBNET_ZONES, arc=records)
    [found, _] = zonalshift.assess(region, NOW)
    assert (found.check_id, found.risk, found.message) == (check_id, risk, message)
    assert (found.engine, found.tags) == ("Kubernetes 1.31", (("team", "shop"),))


@pytest.mark.parametrize(
    "record",
    [cluster(None, "a"), cluster(None, status="CREATING"), cluster(None, status="FAILED")],
    ids=["one AZ", "being created", "failed"],
)
def test_clusters_in_one_az_or_not_active_are_not_judged(record: dict[str, Any]) -> None:
    assert zonalshift.assess(Region(clusters=[record], subnet_zones=SUBNET_ZONES), NOW) == []


# --- the region's own findings


def autoshift(status: str, started: datetime, minutes: int | None) -> dict[str, Any]:
    """A ListAutoshifts item away from use1-az1."""
    ended = {"endTime": started + timedelta(minutes=minutes)} if minutes is not None else {}
    return {"awayFrom": "use1-az1", "startTime": started, "status": status, **ended}


def test_an_autoshift_aws_started_is_located_in_the_az_it_left_and_names_what_it_moved() -> None:
    started = datetime(2025, 3, 2, 14, 5, tzinfo=UTC)
    shift = autoshift("COMPLETED", started, 47)
    summary = managed(autoshifts=[{"awayFrom": "use1-az1", "startTime": started}])
    records = ArcRecords(managed={ASG: summary}, autoshifts=[shift], observer="ENABLED")
    region = Region(
        groups=[auto_scaling_group(ON)], subnet_zones=SUBNET_ZONES, arc=records, zone_ids=ZONE_IDS
    )
    found = {a.check_id: a for a in zonalshift.assess(region, NOW)}
    event = found["zonalshift.aws_autoshift"]
    assert event.message == (
        "AWS shifted traffic away from use1-az1 (us-east-1b) on 2025-03-02 14:05 UTC, for 47 min; "
        "applied to: web"
    )
    assert (event.risk, event.location, event.availability_zones) == (
        False,
        "us-east-1b",
        ("us-east-1b",),
    )
    assert event.resource_id == "autoshift/use1-az1/2025-03-02T14:05:00Z"
    assert found["zonalshift.observer_notifications_off"].risk is False


def test_an_active_autoshift_says_how_long_so_far_and_an_unknown_az_is_named_by_its_id() -> None:
    shift = autoshift("ACTIVE", NOW - timedelta(hours=3, minutes=5), None)
    event = autoshift_event("zonalshift.aws_autoshift", shift, {}, [], NOW)
    assert event is not None
    assert event.message == (
        "AWS is shifting traffic away from use1-az1, since 2025-03-20 08:55 UTC (3 h 5 min so "
        "far); applied to none of the judged resources"
    )
    assert (event.location, event.availability_zones) == ("", ())
    assert autoshift_event("id.x", {"status": "ACTIVE"}, {}, [], NOW) is None
    assert applied_to(shift, ArcRecords(), {ASG: "web"}) == []


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0.4, "0 min"), (47, "47 min"), (60, "1 h"), (185, "3 h 5 min"), (3000, "2 d 2 h")],
)
def test_durations_read_as_a_person_says_them(minutes: float, text: str) -> None:
    assert duration(timedelta(minutes=minutes)) == text


@pytest.mark.parametrize(
    ("records", "observer"),
    [
        pytest.param(ArcRecords(observer="DISABLED"), True, id="off: a risk"),
        pytest.param(ArcRecords(observer="ENABLED"), False, id="on"),
        pytest.param(NOT_OFFERED, None, id="ARC not offered: no finding"),
    ],
)
def test_observer_notifications_are_judged_once_per_region_with_resources(
    records: ArcRecords, observer: bool | None
) -> None:
    region = Region(groups=[auto_scaling_group()], subnet_zones=SUBNET_ZONES, arc=records)
    found = {a.check_id: a for a in zonalshift.assess(region, NOW)}
    if observer is None:
        assert "zonalshift.observer_notifications_off" not in found
        return
    account = found["zonalshift.observer_notifications_off"]
    assert account.risk is observer
    assert account.resource_id == "autoshift-observer-notification"
    assert zonalshift.assess(Region(arc=records), NOW) == [], "no resource, no autoshift: nothing"


# --- collection

ARC_PAGE = 1


def arc_records(store: dict[str, list[dict[str, Any]]]) -> Any:
    def records(name: str, region: str) -> list[dict[str, Any]]:
        return store.setdefault(name, [])

    return records


def vpc_in_two_zones(boto: Boto) -> tuple[str, list[str]]:
    """A new VPC and a subnet of it in each of the region's AZs ``a`` and ``b``."""
    ec2 = boto("ec2", REGION)
    vpc: str = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"{REGION}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in enumerate("ab")
    ]
    return vpc, subnets


def found_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_collection_reads_every_page_and_only_what_the_rules_need(
    boto: Boto, run_cli: RunCli, standin: StartStandin, aws_env: str
) -> None:
    """Groups and clusters from moto with the fields moto lacks added by stand-ins; ARC from its
    stand-in a record a page; outcome alarms from moto."""
    _, subnets = vpc_in_two_zones(boto)
    autoscaling = boto("autoscaling", REGION)
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="lc", ImageId="ami-12c6146b", InstanceType="t3.micro"
    )
    names = ["off", "on", "practised", "failing", "unconfigured"]
    for name in names:
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName=name,
            LaunchConfigurationName="lc",
            MinSize=0,
            MaxSize=1,
            VPCZoneIdentifier=",".join(subnets),
        )
    arns = {
        g["AutoScalingGroupName"]: g["AutoScalingGroupARN"]
        for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]
    }
    eks = boto("eks", REGION)
    for name in ("kube-off", "kube-on"):
        eks.create_cluster(
            name=name,
            roleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/eks",
            resourcesVpcConfig={"subnetIds": subnets},
        )
    boto("cloudwatch", REGION).put_metric_alarm(
        AlarmName="practised-5xx",
        Namespace="AWS/ApplicationELB",
        MetricName="HTTPCode_Target_5XX_Count",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
    )
    alarm = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT_ID}:alarm:"
    now = datetime.now(UTC)
    store: dict[str, list[dict[str, Any]]] = {
        POLICIES: [
            {"AutoScalingGroupName": n, "AvailabilityZoneImpairmentPolicy": ON} for n in names[1:]
        ],
        CLUSTER_CONFIGS: [{"name": "kube-on", "zonalShiftConfig": {"enabled": True}}],
        MANAGED: [
            {
                "arn": arns[name],
                "name": name,
                "zonalAutoshiftStatus": "DISABLED" if name == "on" else "ENABLED",
                "practiceRunStatus": "DISABLED" if name in ("on", "unconfigured") else "ENABLED",
            }
            for name in names[1:]
        ],
        CONFIGURATIONS: [
            {
                "arn": arns[name],
                "practiceRunConfiguration": {
                    "outcomeAlarms": [
                        {"type": "CLOUDWATCH", "alarmIdentifier": alarm + f"{name}-5xx"}
                    ]
                },
            }
            for name in ("practised", "failing")
        ],
        SHIFTS: [
            practice_run(arns["practised"], "SUCCEEDED", now - timedelta(days=2), "use1-az1"),
            practice_run(arns["failing"], "SUCCEEDED", now - timedelta(days=9), "use1-az1"),
            practice_run(
                arns["failing"], "FAILED", now - timedelta(days=1), "use1-az1", status="CANCELED"
            ),
            {**practice_run(arns["on"], "PENDING", now, "use1-az1"), "status": "ACTIVE"},
        ],
        "arc-zonal-shift/autoshifts": [
            autoshift("COMPLETED", now - timedelta(days=5), 30),
            autoshift("COMPLETED", now - timedelta(days=4), 12),
            autoshift("ACTIVE", now - timedelta(minutes=20), None),
        ],
        OBSERVER: [{"status": "DISABLED"}],
    }
    records = arc_records(store)
    served = standin("arc-zonal-shift", arc_handlers(records, ARC_PAGE))
    groups = standin(
        "autoscaling",
        {
            "DescribeAutoScalingGroups": paged(
                "autoscaling",
                "DescribeAutoScalingGroups",
                lambda p, r: impairment_policies(lambda _: autoscaling, records)({}, r)[
                    "AutoScalingGroups"
                ],
                2,
            )
        },
    )
    standin("eks", {"DescribeCluster": cluster_zonal_shift(lambda _: eks, records)}, aws_env)

    found = run_cli("scan", "-r", REGION, "-s", "zonalshift", "--stdout", "jsonl")
    assert found.code == 0, found.stderr
    by_name = {f["resource_name"]: f for f in found_lines(found.stdout)}
    assert {n: (f["check_id"], f["potential_single_az_risk"]) for n, f in by_name.items()} == {
        "off": ("zonalshift.asg_shift_off", True),
        "on": ("zonalshift.asg_shift_off", False),
        "practised": ("zonalshift.asg_shift_off", False),
        "failing": ("zonalshift.asg_practice_failed", True),
        "unconfigured": ("zonalshift.asg_autoshift_unpractised", True),
        "kube-off": ("zonalshift.eks_shift_off", True),
        "kube-on": ("zonalshift.eks_shift_off", False),
        "AWS autoshift away from use1-az1": ("zonalshift.aws_autoshift", False),
        "zonal autoshift observer notification": ("zonalshift.observer_notifications_off", True),
    }
    events = [f for f in found_lines(found.stdout) if f["check_id"] == "zonalshift.aws_autoshift"]
    assert len(events) == 3
    assert "outcome alarm(s) that do not exist: failing-5xx" in by_name["failing"]["message"]

    asked = [(op, p) for _, op, p in served.requests]
    listings = {op: [p.get("nextToken") for o, p in asked if o == op] for op, _ in asked}
    assert listings["ListManagedResources"] == [None, "1", "2", "3"], "four resources, a page each"
    assert sorted(
        p["status"] for o, p in asked if o == "ListZonalShifts" and not p.get("nextToken")
    ) == [
        "CANCELED",
        "EXPIRED",
    ]
    assert sorted(
        str(p.get("status")) for o, p in asked if o == "ListAutoshifts" and not p.get("nextToken")
    ) == [
        "ACTIVE",
        "COMPLETED",
    ]
    described = sorted(p["resourceIdentifier"] for o, p in asked if o == "GetManagedResource")
    assert described == sorted([arns["practised"], arns["failing"]]), "configured, autoshift on"
    assert [p.get("NextToken") for _, _, p in groups.requests] == [None, "2", "4"]

    only = run_cli(
        "scan", "-r", REGION, "-s", "zonalshift", "--report-only-risks", "--stdout", "jsonl"
    )
    written = {f["resource_name"] for f in found_lines(only.stdout)}
    assert written == {
        "off",
        "failing",
        "unconfigured",
        "kube-off",
        "AWS autoshift away from use1-az1",
        "zonal autoshift observer notification",
    }, "the risks, and AWS's autoshifts, which are no resource's verdict"


def test_load_balancers_are_read_once_per_region_with_the_registrations_elb_reads(
    boto: Boto, run_cli: RunCli, standin: StartStandin, aws_env: str
) -> None:
    """elb and zonalshift together: one DescribeTargetHealth per target group, one attributes
    call per load balancer, and per target group of an NLB when one has cross-zone load balancing
    on, all through moto."""
    vpc, subnets = vpc_in_two_zones(boto)
    elbv2 = boto("elbv2", REGION)

    def forward(balancer: str, name: str, kind: str, protocol: str, **attributes: str) -> str:
        group: str = elbv2.create_target_group(
            Name=name, Protocol=protocol, Port=80, VpcId=vpc, TargetType=kind
        )["TargetGroups"][0]["TargetGroupArn"]
        if attributes:
            elbv2.modify_target_group_attributes(
                TargetGroupArn=group,
                Attributes=[{"Key": k, "Value": v} for k, v in attributes.items()],
            )
        elbv2.create_listener(
            LoadBalancerArn=balancer,
            Protocol=protocol,
            Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
        )
        return group

    shift = {"Key": "zonal_shift.config.enabled", "Value": "true"}
    front = elbv2.create_load_balancer(Name="front", Subnets=subnets)["LoadBalancers"][0][
        "LoadBalancerArn"
    ]
    elbv2.modify_load_balancer_attributes(LoadBalancerArn=front, Attributes=[shift])
    web = forward(front, "web", "ip", "HTTP")
    elbv2.register_targets(TargetGroupArn=web, Targets=[{"Id": "10.9.0.10"}, {"Id": "10.9.1.10"}])
    edge = elbv2.create_load_balancer(Name="edge", Subnets=subnets, Type="network")[
        "LoadBalancers"
    ][0]["LoadBalancerArn"]
    to_front = forward(edge, "to-front", "alb", "TCP")
    elbv2.register_targets(TargetGroupArn=to_front, Targets=[{"Id": front}])
    stream = elbv2.create_load_balancer(Name="stream", Subnets=subnets, Type="network")[
        "LoadBalancers"
    ][0]["LoadBalancerArn"]
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=stream,
        Attributes=[shift, {"Key": "load_balancing.cross_zone.enabled", "Value": "true"}],
    )
    stream_tcp = forward(
        stream,
        "stream-tcp",
        "ip",
        "TCP",
        **{
            "load_balancing.cross_zone.enabled": "false",
            "target_health_state.unhealthy.connection_termination.enabled": "false",
        },
    )

    def relayed(operation: str, key: str) -> Any:
        def handle(params: dict[str, Any], region: str) -> dict[str, Any]:
            answer = getattr(elbv2, operation)(**{key: params[key]})
            return {k: v for k, v in answer.items() if k != "ResponseMetadata"}

        return handle

    served = standin(
        "elbv2",
        {
            "DescribeTargetHealth": relayed("describe_target_health", "TargetGroupArn"),
            "DescribeLoadBalancerAttributes": relayed(
                "describe_load_balancer_attributes", "LoadBalancerArn"
            ),
            "DescribeTargetGroupAttributes": relayed(
                "describe_target_group_attributes", "TargetGroupArn"
            ),
        },
        aws_env,
    )
    standin("arc-zonal-shift", arc_handlers(arc_records({}), ARC_PAGE))

    found = run_cli("scan", "-r", REGION, "-s", "elb,zonalshift", "--stdout", "jsonl")
    assert found.code == 0, found.stderr
    judged = {
        f["resource_name"]: (f["check_id"], f["potential_single_az_risk"])
        for f in found_lines(found.stdout)
        if f["service"] == "zonalshift"
    }
    assert judged == {
        "front": ("zonalshift.alb_behind_nlb", True),
        "edge": ("zonalshift.lb_shift_off", True),
        "stream": ("zonalshift.nlb_target_group_unsupported", True),
        "zonal autoshift observer notification": ("zonalshift.observer_notifications_off", True),
    }
    calls: dict[str, list[str]] = {}
    for _, operation, params in served.requests:
        calls.setdefault(operation, []).append(
            params.get("TargetGroupArn") or params.get("LoadBalancerArn", "")
        )
    groups = sorted([web, to_front, stream_tcp])
    assert sorted(calls["DescribeTargetHealth"]) == groups, "once each, shared with elb"
    assert sorted(calls["DescribeLoadBalancerAttributes"]) == sorted([front, edge, stream])
    assert sorted(calls["DescribeTargetGroupAttributes"]) == sorted([to_front, stream_tcp]), (
        "each group an NLB forwards to, once; an ALB's groups are not described"
    )


def test_outcome_alarms_are_looked_up_a_hundred_names_a_call_metric_and_composite(
    boto: Boto, run_cli: RunCli, standin: StartStandin, aws_env: str
) -> None:
    _, subnets = vpc_in_two_zones(boto)
    eks = boto("eks", REGION)
    arn = eks.create_cluster(
        name="kube",
        roleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/eks",
        resourcesVpcConfig={"subnetIds": subnets},
    )["cluster"]["arn"]
    names = [f"alarm-{i:03d}" for i in range(101)]
    prefix = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT_ID}:alarm:"
    store: dict[str, list[dict[str, Any]]] = {
        CLUSTER_CONFIGS: [{"name": "kube", "zonalShiftConfig": {"enabled": True}}],
        MANAGED: [{"arn": arn, "zonalAutoshiftStatus": "ENABLED", "practiceRunStatus": "ENABLED"}],
        CONFIGURATIONS: [
            {
                "arn": arn,
                "practiceRunConfiguration": {
                    "outcomeAlarms": [
                        {"type": "CLOUDWATCH", "alarmIdentifier": prefix + n} for n in names
                    ]
                },
            }
        ],
        OBSERVER: [{"status": "ENABLED"}],
    }
    records = arc_records(store)
    standin("arc-zonal-shift", arc_handlers(records, ARC_PAGE))
    standin("eks", {"DescribeCluster": cluster_zonal_shift(lambda _: eks, records)}, aws_env)

    def alarms(params: dict[str, Any], region: str) -> dict[str, Any]:
        asked = query_list(params, "AlarmNames")
        return {
            "MetricAlarms": [
                {"AlarmName": n, "AlarmArn": prefix + n} for n in asked if n != "alarm-100"
            ],
            "CompositeAlarms": [],
        }

    cloudwatch = standin("cloudwatch", {"DescribeAlarms": alarms})
    found = run_cli("scan", "-r", REGION, "-s", "zonalshift", "--stdout", "jsonl")
    assert found.code == 0, found.stderr
    [cluster_finding] = [f for f in found_lines(found.stdout) if f["resource_name"] == "kube"]
    assert cluster_finding["check_id"] == "zonalshift.eks_outcome_alarm_missing"
    assert "outcome alarm(s) that do not exist: alarm-100;" in cluster_finding["message"]
    asked = [params for _, _, params in cloudwatch.requests]
    assert sorted(len(query_list(p, "AlarmNames")) for p in asked) == [1, 100]
    assert all(query_list(p, "AlarmTypes") == ["MetricAlarm", "CompositeAlarm"] for p in asked)


def test_a_region_with_nothing_to_judge_reads_no_az_ids(
    run_cli: RunCli, standin: StartStandin, aws_env: str
) -> None:
    """No load balancer, group or cluster and no autoshift: no finding, and the AZ IDs, which
    only name the zones of findings, are not listed."""
    zones = standin(
        "ec2", {"DescribeAvailabilityZones": zone_listing({"us-east-1a": "use1-az6"})}, aws_env
    )
    arc = standin("arc-zonal-shift", arc_handlers(arc_records({}), ARC_PAGE))
    found = run_cli("scan", "-r", REGION, "-s", "zonalshift", "--stdout", "jsonl")
    assert found.code == 0, found.stderr
    assert found.stdout == ""
    assert {operation for _, operation, _ in arc.requests} == {
        "ListManagedResources",
        "ListAutoshifts",
        "GetAutoshiftObserverNotificationStatus",
    }
    assert [operation for _, operation, _ in zones.requests] == []

"""N-1 capacity: the rules on API-shaped records (Auto Scaling groups, node groups, ECS services,
target groups, replication groups, domains), and collection through moto with stand-ins for what
moto lacks (ECS tasks' AZs) or does not page."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from resiliency_analyser.checks import balance
from resiliency_analyser.checks.api import Assessment, CheckOptions, RootCause
from resiliency_analyser.checks.capacity import (
    Size,
    Spread,
    empty_zones,
    free_addresses,
    headroom,
    imbalance,
    percent,
)
from resiliency_analyser.checks.lookups import JudgedService, TargetRecords
from resiliency_analyser.checks.peers import PEER_GROUP_TAG
from resiliency_analyser.demo.seeders.balance import SEEDER
from resiliency_analyser.demo.seeders.ecs import ecs_handlers, service_record, task_records
from resiliency_analyser.demo.standin import Handler, StandinError, paged
from resiliency_analyser.demo.world import PAGE_SIZE, DemoWorld
from tests.support.cli import CliRun, RunCli
from tests.support.moto import Boto
from tests.support.seeding import launch_instance
from tests.support.standins import StartStandin

ZONE_IDS = {"us-east-1a": "use1-az1", "us-east-1b": "use1-az2", "us-east-1c": "use1-az4"}
ACCOUNT = "111122223333"


def subnet(name: str, zone: str, free: int) -> dict[str, Any]:
    return {
        "SubnetId": f"subnet-{name}",
        "VpcId": "vpc-1",
        "AvailabilityZone": f"us-east-1{zone}",
        "AvailableIpAddressCount": free,
    }


SUBNETS = [
    subnet("a", "a", 250),
    subnet("b", "b", 250),
    subnet("c", "c", 250),
    subnet("t", "b", 0),  # a small subnet in AZ b with no free address left
]


def spread(**counts: int) -> Spread:
    """Counts by AZ letter: ``spread(a=3, b=1, c=0)``."""
    return Spread({f"us-east-1{z}": n for z, n in counts.items()}, "in-service instance")


def judged(records: balance.Records, name: str) -> Assessment:
    [found] = [a for a in balance.assess(records) if a.resource_name == name]
    return found


def records(**fields: Any) -> balance.Records:
    return balance.Records(subnets=SUBNETS, zone_ids=ZONE_IDS, **fields)


# The rules of checks/capacity.py.
@pytest.mark.parametrize(
    ("counts", "risk", "text"),
    [
        (spread(a=3, b=1, c=1), True, "imbalanced: use1-az1 holds 60 % (3 of 5), more than 50 %"),
        (
            spread(a=2, b=2, c=2),
            False,
            "balanced: use1-az1 holds 33 % (2 of 6), not more than 50 %",
        ),
        (spread(a=2, b=1, c=1), False, "balanced: use1-az1 holds 50 % (2 of 4)"),
        # Over two AZs the threshold is 66 %: three of four is more.
        (spread(a=3, b=1), True, "use1-az1 holds 75 % (3 of 4), more than 66 % over 2 AZs"),
        (spread(a=3, b=2), False, "holds 60 % (3 of 5), not more than 66 % over 2 AZs"),
        # AZs that differ by one are as even as the count allows.
        (spread(a=2, b=1), False, "holds 67 % (2 of 3), but its AZs differ by 1 at most"),
        (spread(a=1, b=0, c=0), False, "but its AZs differ by 1 at most"),
        # Just above the threshold reads as above it.
        (spread(a=126, b=124, c=0), True, "holds 50.4 % (126 of 250), more than 50 %"),
    ],
)
def test_imbalance(counts: Spread, risk: bool, text: str) -> None:
    verdict = imbalance(counts, "x.imbalance", ZONE_IDS)
    assert (verdict.check_id, verdict.risk) == ("x.imbalance", risk)
    assert text in verdict.text


MINIMUM_2 = Size(2, "its minimum size 2")


@pytest.mark.parametrize(
    ("counts", "desired", "maximum", "risk", "text"),
    [
        (
            spread(a=1, b=1),
            2,
            4,
            True,
            "after losing use1-az1, 1 in-service instance(s) left, below its minimum size 2",
        ),
        (
            spread(a=2, b=2),
            4,
            8,
            False,
            "headroom: after losing use1-az1, 2 in-service instance(s) left, at least its minimum size 2; its maximum size 8 holds 8 (desired 4 x 2/1)",
        ),
        # 6 over 3 AZs: the other two carry it at 9.
        (
            spread(a=2, b=2, c=2),
            6,
            8,
            True,
            "its maximum size 8 cannot reach 9 (desired 6 x 3/2), the size at which its other 2 AZ(s) carry today's load",
        ),
        (spread(a=2, b=2, c=2), 6, 9, False, "its maximum size 9 holds 9 (desired 6 x 3/2)"),
        (spread(a=3, b=0, c=0), 3, 5, False, "its maximum size 5 holds 5"),
        (spread(a=2, b=2, c=2), 6, None, False, "at least its minimum size 2"),
    ],
)
def test_headroom(counts: Spread, desired: int, maximum: int | None, risk: bool, text: str) -> None:
    ceiling = None if maximum is None else Size(maximum, f"its maximum size {maximum}")
    verdict = headroom(counts, desired, MINIMUM_2, ceiling, "x.headroom", ZONE_IDS)
    assert verdict is not None
    assert verdict.risk is risk
    assert text in verdict.text


def test_headroom_has_nothing_to_say_of_capacity_in_one_az_without_a_maximum() -> None:
    assert headroom(spread(a=3, b=0), 3, MINIMUM_2, None, "x.headroom", ZONE_IDS) is None


@pytest.mark.parametrize(
    ("consumers", "free", "risk", "text"),
    [
        (
            {"a": 3, "b": 1},
            {"a": 10, "b": 2},
            True,
            "its subnets outside use1-az1 have 2 free address(es) for the 3 in-service instance(s) to relaunch when it fails: 1 short",
        ),
        (
            {"a": 3, "b": 1},
            {"a": 10, "b": 3},
            False,
            "outside use1-az1 have 3 free address(es) for the 3",
        ),
        # The AZ whose loss leaves the largest shortfall is named.
        (
            {"a": 1, "b": 4, "c": 1},
            {"a": 1, "b": 100, "c": 1},
            True,
            "outside use1-az2 have 2 free address(es) for the 4 in-service instance(s) to relaunch when it fails: 2 short",
        ),
    ],
)
def test_free_addresses(
    consumers: Mapping[str, int], free: Mapping[str, int], risk: bool, text: str
) -> None:
    verdict = free_addresses(
        {f"us-east-1{z}": n for z, n in consumers.items()},
        {f"us-east-1{z}": n for z, n in free.items()},
        "in-service instance",
        "x.addresses",
        ZONE_IDS,
    )
    assert verdict is not None
    assert verdict.risk is risk
    assert text in verdict.text


def test_nothing_running_needs_no_address() -> None:
    assert free_addresses({}, {"us-east-1a": 0}, "node", "x.addresses", ZONE_IDS) is None


def test_empty_zones() -> None:
    empty = empty_zones(spread(a=2, b=2, c=0), "x.empty", ZONE_IDS)
    assert empty.risk
    assert empty.text == (
        "no in-service instance in use1-az4: it runs in 2 of its 3 AZs, and losing use1-az1 "
        "takes 50 % of it"
    )
    assert not empty_zones(spread(a=1, b=1, c=1), "x.empty", ZONE_IDS).risk


@pytest.mark.parametrize(
    ("share", "above", "text"), [(2 / 3, 0.66, "67"), (0.504, 0.5, "50.4"), (1 / 3, None, "33")]
)
def test_percent(share: float, above: float | None, text: str) -> None:
    assert percent(share, above) == text


# Auto Scaling groups.
TWO_TYPES = {
    "MixedInstancesPolicy": {
        "LaunchTemplate": {
            "LaunchTemplateSpecification": {"LaunchTemplateName": "tpl"},
            "Overrides": [{"InstanceType": "m5.large"}, {"InstanceType": "m6i.large"}],
        }
    }
}


def asg_arn(name: str) -> str:
    return f"arn:aws:autoscaling:us-east-1:{ACCOUNT}:autoScalingGroup:1:autoScalingGroupName/{name}"


def asg(
    subnets: str,
    layout: str,
    sizes: tuple[int, int] = (1, 9),
    name: str = "web",
    **fields: Any,
) -> dict[str, Any]:
    """A group over the subnets of ``subnets`` (letters, ``t`` the full one in AZ b) with one
    in-service instance per AZ letter of ``layout``, of two instance types, sized (min, max)."""
    return {
        "AutoScalingGroupName": name,
        "AutoScalingGroupARN": asg_arn(name),
        "MinSize": sizes[0],
        "MaxSize": sizes[1],
        "DesiredCapacity": len(layout),
        "VPCZoneIdentifier": ",".join(f"subnet-{s}" for s in subnets),
        "Instances": [
            {
                "InstanceId": f"i-{name}-{i}",
                "AvailabilityZone": f"us-east-1{z}",
                "LifecycleState": "InService",
                "InstanceType": "m5.large",
            }
            for i, z in enumerate(layout)
        ],
        "Tags": [{"Key": "team", "Value": "shop"}],
        **TWO_TYPES,
        **fields,
    }


ONE_TYPE: dict[str, Any] = {"MixedInstancesPolicy": None, "LaunchConfigurationName": "lc"}


@pytest.mark.parametrize(
    ("record", "check_id", "risk", "message"),
    [
        (
            asg("abc", "abc", (1, 5)),
            "balance.asg_imbalance",
            False,
            "Auto Scaling group over 3 AZ(s), in-service instances per AZ: use1-az1 1, use1-az2 1, "
            "use1-az4 1; balanced: use1-az1 holds 33 % (1 of 3), not more than 50 % over 3 or "
            "more AZs; headroom: after losing use1-az1, 2 in-service instance(s) left, at least "
            "its minimum size 1; its maximum size 5 holds 5 (desired 3 x 3/2); its subnets "
            "outside use1-az1 have 500 free address(es) for the 1 in-service instance(s) to "
            "relaunch when it fails; 2 instance types: m5.large, m6i.large",
        ),
        (
            asg("abc", "aaabc", (1, 8)),
            "balance.asg_imbalance",
            True,
            "imbalanced: use1-az1 holds 60 % (3 of 5), more than 50 % over 3 or more AZs",
        ),
        (
            asg("ab", "ab", (2, 4)),
            "balance.asg_headroom",
            True,
            "no headroom: after losing use1-az1, 1 in-service instance(s) left, below its minimum "
            "size 2",
        ),
        (
            asg("abc", "aabbcc", (1, 8)),
            "balance.asg_headroom",
            True,
            "its maximum size 8 cannot reach 9 (desired 6 x 3/2)",
        ),
        (
            asg("ab", "ab", (1, 4), **ONE_TYPE),
            "balance.asg_instance_types",
            True,
            "one instance type (m5.large), from its launch configuration lc: a shortage of it in "
            "the other AZs stops the refill of a lost AZ",
        ),
        (
            asg(
                "ab",
                "ab",
                (1, 4),
                MixedInstancesPolicy={
                    "LaunchTemplate": {
                        "LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1"},
                        "Overrides": [{"InstanceType": "c5.large"}, {"InstanceType": "c5.large"}],
                    }
                },
            ),
            "balance.asg_instance_types",
            True,
            "one instance type (c5.large), from its launch template lt-1",
        ),
        (
            asg(
                "ab",
                "ab",
                (1, 4),
                MixedInstancesPolicy=None,
                LaunchTemplate={"LaunchTemplateName": "web-template", "Version": "$Latest"},
            ),
            "balance.asg_instance_types",
            True,
            "one instance type (m5.large), from its launch template web-template",
        ),
        (
            asg(
                "ab",
                "ab",
                (1, 4),
                MixedInstancesPolicy={
                    "LaunchTemplate": {
                        "Overrides": [{"InstanceRequirements": {"VCpuCount": {"Min": 2}}}]
                    }
                },
            ),
            "balance.asg_imbalance",
            False,
            "instance types chosen by attributes: many types",
        ),
        (
            asg("at", "ab", (1, 4)),
            "balance.asg_subnet_addresses",
            True,
            "its subnets outside use1-az1 have 0 free address(es) for the 1 in-service "
            "instance(s) to relaunch when it fails: 1 short",
        ),
        (
            asg("ab", "aa", (1, 4)),
            "balance.asg_imbalance",
            False,
            "in-service instances per AZ: use1-az1 2, use1-az2 0; every in-service instance in "
            "one AZ: `autoscaling` judges that; headroom: its maximum size 4 holds 4",
        ),
        (
            asg("a", "aa", (1, 2)),
            "balance.asg_imbalance",
            False,
            "Auto Scaling group over 1 AZ(s), in-service instances per AZ: use1-az1 2; it runs "
            "in one AZ only: `autoscaling` judges that",
        ),
        (
            asg("abc", "", (0, 0)),
            "balance.asg_imbalance",
            False,
            "in-service instances per AZ: use1-az1 0, use1-az2 0, use1-az4 0; no in-service "
            "instance yet",
        ),
    ],
)
def test_auto_scaling_group_rules(
    record: dict[str, Any], check_id: str, risk: bool, message: str
) -> None:
    found = judged(records(auto_scaling_groups=[record]), "web")
    assert (found.check_id, found.risk) == (check_id, risk)
    assert message in found.message
    assert found.resource_arn == asg_arn("web")
    assert found.tags == (("team", "shop"),)


def test_weighted_instances_count_in_the_groups_units() -> None:
    record = asg("abc", "abc", (1, 12), DesiredCapacityType="units")
    for instance, weight in zip(record["Instances"], ("4", "1", "1"), strict=True):
        instance["WeightedCapacity"] = weight
    found = judged(records(auto_scaling_groups=[record]), "web")
    assert (found.check_id, found.risk) == ("balance.asg_imbalance", True)
    assert "capacity units per AZ: use1-az1 4, use1-az2 1, use1-az4 1" in found.message
    assert "for the 1 in-service instance(s) to relaunch" in found.message


def test_groups_being_deleted_or_of_node_groups_give_no_finding() -> None:
    found = balance.assess(
        records(
            auto_scaling_groups=[
                asg("abc", "abc", name="going", Status="Delete in progress"),
                asg(
                    "abc", "abc", name="nodes", Tags=[{"Key": "eks:nodegroup-name", "Value": "ng"}]
                ),
            ]
        )
    )
    assert found == []


def test_a_group_in_one_az_is_judged_with_its_peers() -> None:
    """One group per AZ behind one target group: each runs in one AZ, the three together are
    imbalanced, and each member's finding says so."""
    group = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/kafka/1"
    members = [
        asg(zone, layout, (0, 3), name=f"kafka-{zone}", TargetGroupARNs=[group])
        for zone, layout in (("a", "aaa"), ("b", "b"), ("c", "c"))
    ]
    found = {a.resource_name: a for a in balance.assess(records(auto_scaling_groups=members))}
    assert {n: (a.check_id, a.risk) for n, a in found.items()} == {
        n: ("balance.asg_imbalance", True) for n in ("kafka-a", "kafka-b", "kafka-c")
    }
    assert found["kafka-b"].message.startswith(
        "Auto Scaling group, judged with its peers by target group kafka, kafka-a (us-east-1a), "
        "kafka-c (us-east-1c): together over 3 AZ(s), in-service instances per AZ: use1-az1 3, "
        "use1-az2 1, use1-az4 1; imbalanced: use1-az1 holds 60 %"
    )
    assert "their maximum sizes together (9) holds 8 (desired 5 x 3/2)" in found["kafka-b"].message
    assert found["kafka-b"].availability_zones == ("us-east-1b",)


def test_peers_by_workload_tag_are_pooled_only_for_a_tag_of_the_run() -> None:
    members = [
        asg(z, z, (1, 1), name=f"dc-{z}", Tags=[{"Key": "Role", "Value": "ad"}]) for z in "ab"
    ]
    alone = judged(records(auto_scaling_groups=members), "dc-a")
    assert "it runs in one AZ only" in alone.message
    pooled = balance.assess(
        records(auto_scaling_groups=members), CheckOptions(peer_tags=("Role",))
    )[0]
    assert pooled.message.startswith(
        "Auto Scaling group, judged with its peers by tag Role=ad, dc-b (us-east-1b): together"
    )
    # One each, minimum 1 each: losing one AZ leaves 1, below the 2 of their minimums.
    assert (pooled.check_id, pooled.risk) == ("balance.asg_headroom", True)
    assert "below their minimum sizes together (2)" in pooled.message


def test_the_peer_group_tag_pools_without_an_option() -> None:
    tag = [{"Key": PEER_GROUP_TAG, "Value": "ad"}]
    members = [asg(z, z * 2, (1, 4), name=f"dc-{z}", Tags=tag) for z in "ab"]
    found = judged(records(auto_scaling_groups=members), "dc-a")
    assert "judged with its peers by tag resiliency-analyser:peer-group=ad" in found.message
    assert not found.risk


# EKS managed node groups: judged where their nodes run, their Auto Scaling groups.
def node_group(
    name: str,
    subnets: str,
    sizes: tuple[int, int, int],
    types: Sequence[str] = ("m5.large", "m6i.large"),
    **fields: Any,
) -> dict[str, Any]:
    return {
        "nodegroupName": name,
        "nodegroupArn": f"arn:aws:eks:us-east-1:{ACCOUNT}:nodegroup/prod/{name}/1",
        "clusterName": "prod",
        "status": "ACTIVE",
        "capacityType": "ON_DEMAND",
        "scalingConfig": {"minSize": sizes[0], "maxSize": sizes[1], "desiredSize": sizes[2]},
        "instanceTypes": list(types),
        "subnets": [f"subnet-{s}" for s in subnets],
        "resources": {"autoScalingGroups": [{"name": f"eks-{name}"}]},
        "tags": {"team": "ml"},
        **fields,
    }


def nodes_of(name: str, layout: str) -> dict[str, Any]:
    """The node group's Auto Scaling group, with a node per AZ letter of ``layout``."""
    return asg(
        "abc",
        layout,
        name=f"eks-{name}",
        Tags=[
            {"Key": "eks:nodegroup-name", "Value": name},
            {"Key": "eks:cluster-name", "Value": "prod"},
        ],
    )


@pytest.mark.parametrize(
    ("record", "layout", "check_id", "risk", "message"),
    [
        (
            node_group("web", "abc", (1, 5, 3)),
            "abc",
            "balance.nodegroup_imbalance",
            False,
            "Node group of cluster prod over 3 AZ(s), nodes per AZ: use1-az1 1, use1-az2 1, "
            "use1-az4 1; balanced",
        ),
        (
            node_group("web", "abc", (1, 8, 5)),
            "aaabc",
            "balance.nodegroup_imbalance",
            True,
            "imbalanced: use1-az1 holds 60 % (3 of 5)",
        ),
        (
            node_group("web", "ab", (2, 2, 2)),
            "ab",
            "balance.nodegroup_headroom",
            True,
            "below its minimum size 2; its maximum size 2 cannot reach 4",
        ),
        (
            node_group("web", "ab", (1, 4, 2), types=("g5.xlarge",)),
            "ab",
            "balance.nodegroup_instance_types",
            True,
            "one instance type (g5.xlarge), from its instance types",
        ),
        (
            node_group(
                "web", "ab", (1, 4, 2), types=(), launchTemplate={"name": "gpu", "version": "3"}
            ),
            "ab",
            "balance.nodegroup_instance_types",
            True,
            "one instance type, from its launch template gpu",
        ),
        (
            node_group("web", "at", (1, 4, 2)),
            "ab",
            "balance.nodegroup_subnet_addresses",
            True,
            "have 0 free address(es) for the 1 node(s) to relaunch when it fails: 1 short (at "
            "least one per node; its pods take more)",
        ),
    ],
)
def test_node_group_rules(
    record: dict[str, Any], layout: str, check_id: str, risk: bool, message: str
) -> None:
    found = judged(
        records(node_groups=[record], auto_scaling_groups=[nodes_of("web", layout)]), "web"
    )
    assert (found.check_id, found.risk) == (check_id, risk)
    assert message in found.message
    assert (found.engine, found.tags) == ("ON_DEMAND", (("team", "ml"),))


def test_node_groups_one_per_az_are_judged_as_their_cluster() -> None:
    groups = [node_group(f"web-{z}", z, (1, 3, n)) for z, n in (("a", 2), ("b", 2), ("c", 2))]
    asgs = [nodes_of(f"web-{z}", z * 2) for z in "abc"]
    found = balance.assess(records(node_groups=groups, auto_scaling_groups=asgs))
    assert [(a.resource_name, a.risk) for a in found] == [
        ("web-a", False),
        ("web-b", False),
        ("web-c", False),
    ]
    assert found[0].message.startswith(
        "Node group of cluster prod, judged with its peers by EKS cluster prod, node group web-b "
        "(us-east-1b), node group web-c (us-east-1c): together over 3 AZ(s), nodes per AZ: "
        "use1-az1 2, use1-az2 2, use1-az4 2; balanced"
    )


# ECS services: running tasks per AZ.
def service(layout: str, subnets: str = "abc", **fields: Any) -> JudgedService:
    record = service_record(
        "us-east-1",
        "shop",
        "api",
        len(layout),
        [f"subnet-{s}" for s in subnets],
        **{"availabilityZoneRebalancing": "ENABLED", **fields},
    )
    return JudgedService(record, task_records(record, layout.replace("t", "b")))


@pytest.mark.parametrize(
    ("found", "check_id", "risk", "message"),
    [
        (
            service("aabbcc"),
            "balance.ecs_imbalance",
            False,
            "ECS service over 3 AZ(s), running tasks per AZ: use1-az1 2, use1-az2 2, use1-az4 2; "
            "balanced",
        ),
        (
            service("aaabc"),
            "balance.ecs_imbalance",
            True,
            "imbalanced: use1-az1 holds 60 % (3 of 5), more than 50 % over 3 or more AZs; losing "
            "it takes that share of the capacity; no headroom: after losing use1-az1, 2 running "
            "task(s) left, below half its desired count 5",
        ),
        (
            service("aab", "ab"),
            "balance.ecs_headroom",
            True,
            "after losing use1-az1, 1 running task(s) left, below half its desired count 3",
        ),
        (
            service("aabb", "ab"),
            "balance.ecs_imbalance",
            False,
            "after losing use1-az1, 2 running task(s) left, at least half its desired count 4",
        ),
        (
            service("ab", "at"),
            "balance.ecs_subnet_addresses",
            True,
            "have 0 free address(es) for the 1 running task(s) to relaunch when it fails: 1 short",
        ),
        # Bridge networking: no subnets, so the AZs are its tasks' and no address is its own.
        (
            service("aaabc", "", launchType="EC2"),
            "balance.ecs_imbalance",
            True,
            "ECS service over 3 AZ(s), running tasks per AZ: use1-az1 3",
        ),
        (
            service("aa"),
            "balance.ecs_imbalance",
            False,
            "every running task in one AZ: `ecs` judges that",
        ),
    ],
)
def test_ecs_service_rules(found: JudgedService, check_id: str, risk: bool, message: str) -> None:
    result = judged(records(services=[found]), "api")
    assert (result.check_id, result.risk) == (check_id, risk)
    assert message in result.message
    assert (result.resource_id, result.engine) == ("shop/api", found.service.get("launchType"))


@pytest.mark.parametrize(
    ("rebalancing", "strategies", "risk", "text"),
    [
        (
            None,
            [],
            False,
            "AZ rebalancing DISABLED, no placement strategy (the service default spreads by AZ)",
        ),
        (
            "DISABLED",
            [
                {"type": "spread", "field": "attribute:ecs.availability-zone"},
                {"type": "binpack", "field": "memory"},
            ],
            False,
            "placement strategy spread(attribute:ecs.availability-zone), binpack(memory)",
        ),
        (
            "DISABLED",
            [{"type": "binpack", "field": "memory"}],
            True,
            "AZ rebalancing DISABLED, placement strategy binpack(memory): tasks moved off a failed AZ stay where they went, and new tasks are not placed by AZ",
        ),
        (
            "DISABLED",
            [
                {"type": "spread", "field": "instanceId"},
                {"type": "spread", "field": "attribute:ecs.availability-zone"},
            ],
            True,
            "placement strategy spread(instanceId), spread(attribute:ecs.availability-zone)",
        ),
        (
            "ENABLED",
            [{"type": "random"}],
            False,
            "AZ rebalancing ENABLED, placement strategy random()",
        ),
    ],
)
def test_ecs_rebalancing(
    rebalancing: str | None, strategies: list[dict[str, str]], risk: bool, text: str
) -> None:
    found = service("aabbcc", availabilityZoneRebalancing=rebalancing, placementStrategy=strategies)
    result = judged(records(services=[found]), "api")
    assert (result.check_id, result.risk) == (
        "balance.ecs_rebalancing" if risk else "balance.ecs_imbalance",
        risk,
    )
    assert text in result.message


def test_daemons_and_services_going_away_give_no_finding() -> None:
    found = [
        service("abc", schedulingStrategy="DAEMON"),
        service("abc", status="DRAINING"),
    ]
    assert balance.assess(records(services=found)) == []


# Target groups: healthy targets per AZ their load balancers are enabled in.
def balancer(name: str, zones: str, kind: str = "application") -> dict[str, Any]:
    short = {"application": "app", "network": "net", "gateway": "gwy"}[kind]
    return {
        "LoadBalancerArn": f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/{short}/{name}/1",
        "LoadBalancerName": name,
        "Type": kind,
        "State": {"Code": "active"},
        "AvailabilityZones": [{"ZoneName": f"us-east-1{z}"} for z in zones],
    }


def tg_arn(name: str) -> str:
    return f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/{name}/1"


def target_records(
    balancer_record: dict[str, Any], layout: str, kind: str = "instance", name: str = "web"
) -> TargetRecords:
    """One target group of ``balancer_record``, a healthy target per AZ letter of ``layout``
    (``x`` an unhealthy one)."""
    health = [
        {
            "Target": {"Id": f"i-{i}" if kind == "instance" else f"arn:aws:lambda:fn-{i}"},
            "TargetHealth": {"State": "unhealthy" if z == "x" else "healthy"},
        }
        for i, z in enumerate(layout)
    ]
    return TargetRecords(
        target_groups=[
            {
                "TargetGroupArn": tg_arn(name),
                "TargetGroupName": name,
                "TargetType": kind,
                "LoadBalancerArns": [balancer_record["LoadBalancerArn"]],
            }
        ],
        target_health={tg_arn(name): health},
        instances=[
            {"InstanceId": f"i-{i}", "Placement": {"AvailabilityZone": f"us-east-1{z}"}}
            for i, z in enumerate(layout)
            if z != "x"
        ],
    )


def target_group_finding(
    balancer_record: dict[str, Any],
    layout: str,
    balancer_cross_zone: str | None = None,
    group_cross_zone: str | None = None,
) -> Assessment:
    arn = balancer_record["LoadBalancerArn"]
    return judged(
        records(
            balancers=[balancer_record],
            targets=target_records(balancer_record, layout),
            balancer_attributes={arn: {"load_balancing.cross_zone.enabled": balancer_cross_zone}}
            if balancer_cross_zone
            else {},
            target_group_attributes={
                tg_arn("web"): {"load_balancing.cross_zone.enabled": group_cross_zone}
            }
            if group_cross_zone
            else {},
        ),
        "web",
    )


ALB = balancer("shop", "abc")
NLB = balancer("ingest", "ab", "network")


@pytest.mark.parametrize(
    ("balancer_record", "layout", "attributes", "check_id", "risk", "message"),
    [
        (
            ALB,
            "abc",
            (None, None),
            "balance.target_group_imbalance",
            False,
            "Target group of Application Load Balancer shop, over 3 enabled AZ(s), healthy "
            "targets per AZ: use1-az1 1, use1-az2 1, use1-az4 1; balanced: use1-az1 holds 33 % "
            "(1 of 3), not more than 50 % over 3 or more AZs; every enabled AZ has a healthy "
            "target",
        ),
        (
            ALB,
            "aaabcx",
            (None, None),
            "balance.target_group_imbalance",
            True,
            "use1-az1 holds 60 % (3 of 5)",
        ),
        (
            ALB,
            "aabb",
            (None, None),
            "balance.target_group_empty_zone",
            True,
            "no healthy target in use1-az4: it runs in 2 of its 3 AZs, and losing use1-az1 takes "
            "50 % of it",
        ),
        (
            ALB,
            "aa",
            (None, None),
            "balance.target_group_imbalance",
            False,
            "healthy targets in one AZ: `elb` judges that",
        ),
        (ALB, "x", (None, None), "balance.target_group_imbalance", False, "no healthy target yet"),
        # Network Load Balancers keep each AZ's traffic in it unless cross-zone is on.
        (
            NLB,
            "aab",
            (None, None),
            "balance.target_group_cross_zone",
            True,
            "cross-zone load balancing off (its load balancer's attribute, by default): each AZ's "
            "node sends only to its own AZ's targets, and they are uneven: each of the 1 in "
            "use1-az2 carries 2 times the load of each of the 2 in use1-az1",
        ),
        (
            NLB,
            "aab",
            ("true", None),
            "balance.target_group_imbalance",
            False,
            "cross-zone load balancing on (its load balancer's attribute)",
        ),
        (
            NLB,
            "aab",
            ("true", "false"),
            "balance.target_group_cross_zone",
            True,
            "cross-zone load balancing off (the target group's attribute)",
        ),
        (
            NLB,
            "aab",
            ("false", "true"),
            "balance.target_group_imbalance",
            False,
            "cross-zone load balancing on (the target group's attribute)",
        ),
        (
            NLB,
            "aab",
            ("false", "use_load_balancer_configuration"),
            "balance.target_group_cross_zone",
            True,
            "off (its load balancer's attribute)",
        ),
        (
            NLB,
            "aabb",
            (None, None),
            "balance.target_group_imbalance",
            False,
            "and every AZ has as many",
        ),
        # An AZ without a healthy target leaves DNS; the AZs that serve are even.
        (
            balancer("appliances", "abc", "gateway"),
            "aabb",
            (None, None),
            "balance.target_group_empty_zone",
            True,
            "every AZ has as many",
        ),
        (
            balancer("appliances", "ab", "gateway"),
            "abb",
            (None, None),
            "balance.target_group_cross_zone",
            True,
            "Gateway Load Balancer appliances",
        ),
    ],
)
def test_target_group_rules(
    balancer_record: dict[str, Any],
    layout: str,
    attributes: tuple[str | None, str | None],
    check_id: str,
    risk: bool,
    message: str,
) -> None:
    found = target_group_finding(balancer_record, layout, *attributes)
    assert (found.check_id, found.risk) == (check_id, risk)
    assert message in found.message
    assert (found.resource_arn, found.resource_id) == (tg_arn("web"), "targetgroup/web/1")


def test_target_groups_of_lambda_functions_give_no_finding() -> None:
    found = balance.assess(records(balancers=[ALB], targets=target_records(ALB, "ab", "lambda")))
    assert found == []


def test_a_target_group_an_imbalanced_group_fills_goes_down_with_it() -> None:
    filler = asg("abc", "aaabc", (1, 8), name="orders", TargetGroupARNs=[tg_arn("web")])
    found = {
        a.resource_name: a
        for a in balance.assess(
            records(
                auto_scaling_groups=[filler],
                balancers=[ALB],
                targets=target_records(ALB, "aaabc"),
            )
        )
    }
    assert found["orders"].risk
    target_group = found["web"]
    assert not target_group.risk
    assert target_group.root_cause == RootCause(
        check_id="balance.asg_imbalance", resource_arn=asg_arn("orders")
    )
    assert "it goes down with its Auto Scaling group orders (balance.asg_imbalance)" in (
        target_group.message
    )


# ElastiCache: where each shard's primary is.
def replication_group(primaries: str, roles: bool = True, **fields: Any) -> dict[str, Any]:
    """Cluster mode enabled, a shard per letter of ``primaries`` (its primary's AZ) with a
    replica in another AZ; ``roles``: whether members carry ``CurrentRole``."""
    other = {"a": "b", "b": "a", "c": "a"}
    return {
        "ReplicationGroupId": "sessions",
        "ARN": f"arn:aws:elasticache:us-east-1:{ACCOUNT}:replicationgroup:sessions",
        "Status": "available",
        "ClusterEnabled": True,
        "Engine": "valkey",
        "NodeGroups": [
            {
                "NodeGroupId": f"000{i}",
                "NodeGroupMembers": [
                    {
                        "CacheClusterId": f"sessions-000{i}-00{n}",
                        "CacheNodeId": "0001",
                        "PreferredAvailabilityZone": f"us-east-1{zone}",
                        **({"CurrentRole": role} if roles else {}),
                    }
                    for n, (zone, role) in enumerate(((z, "primary"), (other[z], "replica")), 1)
                ],
            }
            for i, z in enumerate(primaries, 1)
        ],
        **fields,
    }


@pytest.mark.parametrize(
    ("record", "roles", "risk", "message"),
    [
        (
            replication_group("aa"),
            {},
            True,
            "Cluster mode enabled, 2 shards, primary nodes per AZ: use1-az1 2, use1-az2 0; every "
            "primary in use1-az1: losing it fails over every shard at once",
        ),
        (replication_group("ab"), {}, False, "primary nodes per AZ: use1-az1 1, use1-az2 1"),
        # Members that name no role: the IsMaster metric says which is primary.
        (
            replication_group("aa", roles=False),
            {("sessions-0001-001", "0001"): True, ("sessions-0002-001", "0001"): True},
            True,
            "every primary in use1-az1",
        ),
        (
            replication_group("aa", roles=False),
            {("sessions-0001-002", "0001"): True, ("sessions-0002-001", "0001"): True},
            False,
            "primary nodes per AZ: use1-az1 1, use1-az2 1",
        ),
        (
            replication_group("aa", roles=False),
            {("sessions-0001-001", "0001"): True, ("sessions-0002-001", "0001"): False},
            False,
            "the primaries of 1 shard(s) are not known: their members name no role, and their "
            "IsMaster metric has no recent datapoint",
        ),
    ],
)
def test_replication_group_primaries(
    record: dict[str, Any], roles: dict[tuple[str, str], bool], risk: bool, message: str
) -> None:
    found = judged(records(replication_groups=[record], roles=roles), "sessions")
    assert (found.check_id, found.risk) == ("balance.replication_group_primaries", risk)
    assert message in found.message
    assert found.engine == "valkey"


@pytest.mark.parametrize(
    "record",
    [
        replication_group("a"),  # one shard: one primary
        replication_group("aa", ClusterEnabled=False),
        replication_group("aa", Status="deleting"),
    ],
)
def test_groups_without_several_shards_give_no_finding(record: dict[str, Any]) -> None:
    assert balance.assess(records(replication_groups=[record])) == []


def test_only_members_without_a_role_need_the_metric() -> None:
    assert balance.needs_roles(replication_group("aa", roles=False))
    assert not balance.needs_roles(replication_group("aa"))
    assert not balance.needs_roles(replication_group("a", roles=False))


# OpenSearch: data nodes per AZ.
def domain(nodes: int, zones: int | None, **config: Any) -> dict[str, Any]:
    awareness = (
        {"ZoneAwarenessEnabled": True, "ZoneAwarenessConfig": {"AvailabilityZoneCount": zones}}
        if zones
        else {"ZoneAwarenessEnabled": False}
    )
    return {
        "DomainName": "logs",
        "DomainId": f"{ACCOUNT}/logs",
        "ARN": f"arn:aws:es:us-east-1:{ACCOUNT}:domain/logs",
        "EngineVersion": "OpenSearch_2.11",
        "ClusterConfig": {"InstanceCount": nodes, **awareness, **config},
        "VPCOptions": {"SubnetIds": [f"subnet-{z}" for z in "abc"[: zones or 1]]},
    }


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (
            domain(7, 3),
            True,
            "Zone awareness over AZs use1-az1, use1-az2, use1-az4 (OpenSearch does not say which "
            "holds more); 7 data node(s) over 3 AZs, not a multiple: 3, 2, 2 per AZ, so losing an "
            "AZ of 3 takes 43 % of them, more than 1/3",
        ),
        (domain(9, 3), False, "9 data node(s), 3 per AZ"),
        (domain(6, 2), False, "6 data node(s), 3 per AZ"),
        (
            domain(6, 3, WarmEnabled=True, WarmCount=4),
            True,
            "6 data node(s), 2 per AZ; 4 UltraWarm node(s) over 3 AZs, not a multiple: 2, 1, 1 per AZ",
        ),
        (domain(6, None, MultiAZWithStandbyEnabled=True), False, "6 data node(s), 2 per AZ"),
    ],
)
def test_domain_data_nodes(record: dict[str, Any], risk: bool, message: str) -> None:
    found = judged(records(domains=[record]), "logs")
    assert (found.check_id, found.risk) == ("balance.domain_data_nodes", risk)
    assert message in found.message


@pytest.mark.parametrize(
    "record",
    [
        domain(3, None),
        {**domain(6, 3), "Deleted": True},
        {**domain(7, 3), "DomainProcessingStatus": "Deleting"},
    ],
)
def test_domains_without_zone_awareness_or_going_away_give_no_finding(
    record: dict[str, Any],
) -> None:
    assert balance.assess(records(domains=[record])) == []


# Collection.
SEEDED = "ap-southeast-2"
"""The demo seeder's region here: no other test seeds a demo world there (its subnets are kept
per server and region)."""

DEMO_VERDICTS = {
    "orders-asg-imbalanced": "balance.asg_imbalance",
    "billing-asg-no-headroom": "balance.asg_headroom",
    "mailer-asg-one-instance-type": "balance.asg_instance_types",
    "thumbs-asg-subnet-full": "balance.asg_subnet_addresses",
    "catalog-asg-balanced": None,
    "api-nodes-imbalanced": "balance.nodegroup_imbalance",
    "jobs-nodes-no-headroom": "balance.nodegroup_headroom",
    "ml-nodes-one-instance-type": "balance.nodegroup_instance_types",
    "edge-nodes-subnet-full": "balance.nodegroup_subnet_addresses",
    "web-nodes-balanced": None,
    "payments-ecs-imbalanced": "balance.ecs_imbalance",
    "quotes-ecs-no-headroom": "balance.ecs_headroom",
    "ledger-ecs-no-rebalancing": "balance.ecs_rebalancing",
    "render-ecs-subnet-full": "balance.ecs_subnet_addresses",
    "search-ecs-balanced": None,
    "orders-tg-imbalanced": "balance.target_group_imbalance",
    "orders-tg-of-imbalanced-asg": None,
    "status-tg-empty-az": "balance.target_group_empty_zone",
    "ingest-tg-uneven": "balance.target_group_cross_zone",
    "catalog-tg-balanced": None,
    "feeds-tg-uneven": None,
    "quotes-cache-primaries-one-az": "balance.replication_group_primaries",
    "prices-cache-primaries-spread": None,
    "logs-vpc-seven-nodes": "balance.domain_data_nodes",
}
"""The demo's resources by name: the check id of their risk, or None for a safe example."""


def jsonl_findings(run: CliRun) -> dict[str, dict[str, Any]]:
    found = [json.loads(line) for line in run.stdout.splitlines()]
    by_name = {f["resource_name"]: f for f in found}
    assert len(by_name) == len(found), "a resource was reported twice"
    return by_name


def test_every_rule_of_the_demo_is_judged_on_moto(
    aws_env: str, boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    """The demo seeder's resources in moto (ECS from its stand-in): each rule's risky example
    carries its check id, the safe ones are no risk, and messages name AZs by ID."""
    world = DemoWorld(aws_env, (SEEDED,))
    standin(
        "ecs",
        ecs_handlers(
            lambda region: world.records("ecs", region),
            lambda region: world.records("ecs/tasks", region),
            PAGE_SIZE,
        ),
    )
    SEEDER.seed(world, SEEDED)
    run = run_cli("scan", "-r", SEEDED, "-s", "balance", "--stdout", "jsonl")
    assert run.code == 0, run.stderr
    found = jsonl_findings(run)
    assert {
        name: found[name]["check_id"] if found[name]["potential_single_az_risk"] else None
        for name in DEMO_VERDICTS
    } == DEMO_VERDICTS
    assert set(balance.CHECK.guidance) == {v for v in DEMO_VERDICTS.values() if v}
    zones = boto("ec2", SEEDED).describe_availability_zones()["AvailabilityZones"]
    ids = {z["ZoneName"]: z["ZoneId"] for z in zones}
    orders = found["orders-asg-imbalanced"]["message"]
    first = ids[f"{SEEDED}a"]
    assert f"in-service instances per AZ: {first} 3" in orders or f"{first} 3," in orders
    assert f"imbalanced: {first} holds 60 % (3 of 5)" in orders
    filled = found["orders-tg-of-imbalanced-asg"]
    assert filled["root_cause"] == {
        "check_id": "balance.asg_imbalance",
        "resource_arn": found["orders-asg-imbalanced"]["resource_arn"],
    }
    assert run.pair_results == {("balance", SEEDED): "Success"}


REGION = "eu-west-1"


def vpc_subnets(boto: Boto) -> dict[str, str]:
    """A subnet per AZ letter a, b, c of ``REGION``, by letter."""
    ec2 = boto("ec2", REGION)
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    return {
        z: ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.8.{i}.0/24", AvailabilityZone=f"{REGION}{z}"
        )["Subnet"]["SubnetId"]
        for i, z in enumerate("abc")
    }


def metric_data(params: dict[str, Any], region: str) -> dict[str, Any]:
    """``GetMetricData`` of ``IsMaster``: 1 for each shard's first member, in two pages."""
    queries = sorted(k.rpartition(".")[0] for k in params if k.endswith(".Id"))
    ids = [params[f"{q}.Id"] for q in queries]
    members = [params[f"{q}.MetricStat.Metric.Dimensions.member.1.Value"] for q in queries]
    results = [
        {"Id": i, "Label": "IsMaster", "Values": [1.0 if m.endswith("-001") else 0.0]}
        for i, m in zip(ids, members, strict=True)
    ]
    if len(results) > 500:
        raise StandinError("ValidationError", "at most 500 queries")
    half = len(results) // 2
    if params.get("NextToken") == "second":
        return {"MetricDataResults": results[half:]}
    return {"MetricDataResults": results[:half], "NextToken": "second"}


def test_every_page_is_read_and_metrics_are_asked_500_nodes_a_call(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    subnets = vpc_subnets(boto)
    groups = [
        asg("", "abc" if i % 2 else "aaabc", (1, 9), name=f"group-{i}")
        | {"VPCZoneIdentifier": ",".join(subnets.values())}
        for i in range(5)
    ]
    for record in groups:
        for instance in record["Instances"]:
            instance["AvailabilityZone"] = instance["AvailabilityZone"].replace("us-east-1", REGION)
    autoscaling = standin(
        "autoscaling",
        {
            "DescribeAutoScalingGroups": paged(
                "autoscaling", "DescribeAutoScalingGroups", lambda p, r: groups, 2
            )
        },
    )
    services = [
        service_record(REGION, cluster, f"{cluster}-{i}", 3, list(subnets.values()))
        for cluster in ("shop", "search", "jobs")
        for i in range(3)
    ]
    tasks = [
        t for s in services for t in task_records(s, "abc" if "0" in s["serviceName"] else "aab")
    ]
    ecs = standin("ecs", ecs_handlers(lambda r: services, lambda r: tasks, 2))
    # 780 members without roles: two GetMetricData calls of 500 and 280 queries.
    caches = [
        {
            **replication_group("ab" * 65, roles=False),
            "ReplicationGroupId": f"cache-{i}",
            "ARN": f"arn:aws:elasticache:{REGION}:{ACCOUNT}:replicationgroup:cache-{i}",
        }
        for i in range(3)
    ]
    for cache in caches:
        for shard in cache["NodeGroups"]:
            for member in shard["NodeGroupMembers"]:
                member["CacheClusterId"] = member["CacheClusterId"].replace(
                    "sessions", cache["ReplicationGroupId"]
                )
                member["PreferredAvailabilityZone"] = member["PreferredAvailabilityZone"].replace(
                    "us-east-1", REGION
                )
    standin(
        "elasticache",
        {
            "DescribeReplicationGroups": paged(
                "elasticache", "DescribeReplicationGroups", lambda p, r: caches, 2
            )
        },
    )
    cloudwatch = standin("cloudwatch", {"GetMetricData": metric_data})

    run = run_cli("scan", "-r", REGION, "-s", "balance", "--stdout", "jsonl")
    assert run.code == 0, run.stderr
    found = jsonl_findings(run)
    assert {n: found[n]["potential_single_az_risk"] for n in found} == {
        **{f"group-{i}": i % 2 == 0 for i in range(5)},
        **{s["serviceName"]: "0" not in s["serviceName"] for s in services},
        **{f"cache-{i}": False for i in range(3)},
    }
    assert "primary nodes per AZ" in found["cache-0"]["message"]
    assert [p.get("NextToken") for _, op, p in autoscaling.requests] == [None, "2", "4"]
    listed = [p.get("nextToken") for _, op, p in ecs.requests if op == "ListClusters"]
    assert listed == [None, "2"]
    batches = [
        (sum(k.endswith(".Id") for k in p), p.get("NextToken")) for _, op, p in cloudwatch.requests
    ]
    assert sorted(batches, key=str) == sorted(
        [(500, None), (500, "second"), (280, None), (280, "second")], key=str
    )


def test_target_health_is_asked_once_per_target_group_and_attributes_only_of_nlbs(
    aws_env: str, boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    """`balance` and `elb` read one shared listing; load balancer and target group attributes
    are read of a Network Load Balancer and its groups only."""
    subnets = vpc_subnets(boto)
    ec2 = boto("ec2", REGION)
    vpc = ec2.describe_subnets(SubnetIds=[subnets["a"]])["Subnets"][0]["VpcId"]
    instances = {z: launch_instance(boto, REGION, subnets[z]) for z in "abc"}
    elbv2 = boto("elbv2", REGION)
    groups, balancers = {}, {}
    for name, kind, zones in (("web", "application", "abc"), ("ingest", "network", "ab")):
        balancer_arn = elbv2.create_load_balancer(
            Name=name, Subnets=[subnets[z] for z in zones], Type=kind
        )["LoadBalancers"][0]["LoadBalancerArn"]
        protocol = "HTTP" if kind == "application" else "TCP"
        group_arn = elbv2.create_target_group(
            Name=f"{name}-targets", Protocol=protocol, Port=80, VpcId=vpc
        )["TargetGroups"][0]["TargetGroupArn"]
        elbv2.register_targets(
            TargetGroupArn=group_arn, Targets=[{"Id": instances[z]} for z in zones]
        )
        elbv2.create_listener(
            LoadBalancerArn=balancer_arn,
            Protocol=protocol,
            Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": group_arn}],
        )
        groups[name] = group_arn
        balancers[name] = balancer_arn

    def forwarded(operation: str) -> Handler:
        def handle(params: dict[str, Any], region: str) -> dict[str, Any]:
            asked = getattr(boto("elbv2", region), operation)
            answer = asked(**{k: v for k, v in params.items() if k.endswith("Arn")})
            return {k: v for k, v in answer.items() if k != "ResponseMetadata"}

        return handle

    server = standin(
        "elbv2",
        {
            "DescribeTargetHealth": forwarded("describe_target_health"),
            "DescribeTargetGroupAttributes": forwarded("describe_target_group_attributes"),
            "DescribeLoadBalancerAttributes": forwarded("describe_load_balancer_attributes"),
        },
        aws_env,
    )
    run = run_cli("scan", "-r", REGION, "-s", "balance,elb", "--stdout", "jsonl")
    assert run.code == 0, run.stderr
    found = [json.loads(line) for line in run.stdout.splitlines()]
    judged = {(f["service"], f["resource_name"]) for f in found}
    assert {("balance", "web-targets"), ("balance", "ingest-targets")} <= judged
    asked = Counter(
        (op, p.get("TargetGroupArn") or p["LoadBalancerArn"]) for _, op, p in server.requests
    )
    assert asked == {
        ("DescribeTargetHealth", groups["web"]): 1,
        ("DescribeTargetHealth", groups["ingest"]): 1,
        ("DescribeTargetGroupAttributes", groups["ingest"]): 1,
        ("DescribeLoadBalancerAttributes", balancers["ingest"]): 1,
    }

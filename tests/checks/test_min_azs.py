"""``--min-azs N``: the checks whose rule counts AZs ask for N of them; the others keep theirs.

Each row judges an API-shaped record that spans exactly two AZs: a pass at the default, a risk
at 3 whose message says why. The default leaves every message as it was (the check modules'
own tests hold the exact texts).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from resiliency_analyser.checks import (
    autoscaling,
    awslambda,
    clientvpn,
    cloudhsm,
    dax,
    docdb,
    ecs,
    efs,
    eks,
    elasticache,
    elb,
    endpointservice,
    networkfirewall,
    route53resolver,
    sagemaker,
    tgw,
    vpce,
)
from resiliency_analyser.checks.api import DEFAULT_OPTIONS, Assessment, CheckOptions
from resiliency_analyser.checks.lookups import TargetRecords
from resiliency_analyser.checks.registry import CHECKS
from resiliency_analyser.model.findings import AccountInfo
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.network import subnet
from tests.support.paths import ROOT
from tests.support.seeding import make_subnets

A, B = "us-east-1a", "us-east-1b"
SUBNETS = [subnet("subnet-a", "a"), subnet("subnet-b", "b"), subnet("subnet-c", "c")]
ZONES = {s["SubnetId"]: s["AvailabilityZone"] for s in SUBNETS}
TWO = ["subnet-a", "subnet-b"]
ACCOUNT = AccountInfo(account_id="111122223333")


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws:{service}:us-east-1:111122223333:{resource}"


Judge = Callable[[CheckOptions], Assessment]


def first(assessments: list[Assessment]) -> Assessment:
    [one] = assessments
    return one


SPANNING_TWO: dict[str, Judge] = {
    "vpce": lambda o: vpce.assess_endpoint(
        {"VpcEndpointType": "Interface", "ServiceName": "svc", "SubnetIds": TWO}, ZONES, arn_of, o
    ),
    "docdb": lambda o: docdb.assess_elastic_cluster(
        {"clusterName": "c", "shardCount": 1, "shardInstanceCount": 2, "subnetIds": TWO}, ZONES, o
    ),
    "efs": lambda o: efs.assess_file_system(
        {"FileSystemId": "fs-1"},
        [{"AvailabilityZoneName": A}, {"AvailabilityZoneName": B}],
        o,
    ),
    "lambda": lambda o: first(
        awslambda.assess(
            [{"FunctionName": "f", "VpcConfig": {"VpcId": "vpc-1", "SubnetIds": TWO}}], ZONES, o
        )
    ),
    "elasticache": lambda o: elasticache.assess_serverless_cache(
        {"ServerlessCacheName": "cache", "SubnetIds": TWO}, ZONES, o
    ),
    "dax": lambda o: dax.assess_cluster(
        {"ClusterName": "d", "Nodes": [{"AvailabilityZone": A}, {"AvailabilityZone": B}]}, o
    ),
    "cloudhsm": lambda o: cloudhsm.assess_cluster(
        {
            "ClusterId": "cluster-1",
            "Hsms": [{"State": "ACTIVE", "AvailabilityZone": z} for z in (A, B)],
        },
        ACCOUNT,
        "us-east-1",
        o,
    ),
    "route53resolver": lambda o: route53resolver.assess_endpoint(
        {"Direction": "INBOUND", "Id": "rslvr-in-1"},
        [{"SubnetId": s, "Status": "ATTACHED"} for s in TWO],
        ZONES,
        o,
    ),
    "clientvpn": lambda o: clientvpn.assess_endpoint(
        {"ClientVpnEndpointId": "cvpn-endpoint-1"},
        [{"TargetNetworkId": s, "Status": {"Code": "associated"}} for s in TWO],
        ZONES,
        arn_of,
        o,
    ),
    "endpointservice": lambda o: first(
        endpointservice.assess(
            [{"ServiceId": "vpce-svc-1", "ServiceState": "Available", "AvailabilityZones": [A, B]}],
            arn_of,
            o,
        )
    ),
    "ecs": lambda o: ecs.assess_service(
        {
            "serviceName": "web",
            "desiredCount": 2,
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": TWO}},
        },
        [{"lastStatus": "RUNNING", "availabilityZone": z} for z in (A, B)],
        ZONES,
        o,
    ),
    "tgw": lambda o: tgw.assess_attachment(
        {"TransitGatewayAttachmentId": "tgw-attach-1", "VpcId": "vpc-1", "SubnetIds": TWO},
        SUBNETS,
        arn_of,
        o,
    ),
    "networkfirewall": lambda o: networkfirewall.assess_firewall(
        {
            "Firewall": {"FirewallName": "fw", "SubnetMappings": [{"SubnetId": s} for s in TWO]},
            "FirewallStatus": {"Status": "READY"},
        },
        ZONES,
        o,
    ),
    "elb": lambda o: first(
        elb.assess(
            [
                {
                    "LoadBalancerArn": arn_of("elasticloadbalancing", "loadbalancer/net/nlb/1"),
                    "Type": "network",
                    "State": {"Code": "active"},
                    "AvailabilityZones": [{"ZoneName": A}, {"ZoneName": B}],
                }
            ],
            [],
            {},
            TargetRecords(),
            ZONES,
            arn_of,
            o,
        )
    ),
    "autoscaling": lambda o: first(
        autoscaling.assess(
            [
                {
                    "AutoScalingGroupName": "web",
                    "VPCZoneIdentifier": ",".join(TWO),
                    "DesiredCapacity": 2,
                    "Instances": [
                        {"LifecycleState": "InService", "AvailabilityZone": z} for z in (A, B)
                    ],
                }
            ],
            ZONES,
            o,
        )
    ),
    "sagemaker": lambda o: sagemaker.assess_endpoint(
        {
            "EndpointName": "ranker",
            "EndpointStatus": "InService",
            "EndpointConfigName": "c",
            "ProductionVariants": [{"VariantName": "v", "CurrentInstanceCount": 2}],
        },
        {"ProductionVariants": [{"VariantName": "v", "ModelName": "m"}]},
        {"m": {"VpcConfig": {"Subnets": TWO}}},
        ZONES,
        o,
    ),
    "eks": lambda o: first(
        eks.assess(
            [{"nodegroupName": "ng", "subnets": TWO, "scalingConfig": {"desiredSize": 2}}],
            [],
            ZONES,
            (),
            o,
        )
    ),
}


def test_the_table_covers_every_check_that_counts_azs() -> None:
    assert set(SPANNING_TWO) == {c.key for c in CHECKS if c.counts_azs}


@pytest.mark.parametrize("key", sorted(SPANNING_TWO))
def test_two_azs_pass_by_default_and_fall_short_of_three(key: str) -> None:
    default = SPANNING_TWO[key](DEFAULT_OPTIONS)
    assert not default.risk, default.message
    assert "--min-azs" not in default.message
    three = SPANNING_TWO[key](CheckOptions(min_azs=3))
    assert three.risk
    assert "; fewer than --min-azs 3" in three.message


def test_one_az_messages_do_not_name_the_option() -> None:
    """One AZ is a risk whatever N is: the message says why as it always did."""
    one = vpce.assess_endpoint(
        {"VpcEndpointType": "Interface", "ServiceName": "svc", "SubnetIds": ["subnet-a"]},
        ZONES,
        arn_of,
        CheckOptions(min_azs=3),
    )
    assert one.risk
    assert "--min-azs" not in one.message


def test_spanning_n_azs_passes() -> None:
    three = dax.assess_cluster(
        {"ClusterName": "d", "Nodes": [{"AvailabilityZone": f"us-east-1{z}"} for z in "abc"]},
        CheckOptions(min_azs=3),
    )
    assert not three.risk
    assert "--min-azs" not in three.message


def test_rules_with_thresholds_of_their_own_ignore_the_option() -> None:
    one_instance = {
        "EndpointName": "e",
        "EndpointStatus": "InService",
        "ProductionVariants": [{"VariantName": "v", "CurrentInstanceCount": 2}],
    }
    assert not sagemaker.assess_endpoint(one_instance).risk
    assert not any(c.counts_azs for c in CHECKS if c.key in {"msk", "opensearch", "rds", "nat"})
    assert not sagemaker.assess_endpoint(one_instance, options=CheckOptions(min_azs=3)).risk


def test_usage_lists_exactly_the_checks_that_count_azs() -> None:
    usage = (ROOT / "docs" / "usage.md").read_text()
    section = usage.partition("### How many AZs (`--min-azs`)")[2].partition("\n###")[0]
    listed = {line[3:].partition("`")[0] for line in section.splitlines() if line.startswith("- `")}
    assert listed == {c.key for c in CHECKS if c.counts_azs}


def test_a_scan_with_min_azs_3_flags_two_az_resources(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    region = "eu-west-1"
    ec2 = boto("ec2", region)
    subnets = make_subnets(boto, region)  # AZs a, a, b
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{region}.sqs",
        VpcEndpointType="Interface",
        SubnetIds=[subnets[0], subnets[2]],
        TagSpecifications=[
            {"ResourceType": "vpc-endpoint", "Tags": [{"Key": "Name", "Value": "two-az"}]}
        ],
    )

    default = run_cli("scan", "-r", region, "-s", "vpce", output=tmp_path / "default")
    strict = run_cli("scan", "-r", region, "-s", "vpce", "--min-azs", "3")

    assert default.code == strict.code == 0, strict.stderr
    assert default.verdicts == {"two-az": False}
    assert strict.verdicts == {"two-az": True}
    message = strict.finding("two-az")["message"]
    assert message == default.finding("two-az")["message"] + "; fewer than --min-azs 3"

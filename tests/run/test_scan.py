"""The real CLI and engine against a seeded moto account: exact findings, complete report."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.model.findings import FINDING_COLUMNS
from resiliency_analyser.model.report import RUN_REPORT_COLUMNS
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import PASSWORD, create_db_instance, make_subnets

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")


def seed(boto: Boto) -> dict[tuple[str, str, str], bool]:
    """Seeds the account; returns the expected (service, region, name) -> risk."""
    expected: dict[tuple[str, str, str], bool] = {}
    for i in range(105):
        name = f"db-{i:03d}"
        create_db_instance(boto, "us-east-1", name, multi_az=i % 3 == 0)
        expected["rds", "us-east-1", name] = i % 3 != 0
    rds = boto("rds", "us-east-1")
    rds.create_db_cluster(
        DBClusterIdentifier="aurora-ha",
        Engine="aurora-mysql",
        MasterUsername="admin",
        MasterUserPassword=PASSWORD,
    )
    for i, zone in enumerate("ab"):
        rds.create_db_instance(
            DBInstanceIdentifier=f"aurora-ha-{i}",
            DBClusterIdentifier="aurora-ha",
            Engine="aurora-mysql",
            DBInstanceClass="db.r5.large",
            AvailabilityZone=f"us-east-1{zone}",
        )
    expected["rds", "us-east-1", "aurora-ha"] = False
    rds.create_db_cluster(
        DBClusterIdentifier="graph",
        Engine="neptune",
        MasterUsername="admin",
        MasterUserPassword=PASSWORD,
    )
    create_db_instance(boto, "eu-west-1", "eu-single", multi_az=False, engine="postgres")
    expected["rds", "eu-west-1", "eu-single"] = True

    role = boto("iam").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    subnets = make_subnets(boto, "eu-west-1")
    group = boto("ec2", "eu-west-1").describe_security_groups()["SecurityGroups"][0]["GroupId"]
    lam = boto("lambda", "eu-west-1")
    for i in range(55):
        name = f"fn-{i:02d}"
        layout = [[], subnets[:1], subnets[:2], subnets][i % 4]
        kwargs: dict[str, Any] = {}
        if layout:
            kwargs["VpcConfig"] = {"SubnetIds": layout, "SecurityGroupIds": [group]}
            # subnets[0] and [1] share one AZ, so only the full set spans two.
            expected["lambda", "eu-west-1", name] = len(layout) < 3
        lam.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="h.h",
            Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
            **kwargs,
        )

    ops = boto("opensearch", "ap-southeast-2")
    ap_subnets = make_subnets(boto, "ap-southeast-2")
    ops.create_domain(DomainName="public-one", ClusterConfig={"InstanceCount": 1})
    expected["opensearch", "ap-southeast-2", "public-one"] = True
    ops.create_domain(
        DomainName="public-ha",
        ClusterConfig={
            "InstanceCount": 3,
            "ZoneAwarenessEnabled": True,
            "ZoneAwarenessConfig": {"AvailabilityZoneCount": 3},
        },
    )
    expected["opensearch", "ap-southeast-2", "public-ha"] = False
    ops.create_domain(
        DomainName="vpc-one-az",
        ClusterConfig={"InstanceCount": 2, "ZoneAwarenessEnabled": True},
        VPCOptions={"SubnetIds": ap_subnets[:2]},
    )
    expected["opensearch", "ap-southeast-2", "vpc-one-az"] = True
    ops.create_domain(
        DomainName="vpc-two-az",
        ClusterConfig={"InstanceCount": 2, "ZoneAwarenessEnabled": True},
        VPCOptions={"SubnetIds": [ap_subnets[0], ap_subnets[2]]},
    )
    # Zone aware over two AZs: a risk of its own (opensearch.domain_two_az).
    expected["opensearch", "ap-southeast-2", "vpc-two-az"] = True
    for i in range(7):
        ops.create_domain(DomainName=f"bulk-{i}", ClusterConfig={"InstanceCount": 1})
        expected["opensearch", "ap-southeast-2", f"bulk-{i}"] = True
    return expected


def test_scan_reports_exactly_the_expected_findings(boto: Boto, run_cli: RunCli) -> None:
    expected = seed(boto)
    run = run_cli("scan", "-r", ",".join(REGIONS), "-s", "rds,lambda", "-s", "opensearch")
    assert run.code == 0, run.stderr
    assert run.stdout == ""
    findings = run.findings
    assert list(findings[0]) == list(FINDING_COLUMNS)
    got = {
        (f["service"], f["region"], f["resource_name"]): f["potential_single_az_risk"] == "True"
        for f in findings
    }
    assert len(got) == len(findings), "a resource was reported twice"
    assert got == expected
    assert {f["account_id"] for f in findings} == {ACCOUNT_ID}
    assert {f["payer_account_id"] for f in findings} == {"N/A"}
    assert {f["account_name"] for f in findings} == {""}

    report = run.report
    assert list(report[0]) == list(RUN_REPORT_COLUMNS)
    pairs = {(r["service"], r["region"]) for r in report if r["region"] != "Overall"}
    assert pairs == {(s, r) for s in ("rds", "lambda", "opensearch") for r in REGIONS}
    assert {r["result"] for r in report if r["region"] != "Overall"} == {"Success"}
    assert {r["account_id"] for r in report} == {ACCOUNT_ID}
    overall = report[-1]
    assert (overall["region"], overall["service"]) == ("Overall", "Overall")
    assert (overall["result"], overall["error_message"]) == ("N/A", "N/A")
    assert float(overall["runtime_in_seconds"]) >= max(
        float(r["runtime_in_seconds"]) for r in report[:-1]
    )
    assert len(report) == 10


def test_finding_messages_name_the_zones(boto: Boto, run_cli: RunCli) -> None:
    seed(boto)
    run = run_cli("scan", "-r", "eu-west-1", "-s", "lambda,rds")
    by_name = {f["resource_name"]: f for f in run.findings}
    assert "eu-west-1a" in by_name["fn-01"]["message"]
    assert by_name["fn-03"]["message"].count("eu-west-1") == 2
    assert by_name["eu-single"]["engine"] == "postgres"
    assert by_name["eu-single"]["resource_arn"] == (
        f"arn:aws:rds:eu-west-1:{ACCOUNT_ID}:db:eu-single"
    )


def test_report_only_risks_and_append_and_truncate(boto: Boto, run_cli: RunCli) -> None:
    seed(boto)
    first = run_cli("scan", "-r", "ap-southeast-2", "-s", "opensearch", "--report-only-risks")
    assert {f["potential_single_az_risk"] for f in first.findings} == {"True"}
    assert len(first.findings) == 10
    run_cli("scan", "-r", "ap-southeast-2", "-s", "opensearch", "--report-only-risks")
    assert len(first.findings) == 20, "the default appends to the day's file"
    assert len(first.report) == 4, "one header, two pairs, two Overall rows"
    run_cli("scan", "-r", "ap-southeast-2", "-s", "opensearch", "--truncate-output")
    assert len(first.findings) == 11


def test_filename_with_account_id(boto: Boto, run_cli: RunCli) -> None:
    boto("organizations").create_organization(FeatureSet="ALL")
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "--filename-with-accountid")
    assert run.code == 0, run.stderr
    names = sorted(p.name for p in run.output.iterdir())
    assert names[0].startswith(f"Resiliency_Findings_{ACCOUNT_ID}_master_")
    assert names[1].endswith("_run_report.csv")


def test_organization_names_fill_account_and_payer(boto: Boto, run_cli: RunCli) -> None:
    boto("organizations").create_organization(FeatureSet="ALL")
    create_db_instance(boto, "us-east-1", "one", multi_az=False)
    [finding] = run_cli("scan", "-r", "us-east-1", "-s", "rds").findings
    assert (
        finding["account_name"],
        finding["payer_account_id"],
        finding["payer_account_name"],
    ) == (
        "master",
        ACCOUNT_ID,
        "master",
    )


@pytest.mark.parametrize("regions", [None, "ALL"])
def test_all_regions_means_every_enabled_region(
    boto: Boto, run_cli: RunCli, regions: str | None
) -> None:
    enabled = {r["RegionName"] for r in boto("ec2").describe_regions()["Regions"]}
    args = ["scan", "-s", "docdb"] + (["-r", regions] if regions else [])
    run = run_cli(*args)
    assert {r["region"] for r in run.report} - {"Overall"} == enabled


def test_assume_role_scans_as_the_role(boto: Boto, run_cli: RunCli) -> None:
    boto("iam").create_role(RoleName="auditor", AssumeRolePolicyDocument="{}")
    run = run_cli("scan", "-r", "us-east-1", "-s", "rds", "--assume-role", "auditor")
    assert run.code == 0, run.stderr
    assert run.report[0]["result"] == "Success"

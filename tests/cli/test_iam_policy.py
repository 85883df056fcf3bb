"""``iam-policy`` prints exactly the permissions a scan with those options needs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from resiliency_analyser.checks.registry import BY_KEY, CHECKS
from resiliency_analyser.permissions import read_actions
from tests.support.cli import RunCli
from tests.support.paths import ROOT

BUS = "arn:aws:events:eu-west-1:111122223333:event-bus/resiliency"
KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def statements(run_cli: RunCli, *args: str) -> dict[str, Any]:
    run = run_cli("iam-policy", *args)
    assert run.code == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["Version"] == "2012-10-17"
    return {s.pop("Sid"): s for s in document["Statement"]}


def test_without_options_it_prints_the_committed_policy(run_cli: RunCli) -> None:
    assert run_cli("iam-policy").stdout == (ROOT / "iam" / "policy.json").read_text()


def test_every_option_adds_exactly_its_statement(run_cli: RunCli) -> None:
    got = statements(
        run_cli,
        *("-s", "rds", "-b", "central-reports", "-o", "./reports/2024/"),
        *("--kms-key-id", KEY, "--event-bus-arn", BUS),
        *("--assume-role", "ResiliencyAudit", "--account-id", "444455556666"),
    )
    allow = {"Effect": "Allow"}
    assert got == {
        "ResiliencyAnalyserReadOnly": allow
        | {"Action": read_actions([BY_KEY["rds"]]), "Resource": "*"},
        "AssumeScanRole": allow
        | {
            "Action": ["sts:AssumeRole"],
            "Resource": "arn:aws:iam::444455556666:role/ResiliencyAudit",
        },
        "UploadFindingsToS3": allow
        | {"Action": ["s3:PutObject"], "Resource": "arn:aws:s3:::central-reports/reports/2024/*"},
        "EncryptUploadsWithKms": allow | {"Action": ["kms:GenerateDataKey"], "Resource": KEY},
        "PublishFindingsToEventBridge": allow | {"Action": ["events:PutEvents"], "Resource": BUS},
    }
    assert "lambda:ListFunctions" not in got["ResiliencyAnalyserReadOnly"]["Action"]


@pytest.mark.parametrize(
    ("args", "resource"),
    [
        ([], "arn:aws:s3:::b-1/output/*"),
        (["-o", "."], "arn:aws:s3:::b-1/*"),
        (["-o", "/srv/scans", "--partition", "aws-cn"], "arn:aws-cn:s3:::b-1/srv/scans/*"),
    ],
)
def test_the_upload_statement_names_the_folder(
    run_cli: RunCli, args: list[str], resource: str
) -> None:
    got = statements(run_cli, "-b", "b-1", *args)
    assert got["UploadFindingsToS3"]["Resource"] == resource


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--assume-role", "Audit"], "--assume-role needs --account-id"),
        (["--organization"], "--organization needs --role-name"),
        (["--organization", "--role-name", "ou/Reader"], "--role-name must be an IAM role name"),
        (["--role-name", ""], "--role-name must be an IAM role name"),
        (["-b", "b-1", "--kms-key-id", "alias/reports"], "must be the key's ARN"),
        (["--kms-key-id", KEY], "applies only with -b/--bucket"),
        (["--partition", "mars"], "--partition must be one of"),
        (["-s", "nosuch"], "unknown service(s): nosuch"),
        (["--event-bus-arn", "arn:aws:sns:us-east-1:123456789012:t"], "not an EventBridge"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(
    run_cli: RunCli, args: list[str], expected: str
) -> None:
    run = run_cli("iam-policy", *args)
    assert run.code == 2
    [line] = run.stderr.strip().splitlines()
    assert expected in line
    assert run.stdout == ""


@pytest.mark.parametrize(
    ("args", "account"), [(["--account-id", "444455556666"], "444455556666"), ([], "*")]
)
def test_security_hub_adds_its_two_actions_on_the_accounts_own_resources(
    run_cli: RunCli, args: list[str], account: str
) -> None:
    got = statements(run_cli, "-s", "rds", "--security-hub", *args)
    allow = {"Effect": "Allow"}
    assert got["ImportFindingsToSecurityHub"] == allow | {
        "Action": ["securityhub:BatchImportFindings"],
        "Resource": f"arn:aws:securityhub:*:{account}:product/{account}/default",
    }
    assert got["ReadImportedSecurityHubFindings"] == allow | {
        "Action": ["securityhub:GetFindings"],
        "Resource": f"arn:aws:securityhub:*:{account}:hub/default",
    }
    assert len(got) == 3
    without = run_cli("iam-policy", "-s", "rds", *args)
    assert "securityhub" not in without.stdout


def test_history_in_the_bucket_is_written_listed_and_read_back_under_its_prefix(
    run_cli: RunCli,
) -> None:
    got = statements(run_cli, "-b", "b-1", "--history", "./runs", "--kms-key-id", KEY)
    allow = {"Effect": "Allow"}
    assert got["KeepRunHistory"] == allow | {
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": "arn:aws:s3:::b-1/runs/Resiliency_Run_*",
    }
    assert got["ListRunHistory"] == allow | {
        "Action": ["s3:ListBucket"],
        "Resource": "arn:aws:s3:::b-1",
        "Condition": {"StringLike": {"s3:prefix": "runs/Resiliency_Run_*"}},
    }
    assert got["EncryptUploadsWithKms"]["Action"] == ["kms:GenerateDataKey", "kms:Decrypt"]
    alone = statements(run_cli, "--history", "runs")
    assert "KeepRunHistory" not in alone, "a local history needs no permission"


def test_organization_prints_the_listing_and_the_member_role_besides_the_own_account(
    run_cli: RunCli,
) -> None:
    run = run_cli("iam-policy", "--organization", "--role-name", "ResiliencyReader")
    assert run.code == 0, run.stderr
    assert run.stdout == (
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "ResiliencyAnalyserReadOnly",
                        "Effect": "Allow",
                        "Action": read_actions(CHECKS),
                        "Resource": "*",
                    },
                    {
                        "Sid": "ListOrganizationAccounts",
                        "Effect": "Allow",
                        "Action": [
                            "organizations:DescribeOrganization",
                            "organizations:ListAccounts",
                            "organizations:ListRoots",
                            "organizations:ListOrganizationalUnitsForParent",
                            "organizations:ListAccountsForParent",
                        ],
                        "Resource": "*",
                    },
                    {
                        "Sid": "AssumeMemberRole",
                        "Effect": "Allow",
                        "Action": ["sts:AssumeRole"],
                        "Resource": "arn:aws:iam::*:role/ResiliencyReader",
                    },
                ],
            },
            indent=2,
        )
        + "\n"
    )


def test_organization_keeps_the_deliveries_and_names_the_partition(run_cli: RunCli) -> None:
    got = statements(
        run_cli,
        *("--organization", "--role-name", "Reader", "--partition", "aws-us-gov"),
        *("-s", "rds", "-b", "reports", "--security-hub", "--account-id", "111122223333"),
    )
    assert list(got) == [
        "ResiliencyAnalyserReadOnly",
        "ListOrganizationAccounts",
        "AssumeMemberRole",
        "UploadFindingsToS3",
        "ImportFindingsToSecurityHub",
        "ReadImportedSecurityHubFindings",
    ]
    assert got["AssumeMemberRole"]["Resource"] == "arn:aws-us-gov:iam::*:role/Reader"
    assert got["UploadFindingsToS3"]["Resource"] == "arn:aws-us-gov:s3:::reports/output/*"


def test_role_name_alone_is_the_member_role_of_named_accounts_without_the_listing(
    run_cli: RunCli,
) -> None:
    got = statements(run_cli, "-s", "rds", "--role-name", "Reader")
    assert list(got) == ["ResiliencyAnalyserReadOnly", "AssumeMemberRole"]
    assert got["AssumeMemberRole"]["Resource"] == "arn:aws:iam::*:role/Reader"

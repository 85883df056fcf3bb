"""What the scan writes cannot leak credentials or carry a formula into a spreadsheet."""

from __future__ import annotations

import logging
import stat

import boto3
import pytest

from resiliency_analyser.cli.logs import LogLevel, configure_logging
from resiliency_analyser.cli.redact import redact
from tests.support.cli import RunCli
from tests.support.faults import FaultProxy, Faults
from tests.support.moto import Boto

SECRET = "wJalrXUtnFEMI-secret-never-logged"
TOKEN = "FwoGZXIvYXdzE-session-token-never-logged"


@pytest.mark.parametrize("extra", [(), ("--assume-role", "auditor")], ids=["keys", "role"])
def test_credentials_never_reach_logs_or_files(
    boto: Boto,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    aws_env: str,
    extra: tuple[str, ...],
) -> None:
    boto("iam").create_role(RoleName="auditor", AssumeRolePolicyDocument="{}")
    boto("opensearch").create_domain(DomainName="dom", ClusterConfig={"InstanceCount": 1})
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    # A denied service and retried throttling put the error paths in the log too.
    faults = Faults(seed=1, throttle=0.2, deny=frozenset({"rds"}))
    with FaultProxy(aws_env, faults) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        run = run_cli(
            "scan", "-r", "us-east-1", "-s", "rds,opensearch", "--log-level", "DEBUG", *extra
        )
    assert run.code == 1, run.stderr
    assert " DEBUG " in run.stderr, "debug logging must have been on"
    assert "rds in us-east-1 failed" in run.stderr
    written = [path.read_text() for path in run.output.iterdir()]
    for text in (run.stderr, run.stdout, *written):
        assert SECRET not in text
        assert TOKEN not in text


def test_findings_files_are_private_and_formula_free(boto: Boto, run_cli: RunCli) -> None:
    ec2 = boto("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.3.1.0/24", AvailabilityZone="us-east-1a")
    group = ec2.describe_security_groups()["SecurityGroups"][0]["GroupId"]
    role = boto("iam").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    # Lambda allows a name to start with '-', which a spreadsheet reads as a formula.
    boto("lambda").create_function(
        FunctionName="-1-1",
        Runtime="python3.12",
        Role=role,
        Handler="h.h",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        VpcConfig={"SubnetIds": [subnet["Subnet"]["SubnetId"]], "SecurityGroupIds": [group]},
    )
    run = run_cli("scan", "-r", "us-east-1", "-s", "lambda")
    assert run.code == 0, run.stderr
    [finding] = run.findings
    assert finding["resource_name"] == "'-1-1"
    assert finding["resource_arn"].endswith(":function:-1-1")
    for path in run.output.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_sdk_logs_stay_out_and_our_own_lines_are_masked(
    aws_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    # A session of its own: boto3's default one keeps the credentials it first found.
    sts = boto3.session.Session().client("sts", region_name="us-east-1", endpoint_url=aws_env)
    configure_logging(LogLevel.DEBUG)
    # botocore at DEBUG logs every request's headers, the session token among them.
    logging.getLogger("botocore").setLevel(logging.DEBUG)
    try:
        sts.get_caller_identity()
    finally:
        logging.getLogger("botocore").setLevel(logging.WARNING)
    ours = logging.getLogger("resiliency_analyser.anything")
    ours.debug("request headers %s", {"X-Amz-Security-Token": TOKEN})
    try:
        raise RuntimeError(f"bad key {SECRET}")
    except RuntimeError:
        ours.exception("failed")
    stderr = capsys.readouterr().err
    assert "'X-Amz-Security-Token': '****'" in stderr
    assert "RuntimeError: bad key ****" in stderr
    assert "botocore" not in stderr
    assert SECRET not in stderr
    assert TOKEN not in stderr


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "headers={'X-Amz-Security-Token': b'abcdefghijklmnop1234'}",
            "X-Amz-Security-Token': b'****'",
        ),
        ('{"SecretAccessKey": "abcdefghijklmnop/+=1"}', '"SecretAccessKey": "****"'),
        ("aws_session_token = abcdefghijklmnop1234", "aws_session_token = ****"),
        ("<SessionToken>abcdefghijklmnop1234</SessionToken>", "<SessionToken>****</SessionToken>"),
        ("rds in us-east-1 failed", "rds in us-east-1 failed"),
    ],
)
def test_redact_masks_credential_fields(line: str, expected: str) -> None:
    assert expected in redact(line, ())


def test_redact_masks_the_run_s_own_secrets_anywhere() -> None:
    assert redact(f"oops {SECRET} and {TOKEN}", (SECRET, TOKEN)) == "oops **** and ****"

"""Both CSVs land in S3 byte for byte, in the expected owner's bucket, encrypted; failures keep them local."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from resiliency_analyser.delivery.keys import object_key
from resiliency_analyser.demo.standin import StandinError
from resiliency_analyser.output.formats import OutputFormat
from tests.support.cli import CliRun, RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import seed_rds_instances
from tests.support.standins import serve_standin

BUCKET = "central-reports"
OTHER_ACCOUNT = "210987654321"


def local_files(run: CliRun) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in run.output.glob("*.csv")}
    assert len(files) == 2
    return files


def scan(run_cli: RunCli, *args: str) -> CliRun:
    return run_cli("scan", "-r", "us-east-1", "-s", "rds", "-b", BUCKET, *args)


def refusal(run: CliRun) -> str:
    """The one error line of a failed upload, after checking the exit code and the local files."""
    assert run.code == 1
    [line] = [line for line in run.stderr.splitlines() if "S3 upload" in line]
    assert f"s3://{BUCKET}/" in line
    assert "local files are kept" in line
    assert len(local_files(run)) == 2
    assert run.report[-1]["service"] == "Overall"
    return line


def test_uploads_equal_the_local_files_byte_for_byte(boto: Boto, run_cli: RunCli) -> None:
    seed_rds_instances(boto, 3)
    s3 = boto("s3")
    s3.create_bucket(Bucket=BUCKET)
    run = scan(run_cli)
    assert run.code == 0, run.stderr
    for name, data in local_files(run).items():
        key = object_key(run.output, name)
        assert key == f"{str(run.output).lstrip('/')}/{name}"
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == data
        assert s3.head_object(Bucket=BUCKET, Key=key)["ServerSideEncryption"] == "AES256"
        assert f"uploaded:   s3://{BUCKET}/{key}" in run.stderr
    assert len(run.findings) == 3


def test_kms_key_selects_sse_kms(boto: Boto, run_cli: RunCli) -> None:
    seed_rds_instances(boto, 3)
    s3 = boto("s3")
    s3.create_bucket(Bucket=BUCKET)
    key_id = boto("kms").create_key()["KeyMetadata"]["KeyId"]
    run = scan(run_cli, "--kms-key-id", key_id)
    assert run.code == 0, run.stderr
    for name in local_files(run):
        head = s3.head_object(Bucket=BUCKET, Key=object_key(run.output, name))
        assert head["ServerSideEncryption"] == "aws:kms"
        assert key_id in head["SSEKMSKeyId"]


def test_missing_bucket_is_one_line_exit_1_and_files_stay(boto: Boto, run_cli: RunCli) -> None:
    seed_rds_instances(boto, 3)
    run = scan(run_cli)
    assert "NoSuchBucket" in refusal(run)
    assert len(run.findings) == 3


class OwnedBucket:
    """An S3 PutObject stand-in for a bucket owned by another account, enforcing the owner check
    (moto ignores ExpectedBucketOwner)."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.objects: dict[str, bytes] = {}
        self.headers: dict[str, dict[str, Any]] = {}

    def put_object(self, params: dict[str, Any], region: str) -> dict[str, Any]:
        if params["Bucket"] != BUCKET:
            raise StandinError("NoSuchBucket", "The specified bucket does not exist", 404)
        if params.get("ExpectedBucketOwner") not in (None, self.owner):
            raise StandinError("AccessDenied", "Access Denied", 403)
        self.objects[params["Key"]] = params["Body"]
        self.headers[params["Key"]] = params
        return {"ETag": '"0"', "ServerSideEncryption": params.get("ServerSideEncryption", "")}


@pytest.fixture
def owned_bucket() -> Iterator[OwnedBucket]:
    bucket = OwnedBucket(OTHER_ACCOUNT)
    with serve_standin("s3", {"PutObject": bucket.put_object}):
        yield bucket


def test_a_bucket_of_another_owner_is_refused_by_default(
    boto: Boto, run_cli: RunCli, owned_bucket: OwnedBucket
) -> None:
    seed_rds_instances(boto, 3)
    line = refusal(scan(run_cli))
    assert "AccessDenied" in line
    assert f"owned by account {ACCOUNT_ID}" in line
    assert owned_bucket.objects == {}


def test_bucket_owner_names_the_central_account(
    boto: Boto, run_cli: RunCli, owned_bucket: OwnedBucket
) -> None:
    seed_rds_instances(boto, 3)
    run = scan(run_cli, "--bucket-owner", OTHER_ACCOUNT)
    assert run.code == 0, run.stderr
    expected = {object_key(run.output, n): data for n, data in local_files(run).items()}
    assert owned_bucket.objects == expected
    for params in owned_bucket.headers.values():
        assert params["ExpectedBucketOwner"] == OTHER_ACCOUNT
        assert params["ServerSideEncryption"] == "AES256"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--bucket-owner", OTHER_ACCOUNT], "apply only with -b/--bucket"),
        (["--kms-key-id", "alias/reports"], "apply only with -b/--bucket"),
        (["-b", BUCKET, "--bucket-owner", "12345"], "--bucket-owner must be a 12-digit"),
        (["-b", BUCKET, "--kms-key-id", "not a key"], "--kms-key-id must be a KMS key"),
    ],
)
def test_bad_delivery_options_are_one_line_and_exit_2(
    run_cli: RunCli, args: list[str], expected: str
) -> None:
    run = run_cli("scan", *args)
    assert run.code == 2
    [line] = run.stderr.strip().splitlines()
    assert expected in line


def test_every_file_the_run_writes_is_uploaded(boto: Boto, run_cli: RunCli) -> None:
    seed_rds_instances(boto, 2)
    s3 = boto("s3")
    s3.create_bucket(Bucket=BUCKET)
    run = scan(run_cli, "--format", "jsonl,markdown")
    assert run.code == 0, run.stderr
    written = {p.name: p.read_bytes() for p in run.output.iterdir()}
    assert sorted(Path(name).suffix for name in written) == [".csv", ".csv", ".jsonl", ".md"]
    listed = s3.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert sorted(o["Key"] for o in listed) == sorted(object_key(run.output, n) for n in written)
    for name, data in written.items():
        assert s3.get_object(Bucket=BUCKET, Key=object_key(run.output, name))["Body"].read() == data


# Spelled out here rather than read from output/formats.py, so a wrong declaration fails.
CONTENT_TYPES = {
    "_run_report.csv": "text/csv; charset=utf-8",
    ".ocsf.jsonl": "application/x-ndjson",
    ".jsonl": "application/x-ndjson",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}


def expected_content_type(name: str) -> str:
    return next(kind for end, kind in CONTENT_TYPES.items() if name.endswith(end))


def test_every_file_is_served_with_its_content_type(boto: Boto, run_cli: RunCli) -> None:
    seed_rds_instances(boto, 2)
    s3 = boto("s3")
    s3.create_bucket(Bucket=BUCKET)
    run = scan(run_cli, "--format", ",".join(OutputFormat))
    assert run.code == 0, run.stderr
    written = sorted(p.name for p in run.output.iterdir())
    assert len(written) == len(OutputFormat) + 1, "every format's file, and the run report"
    served = {
        name: s3.head_object(Bucket=BUCKET, Key=object_key(run.output, name))["ContentType"]
        for name in written
    }
    assert served == {name: expected_content_type(name) for name in written}

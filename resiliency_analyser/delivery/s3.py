"""Uploading the run's files to S3, into the bucket of the expected owner, encrypted at rest,
each with its Content-Type."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.outcomes import classify
from resiliency_analyser.checks.fanout import concurrently
from resiliency_analyser.delivery.keys import object_key
from resiliency_analyser.errors import AnalyserError
from resiliency_analyser.model.report import Outcome


class UploadError(AnalyserError):
    """An upload failed; the message is one line naming the object and the cause."""


class ReadError(AnalyserError):
    """Listing or reading objects failed; the message is one line naming where and why."""


def encryption(kms_key_id: str | None) -> dict[str, str]:
    if kms_key_id is None:
        return {"ServerSideEncryption": "AES256"}
    return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key_id}


async def upload_files(
    clients: AwsClients,
    region: str,
    bucket: str,
    files: Mapping[Path, str],
    *,
    owner: str,
    kms_key_id: str | None,
) -> list[str]:
    """Puts every file at ``s3://bucket/<its folder>/<name>`` (the folder as the user gave it:
    ``-o``, ``--history``) with its Content-Type (``files`` maps each to it); returns their URIs
    or raises UploadError."""
    params: dict[str, Any] = {"ExpectedBucketOwner": owner, **encryption(kms_key_id)}

    async def put(path: Path, content_type: str) -> str:
        key = object_key(path.parent, path.name)
        uri = f"s3://{bucket}/{key}"
        body = await asyncio.to_thread(path.read_bytes)
        try:
            await clients.call(
                "s3",
                region,
                "put_object",
                Bucket=bucket,
                Key=key,
                Body=body,
                ContentType=content_type,
                **params,
            )
        except (ClientError, BotoCoreError) as error:
            failure = classify(error)
            hint = ""
            if failure.outcome is Outcome.ACCESS_DENIED:
                hint = f" (is the bucket owned by account {owner} and writable by this identity?)"
            raise UploadError(f"upload to {uri} failed: {failure.text}{hint}") from error
        return uri

    outcomes = await asyncio.gather(
        *(put(path, kind) for path, kind in files.items()), return_exceptions=True
    )
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [str(outcome) for outcome in outcomes]


async def read_objects(
    clients: AwsClients,
    region: str,
    bucket: str,
    prefix: str,
    pick: Callable[[list[str]], Sequence[str]],
    *,
    owner: str,
) -> dict[str, str]:
    """Lists the keys under ``prefix`` and reads the ones ``pick`` chooses among them, as text:
    key -> text. Raises ReadError."""
    owned = {"Bucket": bucket, "ExpectedBucketOwner": owner}

    async def text(key: str) -> str:
        answer = await clients.call("s3", region, "get_object", Key=key, **owned)
        data: bytes = await answer["Body"].read()
        return data.decode("utf-8", errors="replace")

    try:
        listed = await clients.items(
            "s3", region, "list_objects_v2", "Contents", Prefix=prefix, **owned
        )
        keys = list(pick(sorted(item["Key"] for item in listed)))
        texts = await concurrently(*(text(key) for key in keys))
    except (ClientError, BotoCoreError) as error:
        failure = classify(error)
        raise ReadError(f"cannot read s3://{bucket}/{prefix}*: {failure.text}") from error
    return dict(zip(keys, texts, strict=True))

"""``--shard K/N``, or ``--shard auto`` from what the job runner sets: which slice of the run this
process scans."""

from __future__ import annotations

import re
from collections.abc import Mapping

from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.shards import Shard

AUTO = "auto"
BATCH_INDEX = "AWS_BATCH_JOB_ARRAY_INDEX"
"""Set by AWS Batch in each child of an array job, from 0."""
BATCH_SIZE = "AWS_BATCH_JOB_ARRAY_SIZE"
"""Set by AWS Batch to the size of the array job."""
COMPLETION_INDEX = "JOB_COMPLETION_INDEX"
"""Set by Kubernetes in each pod of an Indexed Job, from 0; the job's completions are not set."""

SHARD = re.compile(r"(\d+)/(\d+)")


def _number(value: str, where: str) -> int:
    if not value.strip().isdigit():
        raise UsageError(f"{where}: not a whole number: {value!r}")
    return int(value)


def _shard(index: int, count: int, where: str) -> Shard:
    if count < 1:
        raise UsageError(f"{where}: the number of shards must be at least 1")
    if not 1 <= index <= count:
        raise UsageError(f"{where}: shard {index} of {count}: K must be 1 to {count}")
    return Shard(index, count)


def _auto(count: int | None, environ: Mapping[str, str]) -> Shard:
    """From AWS Batch's variables, else Kubernetes's index and ``--shard-count``."""
    if BATCH_INDEX in environ:
        index = _number(environ[BATCH_INDEX], BATCH_INDEX)
        if BATCH_SIZE not in environ:
            raise UsageError(f"--shard auto: {BATCH_INDEX} is set but {BATCH_SIZE} is not")
        size = _number(environ[BATCH_SIZE], BATCH_SIZE)
        if count is not None and count != size:
            raise UsageError(f"--shard-count {count}: the AWS Batch array job's size is {size}")
        return _shard(index + 1, size, f"--shard auto ({BATCH_INDEX}, {BATCH_SIZE})")
    if COMPLETION_INDEX in environ:
        index = _number(environ[COMPLETION_INDEX], COMPLETION_INDEX)
        if count is None:
            raise UsageError(
                f"--shard auto: {COMPLETION_INDEX} is set: give the job's completions as "
                "--shard-count"
            )
        return _shard(index + 1, count, f"--shard auto ({COMPLETION_INDEX}, --shard-count)")
    raise UsageError(
        f"--shard auto: neither {BATCH_INDEX} (an AWS Batch array job) nor {COMPLETION_INDEX} "
        "(a Kubernetes Indexed Job) is set; give --shard K/N"
    )


def parse_shard(value: str | None, count: int | None, environ: Mapping[str, str]) -> Shard | None:
    """``None``: the whole run. Every problem is one ``UsageError`` line."""
    if value is None:
        if count is not None:
            raise UsageError("--shard-count goes with --shard auto")
        return None
    text = value.strip()
    if text.lower() == AUTO:
        return _auto(count, environ)
    if count is not None:
        raise UsageError("--shard-count goes with --shard auto, not --shard K/N")
    match = SHARD.fullmatch(text)
    if match is None:
        raise UsageError(f"--shard: {value!r} is not K/N (e.g. 2/4) or auto")
    return _shard(int(match[1]), int(match[2]), "--shard")

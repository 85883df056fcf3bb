"""The ``merge`` command's values: the shards' local files read and checked, S3 prefixes parsed,
the output, gate and delivery options as the scan checks them."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.config import tuning, values
from resiliency_analyser.config.arguments import ScanArguments
from resiliency_analyser.config.runs import read_run
from resiliency_analyser.config.scan import arguments_gate, step_summary_file
from resiliency_analyser.errors import UsageError
from resiliency_analyser.run.merge import MergeRequest, S3Source
from resiliency_analyser.run.merging import ShardFile
from resiliency_analyser.run.request import OutputOptions

S3_SCHEME = "s3://"


def s3_source(uri: str) -> S3Source:
    """``s3://bucket[/prefix]``: the prefix is a folder (``/`` added), as ``-o`` names one."""
    bucket, _, prefix = uri.removeprefix(S3_SCHEME).partition("/")
    try:
        values.validate_bucket(bucket)
    except UsageError as error:
        raise UsageError(f"{uri}: {error}") from error
    prefix = prefix.strip("/")
    return S3Source(bucket, f"{prefix}/" if prefix else "")


def merge_request(
    sources: Sequence[str], args: ScanArguments, environ: Mapping[str, str] = os.environ
) -> MergeRequest:
    """Each problem is one ``UsageError``; nothing is written, and every local shard is read
    and checked, before anything else happens."""
    local: list[ShardFile] = []
    remote: list[S3Source] = []
    for source in sources:
        if source.startswith(S3_SCHEME):
            remote.append(s3_source(source))
        else:
            local += [
                ShardFile(str(run.path), run.document)
                for run in read_run(Path(source), one_run=False)
            ]
    formats, to_stdout = values.output_choice(args.formats, args.stdout_format)
    gate = arguments_gate(args)
    delivery = values.delivery_options(
        args.bucket, args.bucket_owner, args.kms_key_id, args.event_bus_arn
    )
    return MergeRequest(
        local=tuple(local),
        s3=tuple(remote),
        output=OutputOptions(
            folder=values.check_output_folder(args.output),
            truncate=args.truncate_output,
            with_account_id=args.filename_with_accountid,
            formats=formats,
            csv_extended=args.csv_extended,
            stdout=to_stdout,
            step_summary=step_summary_file(environ),
        ),
        gate=gate,
        delivery=delivery,
        settings=ClientSettings(
            retry_mode=tuning.retry_mode(args.retry_mode, environ),
            max_attempts=tuning.max_attempts(args.max_attempts, environ),
            endpoint_url=values.validate_endpoint_url(args.endpoint_url),
        ),
        profile=args.profile,
    )

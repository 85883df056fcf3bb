"""The ``merge`` command: the shards of one run (``scan --shard``) as that run's files."""

from __future__ import annotations

from typing import Annotated

import typer

from resiliency_analyser.cli.logs import LogLevel, configure_logging
from resiliency_analyser.cli.parameters import LogLevelOption, examples, takes
from resiliency_analyser.config.arguments import ScanArguments

EPILOG = examples(
    "resiliency-analyser merge shard-1/ shard-2/ shard-3/ --format html,json",
    "resiliency-analyser merge s3://my-findings/runs/2026-12-08/ -o merged",
    "resiliency-analyser merge shards/ --suppressions accepted.yaml --fail-on risk",
)

# The scan's options that apply to a finished run: where and how it is written, the gate, the
# deliveries of whole files and events (Security Hub imports in each account: the shards do it).
OPTIONS = (
    "profile",
    "endpoint_url",
    "output",
    "formats",
    "stdout_format",
    "csv_extended",
    "truncate_output",
    "filename_with_accountid",
    "bucket",
    "bucket_owner",
    "kms_key_id",
    "event_bus_arn",
    "suppressions",
    "fail_on",
    "baseline",
    "retry_mode",
    "max_attempts",
)

Sources = Annotated[
    list[str],
    typer.Argument(
        metavar="DIR_OR_S3_PREFIX...",
        help="The shards' output folders or files (--format json or jsonl), or s3://bucket/prefix "
        "folders their files were uploaded to: every shard of one run, each once.",
        show_default=False,
    ),
]


@takes(ScanArguments, only=OPTIONS)
def merge(
    arguments: ScanArguments, sources: Sources, log_level: LogLevelOption = LogLevel.WARNING
) -> None:
    """Put the shards of one run (scan --shard K/N) together: one run's files, in every format,
    with the gate and the deliveries applied to the whole run."""
    import asyncio

    from resiliency_analyser.aws.session import base_session
    from resiliency_analyser.cli.console import show_result, stderr_console
    from resiliency_analyser.config.merge import merge_request
    from resiliency_analyser.run.merge import run_merge

    configure_logging(log_level)
    request = merge_request(sources, arguments)
    result = asyncio.run(run_merge(request, base_session(request.profile)))
    show_result(stderr_console(), result, request.output)
    if result.exit_code:
        raise typer.Exit(result.exit_code)

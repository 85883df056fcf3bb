"""The ``scan`` command's raw values, checked in full and turned into one ``ScanRequest``.

Every file the scan reads (suppressions, baseline, the history) is read and checked here, and every
environment variable of ours is read here, before anything is scanned.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from pathlib import Path

from resiliency_analyser.aws.names import SESSION_NAME
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks.api import CheckOptions
from resiliency_analyser.config import tuning, values, workers
from resiliency_analyser.config.arguments import ScanArguments
from resiliency_analyser.config.history import load_history
from resiliency_analyser.config.shards import parse_shard
from resiliency_analyser.errors import UsageError
from resiliency_analyser.gate.baseline import load_baseline
from resiliency_analyser.gate.policy import FailOn, GatePolicy
from resiliency_analyser.gate.suppressions import SuppressionSet, load_suppressions
from resiliency_analyser.model.accounts import MemberRole
from resiliency_analyser.output.formats import OutputFormat
from resiliency_analyser.run.request import AccountScope, OutputOptions, ScanRequest

STEP_SUMMARY = "GITHUB_STEP_SUMMARY"
"""Set by GitHub Actions: a file whose Markdown the job's page shows."""


def scan_request(args: ScanArguments, environ: Mapping[str, str] = os.environ) -> ScanRequest:
    """Each problem is one ``UsageError``; nothing is written (the run creates the folder)."""
    checks = values.parse_services(args.services)
    check_options = CheckOptions(
        min_azs=values.min_azs(args.min_azs), peer_tags=values.parse_peer_tags(args.peer_tags)
    )
    regions = values.parse_regions(args.regions)
    concurrency = values.concurrency(args.max_concurrency, single_threaded=args.single_threaded)
    per_service = values.validate_concurrency(
        args.max_concurrency_per_service, "--max-concurrency-per-service"
    )
    accounts_at_once = values.validate_concurrency(
        args.max_concurrent_accounts, "--max-concurrent-accounts"
    )
    scope, member_role = account_scope(args)
    delivery = values.delivery_options(
        args.bucket,
        args.bucket_owner,
        args.kms_key_id,
        args.event_bus_arn,
        security_hub=args.security_hub or args.security_hub_all,
        security_hub_all=args.security_hub_all,
    )
    if args.security_hub_all and args.report_only_risks:
        raise UsageError(
            "--security-hub-all imports the findings that are not risks, which --report-only-risks drops"
        )
    folder = values.check_output_folder(args.output)
    settings = ClientSettings(
        max_concurrency=concurrency,
        per_client_concurrency=min(concurrency, per_service),
        max_accounts=accounts_at_once,
        retry_mode=tuning.retry_mode(args.retry_mode, environ),
        max_attempts=tuning.max_attempts(args.max_attempts, environ),
        endpoint_url=values.validate_endpoint_url(args.endpoint_url),
    )
    budget = tuning.check_timeout(args.check_timeout)
    formats, to_stdout = values.output_choice(args.formats, args.stdout_format)
    gate = arguments_gate(args)
    if args.assume_role is not None:
        values.validate_role_name("--assume-role", args.assume_role)
    step_summary = step_summary_file(environ)
    shard = parse_shard(args.shard, args.shard_count, environ)
    if shard is not None:
        if args.history is not None:
            raise UsageError("--history keeps whole runs, not one shard of a run")
        if args.filename_with_accountid:
            # A shard without accounts would then write no JSON document: merge could not tell
            # it ran.
            raise UsageError(
                "--filename-with-accountid with --shard: give it to merge, which writes each "
                "account's files"
            )
        # The shard's JSON document is what merge reads: it says which shard of which run it is.
        formats = (*formats, OutputFormat.JSON) if OutputFormat.JSON not in formats else formats
    history = load_history(args.history)
    return ScanRequest(
        checks=checks,
        regions=regions,
        output=OutputOptions(
            folder=folder,
            truncate=args.truncate_output,
            with_account_id=args.filename_with_accountid,
            only_risks=args.report_only_risks,
            formats=formats,
            csv_extended=args.csv_extended,
            keep_findings=needs_every_finding(formats, to_stdout, gate, step_summary)
            or delivery.security_hub
            or history is not None,
            stdout=to_stdout,
            step_summary=step_summary,
            history=history,
        ),
        settings=settings,
        profile=args.profile,
        assume_role=args.assume_role,
        gate=gate,
        check_timeout=budget,
        delivery=delivery,
        scope=scope,
        member_role=member_role,
        check_options=check_options,
        workers=workers.workers(args.workers, single_threaded=args.single_threaded),
        shard=shard,
    )


def account_scope(args: ScanArguments) -> tuple[AccountScope | None, MemberRole | None]:
    """The accounts chosen (``None``: the caller's alone) and the role member accounts are
    scanned through."""
    scope = AccountScope(
        organization=args.organization,
        ous=values.parse_units("--ou", args.ous),
        exclude_ous=values.parse_units("--exclude-ou", args.exclude_ous),
        accounts=values.parse_account_ids("--accounts", args.accounts),
        exclude_accounts=values.parse_account_ids("--exclude-accounts", args.exclude_accounts),
    )
    if scope.units and not scope.organization:
        raise UsageError("--ou and --exclude-ou choose within the organization: add --organization")
    both = sorted(set(scope.accounts) & set(scope.exclude_accounts))
    if both:
        raise UsageError(f"in both --accounts and --exclude-accounts: {', '.join(both)}")
    chosen = scope if scope != AccountScope() else None
    if args.role_name is None:
        if args.external_id is not None or args.role_session_name is not None:
            raise UsageError("--external-id and --role-session-name go with --role-name")
        return chosen, None
    if chosen is None:
        raise UsageError(
            "--role-name is the role of member accounts: add --organization or --accounts"
        )
    role = MemberRole(
        name=values.validate_role_name("--role-name", args.role_name),
        session_name=values.validate_role_session_name(args.role_session_name or SESSION_NAME),
        external_id=None
        if args.external_id is None
        else values.validate_external_id(args.external_id),
    )
    return chosen, role


def without_aws_settings(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment less every ``AWS_*`` variable: the demo's account is not the user's."""
    return {k: v for k, v in environ.items() if not k.upper().startswith("AWS_")}


def needs_every_finding(
    formats: Collection[OutputFormat],
    to_stdout: OutputFormat | None,
    gate: GatePolicy,
    step_summary: Path | None,
) -> bool:
    """Whether any output asked for is built from the whole run rather than streamed."""
    return (
        any(fmt is not OutputFormat.CSV for fmt in formats)
        or to_stdout is not None
        or step_summary is not None
        or gate.fail_on is not None
        or gate.baseline is not None
        # The summary counts the accepted risks of each check.
        or bool(gate.suppressions.active)
    )


def step_summary_file(environ: Mapping[str, str]) -> Path | None:
    return Path(target) if (target := environ.get(STEP_SUMMARY)) else None


def arguments_gate(args: ScanArguments) -> GatePolicy:
    """The gate of ``--suppressions``, ``--baseline`` and ``--fail-on``, every file read."""
    return gate_policy(
        suppressions=args.suppressions,
        baseline=args.baseline,
        fail_on=args.fail_on,
        today=datetime.now(UTC).date(),
    )


def gate_policy(
    *, suppressions: Path | None, baseline: Path | None, fail_on: str | None, today: date
) -> GatePolicy:
    """From the CLI's values; every file is read and checked before anything is scanned."""
    choice = values.choice(FailOn, fail_on, "--fail-on") if fail_on is not None else None
    if choice is FailOn.NEW and baseline is None:
        raise UsageError("--fail-on new needs --baseline PREVIOUS.jsonl (a previous run's jsonl)")
    return GatePolicy(
        suppressions=load_suppressions(suppressions, today) if suppressions else SuppressionSet(),
        baseline=load_baseline(baseline) if baseline else None,
        fail_on=choice,
    )

"""Each command's raw values as typed, one field per option, each declaring its option.

The fields are the commands' parameters (``cli`` builds them from the declarations), in the
order the help lists them. ``None`` where an option was not given and its default is applied
while checking (``scan`` and ``policy``), which also tells an option typed from one left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from resiliency_analyser.aws.names import SESSION_NAME
from resiliency_analyser.aws.settings import ClientSettings, RetryMode
from resiliency_analyser.config.options import (
    BUCKET,
    EVENT_BUS_ARN,
    EXTERNAL_ID,
    ORGANIZATION,
    ROLE_NAME,
    SECURITY_HUB,
    SERVICES,
    Option,
    Panel,
)
from resiliency_analyser.config.tuning import DEFAULT_CHECK_TIMEOUT
from resiliency_analyser.model.rules import DEFAULT_MIN_AZS


@dataclass(frozen=True)
class ScanArguments:
    """The ``scan`` options (``demo`` takes some of them)."""

    services: Annotated[list[str] | None, SERVICES] = None
    regions: Annotated[
        list[str] | None,
        Option(
            ("-r", "--regions", "--region"),
            metavar="REGIONS",
            panel=Panel.SCOPE,
            help="Regions to scan, repeated or comma-separated; ALL is every region enabled for "
            "the account.",
            shown_default="ALL",
        ),
    ] = None
    organization: Annotated[bool, ORGANIZATION] = False
    ous: Annotated[
        list[str] | None,
        Option(
            ("--ou",),
            metavar="OU_ID",
            panel=Panel.SCOPE,
            help="Only the accounts under this organizational unit, nested OUs included; "
            "repeated or comma-separated. With --organization.",
        ),
    ] = None
    exclude_ous: Annotated[
        list[str] | None,
        Option(
            ("--exclude-ou",),
            metavar="OU_ID",
            panel=Panel.SCOPE,
            help="Leave out the accounts under this organizational unit, nested OUs included. "
            "With --organization.",
        ),
    ] = None
    accounts: Annotated[
        list[str] | None,
        Option(
            ("--accounts",),
            metavar="ACCOUNT_IDS",
            panel=Panel.SCOPE,
            help="Only these accounts, comma-separated or repeated (with or without "
            "--organization).",
        ),
    ] = None
    exclude_accounts: Annotated[
        list[str] | None,
        Option(
            ("--exclude-accounts",),
            metavar="ACCOUNT_IDS",
            panel=Panel.SCOPE,
            help="Leave out these accounts, comma-separated or repeated.",
        ),
    ] = None
    shard: Annotated[
        str | None,
        Option(
            ("--shard",),
            metavar="K/N|auto",
            panel=Panel.SCOPE,
            help="Scan only the K-th of N slices of the run: of the accounts chosen, or of a "
            "single account's regions (stable: a hash of each); auto reads an AWS Batch array "
            "job's index and size, or a Kubernetes Indexed Job's index (with --shard-count). "
            "merge puts the shards' files together.",
        ),
    ] = None
    shard_count: Annotated[
        int | None,
        Option(
            ("--shard-count",),
            metavar="N",
            panel=Panel.SCOPE,
            help="With --shard auto in a Kubernetes Indexed Job: the job's completions.",
        ),
    ] = None
    min_azs: Annotated[
        int,
        Option(
            ("--min-azs",),
            metavar="N",
            panel=Panel.RULES,
            help="Fewest AZs a resource must span where the rule counts AZs (docs/usage.md "
            "lists those checks); some teams ask for 3.",
        ),
    ] = DEFAULT_MIN_AZS
    peer_tags: Annotated[
        list[str] | None,
        Option(
            ("--peer-tag",),
            metavar="KEY",
            panel=Panel.RULES,
            help="A workload tag, repeated for several: EC2 instances, Auto Scaling groups and "
            "EKS node groups sharing a value of it are peers, and one in a single AZ is no risk "
            "while its peers run in others. The tag resiliency-analyser:peer-group is always "
            "read.",
        ),
    ] = None
    profile: Annotated[
        str | None,
        Option(
            ("--profile", "--aws-profile"),
            panel=Panel.CREDENTIALS,
            help="AWS CLI profile to use (default: AWS_PROFILE, else the default chain).",
        ),
    ] = None
    assume_role: Annotated[
        str | None,
        Option(
            ("--assume-role", "--aws-assume-role"),
            metavar="ROLE_NAME",
            panel=Panel.CREDENTIALS,
            help="Name of a role in the same account to assume for the whole scan.",
        ),
    ] = None
    role_name: Annotated[str | None, ROLE_NAME] = None
    external_id: Annotated[str | None, EXTERNAL_ID] = None
    role_session_name: Annotated[
        str | None,
        Option(
            ("--role-session-name",),
            metavar="NAME",
            panel=Panel.CREDENTIALS,
            help="Session name of the member roles' sessions, as CloudTrail records it.",
            shown_default=SESSION_NAME,
        ),
    ] = None
    endpoint_url: Annotated[
        str | None,
        Option(
            ("--endpoint-url",),
            metavar="URL",
            panel=Panel.CREDENTIALS,
            help="Send every AWS request to this URL (e.g. LocalStack), as the AWS CLI's option.",
        ),
    ] = None
    output: Annotated[
        Path,
        Option(
            ("-o", "--output"),
            panel=Panel.OUTPUT,
            help="Folder for the output files; created if missing.",
        ),
    ] = Path("output")
    formats: Annotated[
        list[str] | None,
        Option(
            ("--format",),
            metavar="FORMAT",
            panel=Panel.OUTPUT,
            help="Also write the findings as jsonl, json, markdown, html or ocsf, repeated or "
            "comma-separated. The findings CSV and the run report are always written.",
        ),
    ] = None
    stdout_format: Annotated[
        str | None,
        Option(
            ("--stdout",),
            metavar="FORMAT",
            panel=Panel.OUTPUT,
            help="Also write the findings to stdout in this format (csv, jsonl, json, markdown, "
            "html, ocsf).",
        ),
    ] = None
    csv_extended: Annotated[
        bool,
        Option(
            ("--csv-extended",),
            panel=Panel.OUTPUT,
            help=(
                "Add check id, AZs, severity, remediation and suppression columns to the CSV, "
                "and each pair's calls, throttled and retried to the run report."
            ),
        ),
    ] = False
    report_only_risks: Annotated[
        bool,
        Option(
            ("--report-only-risks",),
            panel=Panel.OUTPUT,
            help="Write only findings that are risks, those that go down with one, and AWS "
            "autoshifts.",
        ),
    ] = False
    truncate_output: Annotated[
        bool,
        Option(
            ("--truncate-output",),
            panel=Panel.OUTPUT,
            help="Start the day's files afresh instead of appending.",
        ),
    ] = False
    filename_with_accountid: Annotated[
        bool,
        Option(
            ("--filename-with-accountid",),
            panel=Panel.OUTPUT,
            help="Put the account id and name in the file names.",
        ),
    ] = False
    history: Annotated[
        Path | None,
        Option(
            ("--history",),
            metavar="DIR",
            panel=Panel.OUTPUT,
            help="Keep each run's JSON Lines and summary in DIR (with -b, in S3 too, under DIR); "
            "the HTML report shows the trend and what changed since the last run.",
        ),
    ] = None
    bucket: Annotated[str | None, BUCKET] = None
    bucket_owner: Annotated[
        str | None,
        Option(
            ("--bucket-owner",),
            metavar="ACCOUNT_ID",
            panel=Panel.DELIVERY,
            help="Account that must own the bucket (default: the scanned account).",
        ),
    ] = None
    kms_key_id: Annotated[
        str | None,
        Option(
            ("--kms-key-id",),
            panel=Panel.DELIVERY,
            help="Encrypt uploads with this KMS key (SSE-KMS) instead of SSE-S3.",
        ),
    ] = None
    event_bus_arn: Annotated[str | None, EVENT_BUS_ARN] = None
    security_hub: Annotated[bool, SECURITY_HUB] = False
    security_hub_all: Annotated[
        bool,
        Option(
            ("--security-hub-all",),
            panel=Panel.DELIVERY,
            help="As --security-hub, and import the findings that are not risks too, as passed.",
        ),
    ] = False
    suppressions: Annotated[
        Path | None,
        Option(
            ("--suppressions",),
            metavar="FILE",
            panel=Panel.GATE,
            help="YAML file of accepted risks to mark suppressed.",
        ),
    ] = None
    fail_on: Annotated[
        str | None,
        Option(
            ("--fail-on",),
            metavar="risk|new",
            panel=Panel.GATE,
            help="Exit 3 on any unsuppressed risk, or only on ones not in --baseline.",
        ),
    ] = None
    baseline: Annotated[
        Path | None,
        Option(
            ("--baseline",),
            metavar="FILE",
            panel=Panel.GATE,
            help="A previous run's JSON Lines findings to compare with.",
        ),
    ] = None
    max_concurrency: Annotated[
        int | None,
        Option(
            ("-m", "--max-concurrency", "--max-concurrent-threads"),
            panel=Panel.TUNING,
            help="Most AWS requests in flight at once across the scan.",
            shown_default=ClientSettings.max_concurrency,
        ),
    ] = None
    max_concurrency_per_service: Annotated[
        int,
        Option(
            ("--max-concurrency-per-service",),
            panel=Panel.TUNING,
            help="Most requests in flight to one service in one region (AWS throttles per "
            "account, region and API).",
        ),
    ] = ClientSettings.per_client_concurrency
    max_concurrent_accounts: Annotated[
        int,
        Option(
            ("--max-concurrent-accounts",),
            panel=Panel.TUNING,
            help="Most accounts of an organization scanned at once (each holds its own clients).",
        ),
    ] = ClientSettings.max_accounts
    workers: Annotated[
        int | None,
        Option(
            ("--workers",),
            metavar="N",
            panel=Panel.TUNING,
            help="Processes scanning at once, each over a share of the cells (an organization's "
            "accounts, a single account's regions), so every core is busy; 1 scans in this "
            "process. Default: one per core (fewer when memory is short) for organization "
            "runs, 1 for a single account.",
            shown_default="auto",
        ),
    ] = None
    single_threaded: Annotated[
        bool,
        Option(
            ("--single-threaded",),
            panel=Panel.TUNING,
            help="One AWS request at a time (= -m 1).",
        ),
    ] = False
    retry_mode: Annotated[
        RetryMode | None,
        Option(
            ("--retry-mode",),
            case_sensitive=False,
            panel=Panel.TUNING,
            help="botocore retry mode. Default: AWS_RETRY_MODE if set, else standard.",
        ),
    ] = None
    max_attempts: Annotated[
        int | None,
        Option(
            ("--max-attempts",),
            panel=Panel.TUNING,
            help="Attempts per AWS request, the first included. Default: AWS_MAX_ATTEMPTS if "
            "set, else 8.",
        ),
    ] = None
    check_timeout: Annotated[
        float,
        Option(
            ("--check-timeout",),
            metavar="SECONDS",
            panel=Panel.TUNING,
            help="Time budget of each (check, region); past it the pair is reported Timeout.",
        ),
    ] = DEFAULT_CHECK_TIMEOUT


@dataclass(frozen=True)
class PolicyArguments:
    """The ``iam-policy`` options: the scan's, as far as they change the permissions it needs."""

    services: Annotated[list[str] | None, SERVICES] = None
    organization: Annotated[bool, ORGANIZATION] = False
    bucket: Annotated[str | None, BUCKET] = None
    output: Annotated[
        Path,
        Option(
            ("-o", "--output"),
            panel=Panel.DELIVERY,
            help="The scan's -o folder: the uploads' key prefix.",
        ),
    ] = Path("output")
    history: Annotated[
        Path | None,
        Option(
            ("--history",),
            metavar="DIR",
            panel=Panel.DELIVERY,
            help="The scan's --history folder: with -b, the runs' history is kept (and read "
            "back) under this key prefix.",
        ),
    ] = None
    kms_key_id: Annotated[
        str | None,
        Option(
            ("--kms-key-id",),
            metavar="KEY_ARN",
            panel=Panel.DELIVERY,
            help="ARN of the KMS key for uploads.",
        ),
    ] = None
    event_bus_arn: Annotated[str | None, EVENT_BUS_ARN] = None
    assume_role: Annotated[
        str | None,
        Option(
            ("--assume-role",),
            metavar="ROLE_NAME",
            panel=Panel.CREDENTIALS,
            help="Role the scan assumes (needs --account-id).",
        ),
    ] = None
    role_name: Annotated[str | None, ROLE_NAME] = None
    account_id: Annotated[
        str | None,
        Option(
            ("--account-id",),
            panel=Panel.CREDENTIALS,
            help="Account of the role given to --assume-role, and the one --security-hub "
            "imports into.",
        ),
    ] = None
    security_hub: Annotated[bool, SECURITY_HUB] = False
    partition: Annotated[
        str,
        Option(
            ("--partition",),
            panel=Panel.SCOPE,
            help="AWS partition: aws, aws-us-gov or aws-cn.",
        ),
    ] = "aws"


@dataclass(frozen=True)
class DiffArguments:
    """The ``diff`` options (the two runs are its arguments)."""

    output_format: Annotated[
        str,
        Option(
            ("--format",),
            metavar="FORMAT",
            panel=Panel.OUTPUT,
            help="table (for a terminal), json, markdown (a pull-request comment) or html.",
        ),
    ] = "table"
    output: Annotated[
        Path | None,
        Option(
            ("-o", "--output"),
            metavar="FILE",
            panel=Panel.OUTPUT,
            help="Write to this file (replaced whole) instead of stdout.",
        ),
    ] = None
    fail_on: Annotated[
        str | None,
        Option(
            ("--fail-on",),
            metavar="new-risk|risk",
            panel=Panel.GATE,
            help="Exit 3 when NEW has an unaccepted risk OLD did not have open (new-risk), or any "
            "(risk); exit 1 first when NEW's run report has failed pairs.",
        ),
    ] = None

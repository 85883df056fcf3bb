"""Checking one raw command-line value at a time; every problem is one ``UsageError`` line."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from resiliency_analyser.aws.names import (
    ACCOUNT_ID,
    EXTERNAL_ID,
    ORGANIZATIONAL_UNIT,
    PARTITIONS,
    REGION,
    ROLE_SESSION_NAME,
)
from resiliency_analyser.aws.settings import ClientSettings
from resiliency_analyser.checks.api import Check
from resiliency_analyser.checks.registry import ALL, BY_KEY, CHECKS
from resiliency_analyser.delivery.options import DeliveryOptions
from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.rules import DEFAULT_MIN_AZS
from resiliency_analyser.output.formats import OutputFormat

# S3 general purpose bucket naming rules.
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
PARTITION = f"({'|'.join(PARTITIONS)})"
KMS_KEY_ARN = re.compile(
    rf"^arn:{PARTITION}:kms:[a-z]{{2}}(-[a-z]+)+-\d+:\d{{12}}:key/[\w-]{{1,128}}$"
)
# A key id, a multi-Region key id, an alias, or the ARN of a key or alias: what S3 accepts.
KMS_KEY_ID = re.compile(
    rf"^(arn:{PARTITION}:kms:[a-z]{{2}}(-[a-z]+)+-\d+:\d{{12}}:(key|alias)/[\w/:.-]{{1,256}}"
    r"|alias/[\w/:.-]{1,250}|(mrk-)?[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$"
)
EVENT_BUS_ARN = re.compile(
    r"^arn:(aws|aws-us-gov|aws-cn):events:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:event-bus/[\w.\-/]{1,256}$"
)


def split_values(values: Iterable[str] | None) -> list[str]:
    """Values given as repeated options, comma-separated lists, or both."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _all_or_list(name: str, raw: Iterable[str] | None) -> list[str] | None:
    """``None`` for ALL, in any case (also the default when the option is absent)."""
    values = split_values(raw)
    if raw is not None and list(raw) and not values:
        raise UsageError(f"{name} is empty")
    every = [v for v in values if v.upper() == ALL]
    if not values or every == values:
        return None
    if every:
        raise UsageError(f"{name}: ALL cannot be combined with other values")
    return list(dict.fromkeys(values))


def parse_services(raw: Iterable[str] | None) -> list[Check]:
    given = _all_or_list("--services", raw)
    if given is None:
        return list(CHECKS)
    keys = list(dict.fromkeys(k.lower() for k in given))
    unknown = [k for k in keys if k not in BY_KEY]
    if unknown:
        raise UsageError(
            f"unknown service(s): {', '.join(unknown)}; choose from {', '.join(BY_KEY)} or ALL"
        )
    return [BY_KEY[k] for k in keys]


def parse_regions(raw: Iterable[str] | None) -> list[str] | None:
    regions = _all_or_list("--regions", raw)
    if regions is None:
        return None
    malformed = [r for r in regions if not REGION.fullmatch(r)]
    if malformed:
        raise UsageError(f"not a region name: {', '.join(malformed)}")
    return regions


TAG_KEY_LENGTH = 128
"""The longest tag key AWS accepts."""


def parse_peer_tags(raw: Iterable[str] | None) -> tuple[str, ...]:
    """``--peer-tag`` keys, each once, in the order given. Not split at commas: an EC2 tag key
    may hold one."""
    keys = [key.strip() for key in raw or []]
    if "" in keys:
        raise UsageError("--peer-tag: a tag key cannot be empty")
    if too_long := [k for k in keys if len(k) > TAG_KEY_LENGTH]:
        raise UsageError(
            f"--peer-tag: a tag key has at most {TAG_KEY_LENGTH} characters: {too_long[0][:40]}…"
        )
    return tuple(dict.fromkeys(keys))


def validate_bucket(bucket: str | None) -> str | None:
    if bucket is None:
        return None
    if (
        not BUCKET.fullmatch(bucket)
        or ".." in bucket
        or re.fullmatch(r"\d+\.\d+\.\d+\.\d+", bucket)
        or bucket.startswith(("xn--", "sthree-"))
        or bucket.endswith(("-s3alias", "--ol-s3"))
    ):
        raise UsageError(f"not a valid S3 bucket name: {bucket!r}")
    return bucket


def validate_event_bus_arn(arn: str | None) -> str | None:
    if arn is not None and not EVENT_BUS_ARN.fullmatch(arn):
        raise UsageError(
            f"not an EventBridge event bus ARN (arn:aws|aws-us-gov|aws-cn:events:REGION:ACCOUNT:event-bus/NAME): {arn!r}"
        )
    return arn


def validate_account_id(option: str, value: str | None) -> str | None:
    if value is not None and not ACCOUNT_ID.fullmatch(value):
        raise UsageError(f"{option} must be a 12-digit AWS account id: {value!r}")
    return value


def validate_kms_key_id(value: str | None) -> str | None:
    if value is not None and not KMS_KEY_ID.fullmatch(value):
        raise UsageError(
            f"--kms-key-id must be a KMS key id, key ARN, alias or alias ARN: {value!r}"
        )
    return value


def validate_kms_key_arn(value: str | None) -> str | None:
    """A policy can name a key only by its key ARN, not by id or alias."""
    if value is not None and not KMS_KEY_ARN.fullmatch(value):
        raise UsageError(
            f"--kms-key-id must be the key's ARN (arn:aws:kms:REGION:ACCOUNT:key/ID) for a policy: {value!r}"
        )
    return value


def delivery_options(
    bucket: str | None,
    bucket_owner: str | None,
    kms_key_id: str | None,
    event_bus_arn: str | None,
    *,
    security_hub: bool = False,
    security_hub_all: bool = False,
) -> DeliveryOptions:
    validate_bucket(bucket)
    validate_account_id("--bucket-owner", bucket_owner)
    validate_kms_key_id(kms_key_id)
    validate_event_bus_arn(event_bus_arn)
    if bucket is None and (bucket_owner or kms_key_id):
        raise UsageError("--bucket-owner and --kms-key-id apply only with -b/--bucket")
    return DeliveryOptions(
        bucket,
        bucket_owner,
        kms_key_id,
        event_bus_arn,
        security_hub=security_hub,
        security_hub_all=security_hub_all,
    )


def check_output_folder(folder: Path, what: str = "output folder") -> Path:
    """The folder exists and is writable, or could be created: the run creates it only once the
    account is known, so a usage error leaves nothing behind."""
    existing = next(p for p in (folder, *folder.absolute().parents) if p.exists() or p == p.parent)
    if not existing.is_dir():
        problem = (
            "is not a folder" if existing == folder else f"cannot be created: {existing} is a file"
        )
        raise UsageError(f"{what} {folder} {problem}")
    if not os.access(existing, os.W_OK | os.X_OK):
        why = f"{what} is not writable: {folder}"
        if existing != folder:
            why = f"cannot create {what} {folder}: {existing} is not writable"
        raise UsageError(why + another_owner(existing))
    return folder


def another_owner(path: Path) -> str:
    """A hint when the folder is someone else's, as a host folder mounted into a container is."""
    owner = path.stat().st_uid
    if owner == os.geteuid():
        return ""
    return (
        f" (it belongs to uid {owner}, this runs as uid {os.geteuid()}; "
        'in a container, run it with --user "$(id -u):$(id -g)")'
    )


def output_file(path: Path | None) -> Path | None:
    """A file ``-o`` names, to be replaced whole; ``None`` is stdout."""
    if path is not None and path.is_dir():
        raise UsageError(f"--output {path} is a folder; give a file name")
    return path


def min_azs(value: int) -> int:
    """``--min-azs``: fewer than two AZs is the single-AZ case every rule already reports."""
    if value < DEFAULT_MIN_AZS:
        raise UsageError(
            f"--min-azs must be at least {DEFAULT_MIN_AZS} (one AZ is the single-AZ case every "
            f"check reports), not {value}"
        )
    return value


def validate_concurrency(value: int, option: str = "--max-concurrency") -> int:
    if value < 1:
        raise UsageError(f"{option} must be at least 1")
    return value


def concurrency(max_concurrency: int | None, *, single_threaded: bool) -> int:
    if single_threaded and max_concurrency is not None:
        raise UsageError("--single-threaded and -m/--max-concurrency contradict each other")
    if single_threaded:
        return 1
    if max_concurrency is None:
        return ClientSettings.max_concurrency
    return validate_concurrency(max_concurrency)


def validate_endpoint_url(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise UsageError(f"--endpoint-url must be an http:// or https:// URL: {url!r}")
    return url


ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")


def validate_role_name(option: str, name: str) -> str:
    if not ROLE_NAME.fullmatch(name):
        raise UsageError(
            f"{option} must be an IAM role name (letters, digits and +=,.@_-, at most 64): {name!r}"
        )
    return name


def validate_role_session_name(name: str) -> str:
    if not ROLE_SESSION_NAME.fullmatch(name):
        raise UsageError(
            "--role-session-name must be 2 to 64 letters, digits and +=,.@_-: " + repr(name)
        )
    return name


def validate_external_id(value: str) -> str:
    if not EXTERNAL_ID.fullmatch(value):
        raise UsageError(
            "--external-id must be 2 to 1224 letters, digits and +=,.@:/_-: " + repr(value)
        )
    return value


def parse_ids(
    option: str, raw: Iterable[str] | None, shape: re.Pattern[str], what: str
) -> tuple[str, ...]:
    """Ids given repeated or comma-separated, each of ``shape``; the malformed ones named."""
    values = split_values(raw)
    if raw is not None and list(raw) and not values:
        raise UsageError(f"{option} is empty")
    malformed = [v for v in values if not shape.fullmatch(v)]
    if malformed:
        raise UsageError(f"{option}: not {what}: {', '.join(malformed)}")
    return tuple(dict.fromkeys(values))


def parse_account_ids(option: str, raw: Iterable[str] | None) -> tuple[str, ...]:
    return parse_ids(option, raw, ACCOUNT_ID, "a 12-digit account id")


def parse_units(option: str, raw: Iterable[str] | None) -> tuple[str, ...]:
    return parse_ids(
        option, raw, ORGANIZATIONAL_UNIT, "an organizational unit id (ou-...) or root id (r-...)"
    )


def validate_partition(partition: str) -> str:
    if partition not in PARTITIONS:
        raise UsageError(f"--partition must be one of {', '.join(PARTITIONS)}: {partition!r}")
    return partition


Choice = TypeVar("Choice", bound=StrEnum)


def choice(kind: type[Choice], value: str, option: str, noun: str = "value") -> Choice:
    """One of an enumeration's values, in any case."""
    try:
        return kind(value.strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise UsageError(f"{option}: unknown {noun} {value!r}; choose from {choices}") from None


def parse_format(value: str, option: str) -> OutputFormat:
    return choice(OutputFormat, value, option, "format")


def parse_formats(raw: Iterable[str] | None) -> tuple[OutputFormat, ...]:
    """The CSV, as the original tool wrote it, then any others named (repeated or
    comma-separated)."""
    values = split_values(raw)
    if raw is not None and list(raw) and not values:
        raise UsageError("--format is empty")
    chosen = [parse_format(v, "--format") for v in values]
    return tuple(dict.fromkeys([OutputFormat.CSV, *chosen]))


def output_choice(
    formats: Iterable[str] | None, stdout: str | None
) -> tuple[tuple[OutputFormat, ...], OutputFormat | None]:
    """(file formats, stdout format) from ``--format`` and ``--stdout``."""
    files = parse_formats(formats)
    to_stdout = parse_format(stdout, "--stdout") if stdout is not None else None
    return files, to_stdout

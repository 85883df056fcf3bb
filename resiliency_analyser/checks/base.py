"""The shape every check has: identity, documented rule, IAM actions, and a scan coroutine."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from resiliency_analyser.models import AccountInfo, Assessment

if TYPE_CHECKING:
    from resiliency_analyser.aws.scope import RegionScope

Record = Mapping[str, Any]
Batches = AsyncIterator[Sequence[Assessment]]
ArnOf = Callable[[str, str], str]
"""(service, resource) -> that resource's ARN in the scanned region and account."""


@dataclass(frozen=True)
class Check:
    key: str
    service: str
    rule: str
    actions: tuple[str, ...]
    scan: Callable[[RegionScope], Batches]
    home_region: str | None = None
    """Set for global services whose API lives in one region: scanned once, there."""


def arn(account: AccountInfo, region: str, service: str, resource: str) -> str:
    """An ARN for APIs that return only an id; ``region`` is empty for global resources."""
    return f"arn:{account.partition}:{service}:{region}:{account.account_id}:{resource}"


def chunks(items: Sequence[str], size: int) -> list[list[str]]:
    """Consecutive slices of at most ``size`` items, for APIs that cap names per call."""
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def zone_text(zones: Iterable[str]) -> str:
    """AZs as a reader wants them in a message: sorted, de-duplicated, or 'none'."""
    unique = sorted(set(zones))
    return ", ".join(unique) if unique else "none"


def tag_pairs(tag_list: Iterable[Record] | None) -> tuple[tuple[str, str], ...]:
    """A ``[{"Key": k, "Value": v}]`` tag list, as sorted (key, value) pairs."""
    return tuple(
        sorted((str(t["Key"]), str(t.get("Value", ""))) for t in tag_list or [] if "Key" in t)
    )


def tag_value(record: Record, key: str, field: str = "Tags") -> str:
    """One tag's value from an AWS ``[{"Key": ..., "Value": ...}]`` list, or ''."""
    for tag in record.get(field) or []:
        if tag.get("Key") == key:
            return str(tag.get("Value", ""))
    return ""

"""Accepted risks as code: a YAML file of entries that mark matching risks as suppressed.

Values are read as the raw text YAML holds (never typed), so an account id keeps its leading zeros
and ``expires: 2027-01-31`` is parsed by us, not by YAML's date rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from resiliency_analyser.aws.names import ACCOUNT_ID, AZ_ID, ORGANIZATIONAL_UNIT, REGION
from resiliency_analyser.checks.registry import BY_KEY, GUIDANCE
from resiliency_analyser.errors import UsageError
from resiliency_analyser.gate.user_files import read_user_file
from resiliency_analyser.model.findings import Finding

GLOB_CHARACTERS = frozenset("*?[")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MATCHERS = (
    "check_id",
    "service",
    "account",
    "account_name",
    "ou",
    "region",
    "resource",
    "az_id",
    "tags",
)
DETAILS = ("reason", "owner", "ticket", "expires")


@dataclass(frozen=True)
class Suppression:
    """One entry: every criterion it gives must match (globs allowed in all of them)."""

    line: int
    reason: str
    check_id: str = ""
    service: str = ""
    account: str = ""
    account_name: str = ""
    """Matched against the account's name in the organization."""
    ou: str = ""
    """An organizational unit (or root) id: matches the accounts under it, nested OUs included,
    once an organization run has read them (``ou_accounts``)."""
    region: str = ""
    resource: str = ""
    """Matched against the resource's ARN, name and id: any one may match."""
    az_id: str = ""
    """Matched against the AZ IDs of the finding's AZs: any one may match."""
    tags: tuple[tuple[str, str], ...] = ()
    owner: str = ""
    ticket: str = ""
    expires: date | None = None
    ou_accounts: frozenset[str] | None = None
    """The accounts under ``ou``; ``None`` until a run has read them (it then matches none)."""

    def matches(self, finding: Finding) -> bool:
        fields = (
            (self.check_id, finding.check_id),
            (self.service, finding.service),
            (self.account, finding.account_id),
            (self.account_name, finding.account_name),
            (self.region, finding.region),
        )
        if any(pattern and not fnmatchcase(value, pattern) for pattern, value in fields):
            return False
        if self.ou and finding.account_id not in (self.ou_accounts or ()):
            return False
        names = (finding.resource_arn, finding.resource_name, finding.resource_id)
        if self.resource and not any(n and fnmatchcase(n, self.resource) for n in names):
            return False
        zone_ids = finding.availability_zone_ids
        if self.az_id and not any(z and fnmatchcase(z, self.az_id) for z in zone_ids):
            return False
        tags = dict(finding.tags)
        return all(k in tags and fnmatchcase(tags[k], v) for k, v in self.tags)

    def expired_on(self, today: date) -> bool:
        """``expires`` is the last day (UTC) the entry still suppresses."""
        return self.expires is not None and self.expires < today

    def criteria(self) -> dict[str, str | dict[str, str]]:
        plain = {
            "check_id": self.check_id,
            "service": self.service,
            "account": self.account,
            "account_name": self.account_name,
            "ou": self.ou,
            "region": self.region,
            "resource": self.resource,
            "az_id": self.az_id,
        }
        given: dict[str, str | dict[str, str]] = {k: v for k, v in plain.items() if v}
        if self.tags:
            given["tags"] = dict(self.tags)
        return given

    def criteria_text(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.criteria().items())

    def describe(self) -> str:
        return f"line {self.line} ({self.criteria_text()}): {self.reason}"


@dataclass(frozen=True)
class SuppressionSet:
    active: tuple[Suppression, ...] = ()
    expired: tuple[Suppression, ...] = ()

    def match(self, finding: Finding) -> tuple[Suppression, ...]:
        """The active entries accepting this finding, first (the one that counts) first."""
        if not finding.potential_single_az_risk:
            return ()
        return tuple(s for s in self.active if s.matches(finding))

    @property
    def naming_units(self) -> tuple[Suppression, ...]:
        """The entries that name an organizational unit."""
        return tuple(s for s in (*self.active, *self.expired) if s.ou)

    def resolved(self, under: Mapping[str, frozenset[str]]) -> SuppressionSet:
        """Each entry naming an OU given the accounts under it (``under``: OU id -> them)."""

        def resolve(entry: Suppression) -> Suppression:
            return (
                replace(entry, ou_accounts=under.get(entry.ou, frozenset())) if entry.ou else entry
            )

        return SuppressionSet(
            active=tuple(map(resolve, self.active)), expired=tuple(map(resolve, self.expired))
        )


class _Malformed(UsageError):
    """A problem at one line of the file; ``parse_suppressions`` names the line."""

    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.line = node.start_mark.line + 1


def _text(node: Node, what: str) -> str:
    if not isinstance(node, ScalarNode):
        raise _Malformed(node, f"{what} must be a single value")
    return str(node.value).strip()


def _pairs(node: Node, what: str) -> list[tuple[str, ScalarNode, Node]]:
    if not isinstance(node, MappingNode):
        raise _Malformed(node, f"{what} must be a mapping of keys to values")
    pairs: list[tuple[str, ScalarNode, Node]] = []
    for key_node, value in node.value:
        key = _text(key_node, "a key")
        if any(key == seen for seen, _, _ in pairs):
            raise _Malformed(key_node, f"duplicate key {key!r}")
        pairs.append((key, key_node, value))
    return pairs


def _value_problem(name: str, value: str) -> str | None:
    """Catch a typo now rather than as an entry that silently never matches."""
    glob = bool(GLOB_CHARACTERS & set(value))
    known: dict[str, list[str]] = {"check_id": sorted(GUIDANCE), "service": sorted(BY_KEY)}
    if name in known and not any(fnmatchcase(k, value) for k in known[name]):
        return (
            f"{name} pattern {value!r} matches no {name}" if glob else f"unknown {name} {value!r}"
        )
    if name == "ou" and not ORGANIZATIONAL_UNIT.fullmatch(value):
        return f"not an organizational unit id (ou-...) or root id (r-...): {value!r}"
    shape = {
        "account": (ACCOUNT_ID, "a 12-digit account id"),
        "region": (REGION, "a region name"),
        "az_id": (AZ_ID, "an AZ ID such as use1-az4 (AZ names differ between accounts)"),
    }
    if name in shape and not glob and not shape[name][0].fullmatch(value):
        return f"not {shape[name][1]}: {value!r}"
    if name == "expires":
        if not DATE.fullmatch(value):
            return f"expires must be a date YYYY-MM-DD, not {value!r}"
        try:
            date.fromisoformat(value)
        except ValueError as error:
            return f"expires: {error}"
    return None


def _entry(node: Node) -> Suppression:
    values: dict[str, str] = {}
    tags: list[tuple[str, str]] = []
    for key, key_node, value in _pairs(node, "each suppression"):
        if key not in MATCHERS and key not in DETAILS:
            allowed = ", ".join((*MATCHERS, *DETAILS))
            raise _Malformed(key_node, f"unknown key {key!r} (allowed: {allowed})")
        if key == "tags":
            tags = [(k, _text(v, f"tag {k!r}")) for k, _, v in _pairs(value, "tags")]
            if not tags:
                raise _Malformed(value, "tags is empty")
            continue
        text = _text(value, key)
        if not text and key != "reason":
            raise _Malformed(value, f"{key} is empty")
        problem = _value_problem(key, text)
        if problem:
            raise _Malformed(value, problem)
        values[key] = text
    if not values.get("reason"):
        raise _Malformed(node, "reason is required: say why this risk is accepted")
    if not tags and not any(values.get(m) for m in MATCHERS):
        raise _Malformed(node, f"give at least one of {', '.join(MATCHERS)} to match on")
    expires = values.pop("expires", None)
    expiry = date.fromisoformat(expires) if expires else None
    return Suppression(
        line=node.start_mark.line + 1,
        reason=values["reason"],
        check_id=values.get("check_id", ""),
        service=values.get("service", ""),
        account=values.get("account", ""),
        account_name=values.get("account_name", ""),
        ou=values.get("ou", ""),
        region=values.get("region", ""),
        resource=values.get("resource", ""),
        az_id=values.get("az_id", ""),
        tags=tuple(sorted(tags)),
        owner=values.get("owner", ""),
        ticket=values.get("ticket", ""),
        expires=expiry,
    )


def _entries(root: Node | None) -> list[Suppression]:
    if root is None:
        return []  # an empty file (or only comments): nothing accepted, like `suppressions: []`
    pairs = {key: (key_node, value) for key, key_node, value in _pairs(root, "the file")}
    for key, (key_node, _) in pairs.items():
        if key != "suppressions":
            raise _Malformed(key_node, f"unknown key {key!r} (expected 'suppressions')")
    if "suppressions" not in pairs:
        raise _Malformed(root, "expected a 'suppressions:' list")
    entries = pairs["suppressions"][1]
    if isinstance(entries, ScalarNode) and entries.tag.endswith(":null"):
        return []  # every entry commented out
    if not isinstance(entries, SequenceNode):
        raise _Malformed(entries, "'suppressions' must be a list of entries")
    return [_entry(item) for item in entries.value]


def parse_suppressions(text: str, today: date) -> SuppressionSet:
    try:
        entries = _entries(yaml.compose(text, Loader=yaml.SafeLoader))
    except _Malformed as error:
        raise UsageError(f"line {error.line}: {error}") from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise UsageError(f"{where}{error.problem or error.context}") from error
    except yaml.YAMLError as error:
        raise UsageError(str(error)) from error
    return SuppressionSet(
        active=tuple(e for e in entries if not e.expired_on(today)),
        expired=tuple(e for e in entries if e.expired_on(today)),
    )


def load_suppressions(path: Path, today: date) -> SuppressionSet:
    text = read_user_file(path, "suppressions file")
    try:
        return parse_suppressions(text, today)
    except UsageError as error:
        raise UsageError(f"suppressions file {path}: {error}") from error

"""How a command-line option is declared: once, on the field of the arguments record it fills.

The declaration is plain data (names, help, panel, metavar); ``cli`` turns each into a Typer
option, so ``config`` needs no Typer and the record's fields are the command's parameters. This
module and ``arguments`` load nothing heavy: every command's ``--help`` imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import MISSING, dataclass, fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any, get_args, get_type_hints

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class Panel(StrEnum):
    """The help panels that group a command's options, in the order a reader meets them."""

    SCOPE = "What to scan"
    RULES = "How to judge"
    CREDENTIALS = "Credentials"
    OUTPUT = "Output"
    DELIVERY = "Delivery"
    GATE = "CI gate"
    TUNING = "Tuning"


@dataclass(frozen=True)
class Option:
    """One option as the user sees it; the field it annotates gives its type and default."""

    names: tuple[str, ...]
    help: str
    panel: Panel
    metavar: str | None = None
    shown_default: object = None
    """The default the help shows where the field's is ``None`` until ``config`` applies one
    (``ALL``, or a bound ``--single-threaded`` must be able to tell from one typed)."""
    case_sensitive: bool = True
    complete: Callable[[str], list[str]] | None = None
    """Shell completion of the value being typed."""


@dataclass(frozen=True)
class Declared:
    """A field of an arguments record and the option that fills it."""

    name: str
    type: Any
    default: object
    option: Option


def declared(
    record: type[DataclassInstance], only: Collection[str] | None = None
) -> list[Declared]:
    """The record's options in field order (the help's order within a panel); ``only`` picks
    some by field name, and naming a field the record lacks is a mistake caught at import."""
    found = list(_declared(record))
    if only is not None:
        unknown = set(only) - {d.name for d in found}
        if unknown:
            raise ValueError(f"{record.__name__} declares no option {', '.join(sorted(unknown))}")
        found = [d for d in found if d.name in only]
    return found


def _declared(record: type[DataclassInstance]) -> Iterator[Declared]:
    hints = get_type_hints(record, include_extras=True)
    for field in fields(record):
        kind, *extras = get_args(hints[field.name]) or (hints[field.name],)
        options = [e for e in extras if isinstance(e, Option)]
        if len(options) != 1 or field.default is MISSING:
            raise ValueError(f"{record.__name__}.{field.name}: not one Option with a default")
        yield Declared(field.name, kind, field.default, options[0])


def complete_services(incomplete: str) -> list[str]:
    """Shell completion of ``-s``: the keys, after any already typed before a comma."""
    from resiliency_analyser.checks.registry import ALL, BY_KEY

    typed, _, last = incomplete.rpartition(",")
    prefix = f"{typed}," if typed else ""
    return [f"{prefix}{key}" for key in (*sorted(BY_KEY), ALL) if key.startswith(last)]


# The options more than one command takes, declared once so their names and help stay alike.
SERVICES = Option(
    ("-s", "--services"),
    metavar="KEYS",
    panel=Panel.SCOPE,
    help="Checks to run: keys from 'resiliency-analyser services' (any case), repeated or "
    "comma-separated.",
    shown_default="ALL",
    complete=complete_services,
)
BUCKET = Option(
    ("-b", "--bucket"),
    panel=Panel.DELIVERY,
    help="S3 bucket to upload the run's files to, under the -o folder.",
)
EVENT_BUS_ARN = Option(
    ("--event-bus-arn",),
    panel=Panel.DELIVERY,
    help="EventBridge bus ARN to publish findings to.",
)
SECURITY_HUB = Option(
    ("--security-hub",),
    panel=Panel.DELIVERY,
    help="Import the risks into Security Hub, in each finding's own account and region.",
)
ORGANIZATION = Option(
    ("--organization",),
    panel=Panel.SCOPE,
    help="Scan every ACTIVE account of the AWS Organization (from the management account or a "
    "delegated administrator); member accounts through --role-name.",
)
ROLE_NAME = Option(
    ("--role-name",),
    metavar="ROLE_NAME",
    panel=Panel.CREDENTIALS,
    help="The role to assume in each member account: the member role (iam/member-role.yaml).",
)
EXTERNAL_ID = Option(
    ("--external-id",),
    panel=Panel.CREDENTIALS,
    help="The external ID the member roles require (their template's ExternalId).",
)

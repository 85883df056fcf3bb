"""Each option is declared once, on its arguments field: the commands' help shows every
declaration under its panel, and a record that does not declare its options is refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

import pytest

from resiliency_analyser.cli.demo import OPTIONS as DEMO_OPTIONS
from resiliency_analyser.config.arguments import PolicyArguments, ScanArguments
from resiliency_analyser.config.options import Option, Panel, declared
from tests.cli.test_first_hour import help_text

NAMES = re.compile(r"^  (-[\w-]+(?:, -[\w-]+)*)", re.MULTILINE)
"""An option's names, at the start of its help entry."""


def sections(text: str) -> dict[str, str]:
    """The help's text under each panel heading."""
    found: dict[str, str] = {}
    heading = ""
    for line in text.splitlines():
        if line and line[0] != " " and line.endswith(":"):
            heading = line[:-1]
        elif heading:
            found[heading] = found.get(heading, "") + line + "\n"
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("command", "record", "only"),
    [
        ("scan", ScanArguments, None),
        ("demo", ScanArguments, DEMO_OPTIONS),
        ("iam-policy", PolicyArguments, None),
    ],
)
def test_help_shows_each_declared_option_under_its_panel(
    command: str, record: type[ScanArguments | PolicyArguments], only: tuple[str, ...] | None
) -> None:
    shown = sections(help_text(command, columns=400))
    options = declared(record, only)
    assert options
    for field in options:
        option = field.option
        listed = shown[option.panel.value]
        assert ", ".join(option.names) in NAMES.findall(listed), field.name
        assert flat(option.help) in flat(listed), field.name
        if option.shown_default is not None:
            assert f"{flat(option.help)} [default: {option.shown_default}]" in flat(listed)
    entries = {names for text in shown.values() for names in NAMES.findall(text)}
    own = entries - {", ".join(f.option.names) for f in options}
    assert own <= {"--log-level", "-h, --help"}, "every other option is a declared one"


FLAG = Option(("--flag",), help="A flag.", panel=Panel.OUTPUT)


def test_a_record_must_declare_one_option_and_a_default_per_field() -> None:
    @dataclass(frozen=True)
    class Undeclared:
        flag: bool = False

    @dataclass(frozen=True)
    class NoDefault:
        flag: Annotated[bool, FLAG]

    for record in (Undeclared, NoDefault):
        with pytest.raises(ValueError, match=r"\.flag: not one Option with a default"):
            declared(record)


def test_a_command_names_only_options_the_record_declares() -> None:
    with pytest.raises(ValueError, match="declares no option nosuch"):
        declared(ScanArguments, ("services", "nosuch"))
    assert [d.name for d in declared(ScanArguments, ("output", "services"))] == [
        "services",
        "output",
    ], "in the record's order"

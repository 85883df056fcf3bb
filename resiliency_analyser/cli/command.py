"""How every command parses and shows its options: an option given twice is refused (the parser
would silently keep the last), and the help groups options in panels, as the AWS CLI's does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from typer.core import TyperCommand, TyperOption

from resiliency_analyser.cli.parameters import PANELS
from resiliency_analyser.errors import UsageError

GENERAL = "Options"
"""Where an option without a panel (``--help``) is listed, last."""


def given(option: TyperOption, token: str) -> bool:
    """Whether one command-line word gives this option: ``--stdout``, ``--stdout=json``,
    ``-m5``."""
    for name in option.opts:
        long_name = name.startswith("--")
        if token == name or (long_name and token.startswith(f"{name}=")):
            return True
        if not long_name and token.startswith(name) and not token.startswith("--"):
            return True
    return False


def repeated_options(options: Sequence[TyperOption], args: Sequence[str]) -> list[str]:
    """The single-valued options ``args`` gives more than once, by their first two names."""
    words = list(args)
    if "--" in words:
        words = words[: words.index("--")]
    return [
        "/".join(option.opts[:2])
        for option in options
        if not option.multiple and sum(given(option, word) for word in words) > 1
    ]


class Command(TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        options = [p for p in self.params if isinstance(p, TyperOption)]
        repeated = repeated_options(options, args)
        if repeated:
            raise UsageError(f"{', '.join(repeated)} given more than once; give it once")
        result: list[str] = super().parse_args(ctx, args)
        return result

    def format_options(self, ctx: Any, formatter: Any) -> None:
        panels: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                panel = getattr(param, "rich_help_panel", None) or GENERAL
                panels.setdefault(panel, []).append(record)
        for name in sorted(panels, key=lambda p: PANELS.index(p) if p in PANELS else len(PANELS)):
            with formatter.section(name):
                formatter.write_dl(panels[name])

"""Commands that refuse an option given twice, where the parser would silently keep the last."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from typer.core import TyperCommand, TyperOption

from resiliency_analyser.errors import UsageError


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


class StrictCommand(TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        options = [p for p in self.params if isinstance(p, TyperOption)]
        repeated = repeated_options(options, args)
        if repeated:
            raise UsageError(f"{', '.join(repeated)} given more than once; give it once")
        result: list[str] = super().parse_args(ctx, args)
        return result

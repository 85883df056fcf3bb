"""Commands' parameters from the options ``config`` declares on its arguments records, and the
options and help parts every command shares."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Annotated, Any, Concatenate, TypeVar

import typer

from resiliency_analyser.cli.logs import LogLevel
from resiliency_analyser.config.options import Declared, Panel, declared

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

PANELS = tuple(panel.value for panel in Panel)
"""The help's panels, in order (an option without one is listed after them)."""

EXAMPLE_WIDTH = 78
"""Every example fits an 80-column terminal, so none wraps mid-command."""


def examples(*commands: str) -> str:
    """A help epilog listing ``commands`` line by line, never re-flowed (click's ``\\b``)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {c}" for c in commands)


LogLevelOption = Annotated[
    LogLevel,
    typer.Option(
        "--log-level",
        case_sensitive=False,
        rich_help_panel=Panel.TUNING.value,
        help="Log detail on stderr (INFO: a line per finished check and region).",
    ),
]
"""Logging is set up before ``config`` runs, so this option is the CLI's own."""


def typer_parameter(field: Declared) -> inspect.Parameter:
    option = field.option
    shown = "" if option.shown_default is None else f"  [default: {option.shown_default}]"
    info = typer.Option(
        *option.names,
        help=option.help + shown,
        rich_help_panel=option.panel.value,
        metavar=option.metavar,
        case_sensitive=option.case_sensitive,
        autocompletion=option.complete,
    )
    return inspect.Parameter(
        field.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=field.default,
        annotation=Annotated[field.type, info],
    )


Record = TypeVar("Record", bound="DataclassInstance")


def takes(
    record: type[Record], only: Collection[str] | None = None
) -> Callable[[Callable[Concatenate[Record, ...], None]], Callable[..., None]]:
    """Makes a command of ``command(arguments, **own)``: its options are the record's declared
    ones (``only`` some of them), then its own parameters; it gets them as one record.

    Typer reads a command's parameters from its signature (``inspect.signature``), which a
    ``__signature__`` sets."""
    options = declared(record, only)

    def command(body: Callable[Concatenate[Record, ...], None]) -> Callable[..., None]:
        _, *own = inspect.signature(body, eval_str=True).parameters.values()

        # Named, documented and its own signature read as the body's; __signature__ wins.
        def callback(**values: Any) -> None:
            arguments = record(**{o.name: values.pop(o.name) for o in options})
            body(arguments, **values)

        callback.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                *map(typer_parameter, options),
                *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own),
            ]
        )
        return functools.update_wrapper(callback, body)

    return command

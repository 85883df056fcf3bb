"""The ``diff`` command: what changed between two runs (new, resolved, still open, changed risks,
and the checks and regions one run covered and the other did not)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from resiliency_analyser.cli.parameters import examples, takes
from resiliency_analyser.config.arguments import DiffArguments

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from resiliency_analyser.output.diff import RunDiff

EPILOG = examples(
    "resiliency-analyser diff last/run.json output/",
    "resiliency-analyser diff old.jsonl new.jsonl --format markdown -o diff.md",
    "resiliency-analyser diff last/ output/ --fail-on new-risk",
)

RUN_HELP = "a run's --format json or jsonl file, or an output folder (one account, an organization, merged shards)."
OldRun = Annotated[
    Path, typer.Argument(metavar="OLD", help=f"The earlier run: {RUN_HELP}", show_default=False)
]
NewRun = Annotated[
    Path, typer.Argument(metavar="NEW", help=f"The later run: {RUN_HELP}", show_default=False)
]


@takes(DiffArguments)
def diff(arguments: DiffArguments, old: OldRun, new: NewRun) -> None:
    """Show what changed between two runs: new, resolved, still open and changed risks, and
    coverage changes."""
    from resiliency_analyser.config.diff import diff_request
    from resiliency_analyser.errors import ExitCode
    from resiliency_analyser.gate.policy import failing_lines
    from resiliency_analyser.output.atomic import write_atomic
    from resiliency_analyser.output.diff import compare_runs, gate_sentence
    from resiliency_analyser.output.diff_text import DiffFormat, diff_text

    request = diff_request(old, new, arguments)
    found = compare_runs(request.old, request.new)
    if request.format is DiffFormat.TABLE:
        from rich.console import Console

        to_file = request.output is not None
        console = Console(record=to_file, quiet=to_file)
        show(console, found)
        text = console.export_text() if to_file else ""
    else:
        text = diff_text(request.format, found, request.fail_on)
    if request.output is not None:
        write_atomic(request.output, text)
    elif text:
        typer.echo(text, nl=False)
    if request.fail_on is None:
        return
    failing = found.failing(request.fail_on)
    incomplete = found.new.incomplete
    lines = [gate_sentence(request.fail_on, failing), *failing_lines(failing)]
    if incomplete:
        # As the scan's gate: one that passed on a partial scan proves nothing.
        lines.insert(0, f"NEW has {len(incomplete)} failed (check, region) pairs: exit 1")
    typer.echo("\n".join(lines), err=True)
    if incomplete:
        raise typer.Exit(ExitCode.SCAN_FAILED)
    if failing:
        raise typer.Exit(ExitCode.GATE_FAILED)


def show(console: Console, found: RunDiff) -> None:
    """The counts, then each brief list, capped. Values read from the files go in as ``Text``:
    rich would read ``[...]`` as markup."""
    from rich.text import Text

    from resiliency_analyser.output.diff_rows import COUNTS_HEADER, LISTINGS, counts_row, side_line
    from resiliency_analyser.output.markdown import capped

    for name, side in (("OLD", found.old), ("NEW", found.new)):
        console.print(Text(side_line(name, side)))
    console.print(grid("What changed", COUNTS_HEADER, [counts_row(found)]))
    for note in found.notes:
        console.print(Text(note, style="yellow"))
    for listing in LISTINGS:
        rows = listing.rows(found)
        if not (rows and listing.brief):
            continue
        shown, more = capped(rows)
        table = grid(f"{listing.title} ({len(rows)})", listing.header, shown)
        console.print(table)
        if more:
            console.print(Text(f"{more[0].strip('_')} (--format json lists every one)"))


def grid(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    """A table of text cells; a severity cell coloured by its level."""
    from rich.table import Table
    from rich.text import Text

    from resiliency_analyser.cli.impact import STYLES

    table = Table(*header, title=title, title_justify="left")
    for row in rows:
        table.add_row(
            *(
                Text(cell, style=STYLES.get(cell.split(" ")[0], "") if column == "severity" else "")
                for column, cell in zip(header, row, strict=True)
            )
        )
    return table

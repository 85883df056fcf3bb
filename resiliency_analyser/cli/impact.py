"""The ``impact`` command: what the failure of each AZ ID would take down, over runs' files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from resiliency_analyser.config.options import Panel

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from resiliency_analyser.output.impact import Impact, ImpactEntry


def impact(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE",
            help="Runs' --format json or jsonl files, or output folders: one account, an "
            "organization, merged shards.",
            show_default=False,
        ),
    ],
    az: Annotated[
        str | None,
        typer.Option(
            "--az",
            metavar="AZ_ID",
            help="Only this AZ ID, e.g. use1-az4.",
            rich_help_panel=Panel.SCOPE.value,
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="table (for a terminal), json, markdown or html.",
            rich_help_panel=Panel.OUTPUT.value,
        ),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write to this file (replaced whole) instead of stdout.",
            rich_help_panel=Panel.OUTPUT.value,
        ),
    ] = None,
) -> None:
    """Show, per AZ ID, the resources that AZ's failure would take down, from runs' files."""
    from rich.console import Console

    from resiliency_analyser.config.impact import impact_request
    from resiliency_analyser.output.atomic import write_atomic
    from resiliency_analyser.output.impact_text import ImpactFormat, impact_text, impact_view

    request = impact_request(files, az, output_format, output)
    if request.format is ImpactFormat.TABLE:
        console = Console(record=request.output is not None, quiet=request.output is not None)
        show(console, impact_view(request.documents, request.zone_id), request.zone_id)
        text = console.export_text() if request.output is not None else ""
    else:
        text = impact_text(request.format, request.documents, request.zone_id)
    if request.output is not None:
        write_atomic(request.output, text)
    elif text:
        typer.echo(text, nl=False)


def show(console: Console, impact: Impact, zone_id: str | None) -> None:
    """Values read from the files go in as ``Text``: rich would read ``[...]`` as markup."""
    from rich.table import Table
    from rich.text import Text

    from resiliency_analyser.output.impact_text import headline
    from resiliency_analyser.output.markdown import ZONE_HEADER, zone_rows

    console.print(Text(headline(impact)))
    if not impact.zones:
        console.print(
            Text(f"No risk is located {f'in {zone_id}' if zone_id else 'in a single AZ'}.")
        )
        return
    zones = Table(*ZONE_HEADER, title="Risks by AZ ID", title_justify="left")
    for row in zone_rows(impact):
        zones.add_row(*(Text(cell) for cell in row))
    console.print(zones)
    for zone in impact.zones:
        for shift in zone.autoshifts:
            console.print(
                Text(f"{zone.zone_id}: {shift.account_id} {shift.region}: {shift.message}")
            )
        if zone.open or not zone.autoshifts:
            console.print(resources(Text(f"{zone.zone_id} ({zone.region})"), impact, zone.open))
        if zone.accepted:
            title = Text(f"{zone.zone_id}: accepted (suppressed)")
            console.print(resources(title, impact, zone.accepted))


STYLES = {"high": "bold red", "medium": "yellow", "low": "cyan"}


def resources(title: Text, impact: Impact, found: tuple[ImpactEntry, ...]) -> Table:
    """Each risk, and under it the resources that go down with it."""
    from rich.table import Table
    from rich.text import Text

    from resiliency_analyser.output.impact_text import GOES_DOWN, listed

    table = Table(
        "account", "check", "severity", "resource", "AZ name", title=title, title_justify="left"
    )
    for e, dependent in listed(impact, found):
        severity = "" if dependent else e.severity.value
        name = f"↳ {e.resource} ({GOES_DOWN})" if dependent else e.resource
        table.add_row(
            *(Text(v) for v in (e.account_id, e.check_id)),
            Text(severity, style=STYLES.get(severity, "")),
            *(Text(v) for v in (name, "" if dependent else e.location)),
        )
    return table

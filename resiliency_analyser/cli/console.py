"""Running a scan in front of the user: progress on stderr while it runs, the summary after."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import aioboto3

    from resiliency_analyser.run.request import ScanRequest
    from resiliency_analyser.run.result import ScanResult


def execute(request: ScanRequest, session: aioboto3.Session) -> ScanResult:
    """Run the scan pipeline with progress on stderr and the summary at the end."""
    import asyncio

    from rich.console import Console

    from resiliency_analyser.cli.progress import (
        LogDisplay,
        RichDisplay,
        failure_lines,
        summary_table,
    )
    from resiliency_analyser.gate.policy import review_lines
    from resiliency_analyser.run.interrupt import sigterm_as_interrupt
    from resiliency_analyser.run.pipeline import run_scan

    console = Console(stderr=True)
    display = RichDisplay(console) if console.is_terminal else LogDisplay()
    with sigterm_as_interrupt():
        result = asyncio.run(run_scan(request, session, display))
    console.print(summary_table(result.results))
    for line in failure_lines(result.results):
        console.print(f"[red]failed[/] {line}", highlight=False)
    for line in review_lines(result.review):
        console.print(line, highlight=False, soft_wrap=True)
    for path in result.files:
        console.print(f"wrote {path}", highlight=False, soft_wrap=True)
    for line in result.delivery.lines():
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    return result

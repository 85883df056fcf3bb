"""Running a scan in front of the user: progress on stderr while it runs, the summary after."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import aioboto3
    from rich.console import Console

    from resiliency_analyser.cli.progress import LogDisplay, RichDisplay
    from resiliency_analyser.run.request import OutputOptions, ScanRequest
    from resiliency_analyser.run.result import ScanResult


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def display_for(console: Console) -> RichDisplay | LogDisplay:
    """Live progress on a terminal; log lines (at INFO) in CI logs and pipes."""
    from resiliency_analyser.cli.progress import LogDisplay, RichDisplay

    return RichDisplay(console) if console.is_terminal else LogDisplay()


def execute(
    request: ScanRequest,
    session: aioboto3.Session,
    console: Console | None = None,
    display: RichDisplay | LogDisplay | None = None,
) -> ScanResult:
    """Run the scan pipeline with progress on stderr, then the summary, then what goes to
    stdout and the CI step summary."""
    import asyncio

    from resiliency_analyser.run.interrupt import sigterm_as_interrupt
    from resiliency_analyser.run.pipeline import run_scan

    console = console or stderr_console()
    display = display or display_for(console)
    display.begin("identifying the account…")
    try:
        with sigterm_as_interrupt():
            result = asyncio.run(run_scan(request, session, display))
    finally:
        display.stop()
    show_result(console, result, request.output)
    return result


def show_result(console: Console, result: ScanResult, output: OutputOptions) -> None:
    """A finished run (a scan's, or shards merged): the summary, the files written and the
    deliveries on stderr; then what goes to stdout and the CI step summary."""
    from rich.markup import escape

    from resiliency_analyser.cli.progress import account_lines, failure_lines, summary_table
    from resiliency_analyser.gate.policy import review_lines
    from resiliency_analyser.output.publish import publish

    console.print(summary_table(result.results, result.review, organization=result.organization))
    if result.shard is not None:
        mark = result.shard
        console.print(
            f"shard {mark.shard.label} of run {mark.run} (by {mark.of.value}): its slice alone; "
            "merge every shard's files for the run's report",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    for line in account_lines(result.accounts):
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    for line in failure_lines(result.results, organization=result.organization):
        console.print(f"[red]failed[/] {escape(line)}", highlight=False, soft_wrap=True)
    for line in review_lines(result.review):
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    for path in result.files:
        console.print(f"wrote {path}", highlight=False, markup=False, soft_wrap=True)
    for line in result.delivery.lines():
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    publish(result, output.stdout, output.step_summary)

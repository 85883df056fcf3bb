"""What a scan produced: the run as the renderers read it (its summary, the gate's review), the
files written, the deliveries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from resiliency_analyser.delivery.deliveries import DeliveryOutcome
from resiliency_analyser.errors import ExitCode
from resiliency_analyser.output.run_view import RunView


@dataclass(frozen=True, kw_only=True)
class ScanResult(RunView):
    report_path: Path
    findings_path: Path | None
    """None when the CSV format was not asked for."""
    files: tuple[Path, ...]
    """Every file the run wrote."""
    delivery: DeliveryOutcome = field(default_factory=DeliveryOutcome)

    @property
    def exit_code(self) -> ExitCode:
        """An interrupted run says so first; then scan and delivery failures, as a gate that
        passed on a partial scan proves nothing."""
        if self.interrupted:
            return ExitCode.INTERRUPTED
        if self.failed or self.failed_accounts or self.delivery.failed:
            return ExitCode.SCAN_FAILED
        verdict = self.review.verdict
        return ExitCode.GATE_FAILED if verdict is not None and verdict.failed else ExitCode.OK

"""Several rules judging one resource, reported as one finding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from resiliency_analyser.checks.api import Assessment


@dataclass(frozen=True)
class Verdict:
    """One rule's word on a resource: its check id, whether it is a risk, and why."""

    check_id: str
    risk: bool
    text: str


def combined(verdicts: Sequence[Verdict], **fields: Any) -> Assessment:
    """One finding saying what every rule found; it carries the check id (so the severity and
    remediation) of the first rule that found a risk, or of the first rule when none did."""
    risky = [v for v in verdicts if v.risk]
    text = "; ".join(v.text for v in verdicts)
    return Assessment(
        check_id=(risky or verdicts)[0].check_id,
        risk=bool(risky),
        message=text[0].upper() + text[1:],
        **fields,
    )

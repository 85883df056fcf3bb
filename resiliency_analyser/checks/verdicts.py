"""Several rules judging one resource, reported as one finding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from resiliency_analyser.checks.api import Assessment, RootCause


@dataclass(frozen=True)
class Verdict:
    """One rule's word on a resource: its check id, whether it is a risk, and why."""

    check_id: str
    risk: bool
    text: str
    root: RootCause | None = None
    """Set on a risk another resource causes: the resource goes down with that one's risk."""


@dataclass(frozen=True)
class Root:
    """The resource whose risk another goes down with: its finding, and its name for people."""

    cause: RootCause
    name: str
    """E.g. ``its Auto Scaling group web``."""


def goes_down_with(verdict: Verdict, root: Root | None) -> Verdict:
    """``verdict``'s risk, if it is one, as one ``root`` causes."""
    if root is None or not verdict.risk:
        return verdict
    text = f"{verdict.text}; it goes down with {root.name} ({root.cause.check_id}), the root cause"
    return replace(verdict, root=root.cause, text=text)


def combined(verdicts: Sequence[Verdict], **fields: Any) -> Assessment:
    """One finding saying what every rule found; it carries the check id (so the severity and
    remediation) of the first rule that found a risk, or of the first rule when none did. A
    resource whose every risk another resource causes is no risk of its own: it carries the
    first one's root cause."""
    own = [v for v in verdicts if v.risk and v.root is None]
    rooted = [v for v in verdicts if v.risk and v.root is not None]
    text = "; ".join(v.text for v in verdicts)
    return Assessment(
        check_id=(own or rooted or verdicts)[0].check_id,
        risk=bool(own),
        message=text[0].upper() + text[1:],
        root_cause=None if own or not rooted else rooted[0].root,
        **fields,
    )

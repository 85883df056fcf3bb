"""How bad a kind of risk is and the one thing to do about it; each check declares its own."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"
    """For findings that are not risks."""


@dataclass(frozen=True)
class Guidance:
    severity: Severity
    remediation: str


NO_ACTION = Guidance(Severity.NONE, "")
"""A finding that is not a risk needs no action."""

"""How the run's AWS clients behave: retries, bounds, timeouts. No SDK import, so the CLI can
show these defaults without loading the SDK."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RetryMode(StrEnum):
    """botocore's retry modes; adaptive adds client-side rate limiting to standard."""

    STANDARD = "standard"
    ADAPTIVE = "adaptive"
    LEGACY = "legacy"


DEFAULT_RETRY_MODE = RetryMode.STANDARD
DEFAULT_MAX_ATTEMPTS = 8
"""botocore's standard mode makes 3 attempts; a scan of many services in parallel meets more
throttling than one script does, and backs off between attempts anyway."""


@dataclass(frozen=True)
class ClientSettings:
    """How every client of the run is configured; the defaults suit a CLI on real AWS."""

    max_concurrency: int = 64
    per_client_concurrency: int = 10
    max_accounts: int = 4
    """Accounts of an organization scanned at once. Each holds its own clients (one per service
    and region it scans, the bulk of a scan's memory) and the scan is CPU-bound on one core, so a
    few keep every request slot busy while memory stays bounded by them, not by the
    organization; requests stay bounded by ``max_concurrency`` across all of them."""
    retry_mode: str = DEFAULT_RETRY_MODE
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    endpoint_url: str | None = None
    service_endpoints: tuple[tuple[str, str], ...] = ()
    """Per-service endpoint overrides, e.g. a local stand-in for one API."""

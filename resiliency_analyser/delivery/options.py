"""What the user asked to deliver to; kept free of SDK imports so the CLI can build it cheaply."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeliveryOptions:
    bucket: str | None = None
    bucket_owner: str | None = None
    """Expected owner of the bucket; ``None`` means the scanned account."""
    kms_key_id: str | None = None
    event_bus_arn: str | None = None
    security_hub: bool = False
    """Import risks into Security Hub in each finding's account and region."""
    security_hub_all: bool = False
    """Import the findings that are not risks too, as passed."""

"""Find AWS resources that a single Availability Zone failure would take down."""

__version__ = "0.1.0"

"""Where the repository's own files are, for tests that read docs, the IAM policy or schemas."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository's root folder."""

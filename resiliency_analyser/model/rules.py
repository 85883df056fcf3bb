"""Defaults of the rules the command line can change, light enough for every command's ``--help``
to import (``config/arguments.py`` declares the options with them)."""

from __future__ import annotations

DEFAULT_MIN_AZS = 2
"""The fewest AZs a resource must span where "AZs ≥ N" is the rule (``--min-azs``): one AZ is the
single-AZ case every rule flags, so this is also the smallest value the option takes."""

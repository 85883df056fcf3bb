"""One module per check, named like the check's module, each with a ``SEEDER`` for its demo data."""

from __future__ import annotations

import pkgutil
from functools import cache
from importlib import import_module

from resiliency_analyser.demo.world import Seeder


@cache
def seeders() -> dict[str, Seeder]:
    """Every seeder in this package, by the key of its check."""
    found: dict[str, Seeder] = {}
    for module in pkgutil.iter_modules(__path__):
        seeder = import_module(f"{__name__}.{module.name}").SEEDER
        if not isinstance(seeder, Seeder):
            raise TypeError(f"{__name__}.{module.name}.SEEDER is not a Seeder")
        found[seeder.check] = seeder
    return found

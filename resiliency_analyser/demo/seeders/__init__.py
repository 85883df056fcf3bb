"""One module per check, named like the check's module, each with a ``SEEDER`` for its demo data."""

from __future__ import annotations

import pkgutil
from collections.abc import Mapping
from functools import cache
from importlib import import_module

from resiliency_analyser.checks.registry import MODULE_OF
from resiliency_analyser.demo.world import Seeder
from resiliency_analyser.errors import FatalError


class MissingSeeder(FatalError):
    """A registered check has no seeder, so the demo could not show it: a bug the demo refuses
    to start with, rather than fail while seeding."""


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


def unseeded(found: Mapping[str, Seeder]) -> list[str]:
    """What to add for each registered check ``found`` has no seeder for."""
    return [
        f"the demo has no seeder for check {key!r}: add resiliency_analyser/demo/seeders/"
        f'{module}.py defining SEEDER = Seeder(check="{key}", seed=...)'
        for key, module in MODULE_OF.items()
        if key not in found
    ]


def registered_seeders(found: Mapping[str, Seeder] | None = None) -> dict[str, Seeder]:
    """The seeder of every registered check, in the registry's order, from ``found`` (this
    package's seeders by default); refuses, naming the file to add, when one has none."""
    found = seeders() if found is None else found
    if missing := unseeded(found):
        raise MissingSeeder("; ".join(missing))
    return {key: found[key] for key in MODULE_OF}

"""The check contract's omissions, each as one line naming the check, what is missing and what to
add where.

Each function takes what it inspects as arguments, so a test can build an omission (a made-up
check, a temporary module, a folder without a test module) and read the line it gives.
"""

from __future__ import annotations

import ast
import pkgutil
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import import_module
from pathlib import Path
from types import ModuleType

import pytest

from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    RegionScope,
    Severity,
)
from resiliency_analyser.checks.registry import CHECKS, GUIDANCE, MODULE_OF
from resiliency_analyser.demo.seeders import seeders, unseeded
from resiliency_analyser.model.guidance import SEVERITY_POLICY
from tests.support.paths import ROOT

CHECKS_FOLDER = ROOT / "resiliency_analyser" / "checks"
CHECK_TESTS_FOLDER = ROOT / "tests" / "checks"
CHECK_ID = re.compile(r"^([a-z0-9_]+)\.[a-z0-9_]+$")


def emitting(check_id: str) -> Callable[[RegionScope], Batches]:
    """A scan that emits one risk of ``check_id``."""

    async def scan(scope: RegionScope) -> Batches:
        yield [Assessment(check_id=check_id, resource_name="thing", risk=True, message="one AZ")]

    return scan


def made_up_check(scan: Callable[[RegionScope], Batches]) -> Check:
    """A check of key ``madeup`` declaring ``madeup.thing_multi_az``, collecting with ``scan``."""
    return Check(
        key="madeup",
        service="Made-up service",
        rule="A thing is a risk when it is in one AZ.",
        actions=(),
        scan=scan,
        guidance={
            "madeup.thing_multi_az": Guidance(
                Severity.MEDIUM, "Spread the thing out.", "Other", fails=Fails.CAPACITY
            )
        },
    )


def defined_checks(package: ModuleType) -> dict[str, list[Check]]:
    """Every ``Check`` value at the top level of each module of ``package``, by module name."""
    found: dict[str, list[Check]] = {}
    for module in pkgutil.iter_modules(package.__path__):
        namespace = vars(import_module(f"{package.__name__}.{module.name}"))
        found[module.name] = [value for value in namespace.values() if isinstance(value, Check)]
    return found


def unregistered(defined: Mapping[str, Sequence[Check]]) -> list[str]:
    """A line for each check a module defines that the registry does not list."""
    return [
        f"resiliency_analyser/checks/{module}.py defines check {check.key!r}, which the registry "
        f'does not list: add "{module}", to MODULES in resiliency_analyser/checks/registry.py'
        for module, checks in defined.items()
        for check in checks
        if check not in CHECKS
    ]


def untested(folder: Path) -> list[str]:
    """A line for each registered check without its test module in ``folder``."""
    return [
        f"check {key!r} has no tests: add tests/checks/test_{module}.py, table-driven tests of "
        "its rule on API-shaped records and collection tests through moto"
        for key, module in MODULE_OF.items()
        if not (folder / f"test_{module}.py").is_file()
    ]


def literal_check_ids(folder: Path) -> set[str]:
    """String literals shaped like ``<check key>.<rule>`` anywhere in the modules of ``folder``."""
    found: set[str] = set()
    for module in folder.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                shaped = CHECK_ID.fullmatch(node.value)
                if shaped and shaped.group(1) in MODULE_OF:
                    found.add(node.value)
    return found


def undeclared(check_ids: Iterable[str]) -> list[str]:
    """A line for each of ``check_ids`` (of registered checks) its check does not declare."""
    lines = []
    for check_id in sorted(set(check_ids) - GUIDANCE.keys()):
        key = check_id.partition(".")[0]
        lines.append(
            f"check {key!r} emits {check_id!r} without declaring it: add "
            f'"{check_id}": Guidance(Severity.<HIGH|MEDIUM|LOW>, "<remediation>", '
            f'"<ASFF resource type>", fails=Fails.<DATA|PATH|CAPACITY>) to CHECK.guidance in '
            f"resiliency_analyser/checks/{MODULE_OF[key]}.py"
        )
    return lines


def misjudged(guidance: Mapping[str, Guidance]) -> list[str]:
    """A line for each check id whose declared severity is not the one the severity policy gives
    what it declares fails and how (``SEVERITY_POLICY`` in model/guidance.py)."""
    lines = []
    for check_id, declared in sorted(guidance.items()):
        if declared.event:
            continue
        expected = SEVERITY_POLICY[declared.fails, declared.outage]
        if declared.severity is not expected:
            lines.append(
                f"{check_id} declares {declared.severity.value}, but {declared.fails.value} "
                f"{declared.outage.value} is {expected.value} by the severity policy: declare "
                f"Severity.{expected.name}, or say what fails and how"
            )
    return lines


def require_demo() -> None:
    """Skips a test that needs the demo while the contract is broken in a way that stops it (a
    check without a seeder, a check id without guidance): test_contract and test_guidance fail
    once for that, saying what to add, instead of every demo test failing with it."""
    if breaches := unseeded(seeders()) + undeclared(literal_check_ids(CHECKS_FOLDER)):
        pytest.skip("the demo cannot run: " + "; ".join(breaches))

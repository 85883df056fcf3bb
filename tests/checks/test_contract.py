"""The check contract holds for every check: registered, seeded, declared, and documented."""

from __future__ import annotations

import asyncio
import pkgutil
import shutil
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

import pytest

from resiliency_analyser import checks, regenerate
from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    Guidance,
    RegionScope,
    Severity,
)
from resiliency_analyser.checks.registry import BY_KEY, CHECKS, MODULES
from resiliency_analyser.demo.seeders import seeders
from resiliency_analyser.demo.standin import ServiceStandin, paged
from resiliency_analyser.model.report import Outcome
from resiliency_analyser.run.engine import Pair
from tests.support.engine import Collected, run_pairs
from tests.support.paths import ROOT
from tests.support.standins import StartStandin


def defined_checks() -> dict[str, list[Check]]:
    """Every ``Check`` value at the top level of each module in ``checks/``, by module."""
    found: dict[str, list[Check]] = {}
    for module in pkgutil.iter_modules(checks.__path__):
        namespace = vars(import_module(f"{checks.__name__}.{module.name}"))
        found[module.name] = [value for value in namespace.values() if isinstance(value, Check)]
    return found


def test_every_check_a_module_defines_is_in_the_registry() -> None:
    unlisted = {
        module: [c.key for c in defined if c not in CHECKS]
        for module, defined in defined_checks().items()
        if any(c not in CHECKS for c in defined)
    }
    assert not unlisted, f"add these modules to MODULES in checks/registry.py: {unlisted}"


def test_the_registry_names_each_module_once_and_each_key_once() -> None:
    assert len(set(MODULES)) == len(MODULES)
    assert len(BY_KEY) == len(CHECKS)
    defined = defined_checks()
    assert [defined[module] for module in MODULES] == [[check] for check in CHECKS]


def test_every_check_has_exactly_one_demo_seeder() -> None:
    assert sorted(seeders()) == sorted(BY_KEY)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.key)
def test_a_check_declares_its_rule_notes_and_guidance_under_its_own_key(check: Check) -> None:
    assert check.rule.endswith(".")
    assert "\n" not in check.rule
    assert check.guidance, "a check emits at least one check id"
    assert all(check_id.startswith(f"{check.key}.") for check_id in check.guidance)
    assert all(note.strip() == note and "\n" not in note for note in check.notes)


def test_generated_files_match_the_registry() -> None:
    """docs/checks.md and iam/policy.json are what ``regenerate`` writes from the check modules."""
    assert regenerate.stale(ROOT) == []


def test_regenerate_rewrites_stale_files_and_check_reports_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "iam").mkdir()
    (tmp_path / "docs" / "checks.md").write_text("# Checks\n\nhand-edited\n")
    assert regenerate.main(["--check", "--root", str(tmp_path)]) == 1
    stderr = capsys.readouterr().err
    assert "stale: docs/checks.md" in stderr
    assert "stale: iam/policy.json" in stderr
    assert regenerate.main(["--root", str(tmp_path)]) == 0
    for name in regenerate.GENERATED:
        assert (tmp_path / name).read_text() == (ROOT / name).read_text()
    assert regenerate.main(["--check", "--root", str(tmp_path)]) == 0


def test_regenerate_refuses_a_folder_that_is_not_a_checkout(tmp_path: Path) -> None:
    assert regenerate.main(["--root", str(tmp_path)]) == 2
    assert not list(tmp_path.iterdir())


async def one_pair(check: Check) -> Collected:
    collected = Collected()
    await run_pairs([Pair(check, "us-east-1")], collected)
    return collected


def made_up_check(check_id: str) -> Check:
    async def scan(scope: RegionScope) -> Batches:
        yield [Assessment(check_id=check_id, resource_name="thing", risk=True, message="one AZ")]

    return Check(
        key="madeup",
        service="Made-up service",
        rule="A thing is a risk when it is in one AZ.",
        actions=(),
        scan=scan,
        guidance={"madeup.thing_multi_az": Guidance(Severity.LOW, "Spread the thing out.")},
    )


def test_a_declared_check_id_reaches_the_findings() -> None:
    collected = asyncio.run(one_pair(made_up_check("madeup.thing_multi_az")))
    assert [r.outcome for r in collected.results] == [Outcome.SUCCESS]
    assert [f.check_id for f in collected.findings] == ["madeup.thing_multi_az"]


def test_an_undeclared_check_id_fails_its_pair_naming_the_id() -> None:
    collected = asyncio.run(one_pair(made_up_check("madeup.forgotten")))
    [result] = collected.results
    assert result.outcome is Outcome.ERROR
    assert "madeup.forgotten" in result.error_message
    assert not collected.findings


def connections_check(scan: Callable[[RegionScope], Batches]) -> Check:
    return Check(
        key="madeup",
        service="Made-up service",
        rule="A connection is a risk when it is alone.",
        actions=(),
        scan=scan,
        guidance={"madeup.thing_multi_az": Guidance(Severity.LOW, "Spread the thing out.")},
    )


def found(connection_ids: list[str]) -> list[Assessment]:
    return [
        Assessment(check_id="madeup.thing_multi_az", resource_name=c, risk=False, message="ok")
        for c in connection_ids
    ]


CONNECTIONS = [{"connectionId": f"dxcon-{i}", "connectionState": "available"} for i in range(5)]


def serve_connections(standin: StartStandin) -> ServiceStandin:
    listing = paged("directconnect", "DescribeConnections", lambda p, r: CONNECTIONS, 2)
    return standin("directconnect", {"DescribeConnections": listing})


def test_a_listing_without_paginator_that_has_more_pages_fails_its_pair_naming_it(
    standin: StartStandin,
) -> None:
    """Paging never silently stops: botocore has no paginator for DescribeConnections."""

    async def scan(scope: RegionScope) -> Batches:
        async for page in scope.pages("directconnect", "describe_connections"):
            yield found([c["connectionId"] for c in page["connections"]])

    serve_connections(standin)
    collected = asyncio.run(one_pair(connections_check(scan)))
    [result] = collected.results
    assert result.outcome is Outcome.ERROR
    assert "directconnect describe_connections answered with a next page (nextToken)" in (
        result.error_message
    )
    assert not collected.findings


def test_a_token_loop_follows_every_page_of_a_listing_without_paginator(
    standin: StartStandin,
) -> None:
    async def scan(scope: RegionScope) -> Batches:
        async for page in scope.token_pages("directconnect", "describe_connections", "nextToken"):
            yield found([c["connectionId"] for c in page["connections"]])

    server = serve_connections(standin)
    collected = asyncio.run(one_pair(connections_check(scan)))
    assert [r.outcome for r in collected.results] == [Outcome.SUCCESS]
    assert [f.resource_name for f in collected.findings] == [c["connectionId"] for c in CONNECTIONS]
    assert [p.get("nextToken") for _, _, p in server.requests] == [None, "2", "4"]

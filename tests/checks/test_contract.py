"""The check contract holds for every check: registered, tested, seeded, declared, and documented;
each omission fails once, naming the check and what to add where (tests/support/contract.py)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path

import pytest

from resiliency_analyser import checks, regenerate
from resiliency_analyser.checks.api import (
    Assessment,
    Batches,
    Check,
    RegionScope,
)
from resiliency_analyser.checks.registry import BY_KEY, CHECKS, MODULES
from resiliency_analyser.demo.seeders import MissingSeeder, registered_seeders, seeders, unseeded
from resiliency_analyser.demo.standin import ServiceStandin, paged
from resiliency_analyser.demo.world import Seeder
from resiliency_analyser.model.report import Outcome
from resiliency_analyser.run.engine import Pair
from tests.support.contract import (
    CHECK_TESTS_FOLDER,
    defined_checks,
    emitting,
    made_up_check,
    unregistered,
    untested,
)
from tests.support.engine import Collected, run_pairs
from tests.support.paths import ROOT
from tests.support.standins import StartStandin


def test_every_check_a_module_defines_is_in_the_registry() -> None:
    missing = unregistered(defined_checks(checks))
    assert not missing, "\n".join(missing)


def test_a_module_defining_an_unlisted_check_is_named_with_the_line_to_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "more_checks"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "madeup.py").write_text(
        "from tests.support.contract import emitting, made_up_check\n\n"
        'CHECK = made_up_check(emitting("madeup.thing_multi_az"))\n'
    )
    monkeypatch.syspath_prepend(tmp_path)
    assert unregistered(defined_checks(import_module("more_checks"))) == [
        "resiliency_analyser/checks/madeup.py defines check 'madeup', which the registry does "
        'not list: add "madeup", to MODULES in resiliency_analyser/checks/registry.py'
    ]


def test_the_registry_names_each_module_once_and_each_key_once() -> None:
    assert len(set(MODULES)) == len(MODULES)
    assert len(BY_KEY) == len(CHECKS)
    defined = defined_checks(checks)
    assert [defined[module] for module in MODULES] == [[check] for check in CHECKS]


def test_every_check_has_a_test_module() -> None:
    missing = untested(CHECK_TESTS_FOLDER)
    assert not missing, "\n".join(missing)


def test_a_check_without_a_test_module_is_named_with_the_file_to_add(tmp_path: Path) -> None:
    for module in MODULES:
        if module != "awslambda":
            (tmp_path / f"test_{module}.py").write_text("")
    assert untested(tmp_path) == [
        "check 'lambda' has no tests: add tests/checks/test_awslambda.py, table-driven tests of "
        "its rule on API-shaped records and collection tests through moto"
    ]


def test_every_check_has_a_demo_seeder() -> None:
    missing = unseeded(seeders())
    assert not missing, "\n".join(missing)


def placeholders(keys: Iterable[str]) -> dict[str, Seeder]:
    return {key: Seeder(check=key, seed=lambda world, region: None) for key in keys}


def test_a_check_without_a_seeder_stops_the_demo_naming_the_file_to_add() -> None:
    every = placeholders(reversed(BY_KEY))
    assert list(registered_seeders(every)) == list(BY_KEY), "every check, in the registry's order"
    with pytest.raises(MissingSeeder) as refused:
        registered_seeders(placeholders(key for key in every if key != "lambda"))
    assert str(refused.value) == (
        "the demo has no seeder for check 'lambda': add "
        'resiliency_analyser/demo/seeders/awslambda.py defining SEEDER = Seeder(check="lambda", '
        "seed=...)"
    )


def test_every_seeder_seeds_a_check_a_module_defines() -> None:
    """A seeder of a check the registry misses is that omission, reported above, not this one."""
    defined = {check.key for found in defined_checks(checks).values() for check in found}
    assert not set(seeders()) - defined


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.key)
def test_a_check_declares_its_rule_notes_and_guidance_under_its_own_key(check: Check) -> None:
    assert check.rule.endswith(".")
    assert "\n" not in check.rule
    assert check.guidance, "a check emits at least one check id"
    assert all(check_id.startswith(f"{check.key}.") for check_id in check.guidance)
    assert all(note.strip() == note and "\n" not in note for note in check.notes)


def test_generated_files_match_the_registry() -> None:
    """docs/checks.md, iam/policy.json, iam/member-role.yaml and docs/api-budgets.md are what
    ``regenerate`` writes from the check modules and the API budgets."""
    notes = regenerate.stale_notes(ROOT)
    assert not notes, "\n".join(notes)


def test_regenerate_rewrites_stale_files_and_check_reports_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "iam").mkdir()
    (tmp_path / "docs" / "checks.md").write_text("# Checks\n\nhand-edited\n")
    # A template from before a check's action was added.
    template = (ROOT / "iam" / "member-role.yaml").read_text()
    assert "          - rds:DescribeDBInstances\n" in template
    older = template.replace("          - rds:DescribeDBInstances\n", "")
    (tmp_path / "iam" / "member-role.yaml").write_text(older)
    assert regenerate.main(["--check", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "stale: docs/checks.md (run python -m resiliency_analyser.regenerate)",
        "stale: iam/policy.json (run python -m resiliency_analyser.regenerate)",
        "stale: iam/member-role.yaml (run python -m resiliency_analyser.regenerate)",
        "stale: docs/api-budgets.md (run python -m resiliency_analyser.regenerate)",
    ]
    assert regenerate.main(["--root", str(tmp_path)]) == 0
    for name, render in regenerate.GENERATED.items():
        assert (tmp_path / name).read_text() == render()
    assert regenerate.main(["--check", "--root", str(tmp_path)]) == 0


def test_regenerate_refuses_a_folder_that_is_not_a_checkout(tmp_path: Path) -> None:
    assert regenerate.main(["--root", str(tmp_path)]) == 2
    assert not list(tmp_path.iterdir())


async def one_pair(check: Check) -> Collected:
    collected = Collected()
    await run_pairs([Pair(check, "us-east-1")], collected)
    return collected


def test_a_declared_check_id_reaches_the_findings() -> None:
    collected = asyncio.run(one_pair(made_up_check(emitting("madeup.thing_multi_az"))))
    assert [r.outcome for r in collected.results] == [Outcome.SUCCESS]
    assert [f.check_id for f in collected.findings] == ["madeup.thing_multi_az"]


def test_an_undeclared_check_id_fails_its_pair_naming_the_id() -> None:
    collected = asyncio.run(one_pair(made_up_check(emitting("madeup.forgotten"))))
    [result] = collected.results
    assert result.outcome is Outcome.ERROR
    assert "madeup.forgotten" in result.error_message
    assert not collected.findings


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
    collected = asyncio.run(one_pair(made_up_check(scan)))
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
    collected = asyncio.run(one_pair(made_up_check(scan)))
    assert [r.outcome for r in collected.results] == [Outcome.SUCCESS]
    assert [f.resource_name for f in collected.findings] == [c["connectionId"] for c in CONNECTIONS]
    assert [p.get("nextToken") for _, _, p in server.requests] == [None, "2", "4"]

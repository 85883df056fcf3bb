"""Accepted risks: the file's rules, matching (globs, tags), expiry, unused entries, bad files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from resiliency_analyser.errors import UsageError
from resiliency_analyser.gate.suppressions import Suppression, parse_suppressions
from resiliency_analyser.model.findings import FINDING_COLUMNS, Finding
from tests.support.ci_world import SCAN, by_name, jsonl, seed, written
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto

TODAY = date(2026, 6, 15)


def finding(**changes: object) -> Finding:
    base: dict[str, object] = {
        "service": "rds",
        "region": "eu-west-1",
        "account_id": ACCOUNT_ID,
        "account_name": "",
        "payer_account_id": "N/A",
        "payer_account_name": "",
        "resource_arn": f"arn:aws:rds:eu-west-1:{ACCOUNT_ID}:db:dev-orders",
        "resource_name": "dev-orders",
        "resource_id": "db-ABC123",
        "potential_single_az_risk": True,
        "engine": "mysql",
        "message": "RDS instance has Multi-AZ disabled",
        "timestamp": datetime(2026, 6, 15, tzinfo=UTC),
        "check_id": "rds.instance_multi_az",
        "tags": (("env", "dev"), ("team", "shop")),
        "availability_zones": ("eu-west-1a", "eu-west-1b"),
        "availability_zone_ids": ("euw1-az3", "euw1-az1"),
    }
    return Finding.model_validate({**base, **changes})


def entry(yaml_body: str) -> Suppression:
    parsed = parse_suppressions(f"suppressions:\n  - reason: why\n{yaml_body}", TODAY)
    [only] = parsed.active
    return only


@pytest.mark.parametrize(
    ("criteria", "matches"),
    [
        ("    check_id: rds.instance_multi_az\n", True),
        ("    check_id: rds.*\n", True),
        ("    check_id: rds.cluster_multi_az\n", False),
        ("    service: rds\n", True),
        ("    service: lambda\n", False),
        (f"    account: '{ACCOUNT_ID}'\n", True),
        (f"    account: {ACCOUNT_ID}\n", True),
        ("    account: '000000000000'\n", False),
        ("    region: eu-*\n", True),
        ("    region: us-east-1\n", False),
        ("    resource: dev-*\n", True),
        ("    resource: 'arn:aws:rds:*:db:dev-*'\n", True),
        ("    resource: db-ABC*\n", True),
        ("    resource: prod-*\n", False),
        ("    resource: DEV-*\n", False),
        ("    tags: {env: dev}\n", True),
        ("    tags: {env: 'd?v', team: '*'}\n", True),
        ("    tags: {env: prod}\n", False),
        ("    tags: {owner: dev}\n", False),
        ("    service: rds\n    region: eu-west-1\n    tags: {env: dev}\n", True),
        ("    service: rds\n    region: us-*\n    tags: {env: dev}\n", False),
        ("    az_id: euw1-az1\n", True),
        ("    az_id: 'euw1-az[34]'\n", True),
        ("    az_id: euw1-az2\n", False),
        ("    az_id: 'use1-*'\n", False),
    ],
)
def test_every_given_criterion_must_match(criteria: str, matches: bool) -> None:
    assert entry(criteria).matches(finding()) is matches


def test_only_risks_are_suppressed() -> None:
    rules = parse_suppressions("suppressions:\n  - service: rds\n    reason: r\n", TODAY)
    assert rules.match(finding())
    assert rules.match(finding(potential_single_az_risk=False)) == ()


def test_expiry_is_the_last_day_an_entry_counts() -> None:
    text = (
        "suppressions:\n"
        "  - {service: rds, reason: a, expires: 2026-06-15}\n"
        "  - {service: rds, reason: b, expires: 2026-06-14}\n"
        "  - {service: rds, reason: c}\n"
    )
    rules = parse_suppressions(text, TODAY)
    assert [s.reason for s in rules.active] == ["a", "c"]
    assert [(s.reason, s.line) for s in rules.expired] == [("b", 3)]
    assert [s.reason for s in rules.match(finding())] == ["a", "c"]


def test_an_empty_list_is_no_entries() -> None:
    for text in ("suppressions: []\n", "suppressions:\n  # - {service: rds, reason: r}\n"):
        assert parse_suppressions(text, TODAY).active == ()


def test_details_are_kept() -> None:
    rule = entry(
        "    service: rds\n    owner: data-team\n    ticket: OPS-42\n    expires: 2027-01-31\n"
    )
    assert (rule.reason, rule.owner, rule.ticket, rule.expires, rule.line) == (
        "why",
        "data-team",
        "OPS-42",
        date(2027, 1, 31),
        2,
    )
    assert rule.criteria() == {"service": "rds"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("suppressions: [\n", "line 2: expected"),
        ("- service: rds\n", "line 1: the file must be a mapping"),
        ("suppresions: []\n", "line 1: unknown key 'suppresions'"),
        ("suppressions: {service: rds}\n", "line 1: 'suppressions' must be a list"),
        ("suppressions:\n  - rds\n", "line 2: each suppression must be a mapping"),
        ("suppressions:\n  - service: rds\n", "line 2: reason is required"),
        ("suppressions:\n  - service: rds\n    reason: ''\n", "line 2: reason is required"),
        ("suppressions:\n  - reason: everything\n", "line 2: give at least one of"),
        (
            "suppressions:\n  - service: rds\n    reason: r\n    resouce: x\n",
            "line 4: unknown key 'resouce'",
        ),
        (
            "suppressions:\n  - service: rds\n    reason: r\n    service: lambda\n",
            "line 4: duplicate key 'service'",
        ),
        (
            "suppressions:\n  - service: rds\n    reason: r\n    expires: 31/01/2027\n",
            "line 4: expires must be a date YYYY-MM-DD",
        ),
        (
            "suppressions:\n  - service: rds\n    reason: r\n    expires: 2027-02-30\n",
            "line 4: expires: day is out of range",
        ),
        ("suppressions:\n  - {service: rdss, reason: r}\n", "line 2: unknown service 'rdss'"),
        (
            "suppressions:\n  - {check_id: rds.multi, reason: r}\n",
            "line 2: unknown check_id 'rds.multi'",
        ),
        (
            "suppressions:\n  - {check_id: 'kinesis.*', reason: r}\n",
            "line 2: check_id pattern 'kinesis.*' matches no check_id",
        ),
        ("suppressions:\n  - {account: '1234', reason: r}\n", "not a 12-digit account id"),
        ("suppressions:\n  - {region: mars, reason: r}\n", "line 2: not a region name: 'mars'"),
        ("suppressions:\n  - {region: [a, b], reason: r}\n", "region must be a single value"),
        ("suppressions:\n  - {tags: env, reason: r}\n", "tags must be a mapping"),
        ("suppressions:\n  - {tags: {}, reason: r}\n", "line 2: tags is empty"),
        ("suppressions:\n  - {resource: '', reason: r}\n", "line 2: resource is empty"),
        (
            "suppressions:\n  - {az_id: eu-west-1a, reason: r}\n",
            "line 2: not an AZ ID such as use1-az4 (AZ names differ between accounts): 'eu-west-1a'",
        ),
    ],
)
def test_a_malformed_file_names_the_line(text: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_suppressions(text, TODAY)
    assert message in str(raised.value)


ACCEPTED = """\
suppressions:
  - tags: {env: dev}
    reason: dev database, rebuilt nightly
    owner: shop-team
    ticket: OPS-7
  - service: opensearch
    resource: "arn:aws:es:*:domain/logs-*"
    reason: log search can be rebuilt from S3
    expires: 2999-12-31
  - resource: eu-single
    reason: migration finished in 2020
    expires: 2020-12-31
  - region: ap-southeast-*
    reason: nothing runs there
"""


def test_suppressed_findings_are_marked_and_the_file_is_reported(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    seed(boto)
    rules = tmp_path / "accepted.yaml"
    rules.write_text(ACCEPTED)
    run = run_cli(*SCAN, "--suppressions", str(rules), "--format", "csv,jsonl,markdown")
    assert run.code == 0, run.stderr
    found = by_name(jsonl(written(run, ".jsonl")))
    dev = found["dev-db"]
    assert dev["suppressed"] is True
    assert dev["suppression"] == {
        "line": 2,
        "reason": "dev database, rebuilt nightly",
        "owner": "shop-team",
        "ticket": "OPS-7",
        "expires": None,
        "match": {"tags": {"env": "dev"}},
    }
    assert found["logs-one"]["suppression"]["expires"] == "2999-12-31"
    assert found["orders-db"]["suppressed"] is False, "env=prod does not match"
    assert found["eu-single"]["suppressed"] is False, "its entry has expired"
    assert found["prod-db"]["suppressed"] is False, "not a risk, so nothing to accept"
    assert list(run.findings[0]) == list(FINDING_COLUMNS), "the seed CSV is unchanged"

    stderr = " ".join(run.stderr.split())
    assert "expired suppression: line 10 (resource=eu-single): migration finished" in stderr
    assert "unused suppression: line 13 (region=ap-southeast-*)" in stderr
    summary = written(run, ".md")
    assert "### Expired suppressions" in summary
    assert "### Unused suppressions" in summary
    assert "**2 unaccepted single-AZ risks**, 2 accepted (suppressed)" in summary
    assert "acceptance expired 2020-12-31, suppressions line 10" in summary


def test_a_malformed_suppressions_file_is_exit_2_before_scanning(
    run_cli: RunCli, tmp_path: Path
) -> None:
    rules = tmp_path / "accepted.yaml"
    rules.write_text("suppressions:\n  - service: rds\n    owner: me\n")
    run = run_cli(*SCAN, "--suppressions", str(rules))
    assert run.code == 2
    assert run.stderr.strip() == (
        f"resiliency-analyser: error: suppressions file {rules}: line 2: reason is required: "
        "say why this risk is accepted"
    )
    assert not run.output.exists() or not list(run.output.iterdir())
    missing = run_cli(*SCAN, "--suppressions", str(tmp_path / "nope.yaml"))
    assert missing.code == 2
    assert "cannot read suppressions file" in missing.stderr


def test_tags_from_other_listings_reach_findings_and_match(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    efs = boto("efs", "eu-west-1")
    for name, env in (("scratch", "dev"), ("shared", "prod")):
        efs.create_file_system(
            CreationToken=name,
            AvailabilityZoneName="eu-west-1a",
            Tags=[{"Key": "Name", "Value": name}, {"Key": "env", "Value": env}],
        )
    rules = tmp_path / "accepted.yaml"
    rules.write_text("suppressions:\n  - {service: efs, tags: {env: dev}, reason: scratch space}\n")
    run = run_cli(
        "scan", "-r", "eu-west-1", "-s", "efs", "--stdout", "jsonl", "--suppressions", str(rules)
    )
    assert run.code == 0, run.stderr
    found = by_name(jsonl(run.stdout))
    assert found["scratch"]["tags"] == {"Name": "scratch", "env": "dev"}
    assert (found["scratch"]["suppressed"], found["shared"]["suppressed"]) == (True, False)


def test_a_csv_only_run_reports_unused_entries_without_holding_findings(
    boto: Boto, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    seed(boto)
    rules = tmp_path / "accepted.yaml"
    rules.write_text(ACCEPTED)
    run = run_cli(*SCAN, "--suppressions", str(rules))
    assert run.code == 0, run.stderr
    stderr = " ".join(run.stderr.split())
    assert "unused suppression: line 13 (region=ap-southeast-*)" in stderr
    assert "unused suppression: line 2" not in stderr, "it matched dev-db"
    assert "unused suppression: line 6" not in stderr, "it matched logs-one"
    assert {f["resource_name"] for f in run.findings} >= {"dev-db", "logs-one", "orders-db"}

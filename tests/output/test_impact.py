"""The impact view: which risks each AZ ID's failure realises, accepted ones apart, its renderings,
and the runs' files it reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from resiliency_analyser.config.impact import impact_request
from resiliency_analyser.errors import UsageError
from resiliency_analyser.output.impact import entries, impact_of
from resiliency_analyser.output.impact_text import impact_document, impact_markdown
from tests.support.cli import RunCli

A, B = "111111111111", "222222222222"


def finding(name: str, zones: dict[str, str], **fields: Any) -> dict[str, Any]:
    """A JSON Lines finding: a risk located in its one zone unless said otherwise."""
    location = next(iter(zones)) if len(zones) == 1 else ""
    return {
        "service": "rds",
        "region": "us-east-1",
        "account_id": A,
        "check_id": "rds.instance_multi_az",
        "resource_arn": f"arn:aws:rds:us-east-1:{fields.get('account_id', A)}:db:{name}",
        "resource_name": name,
        "potential_single_az_risk": True,
        "severity": "high",
        "availability_zones": list(zones),
        "availability_zone_ids": list(zones.values()),
        "location": location,
        "location_id": zones.get(location, ""),
        **fields,
    }


WORLD = [
    finding("single-a", {"us-east-1a": "use1-az1"}),
    finding("single-b", {"us-east-1a": "use1-az4"}, account_id=B),
    finding("cache", {"us-east-1a": "use1-az4"}, account_id=B, check_id="dax.cluster_multi_az"),
    finding("accepted", {"us-east-1a": "use1-az1"}, suppressed=True, severity="medium"),
    finding("spread", {"us-east-1a": "use1-az1", "us-east-1b": "use1-az2"}),
    finding("safe", {"us-east-1b": "use1-az2"}, potential_single_az_risk=False, location=""),
    finding("region-wide", {}, service="dx", check_id="dx.connection_redundancy"),
    finding("old-run", {"us-east-1a": ""}, location_id=""),
]


def test_risks_are_grouped_by_the_az_id_they_are_located_in() -> None:
    impact = impact_of(entries(WORLD))
    view = {
        z.zone_id: ([e.resource for e in z.open], [e.resource for e in z.accepted])
        for z in impact.zones
    }
    assert view == {
        "use1-az1": (["single-a"], ["accepted"]),
        # Grouped by account, then check.
        "use1-az4": (["cache", "single-b"], []),
    }
    assert {e.resource for e in impact.unplaced} == {"spread", "region-wide", "old-run"}
    assert impact.accounts == (A, B)
    assert impact.zones[0].counts() == {
        "high": 1,
        "medium": 0,
        "low": 0,
        "accepted": 1,
        "autoshifts": 0,
    }


AUTOSHIFT = finding(
    "AWS autoshift away from use1-az2",
    {"us-east-1b": "use1-az2"},
    service="zonalshift",
    check_id="zonalshift.aws_autoshift",
    resource_arn="",
    resource_id="autoshift/use1-az2/2025-03-02T14:05:00Z",
    potential_single_az_risk=False,
    severity="none",
    message="AWS shifted traffic away from use1-az2 (us-east-1b) on 2025-03-02 14:05 UTC, "
    "for 47 min; applied to: web",
)


def test_an_autoshift_aws_started_is_shown_under_the_az_it_left_and_nothing_else_is() -> None:
    """The autoshift's zone has no risk; the safe finding located nowhere stays out."""
    impact = impact_of(entries([*WORLD, AUTOSHIFT]))
    [zone] = [z for z in impact.zones if z.zone_id == "use1-az2"]
    assert (zone.open, zone.accepted) == ((), ())
    assert [e.message for e in zone.autoshifts] == [AUTOSHIFT["message"]]
    assert (zone.region, zone.names) == ("us-east-1", {A: "us-east-1b"})
    assert zone.counts()["autoshifts"] == 1
    document = impact_document(impact)
    [shown] = [z for z in document["zones"] if z["az_id"] == "use1-az2"]
    assert [a["resource_id"] for a in shown["autoshifts"]] == [AUTOSHIFT["resource_id"]]
    assert shown["risks"] == []
    text = impact_markdown(impact)
    assert "| use1-az2 | us-east-1 | 0 | 0 | 0 | 0 | 1 |" in text
    assert f"| {A} | us-east-1 | AWS shifted traffic away from use1-az2 (us-east-1b) on" in text
    assert "AWS shifted traffic away from these AZs 1 time(s)." in text
    assert impact_of(entries([*WORLD, AUTOSHIFT])).only("use1-az2").zones == (zone,)


def test_a_risk_in_several_files_counts_once() -> None:
    impact = impact_of(entries([*WORLD, *WORLD]))
    assert impact.findings == len(WORLD)
    assert len(impact.zones[1].open) == 2


def test_one_zone_alone() -> None:
    impact = impact_of(entries(WORLD)).only("use1-az4")
    assert [z.zone_id for z in impact.zones] == ["use1-az4"]
    assert impact.unplaced == ()


def test_the_json_and_markdown_views() -> None:
    impact = impact_of(entries(WORLD))
    document = impact_document(impact)
    assert [z["az_id"] for z in document["zones"]] == ["use1-az1", "use1-az4"]
    assert document["zones"][1]["names"] == {B: "us-east-1a"}
    assert [r["resource_name"] for r in document["zones"][0]["accepted"]] == ["accepted"]
    text = impact_markdown(impact)
    assert "| use1-az4 | us-east-1 | 2 | 0 | 0 | 0 |" in text
    assert "Accepted (suppressed):" in text
    assert "3 risks not tied to one AZ" in text


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_json_documents_and_json_lines_are_both_read(tmp_path: Path) -> None:
    lines = write(tmp_path / "a.jsonl", "".join(json.dumps(f) + "\n" for f in WORLD[:2]))
    document = write(tmp_path / "b.json", json.dumps({"schema_version": 1, "findings": WORLD[2:3]}))
    request = impact_request([lines, document], None, "json", None)
    assert [len(d["findings"]) for d in request.documents] == [2, 1]


@pytest.mark.parametrize(
    ("text", "zone", "fmt", "message"),
    [
        (
            '{"service": "rds"}\n',
            None,
            "json",
            "x.jsonl line 1: region: a required field is missing",
        ),
        ("not json\n", None, "json", "x.jsonl line 1: not JSON"),
        ('{"schema_version": 1, "findings": {}}', None, "json", "'findings' is not a list"),
        ('{"schema_version": 1, "run_report": [{}]}', None, "html", "run_report.0.service"),
        ("", "us-east-1a", "json", "--az: not an AZ ID: 'us-east-1a'"),
        ("", None, "pdf", "--format: unknown format 'pdf'; choose from table, json"),
    ],
)
def test_bad_input_is_one_clear_error(
    tmp_path: Path, text: str, zone: str | None, fmt: str, message: str
) -> None:
    path = write(tmp_path / "x.jsonl", text)
    with pytest.raises(UsageError) as raised:
        impact_request([path], zone, fmt, None)
    assert message in str(raised.value)


def test_the_command_writes_a_table_or_a_file(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path / "run.jsonl", "".join(json.dumps(f) + "\n" for f in WORLD))
    table = run_cli("impact", str(path))
    assert table.code == 0, table.stderr
    assert "use1-az4" in table.stdout
    assert "single-b" in table.stdout
    target = tmp_path / "impact.md"
    written = run_cli("impact", str(path), "--format", "markdown", "-o", str(target))
    assert written.code == 0
    assert written.stdout == ""
    assert target.read_text().startswith("## What one AZ failure takes down")
    page = tmp_path / "impact.html"
    assert (
        run_cli("impact", str(path), "--az", "use1-az1", "--format", "html", "-o", str(page)).code
        == 0
    )
    data = page.read_text().split('id="report-data">')[1].split("</script>")[0]
    names = {f["n"] for f in json.loads(data)["findings"]}
    assert names == {"single-a", "accepted"}, "the page of one zone holds the risks located there"
    shifted = write(tmp_path / "shifted.jsonl", json.dumps(AUTOSHIFT) + "\n")
    view = run_cli("impact", str(shifted))
    assert view.code == 0, view.stderr
    assert "use1-az2: " + A + " us-east-1: AWS shifted traffic away from use1-az2" in " ".join(
        view.stdout.split()
    )
    shifted_page = tmp_path / "shifted.html"
    assert run_cli("impact", str(shifted), "--format", "html", "-o", str(shifted_page)).code == 0
    shown = json.loads(shifted_page.read_text().split('id="report-data">')[1].split("</script>")[0])
    assert shown["zones"] == [
        {"id": "use1-az2", "region": "us-east-1", "open": [], "accepted": [], "autoshifts": [0]}
    ]
    shifted.unlink()
    folder = run_cli("impact", str(tmp_path), "--format", "json")
    assert folder.code == 0, folder.stderr
    assert json.loads(folder.stdout)["findings"] == len(WORLD), "a folder: its run files"
    missing = run_cli("impact", str(tmp_path / "nope.jsonl"))
    assert missing.code == 2
    assert "cannot read run file" in missing.stderr

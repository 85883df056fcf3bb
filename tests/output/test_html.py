"""The HTML report, opened in headless Chromium: every finding in the table, the heat map and the
AZ-ID chart filled, AWS values shown as text, and nothing fetched from anywhere."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from resiliency_analyser.output.html import html_report
from tests.support.browser import browser, rendered_dom, screenshot
from tests.support.ci_world import SCAN, jsonl, seed, written
from tests.support.cli import RunCli
from tests.support.findings import organization_run
from tests.support.moto import Boto
from tests.support.seeding import create_db_instance

HOSTILE = "<img src=x onerror=alert(1)>"
INJECTED = "document.body.dataset.injected = 'ran'"


class Page(HTMLParser):
    """The rendered DOM's parts the assertions read: rows of each table by id, text, tags."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[list[str]]] = {}
        self.tags: set[str] = set()
        self.text: list[str] = []
        self._section = ""
        self._in_body = False
        self._cells: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        if tag == "section":
            self._section = found.get("id") or ""
        self._in_body = self._in_body or tag == "tbody"
        if tag == "tr" and self._in_body:
            self._cells = []
            self.rows.setdefault(self._section, []).append(self._cells)
        if tag == "td" and self._cells is not None:
            self._cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        if tag == "tr":
            self._cells = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cells:
            self._cells[-1] += data


def test_the_report_renders_every_finding_as_text_offline(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    browser()
    seed(boto)
    create_db_instance(boto, "eu-west-1", "tagged-db", multi_az=False, note=HOSTILE)
    suppressions = tmp_path / "accepted.yaml"
    suppressions.write_text("suppressions:\n  - resource: dev-db\n    reason: dev\n")
    run = run_cli(*SCAN, "--format", "html,jsonl", "--suppressions", str(suppressions))
    assert run.code == 0, run.stderr
    findings = jsonl(written(run, ".jsonl"))
    [page_file] = run.output.glob("*.html")
    source = page_file.read_text()
    assert HOSTILE not in source, "the embedded data escapes markup"
    markup = re.sub(r'<script type="application/json".*?</script>', "", source, flags=re.S)
    assert not re.search(r"""\b(src|href)\s*=|@import|url\(\s*['"]?[a-z]+:""", markup)
    assert "default-src 'none'" in source

    # Markup that got into the page anyway could not run: only the page's own script may.
    probe = tmp_path / "probe.html"
    probe.write_text(source.replace("</body>", f"<script>{INJECTED}</script></body>"))
    dom = rendered_dom(probe, tmp_path / "profile")
    assert "data-injected" not in dom
    page = Page()
    page.feed(dom)
    table = page.rows["findings"]
    assert len(table) == len(findings)
    for f in findings:
        assert any(r[4] == f["region"] and r[6].startswith(f["resource_name"]) for r in table), f
    text = "".join(page.text)
    assert f"Showing {len(findings)} of {len(findings)} findings." in text
    assert HOSTILE in text, "the hostile tag value is shown as text"
    assert "img" not in page.tags, "and never becomes an element"
    [accepted] = [row for row in table if row[2] == "accepted"]
    assert accepted[6].startswith("dev-db")
    risks = sum(f["potential_single_az_risk"] and not f["suppressed"] for f in findings)
    assert f"{risks} unaccepted risks" in " ".join(text.split())
    heat = page.rows["heatmap"]
    assert [len(row) for row in heat] == [2, 2], "(opensearch, rds) x 2 regions"
    cells = [cell.split(" / ") for row in heat for cell in row if "/" in cell]
    assert sum(int(open_risks) for open_risks, _ in cells) == risks
    assert sum(int(total) for _, total in cells) == len(findings)
    for zone_id in ("use1-az6", "euw1-az3"):
        assert zone_id in text, "the AZ-ID chart names each zone"
    assert any(row[3] == "Success" for row in page.rows["report"])

    shot = screenshot(page_file, tmp_path / "profile", tmp_path / "report.png")
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_autoshifts_aws_started_are_listed_with_the_az_they_left(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A zone AWS shifted traffic away from is in the chart even without a risk, and every
    autoshift is listed under it, as text."""
    browser()
    message = (
        "AWS shifted traffic away from use1-az2 (us-east-1b) on 2025-03-02 14:05 UTC, for 47 min; "
        f"applied to: {HOSTILE}"
    )
    event = {
        "service": "zonalshift",
        "region": "us-east-1",
        "account_id": "111111111111",
        "check_id": "zonalshift.aws_autoshift",
        "resource_id": "autoshift/use1-az2/2025-03-02T14:05:00Z",
        "resource_name": "AWS autoshift away from use1-az2",
        "potential_single_az_risk": False,
        "severity": "none",
        "message": message,
        "availability_zones": ["us-east-1b"],
        "availability_zone_ids": ["use1-az2"],
        "location": "us-east-1b",
        "location_id": "use1-az2",
    }
    findings = tmp_path / "run.jsonl"
    findings.write_text(json.dumps(event) + "\n")
    page_file = tmp_path / "impact.html"
    assert run_cli("impact", str(findings), "--format", "html", "-o", str(page_file)).code == 0
    page = Page()
    page.feed(rendered_dom(page_file, tmp_path / "profile"))
    text = " ".join("".join(page.text).split())
    assert "use1-az2 (us-east-1): 1 AWS autoshift" in text, "the zone's bar says why it is there"
    assert "AWS autoshifts" in text
    assert f"111111111111 us-east-1: {message}" in text
    assert "img" not in page.tags


def test_an_organization_of_100_accounts_and_10000_findings_stays_usable(tmp_path: Path) -> None:
    """The page's data grows with the findings only: the run report lists the rows that did not
    finish (here none of 6,664), the heat map has a row per account."""
    browser()
    run = organization_run(100, 10_000)
    page_file = tmp_path / "organization.html"
    page_file.write_text(html_report(run))
    dom = rendered_dom(page_file, tmp_path / "profile")
    page = Page()
    page.feed(dom)
    assert len(page.rows["heatmap"]) == 100
    assert [len(row) for row in page.rows["heatmap"]][:1] == [18], "unaccepted, 17 checks"
    assert len(page.rows["accounts"]) == 100
    text = " ".join("".join(page.text).split())
    assert "Showing 500 of 10000 findings." in text
    assert "6664 (account, check, region) rows; the 0 rows that did not end" in text
    rendered = re.search(r'data-rendered="(\d+)"', dom)
    assert rendered is not None
    # Measured on a loaded 2-core machine: 2.9 MB, the script about 110 ms (docs/output.md).
    assert page_file.stat().st_size < 4_000_000
    assert int(rendered.group(1)) < 3_000

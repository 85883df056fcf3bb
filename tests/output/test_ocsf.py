"""``--format ocsf``: OCSF Compliance Finding events that py-ocsf-models accepts field for field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from resiliency_analyser.checks.registry import BY_KEY, guidance_for
from resiliency_analyser.gate.identity import finding_id
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.gate.suppressions import Suppression
from resiliency_analyser.output.ocsf import CloudComplianceFinding, ocsf_event
from tests.support.ci_world import RISKS, SCAN, jsonl, seed, written
from tests.support.cli import RunCli
from tests.support.findings import rds_risk
from tests.support.moto import ACCOUNT_ID, Boto


def assert_valid(event: dict[str, Any]) -> None:
    """The library parses the event, and dumps it back unchanged: no field it does not know, none
    of the wrong type (its models ignore unknown fields rather than refuse them)."""
    parsed = CloudComplianceFinding.model_validate(event)
    assert parsed.model_dump(mode="json", exclude_none=True) == event


def test_a_scan_writes_one_valid_compliance_finding_per_finding(
    boto: Boto, run_cli: RunCli, tmp_path: Path
) -> None:
    seed(boto)
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text("suppressions:\n  - resource: dev-db\n    reason: rebuilt nightly\n")
    run = run_cli(*SCAN, "--format", "csv,ocsf", "--suppressions", str(accepted))
    assert run.code == 0, run.stderr
    events = jsonl(written(run, ".ocsf.jsonl"))
    rows = {f["resource_name"]: f for f in run.findings}
    assert len(events) == len(rows) == 6
    for event in events:
        assert_valid(event)
        assert (event["class_uid"], event["category_uid"], event["type_uid"]) == (2003, 2, 200301)
        assert event["class_name"] == "Compliance Finding"
        assert event["metadata"]["product"]["name"] == "resiliency-analyser"
        assert event["metadata"]["version"].startswith("1.")
        assert event["cloud"]["account"]["uid"] == ACCOUNT_ID
        assert event["cloud"]["provider"] == "AWS"
    events_by = {e["resources"][0]["name"]: e for e in events}
    assert set(events_by) == set(rows)
    for name, event in events_by.items():
        row = rows[name]
        [resource] = event["resources"]
        assert resource["uid"] == row["resource_arn"]
        assert resource["region"] == event["cloud"]["region"] == row["region"]
        assert resource["cloud_partition"] == "aws"
        assert event["message"] == event["finding_info"]["desc"] == row["message"]
        risk = row["potential_single_az_risk"] == "True"
        assert event["status_code"] == ("FAIL" if risk else "PASS")
        assert (event["severity"], event["severity_id"]) == (
            ("High", 4) if risk else ("Informational", 1)
        )
        compliance = event["compliance"]
        assert compliance["control"] == event["metadata"]["event_code"]
        assert compliance["status_id"] == (3 if risk else 1), "Fail or Pass"
        guidance = guidance_for(compliance["control"], risk=risk)
        assert compliance["requirements"] == list(guidance.related_requirements)
    assert (events_by["orders-db"]["status"], events_by["orders-db"]["status_id"]) == ("New", 1)
    assert (events_by["dev-db"]["status"], events_by["dev-db"]["comment"]) == (
        "Suppressed",
        "rebuilt nightly",
    )
    assert events_by["prod-db"]["status"] == "Resolved"
    assert {e["resources"][0]["type"] for e in (events_by["prod-db"], events_by["orders-db"])} == {
        "AwsRdsDbInstance"
    }, "a finding that is not a risk keeps its check's type"
    assert "remediation" not in events_by["prod-db"]
    assert events_by["logs-one"]["remediation"]["desc"] == (
        guidance_for("opensearch.domain_multi_az", risk=True).remediation
    )
    assert events_by["orders-db"]["resources"][0]["labels"] == ["env:prod", "team:shop"]
    assert {n for n, e in events_by.items() if e["status_code"] == "FAIL"} == RISKS
    assert events_by["orders-db"]["compliance"] == {
        "control": "rds.instance_multi_az",
        "desc": BY_KEY["rds"].rule,
        "requirements": [
            "AWS Foundational Security Best Practices v1.0.0/RDS.5",
            "AWS Well-Architected Framework/REL10-BP01",
            "AWS Well-Architected Framework/REL11-BP02",
        ],
        "standards": [
            "AWS Foundational Security Best Practices v1.0.0",
            "AWS Well-Architected Framework",
        ],
        "status_id": 3,
    }


def test_a_check_id_without_an_fsbp_control_names_only_its_well_architected_practices() -> None:
    finding = rds_risk(1).model_copy(
        update={"service": "tgw", "check_id": "tgw.attachment_multi_az"}
    )
    event = ocsf_event(FindingRecord(finding), "aws")
    assert_valid(event)
    assert event["compliance"]["standards"] == ["AWS Well-Architected Framework"]
    assert event["compliance"]["requirements"] == ["AWS Well-Architected Framework/REL10-BP01"]


def test_the_zone_and_the_ids_match_the_other_outputs() -> None:
    single = rds_risk(1).model_copy(update={"availability_zones": ("us-east-1a",)})
    spread = rds_risk(2).model_copy(update={"availability_zones": ("us-east-1a", "us-east-1b")})
    one, two = (ocsf_event(FindingRecord(f), "aws-cn") for f in (single, spread))
    for event in (one, two):
        assert_valid(event)
    assert one["cloud"]["zone"] == "us-east-1a"
    assert "zone" not in two["cloud"], "several zones do not fit one field"
    assert two["resources"][0]["data"]["availability_zones"] == ["us-east-1a", "us-east-1b"]
    assert one["resources"][0]["cloud_partition"] == "aws-cn"
    assert one["finding_info"]["uid"] == finding_id(single), "the Security Hub Id too"
    assert one["time"] == 1714521600000
    entry = Suppression(line=3, reason="accepted", owner="ops", ticket="T-1")
    suppressed = ocsf_event(FindingRecord(single, (entry,)), "aws")
    assert_valid(suppressed)
    assert suppressed["resources"][0]["data"]["suppression"] == {
        "reason": "accepted",
        "owner": "ops",
        "ticket": "T-1",
    }


def test_stdout_ocsf_is_the_file(boto: Boto, run_cli: RunCli) -> None:
    seed(boto)
    run = run_cli(*SCAN, "--format", "ocsf", "--stdout", "ocsf")
    assert run.code == 0, run.stderr
    assert run.stdout == written(run, ".ocsf.jsonl")
    assert {e["resources"][0]["name"] for e in jsonl(run.stdout)} == {*RISKS, "prod-db", "logs-ha"}

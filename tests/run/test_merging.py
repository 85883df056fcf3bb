"""Shards put together (pure): every shard of one run once, then one run's records."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.report import Outcome
from resiliency_analyser.run.merging import ShardFile, check_shards, merge_shards

ACCOUNT = {"account_id": "111122223333", "account_name": "", "payer_account_id": "N/A"}
START, END = "2026-12-08T01:00:00Z", "2026-12-08T01:00:05Z"


def finding(name: str, region: str) -> dict[str, Any]:
    return {
        "service": "rds",
        "region": region,
        "account_id": ACCOUNT["account_id"],
        "account_name": "",
        "payer_account_id": "N/A",
        "payer_account_name": "",
        "resource_arn": f"arn:aws:rds:{region}:111122223333:db:{name}",
        "resource_name": name,
        "resource_id": name,
        "potential_single_az_risk": True,
        "engine": "mysql",
        "message": "single-AZ",
        "timestamp": START,
        "check_id": "rds.instance_multi_az",
        "availability_zones": [f"{region}a"],
        "availability_zone_ids": ["use1-az1"],
        "location": f"{region}a",
        "location_id": "use1-az1",
        "tags": {"team": "web", "env": "dev"},
        "root_cause": None,
        "severity": "high",
        "suppressed": False,
    }


def shard(index: int, count: int = 3, run: str = "0123456789abcdef", **extra: Any) -> ShardFile:
    region = ("us-east-1", "eu-west-1", "ap-south-1", "sa-east-1")[index - 1]
    document = {
        "schema_version": 1,
        "account": ACCOUNT,
        "regions": [region],
        "started": f"2026-12-08T01:00:0{index}Z",
        "ended": f"2026-12-08T01:00:1{index}Z",
        "report_only_risks": False,
        "shard": {"index": index, "count": count, "of": "regions", "run": run},
        "run_report": [
            {
                "service": "rds",
                "region": region,
                "result": "Success",
                "error_message": "",
                "start_time": START,
                "end_time": END,
                "resources": 1,
                "risks": 1,
            }
        ],
        "findings": [finding(f"db-{index}", region)],
    }
    return ShardFile(f"s{index}.json", document | extra)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "no shard's run found"),
        ([shard(1), shard(3)], "shard 2/3 of run 0123456789abcdef missing (found 2 of 3)"),
        ([shard(2)], "shards 1/3, 3/3 of run 0123456789abcdef missing (found 1 of 3)"),
        ([shard(1), shard(2), shard(2), shard(3)], "shard 2/3 given twice: s2.json and s2.json"),
        (
            [shard(1), shard(2, count=2)],
            "not the shards of one run: s1.json is shard 1/3 of run 0123456789abcdef (by "
            "regions), s2.json is shard 2/2 of run 0123456789abcdef (by regions)",
        ),
        ([shard(1), shard(2, run="fedcba9876543210")], "not the shards of one run"),
        ([shard(1), shard(2, shard=None)], "s2.json: not a shard's run"),
        ([shard(1), shard(2, shard={"index": "2"})], "s2.json: its 'shard' is not one"),
        (
            [shard(1), shard(2, shard={"index": 2, "count": 3, "of": "planets", "run": "x"})],
            "s2.json: its 'shard' is not one this version writes",
        ),
    ],
)
def test_every_shard_of_one_run_once(files: list[ShardFile], message: str) -> None:
    with pytest.raises(UsageError) as raised:
        check_shards(files)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"account": {"account_id": "999999999999"}}, "s3.json was scanned from account 99"),
        ({"report_only_risks": True}, "some shards were scanned with --report-only-risks"),
        ({"started": "yesterday"}, "s3.json: not a time: 'yesterday'"),
        (
            {"run_report": [{"service": "rds", "region": "x", "result": "Exploded"}]},
            "s3.json run_report: unknown result 'Exploded'",
        ),
        ({"findings": [{**finding("x", "x"), "timestamp": "soon"}]}, "s3.json finding 1: not a"),
    ],
)
def test_shards_that_disagree_are_refused(changed: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        merge_shards([shard(1), shard(2), shard(3, **changed)])


def test_the_shards_records_make_one_run() -> None:
    merged = merge_shards([shard(3), shard(1), shard(2)])
    run = merged.summary
    assert merged.shards == 3
    assert run.regions == ["ap-south-1", "eu-west-1", "us-east-1"]
    assert run.started.second == 1
    assert run.ended.second == 13
    assert [(r.region, r.outcome, r.resources) for r in run.results] == [
        ("ap-south-1", Outcome.SUCCESS, 1),
        ("eu-west-1", Outcome.SUCCESS, 1),
        ("us-east-1", Outcome.SUCCESS, 1),
    ]
    assert {r.account_id for r in run.results} == {"111122223333"}
    assert run.accounts == ()
    first = next(f for f in merged.findings if f.resource_name == "db-1")
    assert first.tags == (("team", "web"), ("env", "dev"))
    assert first.availability_zone_ids == ("use1-az1",)
    assert first.potential_single_az_risk

"""``--shard``: the values it takes, and how keys fall into slices (pure)."""

from __future__ import annotations

from collections import Counter

import pytest

from resiliency_analyser.config.shards import parse_shard
from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.shards import Shard, ShardOf, run_fingerprint, slot

BATCH = {"AWS_BATCH_JOB_ARRAY_INDEX": "2", "AWS_BATCH_JOB_ARRAY_SIZE": "5"}
KUBERNETES = {"JOB_COMPLETION_INDEX": "0"}


@pytest.mark.parametrize(
    ("value", "count", "environ", "expected"),
    [
        (None, None, {}, None),
        ("2/4", None, {}, Shard(2, 4)),
        (" 1/1 ", None, {}, Shard(1, 1)),
        ("auto", None, BATCH, Shard(3, 5)),
        ("AUTO", 5, BATCH, Shard(3, 5)),
        ("auto", 3, KUBERNETES, Shard(1, 3)),
        # AWS Batch's variables win: a Batch job on EKS has pods with an index of their own.
        ("auto", None, {**BATCH, **KUBERNETES}, Shard(3, 5)),
    ],
)
def test_shard_values(
    value: str | None, count: int | None, environ: dict[str, str], expected: Shard | None
) -> None:
    assert parse_shard(value, count, environ) == expected


@pytest.mark.parametrize(
    ("value", "count", "environ", "message"),
    [
        ("0/4", None, {}, "--shard: shard 0 of 4: K must be 1 to 4"),
        ("5/4", None, {}, "--shard: shard 5 of 4: K must be 1 to 4"),
        ("1/0", None, {}, "--shard: the number of shards must be at least 1"),
        ("two/4", None, {}, "--shard: 'two/4' is not K/N (e.g. 2/4) or auto"),
        ("-1/4", None, {}, "--shard: '-1/4' is not K/N (e.g. 2/4) or auto"),
        ("2", None, {}, "--shard: '2' is not K/N (e.g. 2/4) or auto"),
        (None, 4, {}, "--shard-count goes with --shard auto"),
        ("1/4", 4, {}, "--shard-count goes with --shard auto, not --shard K/N"),
        ("auto", None, {}, "--shard auto: neither AWS_BATCH_JOB_ARRAY_INDEX"),
        ("auto", None, KUBERNETES, "give the job's completions as --shard-count"),
        ("auto", 2, {"JOB_COMPLETION_INDEX": "2"}, "shard 3 of 2: K must be 1 to 2"),
        ("auto", 2, {"JOB_COMPLETION_INDEX": "x"}, "JOB_COMPLETION_INDEX: not a whole number"),
        ("auto", 4, BATCH, "--shard-count 4: the AWS Batch array job's size is 5"),
        (
            "auto",
            None,
            {"AWS_BATCH_JOB_ARRAY_INDEX": "1"},
            "AWS_BATCH_JOB_ARRAY_INDEX is set but AWS_BATCH_JOB_ARRAY_SIZE is not",
        ),
    ],
)
def test_bad_shard_values(
    value: str | None, count: int | None, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_shard(value, count, environ)


IDS = [f"{n:012d}" for n in range(0, 4000 * 7919, 7919)]


def test_slots_are_stable_across_processes_and_balanced() -> None:
    # Fixed values: a hash seeded per process would put an account in another shard each run.
    assert [slot(i, 4) for i in ("123456789012", "111122223333", "210987654321")] == [2, 3, 1]
    assert [slot(r, 3) for r in ("us-east-1", "eu-west-1", "ap-southeast-2")] == [0, 1, 2]
    sizes = Counter(slot(i, 4) for i in IDS)
    assert set(sizes) == {0, 1, 2, 3}
    assert all(900 <= n <= 1100 for n in sizes.values()), sizes


def test_adding_an_account_or_a_shard_moves_few_accounts() -> None:
    before = {i: slot(i, 4) for i in IDS}
    # A new account falls in a slice; no other account moves.
    assert {i: slot(i, 4) for i in [*IDS, "999999999999"] if i != "999999999999"} == before
    moved = sum(slot(i, 5) != before[i] for i in IDS)
    # Going from 4 to 5 shards moves about a fifth, each to the new shard.
    assert 0.15 * len(IDS) < moved < 0.25 * len(IDS)
    assert {slot(i, 5) for i in IDS if slot(i, 5) != before[i]} == {4}


def test_each_key_is_in_exactly_one_shard() -> None:
    for count in (1, 2, 3, 7):
        for key in IDS[:200]:
            assert sum(Shard(k, count).owns(key) for k in range(1, count + 1)) == 1


def test_the_run_fingerprint_names_the_whole_selection_and_the_checks() -> None:
    one = run_fingerprint(ShardOf.ACCOUNTS, ["2", "1"], ["rds", "efs"])
    assert one == run_fingerprint(ShardOf.ACCOUNTS, ["1", "2", "2"], ["efs", "rds"])
    assert one != run_fingerprint(ShardOf.ACCOUNTS, ["1", "2", "3"], ["efs", "rds"])
    assert one != run_fingerprint(ShardOf.ACCOUNTS, ["1", "2"], ["efs"])
    assert one != run_fingerprint(ShardOf.REGIONS, ["1", "2"], ["efs", "rds"])

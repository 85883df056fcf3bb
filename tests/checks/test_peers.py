"""Peer groups: which group carries a resource through the loss of its AZ, and what the message
says of it."""

from __future__ import annotations

import pytest

from resiliency_analyser.checks.api import CheckOptions
from resiliency_analyser.checks.peers import (
    PEER_GROUP_TAG,
    Peer,
    PeerGroups,
    eks_cluster,
    tag_groups,
    workload_tags,
)


def peer(name: str, zones: str, *groups: str) -> Peer:
    return Peer(name, name, tuple(f"us-east-1{z}" for z in zones), groups)


@pytest.mark.parametrize(
    ("others", "own_groups", "cover"),
    [
        ([], ("tg",), None),
        ([peer("x", "b", "other")], ("tg",), None),
        # The first group (by name) that spreads wins over one in the same AZ.
        (
            [peer("same", "a", "a-group"), peer("elsewhere", "b", "b-group")],
            ("a-group", "b-group"),
            "not a risk: its peers by b-group, elsewhere (us-east-1b), cover us-east-1a, "
            "us-east-1b",
        ),
        # No group spreads: the first is named.
        (
            [peer("same", "a", "a-group"), peer("also", "a", "b-group")],
            ("a-group", "b-group"),
            "its peers by a-group, same (us-east-1a), sit in us-east-1a too: the group is "
            "single-AZ",
        ),
        # A peer that runs in the resource's AZ and another counts.
        (
            [peer("wide", "ab", "tg")],
            ("tg",),
            "not a risk: its peers by tg, wide (us-east-1a, us-east-1b), cover us-east-1a, "
            "us-east-1b",
        ),
        (
            [peer(f"m{i}", "b", "tg") for i in range(7)],
            ("tg",),
            "m0 (us-east-1b), m1 (us-east-1b), m2 (us-east-1b), m3 (us-east-1b), m4 (us-east-1b) "
            "and 2 more, cover",
        ),
    ],
)
def test_the_group_that_covers_a_resource(
    others: list[Peer], own_groups: tuple[str, ...], cover: str | None
) -> None:
    me = peer("me", "a", *own_groups)
    found = PeerGroups([me, *others]).cover(me)
    if cover is None:
        assert found is None
    else:
        assert found is not None
        assert cover in found.text()


def test_workload_tags_always_include_the_peer_group_tag_once() -> None:
    assert workload_tags(CheckOptions()) == (PEER_GROUP_TAG,)
    options = CheckOptions(peer_tags=("Role", PEER_GROUP_TAG, "App"))
    assert workload_tags(options) == (PEER_GROUP_TAG, "Role", "App")
    assert tag_groups({"Role": "ad", "App": ""}, ("Role", "App")) == ("tag Role=ad",)


@pytest.mark.parametrize(
    ("tags", "cluster"),
    [
        ({"eks:cluster-name": "prod"}, "prod"),
        ({"kubernetes.io/cluster/prod": "owned"}, "prod"),
        ({"kubernetes.io/cluster/prod": "shared"}, "prod"),
        ({"kubernetes.io/cluster/prod": "other"}, ""),
        ({"Name": "prod"}, ""),
    ],
)
def test_the_eks_cluster_of_an_auto_scaling_group(tags: dict[str, str], cluster: str) -> None:
    assert eks_cluster(tags) == cluster


def test_a_group_must_span_as_many_zones_as_min_azs_asks() -> None:
    me, other = peer("me", "a", "tg"), peer("other", "b", "tg")
    found = PeerGroups([me, other], CheckOptions(min_azs=3)).cover(me)
    assert found is not None
    assert not found.spread
    assert found.text() == (
        "its peers by tg, other (us-east-1b), cover us-east-1a, us-east-1b: fewer than --min-azs 3"
    )
    third = peer("third", "c", "tg")
    wide = PeerGroups([me, other, third], CheckOptions(min_azs=3)).cover(me)
    assert wide is not None
    assert wide.spread

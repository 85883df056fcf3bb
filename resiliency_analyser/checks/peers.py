"""Peer groups: resources that carry one workload together, judged together.

AZ-resilient designs often spread one workload over several resources, each in one AZ: an EKS
managed node group per AZ, one Auto Scaling group per AZ behind a target group, three domain
controllers in three AZs. Each member alone is single-AZ; the workload is not. A member whose
peers run in other AZs is not a risk; a group whose members all sit in one AZ still is, once per
member, and the message names the group.

What makes resources peers is each check's to say (a target group, an EKS cluster); workload tags
are shared by `ec2`, `autoscaling` and `eks`: resources sharing a value of one of them are peers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from resiliency_analyser.checks.api import DEFAULT_OPTIONS, CheckOptions, zone_text
from resiliency_analyser.checks.verdicts import Verdict

PEER_GROUP_TAG = "resiliency-analyser:peer-group"
"""The workload tag always read: tagging resources with one value of it declares them peers.
Only a tag whose whole meaning is "these are interchangeable replicas" is safe to read by
default; a stack or application tag also holds resources that back nothing up for each other."""

NAMED_MEMBERS = 5
"""At most this many peers are named in a message."""


def workload_tags(options: CheckOptions) -> tuple[str, ...]:
    """The tag keys whose shared value makes resources peers: ``PEER_GROUP_TAG`` and
    ``--peer-tag``'s."""
    return tuple(dict.fromkeys((PEER_GROUP_TAG, *options.peer_tags)))


def tag_groups(tags: Mapping[str, str], keys: Sequence[str]) -> tuple[str, ...]:
    """The peer groups workload tags put a resource in, e.g. ``tag Application=ad``."""
    return tuple(f"tag {key}={tags[key]}" for key in keys if tags.get(key))


@dataclass(frozen=True)
class Peer:
    """A resource that may carry another's load: where it runs, and the groups it is in."""

    key: str
    """Its identity (ARN or id), unique among the peers judged together."""
    name: str
    """For people, e.g. ``dc-2`` or ``node group apps-b``."""
    zones: tuple[str, ...]
    """Where it runs: its instances' AZs, or where it launches while it runs none."""
    groups: tuple[str, ...]
    """Its peer groups, for people: ``target group web``, ``EKS cluster prod``, ``tag k=v``."""


@dataclass(frozen=True)
class Cover:
    """One peer group of a resource: the other members and the AZs the group runs in."""

    group: str
    others: tuple[Peer, ...]
    zones: tuple[str, ...]
    """Every AZ a member of the group (the resource too) runs in."""
    needed: int
    """How many AZs the rule asks for (``--min-azs``)."""

    @property
    def spread(self) -> bool:
        return len(self.zones) >= self.needed

    def members_text(self) -> str:
        """E.g. ``dc-2 (us-east-1b), dc-3 (us-east-1c)``, the first few."""
        named = [f"{p.name} ({zone_text(p.zones)})" for p in self.others[:NAMED_MEMBERS]]
        more = len(self.others) - NAMED_MEMBERS
        return ", ".join(named) + (f" and {more} more" if more > 0 else "")

    def text(self) -> str:
        """What the message says of the group, whether or not it covers the resource."""
        if self.spread:
            return (
                f"not a risk: its peers by {self.group}, {self.members_text()}, cover "
                f"{zone_text(self.zones)}"
            )
        if len(self.zones) > 1:
            return (
                f"its peers by {self.group}, {self.members_text()}, cover "
                f"{zone_text(self.zones)}: fewer than --min-azs {self.needed}"
            )
        return (
            f"its peers by {self.group}, {self.members_text()}, sit in {zone_text(self.zones)} "
            "too: the group is single-AZ"
        )


class PeerGroups:
    """Every resource that may be a peer, by the groups it is in; a group carries its members'
    workload when it runs in as many AZs as ``options`` ask for."""

    def __init__(self, peers: Iterable[Peer], options: CheckOptions = DEFAULT_OPTIONS) -> None:
        self._needed = options.min_azs
        self._members: dict[str, list[Peer]] = defaultdict(list)
        for peer in peers:
            for group in peer.groups:
                self._members[group].append(peer)

    def cover(self, peer: Peer) -> Cover | None:
        """The group that carries ``peer``'s workload through the loss of its AZ (the first by
        name, of those that do); else the first of its groups with other members, to name in
        the message; ``None`` when it has no peer at all."""
        covers = []
        for group in sorted(set(peer.groups)):
            members = self._members.get(group, [])
            others = sorted((p for p in members if p.key != peer.key), key=lambda p: p.name)
            if others:
                zones = tuple(sorted({z for p in (peer, *others) for z in p.zones}))
                covers.append(Cover(group, tuple(others), zones, self._needed))
        return next((c for c in covers if c.spread), covers[0] if covers else None)


EKS_CLUSTER_TAG = "eks:cluster-name"
"""Set by EKS on a managed node group's Auto Scaling group, and by eksctl on self-managed ones."""
KUBERNETES_CLUSTER_TAG = "kubernetes.io/cluster/"
"""``kubernetes.io/cluster/<name>``: ``owned`` or ``shared``, on a cluster's self-managed nodes."""
CLUSTER_TAG_VALUES = frozenset({"owned", "shared"})


def eks_cluster(tags: Mapping[str, str]) -> str:
    """The EKS cluster an Auto Scaling group's tags say its nodes join, or ''."""
    if tags.get(EKS_CLUSTER_TAG):
        return tags[EKS_CLUSTER_TAG]
    for key, value in sorted(tags.items()):
        if key.startswith(KUBERNETES_CLUSTER_TAG) and value in CLUSTER_TAG_VALUES:
            return key.removeprefix(KUBERNETES_CLUSTER_TAG)
    return ""


def cluster_group(cluster: str) -> str:
    return f"EKS cluster {cluster}"


def with_peers(verdicts: Sequence[Verdict], cover: Cover | None, caveat: str = "") -> list[Verdict]:
    """A resource's own verdicts, and what its peers make of them: a risk its peers carry
    through the loss of its AZ is no risk (``caveat`` says what is still lost); a risk whose
    peer group sits in its AZ too stays one, naming the group."""
    if cover is None or not any(v.risk for v in verdicts):
        return list(verdicts)
    if not cover.spread:
        return [*verdicts, Verdict(verdicts[0].check_id, False, cover.text())]
    return [
        *(replace(v, risk=False) for v in verdicts),
        Verdict(verdicts[0].check_id, False, cover.text() + caveat),
    ]

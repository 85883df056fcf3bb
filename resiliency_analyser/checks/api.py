"""The check API: everything a check module imports to declare, collect and judge.

A check is one module whose ``CHECK`` value declares everything the project knows about it: its
key, AWS service, rule sentence, IAM actions, home region, scan coroutine, the guidance of every
check id it can emit, and notes for docs/checks.md. Its ``scan`` coroutine collects API records
through the ``RegionScope`` it is given, its only door to AWS (bounded, paginated calls, other
regions through ``in_region``, the lookups of ``checks/lookups.py`` shared per region), runs
independent calls together with ``concurrently``, and yields what pure rule functions
(``assess``) make of them. docs/architecture.md walks through adding one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from resiliency_analyser.checks.fanout import chunks, concurrently
from resiliency_analyser.checks.lookups import SUBNETS
from resiliency_analyser.checks.sharing import Lookup, SharedLookups
from resiliency_analyser.model.findings import AccountInfo, Assessment, RootCause
from resiliency_analyser.model.guidance import Fails, Guidance, Outage, Severity
from resiliency_analyser.model.rules import DEFAULT_MIN_AZS

if TYPE_CHECKING:
    from resiliency_analyser.aws.clients import AwsClients, AwsResponse

__all__ = [
    "DEFAULT_OPTIONS",
    "AccountInfo",
    "ArnOf",
    "Assessment",
    "Batches",
    "Check",
    "CheckOptions",
    "Fails",
    "Guidance",
    "Lookup",
    "Outage",
    "Record",
    "RegionScope",
    "RootCause",
    "Severity",
    "SharedLookups",
    "SubnetSpread",
    "arn",
    "chunks",
    "concurrently",
    "listed_note",
    "subnet_spread",
    "tag_pairs",
    "tag_value",
    "zone_text",
    "zones_by_subnet",
]

T = TypeVar("T")
Record = Mapping[str, Any]
"""One record as the API returns it (a response's list item), read with ``.get``."""
Batches = AsyncIterator[Sequence[Assessment]]
ArnOf = Callable[[str, str], str]
"""(service, resource) -> that resource's ARN in the scanned region and account."""


@dataclass(frozen=True)
class Check:
    key: str
    """The ``service`` column of its findings and its ``-s`` choice."""
    service: str
    """The AWS service's name, for people."""
    rule: str
    """One sentence: when a resource is a risk. docs/checks.md and ``services`` show it."""
    actions: tuple[str, ...]
    """Every IAM action ``scan`` calls; the IAM policy is built from these."""
    scan: Callable[[RegionScope], Batches]
    guidance: Mapping[str, Guidance]
    """Every fact about each check id (``<key>.<rule>``) it can emit: severity and remediation
    of its risk, and the Security Hub resource type of what it judges."""
    notes: tuple[str, ...] = ()
    """Markdown bullets for docs/checks.md: what is covered, how it is read, what is left out."""
    home_region: str | None = None
    """Set for global services whose API lives in one region: scanned once, there."""
    tagged: bool = False
    """Its listing returns each resource's tags, so its findings carry them."""
    counts_azs: bool = False
    """Its rule is "AZs ≥ N": ``--min-azs`` (``scope.options.min_azs``) sets N, 2 by default."""


@dataclass(frozen=True)
class CheckOptions:
    """The run's choices that change how the rules judge, from the command line; every pair of
    the run sees the same (``scope.options``)."""

    min_azs: int = DEFAULT_MIN_AZS
    """``--min-azs``: the fewest AZs a resource must span in the checks whose rule is "AZs ≥ N"
    (docs/usage.md lists them)."""
    peer_tags: tuple[str, ...] = ()
    """``--peer-tag``: tag keys whose shared value makes resources peers, besides the tag
    ``checks/peers.py`` always reads."""

    def too_few(self, zones: int) -> bool:
        """Whether ``zones`` AZs are fewer than the rule asks for."""
        return zones < self.min_azs

    def shortfall(self, zones: int) -> str:
        """The message's note when ``zones`` AZs meet the default rule but not ``--min-azs``
        (``"; fewer than --min-azs 3"``), else ''. At the default, messages are unchanged."""
        return (
            f"; fewer than --min-azs {self.min_azs}"
            if DEFAULT_MIN_AZS <= zones < self.min_azs
            else ""
        )


DEFAULT_OPTIONS = CheckOptions()


class RegionScope:
    """What a check's ``scan`` sees, and its one door to AWS: its region, the account, bounded
    calls, the lookups pairs share, and the run's ``options``. Another region is reached through
    ``in_region``."""

    def __init__(
        self,
        clients: AwsClients,
        region: str,
        account: AccountInfo,
        shared: SharedLookups,
        options: CheckOptions = DEFAULT_OPTIONS,
    ) -> None:
        self._clients = clients
        self.region = region
        self.account = account
        self._shared = shared
        self.options = options

    def in_region(self, region: str) -> RegionScope:
        """This scope's account, calls, shared lookups and options, in ``region``: for resources
        that point into another region (a global service's endpoints, a gateway's instance)."""
        if region == self.region:
            return self
        return RegionScope(self._clients, region, self.account, self._shared, self.options)

    async def call(self, service: str, operation: str, **params: Any) -> AwsResponse:
        return await self._clients.call(service, self.region, operation, **params)

    async def call_unless_gone(
        self, service: str, operation: str, **params: Any
    ) -> AwsResponse | None:
        """``call``, or ``None`` when AWS answers that the resource it names is not found: one
        deleted between a listing and this call has nothing left to judge."""
        return await self._clients.call_unless_gone(service, self.region, operation, **params)

    def pages(self, service: str, operation: str, **params: Any) -> AsyncIterator[AwsResponse]:
        return self._clients.pages(service, self.region, operation, **params)

    async def items(
        self, service: str, operation: str, key: str, **params: Any
    ) -> list[dict[str, Any]]:
        return await self._clients.items(service, self.region, operation, key, **params)

    async def items_each(
        self, service: str, operation: str, key: str, param: str, values: Iterable[str]
    ) -> list[list[dict[str, Any]]]:
        """``items`` once per value of ``param`` (every page of each), concurrently, in order."""
        return list(
            await concurrently(
                *(self.items(service, operation, key, **{param: value}) for value in values)
            )
        )

    def token_pages(
        self, service: str, operation: str, token_key: str, **params: Any
    ) -> AsyncIterator[AwsResponse]:
        """Every page of a listing botocore has no paginator for, following ``token_key``."""
        return self._clients.token_pages(service, self.region, operation, token_key, **params)

    async def offers(self, service: str) -> bool:
        """Whether AWS offers ``service`` in this region: a variant served by a service of its
        own (OpenSearch Serverless beside OpenSearch) is skipped where it is not offered,
        rather than failing the whole pair."""
        return await self._clients.offers(service, self.region)

    def arn(self, service: str, resource: str) -> str:
        return arn(self.account, self.region, service, resource)

    async def shared(self, lookup: Lookup[T]) -> T:
        """``lookup``'s records, loaded once per scan and region by whichever pair asks first;
        a lookup declared with a region of its own is loaded once per scan, there."""
        return await self._shared.once(lookup, self.in_region(lookup.region or self.region))

    async def subnets(self) -> list[dict[str, Any]]:
        """Every subnet record of the region (id, AZ, VPC, CIDR), fetched once a scan."""
        return await self.shared(SUBNETS)

    async def subnet_zones(self) -> dict[str, str]:
        """Subnet id -> Availability Zone for every subnet in the region."""
        return zones_by_subnet(await self.subnets())


def arn(account: AccountInfo, region: str, service: str, resource: str) -> str:
    """An ARN for APIs that return only an id; ``region`` is empty for global resources."""
    return f"arn:{account.partition}:{service}:{region}:{account.account_id}:{resource}"


def zone_text(zones: Iterable[str]) -> str:
    """AZs as a reader wants them in a message: sorted, de-duplicated, or 'none'."""
    unique = sorted(set(zones))
    return ", ".join(unique) if unique else "none"


@dataclass(frozen=True)
class SubnetSpread:
    """The AZs a resource's subnets lie in (two subnets in one AZ are one AZ), and the subnets
    the region's lookup cannot name; both sorted."""

    zones: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def zone_count(self) -> int:
        """For APIs that allow one subnet per AZ: an unnamed subnet is an AZ of its own."""
        return len(self.zones) + len(self.unknown)

    def unknown_note(self) -> str:
        """The message's note of subnets not found, or ''."""
        return listed_note("subnets not found in the region", self.unknown)

    def text(self, subject: str) -> str:
        """E.g. ``launches in 1 AZ(s): us-east-1a (subnets not found: subnet-1)``."""
        text = f"{subject} {len(self.zones)} AZ(s): {zone_text(self.zones)}"
        if self.unknown:
            text += f" (subnets not found: {', '.join(self.unknown)})"
        return text


def zones_by_subnet(subnets: Iterable[Record]) -> dict[str, str]:
    """Subnet id -> AZ, from ``DescribeSubnets`` records."""
    return {subnet["SubnetId"]: subnet["AvailabilityZone"] for subnet in subnets}


def subnet_spread(subnets: Iterable[str], subnet_zones: Mapping[str, str]) -> SubnetSpread:
    unique = set(subnets)
    return SubnetSpread(
        tuple(sorted({subnet_zones[s] for s in unique if s in subnet_zones})),
        tuple(sorted(unique - set(subnet_zones))),
    )


def listed_note(label: str, items: Iterable[str]) -> str:
    """``"; <label>: a, b"`` to append to a message, or '' when there is nothing to list."""
    named = list(items)
    return f"; {label}: {', '.join(named)}" if named else ""


def tag_pairs(tag_list: Iterable[Record] | None) -> tuple[tuple[str, str], ...]:
    """A ``[{"Key": k, "Value": v}]`` tag list, as sorted (key, value) pairs."""
    return tuple(
        sorted((str(t["Key"]), str(t.get("Value", ""))) for t in tag_list or [] if "Key" in t)
    )


def tag_value(record: Record, key: str, field: str = "Tags") -> str:
    """One tag's value from an AWS ``[{"Key": ..., "Value": ...}]`` list, or ''."""
    for tag in record.get(field) or []:
        if tag.get("Key") == key:
            return str(tag.get("Value", ""))
    return ""

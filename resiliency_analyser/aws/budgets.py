"""AWS's published request budgets: which throttling bucket a call spends, and how big it is.

The one source of truth for the client's pacing (``aws/pacing``), the benchmark's throttling
endpoint and the table and figure in docs/api-budgets.md. No SDK import: a call is named by what
AWS sees of it (the signing name, the API version, the operation), so the benchmark's endpoint
can name the bucket of a request it receives the same way the client names it before sending.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase

EC2_THROTTLING = "https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html"
ELB_THROTTLING = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html"
)
RDS_THROTTLING = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html"
ECS_THROTTLING = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html"
LAMBDA_QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
SECURITY_HUB_QUOTAS = (
    "https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-limits.html"
)

READS = ("Describe*", "Get*", "List*", "Search*", "BatchGet*")
"""Operations that change nothing: what a scan calls."""


@dataclass(frozen=True)
class Budget:
    """A token bucket: ``burst`` calls at once, refilled at ``rate`` a second."""

    burst: float
    rate: float
    published: bool = True
    """AWS publishes these numbers; otherwise a conservative start that adapts (see pacing)."""


@dataclass(frozen=True)
class Call:
    """A call as AWS's throttling sees it."""

    api: str
    """The signing name (``ec2``, ``elasticloadbalancing``, ``rds``...): DocumentDB and Neptune
    sign as ``rds`` and spend the RDS budget."""
    version: str
    """The API version: ELB's two versions (Classic, and v2) have a bucket each."""
    operation: str
    """As AWS names it: ``DescribeInstances``."""
    unbounded: bool = False
    """Neither a page size nor a filter nor ids: EC2 charges such a call to a smaller bucket."""


@dataclass(frozen=True)
class Rule:
    """One row of the table: which calls spend which budget."""

    api: str
    operations: tuple[str, ...]
    """Shell patterns over the operation name."""
    budget: Budget
    source: str
    title: str
    """What AWS calls these calls, for the docs."""
    version: str = ""
    """Only calls of this API version ("" for any)."""
    per_operation: bool = False
    """Each operation has a bucket of its own (EC2), rather than all the rule's sharing one."""
    unbounded: bool | None = None
    """Only unbounded calls (True), only bounded ones (False), or either (None)."""

    def matches(self, call: Call) -> bool:
        return (
            call.api == self.api
            and self.version in ("", call.version)
            and self.unbounded in (None, call.unbounded)
            and any(fnmatchcase(call.operation, p) for p in self.operations)
        )

    def bucket(self, call: Call) -> str:
        name = f"{self.api} {self.title}"
        return f"{name}: {call.operation}" if self.per_operation else name


EC2_UNFILTERED = (
    "DescribeInstances",
    "DescribeInstanceStatus",
    "DescribeNetworkInterfaces",
    "DescribeSecurityGroups",
    "DescribeSnapshots",
    "DescribeSpotInstanceRequests",
    "DescribeVolumes",
)
"""The EC2 describes AWS charges to the smaller bucket when called unfiltered and unpaginated."""

RULES: tuple[Rule, ...] = (
    Rule(
        "ec2",
        EC2_UNFILTERED,
        Budget(50, 10),
        EC2_THROTTLING,
        "unfiltered and unpaginated non-mutating actions",
        per_operation=True,
        unbounded=True,
    ),
    Rule(
        "ec2",
        READS,
        Budget(100, 20),
        EC2_THROTTLING,
        "non-mutating actions",
        per_operation=True,
    ),
    Rule(
        "elasticloadbalancing",
        READS,
        Budget(40, 10),
        ELB_THROTTLING,
        "v2 (Application, Network, Gateway) non-mutating actions",
        version="2015-12-01",
    ),
    Rule(
        "elasticloadbalancing",
        READS,
        Budget(40, 10),
        ELB_THROTTLING,
        "Classic non-mutating actions",
        version="2012-06-01",
    ),
    Rule("rds", ("*",), Budget(300, 12), RDS_THROTTLING, "every action (RDS, DocumentDB, Neptune)"),
    Rule("ecs", READS, Budget(50, 20), ECS_THROTTLING, "read actions"),
    Rule("lambda", ("GetFunction",), Budget(100, 100), LAMBDA_QUOTAS, "GetFunction"),
    Rule("lambda", ("GetPolicy",), Budget(15, 15), LAMBDA_QUOTAS, "GetPolicy"),
    Rule("lambda", ("*",), Budget(15, 15), LAMBDA_QUOTAS, "other control plane actions"),
    Rule(
        "securityhub",
        ("BatchImportFindings",),
        Budget(30, 10),
        SECURITY_HUB_QUOTAS,
        "BatchImportFindings",
    ),
    Rule(
        "securityhub",
        ("GetFindings",),
        Budget(6, 3),
        SECURITY_HUB_QUOTAS,
        "GetFindings",
    ),
)

UNKNOWN = Budget(burst=10, rate=5, published=False)
"""Where AWS publishes no number: a start well under the smallest published read budget, which
pacing raises while calls succeed and lowers, for good, at the first throttling answer."""


BOUNDING = ("MaxResults", "MaxRecords", "NextToken", "Filter")


def unbounded(names: Iterable[str]) -> bool:
    """Whether a call with these parameters asks for everything at once: no page size, no page
    token, no filter, no ids. Takes the SDK's names (``Filters``, ``InstanceIds``) and the
    wire's (``Filter.1.Name``, ``InstanceId.1``) alike."""
    for name in names:
        base = name.partition(".")[0]
        if base.startswith(BOUNDING) or base.endswith(("Id", "Ids")):
            return False
    return True


def budget_for(call: Call) -> tuple[str, Budget]:
    """The bucket ``call`` spends (its name: one per API where AWS publishes none) and its
    budget."""
    for rule in RULES:
        if rule.matches(call):
            return rule.bucket(call), rule.budget
    return f"{call.api} (unpublished)", UNKNOWN


def seconds_for(calls: int, budget: Budget) -> float:
    """The least time ``calls`` take from a full bucket: the burst at once, the rest at the
    refill rate."""
    return max(0.0, calls - budget.burst) / budget.rate

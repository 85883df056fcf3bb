"""docs/checks.md, written from the registry: every check's rule, notes and check ids."""

from __future__ import annotations

from collections.abc import Iterable

from resiliency_analyser.checks.api import Check, Guidance
from resiliency_analyser.checks.peers import PEER_GROUP_TAG
from resiliency_analyser.model.guidance import (
    FAILS_MEANING,
    OTHER_TYPE,
    OUTAGE_MEANING,
    SEVERITY_POLICY,
    Fails,
    Outage,
)

GENERATED_NOTE = (
    "<!-- Generated from the check modules by `python -m resiliency_analyser.regenerate`; "
    "edit those, not this file. -->"
)

INTRO = """\
# Checks

Every check reads one AWS service in each scanned region and gives each resource a finding:
`potential_single_az_risk` is `True` when a single Availability Zone failure would take the
resource down (or cut it off), `False` when it would survive one. The `message` column says why,
naming the AZs the API reported. `resiliency-analyser services` prints this list too. One check
asks the next question across services: [`balance`](#balance) judges whether the AZs left after
one fails can carry the load (N-1), and its risks are degraded capacity rather than outages.

These are *potential* risks: a development database may be single-AZ on purpose. Accept such a
risk in a suppressions file (see [usage](usage.md#accepted-risks---suppressions)).

Each finding also carries a stable **check id** (`<check>.<rule>`, listed under each check below
with what its risk loses, its [severity](#severity), the [Security Hub resource
type](#security-hub-resource-types) of what it judges and the published controls it corresponds
to), the AZs observed, and a one-line remediation; they are in the JSON Lines and JSON outputs
and in the CSV with `--csv-extended`. Findings that are not risks have severity `none`.
"""


SEVERITY = """## Severity
A check id's severity follows from one policy: each id declares **what fails** when its AZ does,
and **how**, and the table gives the severity (a test holds every check id to it).

What fails:

{}

How:

{}

{}

Losing stored data, or the one path that healthy AZs depend on, is `high`: a redeploy does not
bring either back. Losing capacity is `medium`: nothing is lost and a redeploy elsewhere restores
it. Whatever keeps serving, or comes back by itself, is one step lower. Caches (ElastiCache, DAX)
count as capacity: what they hold is a copy of a store kept elsewhere; MemoryDB, the durable
store, counts as stored data. A check id whose findings record an event AWS reported (an
autoshift away from an AZ) is never a risk: its severity is `none`, and its row says so.

**Controls.** Each check id names the [AWS Foundational Security Best
Practices](https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html) controls
it corresponds to (only controls of that standard: Security Hub has controls such as
`NetworkFirewall.1` and `Neptune.9` in other standards only, and they are not named) and the
[Well-Architected Reliability](https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/welcome.html)
best practices its risk breaks. They reach the JSON Lines and JSON outputs, Security Hub
(`Compliance.RelatedRequirements`) and OCSF (`compliance`); see [output](output.md).
"""

TAGS = """\
**Tags** reach findings only where the service's listing API returns them with the resource: {}.
Fetching tags with one extra call per resource would multiply a scan's API calls, so the other
checks' findings have no tags and suppressions match them by check, service, account, region or
resource instead.
"""


PEER_GROUPS = f"""\
## Peer groups
AZ-resilient designs often spread one workload over several resources, each in one AZ: an EKS
managed node group per AZ, one Auto Scaling group per AZ behind one target group, three domain
controllers in three AZs. Each member alone is single-AZ; the workload is not. So `ec2`,
`autoscaling` and `eks` judge such a resource with its **peers**: one in a single AZ (or of one
instance) is not a risk when its peers run in other AZs (the group spans as many AZs as
`--min-azs` asks, 2 by default), and the message names the peer group,
its other members with their AZs, and the AZs the group covers. A peer group whose members all
sit in one AZ is still a risk, once per member, and the message names the group. What makes
resources peers is listed under each check (the same target group or Classic Load Balancer, the
same EKS cluster); a peer runs where its instances or nodes run, or where it launches while it
runs none. `balance` judges the capacity of such a group with its peers' too: their instances per
AZ, sizes and subnets together.

**Workload tags** make peers in all three checks: EC2 instances, Auto Scaling groups and EKS node
groups that share a value of one are peers. The tag `{PEER_GROUP_TAG}` is always read: give a
replica set's members one value of it to declare them peers. `--peer-tag KEY` (repeatable) names
more, such as `Application` or `Role` ([usage](usage.md#scan-options)). No other tag is read by
default: a tag is a safe default only when sharing its value means "interchangeable replicas",
and `aws:cloudformation:stack-name` or an application tag also groups resources that back nothing
up for each other (a stack's bastion host and its database server).
"""

ROOT_CAUSES = """\
## One failure, one risk
Where one resource's single-AZ risk takes another down with it, the risk is reported once, on
the **root cause**: the resource whose fix removes it. The other resource's finding is not a risk
of its own; its message names the root, and its `root_cause` field (check id and ARN) points to
the root's finding ([output](output.md#root-causes-one-failure-one-risk)). The dependent check
judges the root with the root's own rule on the same shared listings, so the two agree; the
dependent names its root whether or not the root's check is in the run (run both to see the
root's finding). The pairs:

- a single-instance Elastic Beanstalk environment (`beanstalk.environment_load_balanced`) and its
  Auto Scaling group (`autoscaling`);
- an Auto Scaling group (`autoscaling`) or ECS service (`ecs`) that is a risk, and the target
  group it fills or the Classic Load Balancer it registers with (`elb.target_group_zones`,
  `elb.classic_instance_zones`);
- a Network or Gateway Load Balancer in one AZ (`elb.load_balancer_zones`) and the PrivateLink
  endpoint service it serves (`endpointservice.service_multi_az`).
- an Auto Scaling group or ECS service whose capacity is imbalanced (`balance.asg_imbalance`,
  `balance.ecs_imbalance`) and the target group it fills (`balance.target_group_imbalance`,
  `balance.target_group_empty_zone`).
"""


RESOURCE_TYPES = """\
## Security Hub resource types
Findings imported into Security Hub (`--security-hub`) and OCSF events (`--format ocsf`) carry the
resource type of their check id, listed with it above: the type Security Hub's finding format
(ASFF) has for the resource the id judges, one of the members of `ResourceDetails` in its API. ASFF
has no type for the resources these check ids judge, so their findings carry `Other`:

{}
"""


def severity_section() -> str:
    meanings = [f"- **{f.value}**: {FAILS_MEANING[f]}." for f in Fails]
    outages = [f"- **{o.value}**: {OUTAGE_MEANING[o]}." for o in Outage]
    table = [
        "| what fails | " + " | ".join(o.value for o in Outage) + " |",
        "|---|" + "---|" * len(Outage),
        *(
            f"| {f.value} | " + " | ".join(SEVERITY_POLICY[f, o].value for o in Outage) + " |"
            for f in Fails
        ),
    ]
    return SEVERITY.format("\n".join(meanings), "\n".join(outages), "\n".join(table))


ID_TABLE_HEADER = (
    "| check id | severity | what fails | Security Hub type | FSBP | Well-Architected |\n"
    "|---|---|---|---|---|---|"
)


def id_row(check_id: str, guidance: Guidance) -> str:
    """A check id's row: everything its guidance says, but the remediation (in the outputs)."""
    cells = (
        f"`{check_id}`",
        guidance.severity.value,
        f"{guidance.fails.value}, {guidance.outage.value}"
        + (" (an event AWS reported, never a risk)" if guidance.event else ""),
        f"`{guidance.resource_type}`",
        ", ".join(guidance.fsbp) or "—",
        ", ".join(guidance.well_architected) or "—",
    )
    return "| " + " | ".join(cells) + " |"


MIN_AZS_NOTE = (
    '`--min-azs N` makes each "fewer than 2 AZs" of the rule "fewer than N AZs" '
    "([usage](usage.md#how-many-azs---min-azs)); the message then says when a resource spans 2 "
    "or more AZs but fewer than N."
)


def check_section(check: Check) -> str:
    bullets = [*check.notes, *([MIN_AZS_NOTE] if check.counts_azs else [])]
    lines = [f"## `{check.key}`", f"**{check.service}.** {check.rule}", ""]
    lines += [f"- {bullet}" for bullet in bullets]
    lines += ["", ID_TABLE_HEADER, *(id_row(i, g) for i, g in check.guidance.items())]
    return "\n".join(lines) + "\n"


def checks_markdown(checks: Iterable[Check]) -> str:
    checks = tuple(checks)
    tagged = ", ".join(f"`{c.key}`" for c in checks if c.tagged)
    other = [
        f"- [`{check.key}`](#{check.key}) ({check.service}): "
        + ", ".join(f"`{i}`" for i, g in check.guidance.items() if g.resource_type == OTHER_TYPE)
        for check in checks
        if any(g.resource_type == OTHER_TYPE for g in check.guidance.values())
    ]
    parts = [
        GENERATED_NOTE + "\n" + INTRO,
        TAGS.format(tagged),
        severity_section(),
        PEER_GROUPS,
        ROOT_CAUSES,
        *map(check_section, checks),
        RESOURCE_TYPES.format("\n".join(other)),
    ]
    return "\n".join(parts)

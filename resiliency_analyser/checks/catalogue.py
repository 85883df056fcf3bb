"""docs/checks.md, written from the registry: every check's rule, notes and check ids."""

from __future__ import annotations

from collections.abc import Iterable

from resiliency_analyser.checks.api import Check, Guidance
from resiliency_analyser.checks.peers import PEER_GROUP_TAG
from resiliency_analyser.model.guidance import OTHER_TYPE

GENERATED_NOTE = (
    "<!-- Generated from the check modules by `python -m resiliency_analyser.regenerate`; "
    "edit those, not this file. -->"
)

INTRO = """\
# Checks

Every check reads one AWS service in each scanned region and gives each resource a finding:
`potential_single_az_risk` is `True` when a single Availability Zone failure would take the
resource down (or cut it off), `False` when it would survive one. The `message` column says why,
naming the AZs the API reported. `resiliency-analyser services` prints this list too.

These are *potential* risks: a development database may be single-AZ on purpose. Accept such a
risk in a suppressions file (see [usage](usage.md#accepted-risks---suppressions)).

Each finding also carries a stable **check id** (`<check>.<rule>`, listed under each check below,
with the severity of the risk it reports and the [Security Hub resource
type](#security-hub-resource-types) of what it judges), the AZs observed, and a one-line
remediation; they are in the JSON Lines and JSON outputs and in the CSV with `--csv-extended`.
Severity is `high` when an AZ failure takes down or cuts off a data store, `medium` for compute,
caches, network paths and data movement that can be rebuilt or redeployed; findings that are not
risks have severity `none`.
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
instance) is not a risk when its peers run in other AZs, and the message names the peer group,
its other members with their AZs, and the AZs the group covers. A peer group whose members all
sit in one AZ is still a risk, once per member, and the message names the group. What makes
resources peers is listed under each check (the same target group or Classic Load Balancer, the
same EKS cluster); a peer runs where its instances or nodes run, or where it launches while it
runs none.

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
"""


RESOURCE_TYPES = """\
## Security Hub resource types
Findings imported into Security Hub (`--security-hub`) and OCSF events (`--format ocsf`) carry the
resource type of their check id, listed with it above: the type Security Hub's finding format
(ASFF) has for the resource the id judges, one of the members of `ResourceDetails` in its API. ASFF
has no type for the resources these check ids judge, so their findings carry `Other`:

{}
"""


def id_entry(check_id: str, guidance: Guidance) -> str:
    """E.g. `rds.instance_multi_az` (high, `AwsRdsDbInstance`), in Markdown."""
    return f"`{check_id}` ({guidance.severity.value}, `{guidance.resource_type}`)"


def check_section(check: Check) -> str:
    ids = ", ".join(id_entry(i, g) for i, g in check.guidance.items())
    bullets = [*check.notes, f"Check ids: {ids}."]
    lines = [f"## `{check.key}`", f"**{check.service}.** {check.rule}", ""]
    lines += [f"- {bullet}" for bullet in bullets]
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
        PEER_GROUPS,
        ROOT_CAUSES,
        *map(check_section, checks),
        RESOURCE_TYPES.format("\n".join(other)),
    ]
    return "\n".join(parts)

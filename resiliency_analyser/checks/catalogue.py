"""docs/checks.md, written from the registry: every check's rule, notes and check ids."""

from __future__ import annotations

from collections.abc import Iterable

from resiliency_analyser.checks.api import Check, Guidance
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
naming the AZs the API reported. `resiliency-analyser services` prints this list too.

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
store, counts as stored data.

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
        f"{guidance.fails.value}, {guidance.outage.value}",
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
        *map(check_section, checks),
        RESOURCE_TYPES.format("\n".join(other)),
    ]
    return "\n".join(parts)

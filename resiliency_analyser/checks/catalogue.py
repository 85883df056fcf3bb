"""docs/checks.md, written from the registry: every check's rule, notes and check ids."""

from __future__ import annotations

from collections.abc import Iterable

from resiliency_analyser.checks.api import Check, Guidance
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


MIN_AZS_NOTE = (
    '`--min-azs N` makes each "fewer than 2 AZs" of the rule "fewer than N AZs" '
    "([usage](usage.md#how-many-azs---min-azs)); the message then says when a resource spans 2 "
    "or more AZs but fewer than N."
)


def check_section(check: Check) -> str:
    ids = ", ".join(id_entry(i, g) for i, g in check.guidance.items())
    bullets = [*check.notes, *([MIN_AZS_NOTE] if check.counts_azs else []), f"Check ids: {ids}."]
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
        *map(check_section, checks),
        RESOURCE_TYPES.format("\n".join(other)),
    ]
    return "\n".join(parts)

"""The member role's template: what the registry reads, nothing that writes, trusted by the
scanning account only as its parameters say, within IAM's limits, and clean for cfn-lint."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from cfnlint.api import lint

from resiliency_analyser.checks.registry import CHECKS
from resiliency_analyser.config.values import ROLE_NAME
from resiliency_analyser.member_role import (
    DEFAULT_ROLE_NAME,
    MANAGED_POLICY_CHARACTERS,
    policy_characters,
    render,
    template,
)
from resiliency_analyser.permissions import member_actions, security_hub_statements
from tests.support.cloudformation import Attribute, ResourceRef, Stack, StackError, load
from tests.support.paths import ROOT

TEMPLATE = ROOT / "iam" / "member-role.yaml"
SCANNER = "111122223333"
MEMBER = "444455556666"

READ = re.compile(r"^[\w-]+:(Describe|List|Get|BatchGet)\w+$")
"""An action that only reads."""


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    return load(TEMPLATE.read_text(encoding="utf-8"))


def deployed(document: dict[str, Any], partition: str = "aws", **parameters: str) -> Stack:
    return Stack(document, {"ScanningAccountId": SCANNER, **parameters}, MEMBER, partition)


def role(stack: Stack) -> dict[str, Any]:
    properties: dict[str, Any] = stack.resources()["MemberRole"]["Properties"]
    return properties


def read_only_policies(stack: Stack) -> list[dict[str, Any]]:
    """The read-only policies' documents, in the order the role attaches them."""
    resources = stack.resources()
    names = [r.name for r in role(stack)["ManagedPolicyArns"] if r.name != "SecurityHubPolicy"]
    assert all(resources[n]["Type"] == "AWS::IAM::ManagedPolicy" for n in names)
    return [resources[name]["Properties"]["PolicyDocument"] for name in names]


def test_cfn_lint_finds_nothing_in_the_template() -> None:
    assert lint(TEMPLATE.read_text(encoding="utf-8")) == []


def test_cfn_lint_finds_a_misspelt_property() -> None:
    """Guards the test above: this cfn-lint reads the template's resources against their schema."""
    broken = TEMPLATE.read_text(encoding="utf-8").replace("ManagedPolicyArns", "ManagedPolicyArn")
    assert [match.rule.id for match in lint(broken)] == ["E3002"]


def test_the_role_reads_what_the_registry_reads_in_an_account_and_nothing_else(
    committed: dict[str, Any],
) -> None:
    [document] = read_only_policies(deployed(committed))
    [statement] = document["Statement"]
    assert statement == {
        "Sid": "ResiliencyAnalyserReadOnly",
        "Effect": "Allow",
        "Action": member_actions(CHECKS),
        "Resource": "*",
    }
    assert not [action for action in statement["Action"] if not READ.match(action)]
    # The organization's listing names the accounts: a member is never asked.
    assert not [action for action in statement["Action"] if action.startswith("organizations:")]
    assert {"ec2:DescribeRegions", "ec2:DescribeAvailabilityZones"} <= set(statement["Action"])


@pytest.mark.parametrize(
    ("parameters", "condition"),
    [
        ({}, None),
        ({"ExternalId": "scan-7f3a"}, {"StringEquals": {"sts:ExternalId": "scan-7f3a"}}),
        (
            {"ScanningRoleName": "ci/ResiliencyScanner"},
            {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{SCANNER}:role/ci/ResiliencyScanner"}},
        ),
        (
            {"ScanningRoleName": "ResiliencyScanner", "ExternalId": "scan-7f3a"},
            {
                "ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{SCANNER}:role/ResiliencyScanner"},
                "StringEquals": {"sts:ExternalId": "scan-7f3a"},
            },
        ),
    ],
)
def test_the_trust_policy_names_the_scanning_account_and_only_the_conditions_given(
    committed: dict[str, Any], parameters: dict[str, str], condition: dict[str, Any] | None
) -> None:
    trust = role(deployed(committed, **parameters))["AssumeRolePolicyDocument"]
    statement = {
        "Sid": "TrustTheScanningAccount",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{SCANNER}:root"},
        "Action": "sts:AssumeRole",
    }
    if condition is not None:
        statement["Condition"] = condition
    assert trust == {"Version": "2012-10-17", "Statement": [statement]}


def test_the_arns_are_in_the_stacks_partition(committed: dict[str, Any]) -> None:
    stack = deployed(committed, "aws-cn", ScanningRoleName="Scanner", SecurityHubImport="true")
    [statement] = role(stack)["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"AWS": f"arn:aws-cn:iam::{SCANNER}:root"}
    assert statement["Condition"]["ArnLike"]["aws:PrincipalArn"].startswith("arn:aws-cn:iam::")
    hub = stack.resources()["SecurityHubPolicy"]["Properties"]["PolicyDocument"]
    assert all(s["Resource"].startswith("arn:aws-cn:securityhub:") for s in hub["Statement"])


def test_security_hub_import_is_granted_only_when_asked_for(committed: dict[str, Any]) -> None:
    without = deployed(committed)
    assert "SecurityHubPolicy" not in without.resources()
    assert role(without)["ManagedPolicyArns"] == [ResourceRef("ReadOnlyPolicy1")]

    with_hub = deployed(committed, SecurityHubImport="true")
    assert role(with_hub)["ManagedPolicyArns"] == [
        ResourceRef("ReadOnlyPolicy1"),
        ResourceRef("SecurityHubPolicy"),
    ]
    hub = with_hub.resources()["SecurityHubPolicy"]["Properties"]["PolicyDocument"]
    # The same statements iam-policy --security-hub --account-id prints for the member account.
    assert hub == {"Version": "2012-10-17", "Statement": security_hub_statements("aws", MEMBER)}


def test_the_role_has_its_name_and_the_stack_outputs_its_arn(committed: dict[str, Any]) -> None:
    assert role(deployed(committed))["RoleName"] == DEFAULT_ROLE_NAME
    stack = deployed(committed, RoleName="AuditReader")
    assert role(stack)["RoleName"] == "AuditReader"
    assert stack.outputs() == {"RoleArn": Attribute("MemberRole", "Arn")}
    # What the template accepts as its name, the scan accepts as --role-name.
    assert committed["Parameters"]["RoleName"]["AllowedPattern"] == ROLE_NAME.pattern


@pytest.mark.parametrize(
    ("parameters", "refused"),
    [
        ({"ScanningAccountId": "1111-2222-3333"}, "ScanningAccountId"),
        ({"RoleName": "path/Name"}, "RoleName"),
        ({"RoleName": "R" * 65}, "RoleName"),
        ({"ScanningRoleName": "/ci/Scanner"}, "ScanningRoleName"),
        ({"ExternalId": "x"}, "ExternalId"),
        ({"ExternalId": "has space"}, "ExternalId"),
        ({"SecurityHubImport": "yes"}, "SecurityHubImport"),
    ],
)
def test_the_parameters_refuse_what_iam_would(
    committed: dict[str, Any], parameters: dict[str, str], refused: str
) -> None:
    with pytest.raises(StackError, match=rf"^{refused} "):
        deployed(committed, **parameters)


def test_the_scanning_account_must_be_given(committed: dict[str, Any]) -> None:
    with pytest.raises(StackError, match="ScanningAccountId needs a value"):
        Stack(committed, {})


def test_every_policy_fits_iams_limit_in_the_longest_partition(committed: dict[str, Any]) -> None:
    """As IAM counts: the deployed document without whitespace; the generator's count, made
    before the partition and account are known, is never less."""
    generated = template(CHECKS)["Resources"]
    stack = deployed(committed, "aws-us-gov", SecurityHubImport="true")
    policies = {n: r for n, r in stack.resources().items() if r["Type"].endswith("ManagedPolicy")}
    assert sorted(policies) == ["ReadOnlyPolicy1", "SecurityHubPolicy"]
    for name, resource in policies.items():
        size = len(json.dumps(resource["Properties"]["PolicyDocument"], separators=(",", ":")))
        counted = policy_characters(generated[name]["Properties"]["PolicyDocument"])
        assert size <= counted <= MANAGED_POLICY_CHARACTERS


def test_actions_past_one_policys_limit_split_into_more_the_same_way_each_time() -> None:
    split = template(CHECKS, limit=1200)
    assert split == template(CHECKS, limit=1200)
    stack = deployed(load(render(split)), SecurityHubImport="true")
    documents = read_only_policies(stack)
    assert len(documents) > 1
    assert all(policy_characters(d) <= 1200 for d in documents)
    actions = [a for d in documents for s in d["Statement"] for a in s["Action"]]
    assert actions == member_actions(CHECKS)
    assert role(stack)["ManagedPolicyArns"][-1] == ResourceRef("SecurityHubPolicy")
    assert lint(render(split)) == []


def test_more_policies_than_a_role_may_have_is_refused() -> None:
    with pytest.raises(ValueError, match="over IAM's 10 per role"):
        template(CHECKS, limit=400)


def test_the_organizations_page_explains_every_parameter_and_links_real_files() -> None:
    page = ROOT / "docs" / "organizations.md"
    text = page.read_text(encoding="utf-8")
    for name in template(CHECKS)["Parameters"]:
        assert f"| `{name}` |" in text, name
    assert f"`{DEFAULT_ROLE_NAME}`" in text
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text)
    assert "../iam/member-role.yaml" in links
    assert [link for link in links if not (page.parent / link).is_file()] == []

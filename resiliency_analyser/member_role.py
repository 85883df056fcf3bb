"""The member role's CloudFormation template (``iam/member-role.yaml``), from the check registry.

A StackSet deploys it in every account of an organization; ``scan --organization --role-name``
assumes it there. It grants what a scan reads in a member account and nothing that writes, but
Security Hub's import when asked for: Security Hub accepts findings only in their own account.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from resiliency_analyser.checks.api import Check
from resiliency_analyser.permissions import member_actions, security_hub_statements, statement

DEFAULT_ROLE_NAME = "ResiliencyReader"

MANAGED_POLICY_CHARACTERS = 6144
"""IAM's limit on one managed policy document, counted without whitespace."""

MANAGED_POLICIES_PER_ROLE = 10
"""IAM's default quota of managed policies attached to one role."""

HEADER = """\
# The role resiliency-analyser assumes in each member account of an organization: read-only.
# Generated from the check registry by `python -m resiliency_analyser.regenerate`; edit the
# checks, not this file. Deploy it with a StackSet: docs/organizations.md.
"""


@dataclass(frozen=True)
class Tag:
    """An intrinsic function in CloudFormation's short YAML form: ``!Ref Name``, ``!If [...]``."""

    name: str
    value: str | list[Any]


def ref(name: str) -> Tag:
    return Tag("Ref", name)


def sub(text: str) -> Tag:
    return Tag("Sub", text)


def when(condition: str, then: Any, otherwise: Any) -> Tag:
    return Tag("If", [condition, then, otherwise])


def given(parameter: str) -> Tag:
    """True when an optional parameter was given a value."""
    return Tag("Not", [Tag("Equals", [ref(parameter), ""])])


NO_VALUE = ref("AWS::NoValue")
SCANNING_ACCOUNT = "arn:${AWS::Partition}:iam::${ScanningAccountId}"

PARAMETERS: dict[str, dict[str, Any]] = {
    "ScanningAccountId": {
        "Type": "String",
        "Description": "The account resiliency-analyser runs in: its principals may assume "
        "this role.",
        "AllowedPattern": r"^\d{12}$",
        "ConstraintDescription": "a 12-digit AWS account id",
    },
    "ScanningRoleName": {
        "Type": "String",
        "Description": "Optional: only this role of the scanning account may assume this one "
        "(its name, after its path if it has one; * matches any characters, e.g. "
        "aws-reserved/sso.amazonaws.com/AWSReservedSSO_ResiliencyAudit_*). Empty: any principal "
        "of the scanning account whose own policy allows it.",
        "Default": "",
        "AllowedPattern": r"^$|^[\w+=,.@*-][\w+=,.@/*-]{0,511}$",
        "ConstraintDescription": "an IAM role name, with its path if any",
    },
    "RoleName": {
        "Type": "String",
        "Description": "This role's name: the scan's --role-name.",
        "Default": DEFAULT_ROLE_NAME,
        "AllowedPattern": r"^[\w+=,.@-]{1,64}$",
        "ConstraintDescription": "an IAM role name (letters, digits and +=,.@_-, at most 64)",
    },
    "ExternalId": {
        "Type": "String",
        "Description": "Optional: the scan's --external-id. When given, the role may be assumed "
        "only with it.",
        "Default": "",
        "AllowedPattern": r"^$|^[\w+=,.@:/-]{2,1224}$",
        "ConstraintDescription": "2 to 1224 letters, digits and +=,.@:/-",
    },
    "SecurityHubImport": {
        "Type": "String",
        "Description": "true if the scan runs with --security-hub: it imports each account's "
        "findings in that account, through this role.",
        "Default": "false",
        "AllowedValues": ["false", "true"],
    },
}

CONDITIONS: dict[str, Tag] = {
    "HasScanningRole": given("ScanningRoleName"),
    "HasExternalId": given("ExternalId"),
    "HasTrustCondition": Tag(
        "Or", [Tag("Condition", "HasScanningRole"), Tag("Condition", "HasExternalId")]
    ),
    "ImportsToSecurityHub": Tag("Equals", [ref("SecurityHubImport"), "true"]),
}

TRUST_POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "TrustTheScanningAccount",
            "Effect": "Allow",
            # The account as principal, the role as a condition: a principal naming the role
            # would fail the deployment until that role exists, and break when it is recreated.
            "Principal": {"AWS": sub(f"{SCANNING_ACCOUNT}:root")},
            "Action": "sts:AssumeRole",
            "Condition": when(
                "HasTrustCondition",
                {
                    "ArnLike": when(
                        "HasScanningRole",
                        {"aws:PrincipalArn": sub(f"{SCANNING_ACCOUNT}:role/${{ScanningRoleName}}")},
                        NO_VALUE,
                    ),
                    "StringEquals": when(
                        "HasExternalId", {"sts:ExternalId": ref("ExternalId")}, NO_VALUE
                    ),
                },
                NO_VALUE,
            ),
        }
    ],
}


def policy_characters(document: dict[str, Any]) -> int:
    """A policy's size as IAM counts it; a ``!Sub`` counts as its template, never shorter than
    what it resolves to here (``${AWS::Partition}`` and ``${AWS::AccountId}`` are longer)."""
    return len(json.dumps(document, separators=(",", ":"), default=lambda tag: tag.value))


def policy_document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements}


def read_only_documents(
    actions: list[str], limit: int = MANAGED_POLICY_CHARACTERS
) -> list[dict[str, Any]]:
    """The actions in as few policies as fit ``limit`` each, in order: the same registry
    always splits the same way."""

    def document(chunk: list[str]) -> dict[str, Any]:
        return policy_document([statement("ResiliencyAnalyserReadOnly", chunk, "*")])

    chunks: list[list[str]] = [[]]
    for action in actions:
        if chunks[-1] and policy_characters(document([*chunks[-1], action])) > limit:
            chunks.append([])
        chunks[-1].append(action)
    return [document(chunk) for chunk in chunks]


def security_hub_document() -> dict[str, Any]:
    statements = security_hub_statements("${AWS::Partition}", "${AWS::AccountId}")
    return policy_document([s | {"Resource": sub(s["Resource"])} for s in statements])


def managed_policy(description: str, document: dict[str, Any]) -> dict[str, Any]:
    if policy_characters(document) > MANAGED_POLICY_CHARACTERS:
        raise ValueError(f"{description}: over IAM's {MANAGED_POLICY_CHARACTERS} characters")
    return {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {"Description": description, "PolicyDocument": document},
    }


def template(checks: Iterable[Check], limit: int = MANAGED_POLICY_CHARACTERS) -> dict[str, Any]:
    """The template as data, the intrinsic functions as ``Tag``s."""
    documents = read_only_documents(member_actions(checks), limit)
    if len(documents) + 1 > MANAGED_POLICIES_PER_ROLE:
        raise ValueError(
            f"the read-only actions need {len(documents)} managed policies: with Security "
            f"Hub's, over IAM's {MANAGED_POLICIES_PER_ROLE} per role"
        )
    read_only = {
        f"ReadOnlyPolicy{number}": managed_policy(
            f"What resiliency-analyser reads in this account ({number} of {len(documents)})",
            document,
        )
        for number, document in enumerate(documents, start=1)
    }
    security_hub = {
        "Condition": "ImportsToSecurityHub",
        **managed_policy(
            "resiliency-analyser's Security Hub import into this account's default product",
            security_hub_document(),
        ),
    }
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "RoleName": ref("RoleName"),
            "Description": "Assumed by resiliency-analyser from the scanning account to read "
            "this account's resources",
            "AssumeRolePolicyDocument": TRUST_POLICY,
            "ManagedPolicyArns": [
                *(ref(name) for name in read_only),
                when("ImportsToSecurityHub", ref("SecurityHubPolicy"), NO_VALUE),
            ],
        },
    }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "resiliency-analyser's read-only member role, for organization scans",
        "Parameters": PARAMETERS,
        "Conditions": CONDITIONS,
        "Resources": {"MemberRole": role, **read_only, "SecurityHubPolicy": security_hub},
        "Outputs": {
            "RoleArn": {
                "Description": "The role's ARN; the scan assumes it by name (--role-name)",
                "Value": Tag("GetAtt", "MemberRole.Arn"),
            }
        },
    }


class TemplateDumper(yaml.SafeDumper):
    """Block YAML in the template's order, each ``Tag`` in its short form."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def choose_scalar_style(self) -> str:
        # PyYAML quotes every scalar with a tag of its own; !Ref Name reads as CloudFormation's
        # documentation writes it, and stays quoted where plain YAML could not hold it.
        style: str = super().choose_scalar_style()
        event = self.event
        analysis = self.analysis
        if style == "'" and isinstance(event, yaml.ScalarEvent) and analysis and not event.style:
            plain = analysis.allow_flow_plain if self.flow_level else analysis.allow_block_plain
            if event.tag and event.tag.startswith("!") and plain and not analysis.empty:
                return ""
        return style


def _represent_tag(dumper: yaml.SafeDumper, tag: Tag) -> yaml.Node:
    if isinstance(tag.value, str):
        return dumper.represent_scalar(f"!{tag.name}", tag.value)
    # A list of plain values reads best on one line: !Equals [!Ref ExternalId, ''].
    flow = all(
        isinstance(v, str) or (isinstance(v, Tag) and isinstance(v.value, str)) for v in tag.value
    )
    return dumper.represent_sequence(f"!{tag.name}", tag.value, flow_style=flow)


TemplateDumper.add_representer(Tag, _represent_tag)


def render(document: dict[str, Any]) -> str:
    """A template as the YAML file holds it."""
    body = yaml.dump(
        document, Dumper=TemplateDumper, sort_keys=False, width=100, allow_unicode=True
    )
    return HEADER + body


def template_yaml(checks: Iterable[Check]) -> str:
    return render(template(checks))

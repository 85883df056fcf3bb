"""A CloudFormation template read from its YAML and resolved as a stack with given parameters:
the conditions evaluated, ``AWS::NoValue`` removed, ``!Sub`` substituted, as the service does
for the intrinsic functions the member role's template uses (any other fails the test)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

SHORT_NAMES = {"Ref": "Ref", "Condition": "Condition"}
"""The short tags that are not ``Fn::`` + their name."""


class TemplateLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags, each read as its long form (``{"Ref": name}``)."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        assert isinstance(node, yaml.MappingNode)
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {SHORT_NAMES.get(suffix, f"Fn::{suffix}"): value}


TemplateLoader.add_multi_constructor("!", _tagged)


def load(text: str) -> dict[str, Any]:
    document = yaml.load(text, Loader=TemplateLoader)
    assert isinstance(document, dict)
    return document


class NoValue:
    """``AWS::NoValue``: the key or list item holding it is left out."""


NO_VALUE = NoValue()


@dataclass(frozen=True)
class ResourceRef:
    """``!Ref`` of a resource: its physical id or ARN, which only a deployment knows."""

    name: str


@dataclass(frozen=True)
class Attribute:
    """``!GetAtt Resource.Attribute``."""

    resource: str
    attribute: str


class StackError(Exception):
    """CloudFormation would refuse the stack with these parameters."""


SUBSTITUTION = re.compile(r"\$\{([\w:]+)\}")


@dataclass
class Stack:
    """The template deployed with ``parameters`` in ``account_id``, in ``partition``."""

    template: dict[str, Any]
    parameters: dict[str, str] = field(default_factory=dict)
    account_id: str = "444455556666"
    partition: str = "aws"

    def __post_init__(self) -> None:
        declared = self.template.get("Parameters", {})
        unknown = set(self.parameters) - set(declared)
        if unknown:
            raise StackError(f"parameters not in the template: {sorted(unknown)}")
        self.values = {"AWS::AccountId": self.account_id, "AWS::Partition": self.partition}
        for name, spec in declared.items():
            value = self.parameters.get(name, spec.get("Default"))
            if value is None:
                raise StackError(f"{name} needs a value")
            if "AllowedPattern" in spec and not re.fullmatch(spec["AllowedPattern"], value):
                raise StackError(f"{name} does not match {spec['AllowedPattern']}: {value!r}")
            if "AllowedValues" in spec and value not in spec["AllowedValues"]:
                raise StackError(f"{name} is not one of {spec['AllowedValues']}: {value!r}")
            self.values[name] = value

    def condition(self, name: str) -> bool:
        return self._truth(self.template["Conditions"][name])

    def _truth(self, node: Any) -> bool:
        [(function, argument)] = node.items()
        if function == "Condition":
            return self.condition(argument)
        if function == "Fn::Equals":
            left, right = (self.resolve(a) for a in argument)
            return bool(left == right)
        if function == "Fn::Not":
            [inner] = argument
            return not self._truth(inner)
        if function == "Fn::Or":
            return any(self._truth(a) for a in argument)
        raise AssertionError(f"no such condition function here: {function}")

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            items = [self.resolve(item) for item in node]
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        [*keys] = node
        if keys == ["Ref"] or (len(keys) == 1 and keys[0].startswith("Fn::")):
            return self._function(keys[0], node[keys[0]])
        resolved = {key: self.resolve(value) for key, value in node.items()}
        return {key: value for key, value in resolved.items() if value is not NO_VALUE}

    def _function(self, function: str, argument: Any) -> Any:
        if function == "Ref":
            if argument == "AWS::NoValue":
                return NO_VALUE
            if argument in self.values:
                return self.values[argument]
            assert argument in self.template["Resources"], f"!Ref of nothing: {argument}"
            return ResourceRef(argument)
        if function == "Fn::Sub":
            return SUBSTITUTION.sub(lambda m: self.values[m.group(1)], argument)
        if function == "Fn::If":
            name, then, otherwise = argument
            return self.resolve(then if self.condition(name) else otherwise)
        if function == "Fn::GetAtt":
            resource, attribute = argument
            assert resource in self.template["Resources"], f"!GetAtt of nothing: {resource}"
            return Attribute(resource, attribute)
        raise AssertionError(f"no such function here: {function}")

    def resources(self) -> dict[str, dict[str, Any]]:
        """The resources the stack creates (their conditions hold), each resolved."""
        return {
            name: self.resolve({k: v for k, v in resource.items() if k != "Condition"})
            for name, resource in self.template["Resources"].items()
            if "Condition" not in resource or self.condition(resource["Condition"])
        }

    def outputs(self) -> dict[str, Any]:
        return {name: self.resolve(o["Value"]) for name, o in self.template["Outputs"].items()}

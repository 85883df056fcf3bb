"""The check API is the only door to AWS: no module in checks/ but api.py names the AWS layer or
the SDK, not even in annotations (the import-linter contract skips those)."""

from __future__ import annotations

import ast
from pathlib import Path

from resiliency_analyser import checks

AWS = ("resiliency_analyser.aws", "aioboto3", "aiobotocore", "boto3", "botocore")


def imported(module: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_check_api_names_the_aws_layer() -> None:
    reaching = {
        module.name: sorted(n for n in imported(module) if n.startswith(AWS))
        for module in Path(checks.__path__[0]).glob("*.py")
        if module.name != "api.py"
    }
    assert {name: found for name, found in reaching.items() if found} == {}

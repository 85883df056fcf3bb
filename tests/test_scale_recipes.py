"""The recipes of docs/scale.md, linted as CI lints them: the GitHub Actions workflow with
actionlint, the AWS Batch template with cfn-lint, the Kubernetes Jobs against the Kubernetes
schema (offline); each shards, then merges through S3, with the member role and real options."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cfnlint.api import lint
from kubernetes_validate import utils as kubernetes

from resiliency_analyser.member_role import DEFAULT_ROLE_NAME
from tests.support.cli import RunCli
from tests.support.paths import ROOT

RECIPES = ROOT / "docs" / "scale"
WORKFLOW = RECIPES / "github-actions.yml"
BATCH = RECIPES / "aws-batch.yaml"
KUBERNETES = RECIPES / "kubernetes.yaml"
KUBERNETES_VERSION = "1.33.0"
"""The first release where an Indexed Job's backoffLimitPerIndex and FailIndex are generally
available."""


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    # The test extra installs it into the venv, which need not be on PATH.
    found = shutil.which("actionlint") or shutil.which(
        "actionlint", path=Path(sys.executable).parent
    )
    assert found, "actionlint is missing: pip install -e '.[test]'"
    return subprocess.run(
        [found, "-no-color", "-oneline", str(path)], capture_output=True, text=True, check=False
    )


def test_actionlint_finds_nothing_in_the_workflow() -> None:
    linted = actionlint(WORKFLOW)
    assert (linted.returncode, linted.stdout, linted.stderr) == (0, "", "")


def test_actionlint_finds_a_mistake(tmp_path: Path) -> None:
    """Guards the test above: this actionlint reads the workflow's keys."""
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("timeout-minutes: 120", "timeout-minute: 120"))
    linted = actionlint(broken)
    assert linted.returncode == 1
    assert 'unexpected key "timeout-minute"' in linted.stdout


def test_cfn_lint_finds_nothing_in_the_batch_template() -> None:
    assert lint(BATCH.read_text()) == []


def test_cfn_lint_finds_a_misspelt_property() -> None:
    """Guards the test above: this cfn-lint reads the resources against their schema."""
    broken = BATCH.read_text().replace("PlatformCapabilities", "PlatformCapability")
    assert [match.rule.id for match in lint(broken)] == ["E3002"]


def test_the_kubernetes_jobs_match_the_kubernetes_schema() -> None:
    documents = list(yaml.safe_load_all(KUBERNETES.read_text()))
    assert [d["kind"] for d in documents] == ["ConfigMap", "Job", "Job"]
    for document in documents:
        kubernetes.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_kubernetes_schema_finds_a_misspelt_field() -> None:
    _, job, _ = yaml.safe_load_all(
        KUBERNETES.read_text().replace("completionMode", "completionMod")
    )
    with pytest.raises(kubernetes.ValidationError):
        kubernetes.validate(job, KUBERNETES_VERSION, strict=True)


def options_in(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", text))


@pytest.mark.parametrize("recipe", [WORKFLOW, BATCH, KUBERNETES], ids=lambda p: p.name)
def test_each_recipe_shards_then_merges_through_s3_with_the_member_role(
    recipe: Path, run_cli: RunCli
) -> None:
    text = recipe.read_text()
    offered = options_in(run_cli("scan", "--help").stdout) | options_in(
        run_cli("merge", "--help").stdout
    )
    used = options_in(text)
    assert {"--organization", "--role-name", "--shard"} <= used
    assert used <= offered, used - offered
    assert re.search(r"\bmerge\W[\s\S]{0,80}?s3://", text), "merge does not read S3"
    assert DEFAULT_ROLE_NAME in text
    assert "iam-policy --organization" in text


def test_the_kubernetes_shard_count_is_the_jobs_completions() -> None:
    _, scan, _ = yaml.safe_load_all(KUBERNETES.read_text())
    args = scan["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[args.index("--shard-count") + 1] == str(scan["spec"]["completions"])
    assert args[args.index("--shard") + 1] == "auto"

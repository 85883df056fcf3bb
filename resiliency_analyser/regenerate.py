"""Rewrites the files derived from the check registry and the API budgets, or with ``--check``
says which are stale.

    python -m resiliency_analyser.regenerate           # after adding or changing a check
    python -m resiliency_analyser.regenerate --check   # exit 1 if a generated file is stale

Run from a source checkout: the files are the checkout's ``docs/checks.md``, ``iam/policy.json``,
``iam/member-role.yaml`` and ``docs/api-budgets.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from resiliency_analyser.budgets_doc import budgets_markdown
from resiliency_analyser.checks.catalogue import checks_markdown
from resiliency_analyser.checks.registry import CHECKS
from resiliency_analyser.member_role import template_yaml
from resiliency_analyser.permissions import policy_json

CHECKOUT = Path(__file__).resolve().parent.parent

GENERATED: dict[str, Callable[[], str]] = {
    "docs/checks.md": lambda: checks_markdown(CHECKS),
    "iam/policy.json": lambda: policy_json(CHECKS),
    "iam/member-role.yaml": lambda: template_yaml(CHECKS),
    "docs/api-budgets.md": budgets_markdown,
}
"""Each generated file, by its path in the checkout, and what it must hold."""


def stale(root: Path) -> list[str]:
    """The generated files whose content differs from what the registry gives (or are missing)."""
    return [
        name
        for name, render in GENERATED.items()
        if not (root / name).is_file() or (root / name).read_text(encoding="utf-8") != render()
    ]


def stale_notes(root: Path) -> list[str]:
    """One line per stale file, with the command that rewrites it."""
    return [f"stale: {name} (run python -m resiliency_analyser.regenerate)" for name in stale(root)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m resiliency_analyser.regenerate")
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("--root", type=Path, default=CHECKOUT, help="the source checkout")
    args = parser.parse_args(argv)
    if not (args.root / "pyproject.toml").is_file():
        print(f"{args.root} is not a source checkout (no pyproject.toml)", file=sys.stderr)
        return 2
    if args.check:
        notes = stale_notes(args.root)
        for note in notes:
            print(note, file=sys.stderr)
        return 1 if notes else 0
    for name in stale(args.root):
        (args.root / name).write_text(GENERATED[name](), encoding="utf-8")
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

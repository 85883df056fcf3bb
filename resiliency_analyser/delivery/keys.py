"""Where uploads land in the bucket; shared by the uploader and the IAM policy that allows it."""

from __future__ import annotations

from pathlib import PurePath


def key_prefix(folder: PurePath) -> str:
    """The output folder as given to ``-o``, as a key prefix: ``./reports/2024/`` -> ``reports/2024``."""
    return "/".join(part for part in folder.parts if part not in {folder.anchor, "."})


def object_key(folder: PurePath, name: str) -> str:
    prefix = key_prefix(folder)
    return f"{prefix}/{name}" if prefix else name

"""Files the user names on the command line (suppressions, baseline): read, or one clear error."""

from __future__ import annotations

from pathlib import Path

from resiliency_analyser.errors import UsageError


def read_user_file(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {what} {path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"{what} {path} is not UTF-8 text") from error

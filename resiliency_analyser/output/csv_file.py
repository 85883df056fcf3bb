"""Append-only CSV files that only ever hold whole rows, whatever interrupts the run."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

FILE_MODE = 0o600  # findings name internal resources: readable by the user only

# A spreadsheet evaluates a cell starting with one of these as a formula (or, for tab and carriage
# return, may drop them and evaluate what follows); resource names and tags are chosen by whoever
# can create resources, so they must stay text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(cell: str) -> str:
    """The cell as inert text: a leading apostrophe makes spreadsheets show it, not run it.

    Carriage returns become newlines: with ``\n`` as line terminator the writer would leave a
    bare ``\r`` unquoted, and readers would split the row there.
    """
    if cell.startswith(FORMULA_TRIGGERS):
        cell = f"'{cell}"
    return cell.replace("\r\n", "\n").replace("\r", "\n")


def encode_rows(rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(map(safe_cell, row) for row in rows)
    return buffer.getvalue().encode("utf-8")


class CsvAppender:
    """Writes rows in whole batches with one ``write`` each; a failed batch is cut back off.

    Appending rather than replacing keeps the seed's behaviour of accumulating a day's runs in one
    file; ``truncate`` starts it fresh. The header is written only when the file starts empty.
    """

    def __init__(self, path: Path, header: Sequence[str], *, truncate: bool) -> None:
        self.path = path
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if truncate else os.O_APPEND)
        self._fd = os.open(path, flags, FILE_MODE)
        # The mode given to open() only applies to a new file; a day's file from before is
        # tightened too.
        os.fchmod(self._fd, FILE_MODE)
        self._good_size = os.fstat(self._fd).st_size
        self._repair_partial_tail()
        if self._good_size == 0:
            self.write([header])

    def _repair_partial_tail(self) -> None:
        """A file left by a crashed non-atomic writer may end mid-row; never build on that."""
        if self._good_size == 0:
            return
        with self.path.open("rb") as existing:
            existing.seek(self._good_size - 1)
            if existing.read(1) != b"\n":
                data = self.path.read_bytes()
                self._good_size = data.rfind(b"\n") + 1
                os.ftruncate(self._fd, self._good_size)

    def write(self, rows: Iterable[Sequence[str]]) -> None:
        data = encode_rows(rows)
        if not data:
            return
        try:
            written = 0
            while written < len(data):
                written += os.write(self._fd, data[written:])
        except BaseException:
            os.ftruncate(self._fd, self._good_size)
            raise
        self._good_size += len(data)

    def close(self) -> None:
        if self._fd >= 0:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> CsvAppender:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

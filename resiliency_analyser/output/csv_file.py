"""Append-only CSV files that only ever hold whole rows, whatever interrupts the run."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

FILE_MODE = 0o600  # findings name internal resources: readable by the user only


def encode_rows(rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
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

"""CSV files hold only whole rows, whatever happens to the writer."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest

from resiliency_analyser.output.csv_file import CsvAppender

HEADER = ("a", "b")


def read(path: Path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_header_once_then_appends(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    with CsvAppender(path, HEADER, truncate=False) as out:
        out.write([("1", "x,y")])
    with CsvAppender(path, HEADER, truncate=False) as out:
        out.write([("2", 'quote "q"\nnewline')])
    assert read(path) == [list(HEADER), ["1", "x,y"], ["2", 'quote "q"\nnewline']]


def test_truncate_starts_fresh(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("old,stuff\n1,2\n")
    with CsvAppender(path, HEADER, truncate=True) as out:
        out.write([("3", "4")])
    assert read(path) == [list(HEADER), ["3", "4"]]


def test_files_are_private_to_the_user(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    with CsvAppender(path, HEADER, truncate=False):
        pass
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_a_torn_last_row_from_a_crash_is_cut_before_appending(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n1,2\n3,partial")
    with CsvAppender(path, HEADER, truncate=False) as out:
        out.write([("5", "6")])
    assert read(path) == [list(HEADER), ["1", "2"], ["5", "6"]]


def test_a_failed_write_leaves_only_whole_rows(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    out = CsvAppender(path, HEADER, truncate=False)
    out.write([("1", "2")])
    os.close(out._fd)  # the disk goes away under the writer
    with pytest.raises(OSError):  # noqa: PT011
        out.write([("3", "4")])
    out._fd = -1
    assert read(path) == [list(HEADER), ["1", "2"]]


def test_an_existing_file_is_made_private_too(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("a,b\n")
    path.chmod(0o644)
    with CsvAppender(path, HEADER, truncate=False):
        pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\n=1"),
        ("line\r\nbreak\rhere", "line\nbreak\nhere"),
        ("db-1=2", "db-1=2"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(
    tmp_path: Path, cell: str, written: str
) -> None:
    path = tmp_path / "f.csv"
    with CsvAppender(path, HEADER, truncate=False) as out:
        out.write([(cell, "ok")])
    assert read(path) == [list(HEADER), [written, "ok"]]

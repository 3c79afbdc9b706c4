"""Shared fixtures: the packaged requirement table and writers of small schedule files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from fellowcheck.requirements import load_requirements

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


@pytest.fixture(scope="session")
def table():
    return load_requirements()


def write_csv(path: Path, rows: list[list], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one sheet per item; None leaves a cell blank, dates become date cells."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    book.save(path)
    return path


@pytest.fixture
def make_csv(tmp_path):
    def make(rows, name="schedule.csv", **kwargs):
        return write_csv(tmp_path / name, rows, **kwargs)
    return make


@pytest.fixture
def make_xlsx(tmp_path):
    def make(sheets, name="schedule.xlsx"):
        return write_xlsx(tmp_path / name, sheets)
    return make

"""reading/workbook.py: calamine reads what the pre-flight checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fellowcheck.reading import safety
from fellowcheck.reading.workbook import read_workbook

from ..hostile import GOOD_ROW, HEADER, write_schedule_xlsx

SAMPLES = Path(__file__).parents[2] / "samples"


def test_the_bytes_checked_are_the_bytes_read(tmp_path, monkeypatch):
    """A small workbook replaced after its check (a sync client writing it, say) is read as
    it was checked, never as the unchecked new file."""
    path = write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW])
    other = write_schedule_xlsx(tmp_path / "other.xlsx", [HEADER, ["Dr. Other", *GOOD_ROW[1:]]])
    check = safety.preflight_workbook

    def check_then_replace(checked_path, limits):
        scan = check(checked_path, limits)
        shutil.copyfile(other, checked_path)
        return scan

    monkeypatch.setattr(safety, "preflight_workbook", check_then_replace)
    [sheet] = read_workbook(path)
    assert sheet.rows[1][0] == "Dr. Ana Lima"


@pytest.mark.parametrize("name", ["program-2026-27.ods", "program-2026-27.xlsx"])
def test_a_workbook_read_from_its_bytes_reads_as_from_its_path(tmp_path, name, monkeypatch):
    from_bytes = read_workbook(SAMPLES / name)
    monkeypatch.setattr(safety, "IN_MEMORY_SIZE", 0)  # every file read from its path
    from_path = read_workbook(SAMPLES / name)
    assert [(s.sheet, s.rows, s.first_row, s.first_column) for s in from_bytes] == \
        [(s.sheet, s.rows, s.first_row, s.first_column) for s in from_path]

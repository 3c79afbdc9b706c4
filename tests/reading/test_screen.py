"""reading/screen.py: faulty cells become located problems, and are blanked."""

from __future__ import annotations

from fellowcheck.limits import ReadLimits
from fellowcheck.reading.safety import FORMULA_WITHOUT_VALUE, CellFault
from fellowcheck.reading.screen import screen_sheet
from fellowcheck.reading.sheets import RawSheet

UNSAVED = CellFault(FORMULA_WITHOUT_VALUE)


def test_an_unsaved_formula_in_a_row_of_the_table_is_a_located_error():
    sheet = RawSheet("f.xlsx", "Schedule", [["Fellow", "Rotation", "Weeks"],
                                            ["A", "MIPS", UNSAVED]])
    screened, problems = screen_sheet(sheet, ReadLimits())
    [found] = problems
    assert (found.kind, found.location.row, found.location.column) == (
        "cell-error", 2, "Weeks (C)")
    assert screened.rows[1] == ["", "", ""]  # the row is left out


def test_the_formula_of_a_totals_row_is_not_a_fault():
    """A totals row ("Total | =SUM(...)" never calculated) is skipped when the table is read."""
    sheet = RawSheet("f.xlsx", "Schedule", [["Fellow", "Rotation", "Weeks"],
                                            ["A", "MIPS", 13], [None, "Total", UNSAVED]])
    screened, problems = screen_sheet(sheet, ReadLimits())
    assert problems == [] and screened.rows[2] == [None, "Total", ""]

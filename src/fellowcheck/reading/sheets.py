"""Opening schedule files: every supported file type becomes a list of `RawSheet`s."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fellowcheck.problems import FellowcheckError, Location, Problem, problem
from fellowcheck.reading.safety import DEFAULT_LIMITS, ReadLimits, WorkbookScan

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv")
SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES
#: Sheet names (as `text.match_key` gives them) of a roster: read with the sheets --sheet
#: picks, as a roster gives tracks and dates to every schedule sheet of its workbook.
ROSTER_SHEET_NAMES = {"fellows", "roster", "fellowroster", "residents", "trainees", "people"}


@dataclass(frozen=True, slots=True)
class RawSheet:
    """The cells of one sheet (or CSV file) as read, before any meaning is given to them.

    `rows[i][j]` is the cell at spreadsheet row `first_row + i` and column `first_column + j`
    (both 1-based); blank cells are "" and dates are `datetime.date`/`datetime.datetime`.
    For CSV, rows are lines and there are no sheets. A workbook cell holding an error value
    or an unsaved formula is a `safety.CellFault`.
    """

    file: str
    sheet: str | None
    rows: list[list[Any]]
    first_row: int = 1
    first_column: int = 1
    #: what reading the cells noticed (an encoding guessed, say, or a CSV whose tail could not
    #: be read), reported with the sheet
    warnings: tuple[Problem, ...] = ()

    def location(self, row: int | None = None, column: str | None = None) -> Location:
        return Location(self.file, sheet=self.sheet, row=row, column=column)


def read_sheets(path: Path, sheet_names: list[str] | None = None,
                limits: ReadLimits = DEFAULT_LIMITS,
                scan: Callable[[], WorkbookScan] | None = None) -> list[RawSheet]:
    """Read the visible sheets of `path` (or the named ones); FellowcheckError if it cannot.
    Nothing past `limits` is read (see `safety`). `scan`: a workbook's safety check, when
    another process makes it (see `workbook.read_workbook`)."""
    where = Location(str(path))
    if not path.exists():
        raise FellowcheckError(problem("file-not-found", f"{path} does not exist", where))
    if path.is_dir():
        raise FellowcheckError(problem(
            "file-unreadable", f"{path} is a folder, not a schedule file; give the files in it "
            "(or a folder whose name has no .xlsx, .csv ... suffix)", where))
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        from fellowcheck.reading import workbook

        return workbook.read_workbook(path, sheet_names, limits, scan)
    if suffix in TEXT_SUFFIXES:
        from fellowcheck.reading import delimited

        return [delimited.read_delimited(path, limits)]
    if suffix == ".xls":
        raise FellowcheckError(problem(
            "unsupported-file-type",
            f"{path.name} is an old binary Excel file (.xls); open it in Excel or LibreOffice "
            "and save it as .xlsx", where))
    raise FellowcheckError(problem(
        "unsupported-file-type", f"{path.name} is not a schedule file ({suffix or 'no suffix'})",
        where))

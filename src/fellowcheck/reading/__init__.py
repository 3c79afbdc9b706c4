"""Reading schedule files into one table of normalised entries.

`read_schedule` is the only entry point the rest of fellowcheck uses: it opens the file,
finds the sheets that hold a schedule, and returns their entries with the problems found.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fellowcheck.model import RequirementTable
from fellowcheck.problems import FellowcheckError, Problem, problem
from fellowcheck.reading.entries import ReadOptions, empty_entries, has_entries_header, read_entries
from fellowcheck.reading.sheets import SUFFIXES, RawSheet, read_sheets

__all__ = ["ReadOptions", "SUFFIXES", "read_schedule"]


def read_schedule(path: Path, table: RequirementTable, options: ReadOptions,
                  sheet_names: list[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """All entries of one schedule file, and the problems found in it. Never raises for bad
    input: a file that cannot be read gives no entries and an error problem."""
    try:
        sheets = read_sheets(path, sheet_names)
    except FellowcheckError as error:
        return empty_entries(), error.problems
    schedule_sheets = _schedule_sheets(sheets, explicit=bool(sheet_names))
    if not schedule_sheets:
        return empty_entries(), [_no_table(path, sheets)]
    frames, problems = [], []
    for sheet in schedule_sheets:
        frame, found = read_entries(sheet, table, options)
        frames.append(frame)
        problems.extend(found)
    frames = [f for f in frames if len(f)]
    entries = pd.concat(frames, ignore_index=True) if frames else empty_entries()
    return entries, problems


def _schedule_sheets(sheets: list[RawSheet], explicit: bool) -> list[RawSheet]:
    """The sheets to read: every named sheet, else those with a schedule header."""
    if explicit or len(sheets) == 1:
        return sheets
    return [sheet for sheet in sheets if has_entries_header(sheet)]


def _no_table(path: Path, sheets: list[RawSheet]) -> Problem:
    if all(not sheet.rows for sheet in sheets):
        what = "is empty" if len(sheets) < 2 else "has only empty sheets"
        return problem("no-table", f"{path.name} {what}", sheets[0].location())
    names = ", ".join(repr(s.sheet) for s in sheets if s.sheet)
    return problem("no-table", f"no sheet of {path.name} has a header row with a Rotation column"
                   f" (sheets: {names}); add one, or pick the sheet with --sheet", sheets[0].location())

"""Reading schedule files into one table of normalised entries.

`read_schedule` is the only entry point the rest of fellowcheck uses: it opens the file,
tells each sheet's layout (entries, block grid, roster, or neither), and returns the entries
of all its schedule sheets, the roster, the problems found and notes on what it decided.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fellowcheck.model import RequirementTable
from fellowcheck.problems import FellowcheckError, Problem, has_errors, problem
from fellowcheck.reading.columns import find_header
from fellowcheck.reading.entries import ReadOptions, empty_entries, read_entries
from fellowcheck.reading.grid import find_grid_header, read_grid
from fellowcheck.reading.roster import (
    empty_roster, find_roster_header, read_roster, roster_as_entries, roster_starts,
)
from fellowcheck.reading.screen import screen_sheet
from fellowcheck.reading.sheets import SUFFIXES, RawSheet, read_sheets

__all__ = ["ReadOptions", "SUFFIXES", "ScheduleFile", "read_schedule"]


@dataclass
class ScheduleFile:
    """What one file gave: entries (roster tracks included), roster, problems, notes."""

    entries: pd.DataFrame
    roster: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_schedule(path: Path, table: RequirementTable, options: ReadOptions,
                  sheet_names: list[str] | None = None) -> ScheduleFile:
    """All entries of one schedule file, and the problems found in it. Never raises for bad
    input: a file that cannot be read gives no entries and an error problem."""
    try:
        sheets = read_sheets(path, sheet_names, options.limits)
    except FellowcheckError as error:
        return ScheduleFile(empty_entries(), empty_roster(), error.problems)
    result = ScheduleFile(empty_entries(), empty_roster())
    if is_fellowcheck_report(sheets):
        result.notes.append(f"{path.name}: skipped (a report written by fellowcheck)")
        return result
    sheets = [_screened(sheet, options, result.problems) for sheet in sheets]
    rosters, schedules = [], []
    for sheet in sheets:
        result.problems.extend(sheet.warnings)
        where = f"{path.name} [{sheet.sheet}]" if sheet.sheet else path.name
        if (header := find_header(sheet.rows)) is not None:
            schedules.append(("entries", sheet, header))
            result.notes.append(f"{where}: entries, header on row "
                                f"{sheet.first_row + header.index}")
        elif (roster := find_roster_header(sheet)) is not None:
            rosters.append((sheet, roster))
            result.notes.append(f"{where}: roster, header on row {sheet.first_row + roster[0]}")
        elif (grid := find_grid_header(sheet.rows, options.day_first)) is not None:
            schedules.append(("grid", sheet, grid))
            result.notes.append(f"{where}: block grid of {len(grid.periods)} columns, header on "
                                f"row {sheet.first_row + grid.index}")
        elif sheet_names or len(sheets) == 1:
            result.problems.append(_no_table(path, sheet))
        else:
            result.notes.append(f"{where}: skipped (neither a schedule nor a roster)")

    roster_frames = []
    for sheet, (index, fields) in rosters:
        frame, found = read_roster(sheet, index, fields, table, options.day_first)
        roster_frames.append(frame)
        result.problems.extend(found)
    if roster_frames:
        result.roster = pd.concat(roster_frames, ignore_index=True)
    starts = roster_starts(result.roster)

    if len(schedules) > 1 and options.fellow:
        # --fellow names the fellow of a lone unnamed sheet; in a workbook of several sheets
        # it only picks fellows, so a generic sheet is not given that fellow's name.
        options = dataclasses.replace(options, fellow=None)
    frames = []
    for layout, sheet, header in schedules:
        if layout == "entries":
            frame, found = read_entries(sheet, table, options, header=header)
        else:
            frame, found = read_grid(sheet, header, table, options, starts)
        frames.append(frame)
        result.problems.extend(found)
    if len(result.roster):
        frames.append(roster_as_entries(result.roster))
    if not schedules and not rosters and not has_errors(result.problems):
        result.problems.append(_no_table(path, sheets[0] if sheets else None, sheets))
    frames = [f for f in frames if len(f)]
    if frames:
        result.entries = pd.concat(frames, ignore_index=True)
    elif schedules and not has_errors(result.problems):
        unknown = any(p.kind == "unknown-rotation" for p in result.problems)
        what = ("rows, but none with a rotation of the requirement table (see the warnings)"
                if unknown else "no rotation rows under it")
        result.problems.append(problem(
            "no-entries", f"{path.name} has a schedule header and {what}; nothing was checked",
            schedules[0][1].location()))
    return result


def is_fellowcheck_report(sheets: list[RawSheet]) -> bool:
    """Whether the file is one of fellowcheck's own csv or xlsx reports (kept beside the
    schedules it checked, it must not be read back as a schedule)."""
    def header(sheet: RawSheet) -> list[str]:
        return [str(cell).strip().lower() for cell in (sheet.rows[0] if sheet.rows else [])]

    if len(sheets) == 1 and sheets[0].sheet is None:
        return {"fellow_status", "rotation_id", "unscheduled"} <= set(header(sheets[0]))
    names = [sheet.sheet for sheet in sheets]
    if not names or names[0] != "Summary" or names[-1] != "Problems":
        return False
    return header(sheets[0])[:4] == ["fellow", "track", "status", "gaps"]


def _screened(sheet: RawSheet, options: ReadOptions, problems: list[Problem]) -> RawSheet:
    """The sheet with error values, unsaved formulas and overlong cells taken out (`screen`)."""
    sheet, found = screen_sheet(sheet, options.limits)
    problems.extend(found)
    return sheet


def _no_table(path: Path, sheet: RawSheet | None, sheets: list[RawSheet] | None = None) -> Problem:
    sheets = sheets or ([sheet] if sheet else [])
    if all(not s.rows for s in sheets):
        what = "is empty" if len(sheets) < 2 else "has only empty sheets"
        return problem("no-table", f"{path.name} {what}",
                       sheets[0].location() if sheets else None)
    if len(sheets) > 1:
        names = ", ".join(repr(s.sheet) for s in sheets if s.sheet)
        return problem("no-table", f"no sheet of {path.name} holds a schedule (sheets: {names}); "
                       "add a header row with a Rotation column, or pick the sheet with --sheet",
                       sheets[0].location())
    only_rotation = _rotation_only_header(sheets[0])
    if only_rotation is not None:
        return problem(
            "no-table", "the header has a Rotation column but nothing that says how long each "
            "rotation was; add Amount and Unit, a Weeks/Days/Half days column, or Start and End",
            sheets[0].location(row=sheets[0].first_row + only_rotation))
    return problem(
        "no-table", "no header row with a Rotation column, week or block columns, or a roster "
        f"was found in {'the sheet' if sheets[0].sheet else 'the file'}; add a header such as "
        "Fellow, Track, Rotation, Amount, Unit, Start, End, Status", sheets[0].location())


def _rotation_only_header(sheet: RawSheet) -> int | None:
    """The index of a row that names a Rotation column (and no other known column)."""
    from fellowcheck.reading.columns import HEADER_KEYS, HEADER_SEARCH_ROWS, Field
    from fellowcheck.text import match_key

    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        if any(isinstance(c, str) and HEADER_KEYS.get(match_key(c)) is Field.ROTATION
               for c in row):
            return index
    return None

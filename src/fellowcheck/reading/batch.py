"""The second phase of reading (the first is `raw`): each file's sheets told apart (entries,
roster, block grid, or neither) and turned into entries, for one file or a thousand.

Sheets in the entries layout are not normalised one by one: those of one header
(`EntrySheet.signature`: a thousand files made from one template) are stacked and normalised
once, vectorised over all their rows, and each file gets back its own entries and problems,
exactly as if it had been read alone. Rosters and block grids are read sheet by sheet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from fellowcheck.model import RequirementTable
from fellowcheck.problems import Problem, has_errors, problem
from fellowcheck.reading import ScheduleFile
from fellowcheck.reading.columns import HEADER_SEARCH_ROWS
from fellowcheck.reading.entries import (
    LEAVE, VACATION, EntrySheet, empty_entries, normalise, rotation_lookup,
)
from fellowcheck.reading.grid import find_grid_header, read_grid
from fellowcheck.reading.options import ReadOptions
from fellowcheck.reading.raw import RawFile
from fellowcheck.reading.roster import (
    empty_roster, find_roster_header, read_roster, roster_as_entries, roster_starts,
)
from fellowcheck.reading.sheets import RawSheet
from fellowcheck.text import fellow_key, match_key

#: The stacks are normalised, and the files read so far finished, once the files waiting hold
#: this many rows (and at the end): a bound on the cells held at once (memory stays flat),
#: and enough rows that normalising costs little per file.
ROWS_PER_BATCH = 10_000
#: A file's pieces of entries are ordered by file * _SLOTS + slot (a slot per schedule sheet).
_SLOTS = 1 << 20


@dataclass(eq=False)
class _File:
    """A file read up to its entries sheets, which wait for their stack."""

    index: int
    raw: RawFile
    problems: list[Problem]
    #: each schedule sheet's (number of entries, problems), in sheet order; None until read
    schedules: list[tuple[int, list[Problem]] | None] = field(default_factory=list)
    first_schedule: RawSheet | None = None
    roster_rows: int = 0
    has_roster: bool = False


def read_files(raw_files: Iterable[RawFile], table: RequirementTable, options: ReadOptions,
               sheet_names: list[str] | None = None,
               progress: Callable[[int], None] | None = None) -> ScheduleFile:
    """The entries, roster, problems and notes of every file, in the order of the files and
    as each file would give them alone. `progress(n)` is called after the n-th file's cells
    are read."""
    batch = _Batch(table, options, sheet_names)
    for index, raw in enumerate(raw_files):
        batch.add(index, raw)
        if progress is not None:
            progress(index + 1)
        if batch.waiting_rows >= ROWS_PER_BATCH:
            batch.flush()
    batch.flush()
    return batch.result()


class _Batch:
    """Files read so far: the stacks of entries sheets waiting to be normalised, the files
    waiting for them, and what finished files gave."""

    def __init__(self, table: RequirementTable, options: ReadOptions,
                 sheet_names: list[str] | None):
        self.table, self.options, self.sheet_names = table, options, sheet_names
        #: the sheets --sheet picks, by match key (None: every sheet is read)
        self.picked = {match_key(name) for name in sheet_names} if sheet_names else None
        self.waiting: list[_File] = []  # files whose problems are not final yet
        #: signature -> the stacked sheets, with the file and slot each belongs to
        self.stacks: dict[tuple, list[tuple[EntrySheet, _File, int]]] = {}
        self.waiting_rows = 0
        self.pieces: list[tuple[pd.DataFrame, np.ndarray | int]] = []  # (entries, order keys)
        self.rosters: list[pd.DataFrame] = []
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.skipped: list[Path] = []  # fellowcheck's own reports among the inputs

    def add(self, index: int, raw: RawFile) -> None:
        """Tell the layout of each sheet of a file; read its rosters and grids, and stack its
        entries sheets."""
        path, options = raw.path, self.options
        file = _File(index, raw, list(raw.problems))
        self.waiting.append(file)
        self.waiting_rows += sum(len(sheet.rows) for sheet in raw.sheets)  # held till flushed
        if raw.report:
            self.notes.append(f"{path}: skipped (a report written by fellowcheck)")
            self.skipped.append(path)
        if raw.unreadable or raw.report:
            return
        rosters, schedules = [], []
        for sheet, header in zip(raw.sheets, raw.headers):
            file.problems.extend(sheet.warnings)
            where = f"{path} [{sheet.sheet}]" if sheet.sheet else str(path)
            if self.picked is not None and sheet.sheet and match_key(sheet.sheet) not in \
                    self.picked:
                # Read beside the sheets --sheet picks for its roster (workbook.py), if it is one.
                if (roster := find_roster_header(sheet)) is not None:
                    rosters.append((sheet, roster))
                    self.notes.append(f"{where}: roster, header on row "
                                      f"{sheet.first_row + roster[0]}")
                else:
                    self.notes.append(f"{where}: skipped (not picked with --sheet)")
                continue
            if header is not None:
                schedules.append(("entries", sheet, header))
                self.notes.append(f"{where}: entries, header on row "
                                  f"{sheet.first_row + header.index}")
            elif (roster := find_roster_header(sheet)) is not None:
                rosters.append((sheet, roster))
                self.notes.append(f"{where}: roster, header on row "
                                  f"{sheet.first_row + roster[0]}")
            elif (grid := find_grid_header(sheet.rows, options.day_first)) is not None:
                schedules.append(("grid", sheet, grid))
                self.notes.append(f"{where}: block grid of {len(grid.periods)} columns, header "
                                  f"on row {sheet.first_row + grid.index}")
            elif self.sheet_names or len(raw.sheets) == 1:
                file.problems.append(_no_table(path, sheet))
            elif named := _rotations_named(sheet, self.table):
                file.problems.append(problem(
                    "sheet-not-read", f"the sheet names rotations ({', '.join(named)}) but is "
                    "neither a table of entries nor a block grid fellowcheck reads, so it was "
                    "not read", sheet.location()))
            else:
                self.notes.append(f"{where}: skipped (neither a schedule nor a roster)")

        roster_frames = []
        for sheet, (header_index, fields) in rosters:
            frame, found = read_roster(sheet, header_index, fields, self.table,
                                       options.day_first)
            roster_frames.append(frame)
            file.problems.extend(found)
        roster = pd.concat(roster_frames, ignore_index=True) if roster_frames else None
        file.has_roster = bool(rosters)
        file.roster_rows = len(roster) if roster is not None else 0
        if file.roster_rows:
            self.rosters.append(roster)

        if len(schedules) > 1 and options.fellow:
            # --fellow names the fellow of a lone unnamed sheet; in a workbook of several
            # sheets it only picks fellows, so a generic sheet is not given that fellow's name.
            options = dataclasses.replace(options, fellow=None)
        file.first_schedule = schedules[0][1] if schedules else None
        names = list(roster["fellow"].dropna().unique()) if file.roster_rows else []
        for slot, (layout, sheet, header) in enumerate(schedules):
            if layout == "entries":
                file.schedules.append(None)
                item = EntrySheet(sheet, header, options.fellow, _cut_to(sheet.sheet, names))
                if item.roster_name:
                    self.notes.append(f"{path} [{sheet.sheet}]: the fellow is "
                                      f"{item.roster_name!r} of the roster (a sheet's name is "
                                      f"cut to {SHEET_NAME_LENGTH} characters)")
                self.stacks.setdefault(item.signature(), []).append((item, file, slot))
            else:
                frame, found = read_grid(sheet, header, self.table, options,
                                         roster_starts(roster) if file.roster_rows else {})
                file.schedules.append((len(frame), found))
                self._keep(frame, file.index * _SLOTS + slot)
        if file.roster_rows:
            self._keep(roster_as_entries(roster), file.index * _SLOTS + len(schedules))

    def flush(self) -> None:
        """Normalise the waiting stacks and finish the files that waited for them."""
        for stack in self.stacks.values():
            done = normalise([item for item, _, _ in stack], self.table, self.options)
            keys = np.array([file.index * _SLOTS + slot for _, file, slot in stack],
                            dtype=np.int64)
            self._keep(done.frame, keys[done.parts])
            counts = np.bincount(done.parts, minlength=len(stack)).tolist()
            for (_, file, slot), found, count in zip(stack, done.problems, counts):
                file.schedules[slot] = (count, found)
        self.stacks.clear()
        self.waiting_rows = 0
        for file in self.waiting:
            self._finish(file)
        self.waiting.clear()

    def _keep(self, frame: pd.DataFrame, keys: np.ndarray | int) -> None:
        if len(frame):
            self.pieces.append((frame, keys))

    def _finish(self, file: _File) -> None:
        """The file's last problems: a file with no table, or a table without entries."""
        raw, problems = file.raw, file.problems
        rows = file.roster_rows
        for count, found in file.schedules:
            problems.extend(found)
            rows += count
        if not (raw.unreadable or raw.report):
            if not file.schedules and not file.has_roster and not has_errors(problems):
                problems.append(_no_table(raw.path, raw.sheets[0] if raw.sheets else None,
                                         list(raw.sheets)))
            if not rows and file.schedules and not has_errors(problems):
                unknown = any(p.kind == "unknown-rotation" for p in problems)
                what = ("rows, but none with a rotation of the requirement table (see the "
                        "warnings)" if unknown else "no rotation rows under it")
                problems.append(problem(
                    "no-entries", f"{raw.path.name} has a schedule header and {what}; nothing "
                    "was checked", file.first_schedule.location()))
        self.problems.extend(problems)

    def result(self) -> ScheduleFile:
        return ScheduleFile(_in_order(self.pieces), _concat(self.rosters, empty_roster),
                            self.problems, self.notes, self.skipped)


#: Excel and LibreOffice cut a sheet's name to this many characters.
SHEET_NAME_LENGTH = 31


def _cut_to(sheet: str | None, names: list[str]) -> str | None:
    """The one roster name that `sheet`, a name cut to the 31 characters a sheet's name may
    have, begins (ignoring case, spacing and punctuation), if there is exactly one."""
    if sheet is None or len(sheet) != SHEET_NAME_LENGTH or not names:
        return None
    key = fellow_key(sheet)
    found = [name for name in names if len(name) > len(sheet) and fellow_key(name).startswith(key)]
    return found[0] if len(found) == 1 else None


def _in_order(pieces: list[tuple[pd.DataFrame, np.ndarray | int]]) -> pd.DataFrame:
    """The pieces of entries as one table, in the order of their files and sheets."""
    if not pieces:
        return empty_entries()
    frame = _concat([piece for piece, _ in pieces], empty_entries)
    keys = np.concatenate([np.broadcast_to(np.asarray(key, dtype=np.int64), len(piece))
                           for piece, key in pieces])
    if len(keys) > 1 and (np.diff(keys) < 0).any():
        frame = frame.iloc[np.argsort(keys, kind="stable")].reset_index(drop=True)
    return frame


def _concat(frames: list[pd.DataFrame], empty) -> pd.DataFrame:
    if not frames:
        return empty()
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


#: A sheet not read that names this many rotations is warned of (FC136): it is likely a
#: schedule in a layout fellowcheck does not read, not an instructions or lists sheet.
ROTATIONS_OF_A_SCHEDULE = 3


def _rotations_named(sheet: RawSheet, table: RequirementTable) -> list[str]:
    """Some of the rotations a sheet's cells name (within the first rows), when they are
    spread as a grid's are: ROTATIONS_OF_A_SCHEDULE or more, over that many columns and more
    than one row. A legend (an abbreviation beside each name), a list down one column or a
    tally with rotations for headers is not a schedule; nor is a sheet named as those are."""
    if sheet.sheet and match_key(sheet.sheet) in NOT_SCHEDULE_SHEETS:
        return []
    lookup = rotation_lookup(table)
    found: dict[str, str] = {}
    columns: set[int] = set()
    rows: set[int] = set()
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        for column, cell in enumerate(row):
            if isinstance(cell, str) and len(cell) < 60:
                rotation = lookup.get(match_key(cell))
                if rotation and rotation not in (LEAVE, VACATION):
                    found.setdefault(rotation, cell.strip())
                    columns.add(column)
                    rows.add(index)
    names = list(found.values())
    if min(len(names), len(columns)) < ROTATIONS_OF_A_SCHEDULE or len(rows) < 2:
        return []
    return names[:3] + ["..."] * (len(names) > 3)


#: Sheets that list rotations without being schedules.
NOT_SCHEDULE_SHEETS = frozenset(match_key(name) for name in (
    "key", "legend", "lists", "list", "instructions", "read me", "readme", "summary",
    "totals", "codes", "abbreviations", "rotations", "requirements", "notes"))


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

    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        if any(isinstance(c, str) and HEADER_KEYS.get(match_key(c)) is Field.ROTATION
               for c in row):
            return index
    return None

"""The roster sheet (Fellows, Roster): each fellow's track and fellowship dates, given once
for every schedule sheet of the workbook."""

from __future__ import annotations

import datetime as dt


import numpy as np
import pandas as pd

from fellowcheck.model import RequirementTable
from fellowcheck.problems import Problem, problem
from fellowcheck.reading.columns import HEADER_KEYS, HEADER_SEARCH_ROWS, Field, column_letter
from fellowcheck.reading.grid import is_grid_header
from fellowcheck.reading.sheets import ROSTER_SHEET_NAMES, RawSheet
from fellowcheck.reading.values import Bad, bad_mask, date_parser, map_distinct, parse_text
from fellowcheck.text import clean_name, match_key

ROSTER_COLUMNS = ("fellow", "track", "start", "end", "file", "sheet", "row")
#: A header with any of these is a schedule (perhaps missing its Rotation column), not a roster.
SCHEDULE_FIELDS = {Field.ROTATION, Field.AMOUNT, Field.UNIT, Field.WEEKS, Field.DAYS,
                   Field.HALF_DAYS, Field.CONFERENCES, Field.STATUS, Field.DATE}


def empty_roster() -> pd.DataFrame:
    return _EMPTY_ROSTER.copy()  # a copy: building it costs a millisecond, once per file


_EMPTY_ROSTER = pd.DataFrame({name: pd.Series(dtype=object) for name in ROSTER_COLUMNS})


def find_roster_header(sheet: RawSheet) -> tuple[int, dict[Field, int]] | None:
    """The header of a roster: a Fellow column with a Track or a start date, no Rotation."""
    named_roster = sheet.sheet is not None and match_key(sheet.sheet) in ROSTER_SHEET_NAMES
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        fields: dict[Field, int] = {}
        for column, cell in enumerate(row):
            field = HEADER_KEYS.get(match_key(cell)) if isinstance(cell, str) else None
            if field is not None:
                fields.setdefault(field, column)
        if Field.FELLOW not in fields or is_grid_header(row) or SCHEDULE_FIELDS & set(fields):
            continue
        if Field.TRACK in fields or (named_roster and (Field.START in fields)):
            return index, fields
    return None


def read_roster(sheet: RawSheet, index: int, fields: dict[Field, int], table: RequirementTable,
                day_first: bool) -> tuple[pd.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    body = sheet.rows[index + 1:]
    if not body:
        return empty_roster(), problems
    frame = pd.DataFrame(body, dtype=object)
    rows = np.arange(len(body)) + sheet.first_row + index + 1
    header = sheet.rows[index]

    def column(field: Field) -> np.ndarray:
        position = fields.get(field)
        if position is None or position not in frame.columns:
            return np.full(len(frame), None, dtype=object)
        return frame[position].to_numpy(dtype=object)

    def label(field: Field) -> str:
        letter = column_letter(sheet.first_column + fields[field])
        return f"{str(header[fields[field]]).strip()} ({letter})"

    names = map_distinct(column(Field.FELLOW), lambda v: clean_name(str(v)) if parse_text(v)
                         else None)
    keep = ~pd.isna(names)
    tracks = map_distinct(column(Field.TRACK), lambda v: table.specialties.get(
        match_key(str(v)), Bad("unknown")) if parse_text(v) else None)
    bad = bad_mask(tracks) & keep
    raw_tracks = column(Field.TRACK)
    for position in np.flatnonzero(bad):
        problems.append(problem(
            "unknown-track", f'"{raw_tracks[position]}" is neither a track '
            f"({', '.join(table.tracks)}) nor a known base specialty",
            sheet.location(int(rows[position]), label(Field.TRACK)), fellow=names[position]))
    tracks[bad] = None
    parse_date = date_parser(day_first)
    dates = {}
    for field in (Field.START, Field.END):
        values = map_distinct(column(field), parse_date)
        wrong = bad_mask(values) & keep
        raw = column(field)
        for position in np.flatnonzero(wrong):
            problems.append(problem(
                "bad-date", f'"{raw[position]}" {values[position].reason}',
                sheet.location(int(rows[position]), label(field)), fellow=names[position]))
        values[wrong] = None
        dates[field] = values
    roster = pd.DataFrame({
        "fellow": names, "track": tracks, "start": dates[Field.START], "end": dates[Field.END],
        "file": sheet.file, "sheet": sheet.sheet, "row": rows})
    return roster[keep].reset_index(drop=True), problems


def roster_starts(roster: pd.DataFrame) -> dict[str, dt.date]:
    if len(roster) == 0:
        return {}
    known = roster[roster["start"].notna()]
    return dict(zip(known["fellow"], known["start"]))


def roster_as_entries(roster: pd.DataFrame) -> pd.DataFrame:
    """Track-only entries, so the roster's tracks reach every fellow and every fellow on
    the roster is reported, even one with nothing scheduled yet."""
    from fellowcheck.reading.entries import ENTRY_COLUMNS

    frame = pd.DataFrame({
        "fellow": roster["fellow"], "track": roster["track"], "rotation_id": None,
        "leave": False, "vacation": False, "quantity": 0.0, "start": pd.NaT, "end": pd.NaT, "weekdays": np.nan,
        "status": None, "file": roster["file"], "sheet": roster["sheet"], "row": roster["row"]})
    return frame[list(ENTRY_COLUMNS)]



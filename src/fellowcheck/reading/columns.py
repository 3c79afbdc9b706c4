"""Finding the header row and giving each column its meaning."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from fellowcheck.text import match_key


class Field(str, enum.Enum):
    FELLOW = "fellow"
    TRACK = "track"
    ROTATION = "rotation"
    AMOUNT = "amount"
    UNIT = "unit"
    WEEKS = "weeks"
    DAYS = "days"
    HALF_DAYS = "half_days"
    CONFERENCES = "conferences"
    START = "start"
    END = "end"
    STATUS = "status"
    DATE = "date"  # a one-day entry: start and end on that date


_SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.FELLOW: ("fellow", "name", "fellow name", "fellow's name", "trainee", "trainee name",
                   "resident", "resident name"),
    Field.TRACK: ("track", "pathway", "base specialty", "specialty", "base speciality",
                  "speciality"),
    Field.ROTATION: ("rotation", "rotations", "rotation name", "service", "activity",
                     "experience", "assignment", "assignments", "rotation site",
                     "clinical rotation", "block", "site"),
    Field.AMOUNT: ("amount", "duration", "quantity", "qty", "length"),
    Field.UNIT: ("unit", "units", "duration unit"),
    Field.WEEKS: ("weeks", "week", "wks", "no of weeks", "number of weeks"),
    Field.DAYS: ("days", "day", "number of days"),
    Field.HALF_DAYS: ("half days", "half-days", "half day", "halfdays", "hd"),
    Field.CONFERENCES: ("conferences", "conference", "conf"),
    Field.START: ("start", "start date", "from", "begin", "begins", "date from", "first day",
                  "from date", "starting", "beginning", "start week", "start wk", "week of",
                  "start (mon)", "start monday",
                  "week starting", "week beginning", "week start", "block start",
                  "rotation start", "rotation start date", "start of rotation",
                  "fellowship start", "fellowship start date", "program start"),
    Field.END: ("end", "end date", "to", "until", "ends", "finish", "date to", "last day",
                "through", "thru", "ending", "end week", "end wk", "week ending",
                "block end", "rotation end", "rotation end date", "end of rotation",
                "fellowship end", "fellowship end date", "program end"),
    Field.STATUS: ("status", "state", "completion"),
    Field.DATE: ("date", "session date", "clinic date", "day of"),
}
HEADER_KEYS: dict[str, Field] = {match_key(word): field
                                 for field, words in _SYNONYMS.items() for word in words}
#: The fellowship's own dates (a roster's Start and End): in a table of entries they are
#: never a rotation's dates, and are not read.
FELLOWSHIP_DATES = {match_key(word) for word in (
    "fellowship start", "fellowship start date", "program start", "fellowship end",
    "fellowship end date", "program end")}

#: How far down a sheet the header row is looked for.
HEADER_SEARCH_ROWS = 200


@dataclass(frozen=True, slots=True)
class Header:
    """The header row found in a sheet: its index in the rows and the field of each column."""

    index: int
    fields: dict[Field, int]  # field -> column index
    names: list[str]  # the header cells as typed
    #: (field, first header, second header, the second's column index in the row)
    duplicates: list[tuple[Field, str, str, int]]


def find_header(rows: list[list[Any]]) -> Header | None:
    """The first row, within HEADER_SEARCH_ROWS, that names a rotation column and another field."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [match_key(str(cell)) if isinstance(cell, str) else "" for cell in row]
        found = [HEADER_KEYS.get(key) for key in keys]
        if Field.ROTATION not in found or sum(f is not None for f in found) < 2:
            continue
        fields: dict[Field, int] = {}
        duplicates = []
        for column, field in enumerate(found):
            if field is None or keys[column] in FELLOWSHIP_DATES:
                continue
            if field in fields:
                duplicates.append((field, str(row[fields[field]]).strip(),
                                   str(row[column]).strip(), column))
            else:
                fields[field] = column
        return Header(index, fields, [str(cell).strip() for cell in row], duplicates)
    return None


def column_letter(number: int) -> str:
    """Spreadsheet column letters for a 1-based column number (1 -> A, 28 -> AB)."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters

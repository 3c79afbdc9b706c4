"""The block-grid layout: one row per fellow, one column per week, block or month, each cell a
rotation name. A grid becomes entries (fellow, track, rotation, start, end) and is then
normalised exactly as the entries layout is, so matching, units and problems are shared.

Column headers are dates (the week or block start), date ranges ("7/6/26 - 7/31/26", whose
first date starts the column), month names (Jul, July 2026) or labels (Week 1..52, Block
1..13, "Jul 6", "Block 1 (7/6)"). Each dated column lasts until the next column's date; the
last lasts as long as the one before it (a month, for month columns). Week N columns last a
week; Block N columns `--block-weeks` weeks; both are counted from the fellow's start date on
the roster, else from the first day of the academic year that holds --as-of, with a warning.
A second header row of dates (or date ranges) under a row of labels dates the columns.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fellowcheck.model import RequirementTable
from fellowcheck.problems import Problem, problem
from fellowcheck.reading.columns import HEADER_KEYS, HEADER_SEARCH_ROWS, Field, column_letter
from fellowcheck.reading.entries import CellPlaces, ReadOptions, empty_entries, read_entries
from fellowcheck.reading.sheets import RawSheet
from fellowcheck.reading.values import date_parser
from fellowcheck.text import match_key

_LABEL = re.compile(r"^(week|wk|w|block|blk|b|period|rotation)\s*#?\s*(\d{1,3})$", re.I)
_MONTH_DAY = re.compile(r"^([a-z]{3,9})\.?\s+(\d{1,2})$", re.I)
_MONTH_YEAR = re.compile(r"^([a-z]{3,9})\.?[\s'-]*(\d{2}|\d{4})?$", re.I)
_MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
#: A column header that gives the column's dates, perhaps after a label: "7/1/26 - 7/28/26",
#: "Jul 1 - Jul 28", "Block 1 (7/1)", "Block 1\n7/1/26-7/28/26".
_LABELLED_DATES = re.compile(
    r"^(?:(?:week|wk|w|block|blk|b|period|rotation)\s*#?\s*\d{1,3}\s*[(:\n-]?\s*)?"
    r"(?P<dates>[^()]*?\d[^()]*?)\)?$", re.I | re.S)
_RANGE = re.compile(r"^(?P<first>.+?)\s*(?:\s[-\u2013\u2014]\s|[\u2013\u2014]|\bto\b|\bthru\b|"
                    r"\bthrough\b|(?<=\d)-(?=\d{1,2}/)|(?<=\d)-(?=[a-z]{3}))\s*(?P<last>.+)$",
                    re.I | re.S)
_SLASHED_NO_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})$")
#: A header cell that says the grid's dates are the last days of their weeks.
WEEK_ENDING = frozenset({"weekending", "weekendingon", "we", "weeksending", "weekended"})
#: At least this many period columns make a header row a block grid's.
MIN_PERIOD_COLUMNS = 2


@dataclass(frozen=True, slots=True)
class Period:
    """A grid column: its index in the row and what its header says."""

    column: int
    date: dt.date | None = None  # a full date
    number: int | None = None  # Week/Block N
    block: bool = False  # Block N (lasts --block-weeks), not Week N (lasts a week)
    month_day: tuple[int, int] | None = None  # "Jul 6"; (7, 1) for a month column "Jul"
    month: bool = False  # the column is a calendar month


@dataclass(frozen=True, slots=True)
class GridHeader:
    index: int
    periods: list[Period]
    fellow_column: int | None
    track_column: int | None
    names: list[str]
    #: header rows the grid takes (2 when a row of dates sits under a row of labels)
    height: int = 1


def find_grid_header(rows: list[list[Any]], day_first: bool = False) -> GridHeader | None:
    """The first row with at least two week, block or month columns (and no Rotation column)."""
    parse_date = date_parser(day_first)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [HEADER_KEYS.get(match_key(c)) if isinstance(c, str) else None for c in row]
        if Field.ROTATION in keys:
            return None
        periods = _periods(row, parse_date, day_first)
        if len(periods) < MIN_PERIOD_COLUMNS:
            continue
        height = 1
        if index + 1 < len(rows) and any(p.date is None for p in periods):
            dated = _dates_below(periods, rows[index + 1], parse_date, day_first)
            if dated is not None:
                periods, height = dated, 2
        if any(isinstance(c, str) and match_key(c) in WEEK_ENDING for c in row):
            # "Week ending" over Friday dates: each column is the week that ends on its date.
            periods = [Period(p.column, date=p.date - dt.timedelta(days=6)) if p.date and
                       not p.month else p for p in periods]
        first_period = periods[0].column
        fellow = keys.index(Field.FELLOW) if Field.FELLOW in keys else None
        if fellow is None:  # the names are in the first column left of the grid
            fellow = 0 if first_period > 0 else None
        track = keys.index(Field.TRACK) if Field.TRACK in keys else None
        return GridHeader(index, periods, fellow, track, [str(c).strip() for c in row], height)
    return None


def is_grid_header(row: list[Any], day_first: bool = False) -> bool:
    """Whether a row holds enough week, block or month headers to head a grid."""
    return len(_periods(row, date_parser(day_first), day_first)) >= MIN_PERIOD_COLUMNS


def _periods(row: list[Any], parse_date, day_first: bool) -> list[Period]:
    return [p for column, cell in enumerate(row)
            if (p := _period(column, cell, parse_date, day_first))]


def _dates_below(periods: list[Period], below: list[Any], parse_date,
                 day_first: bool = False) -> list[Period] | None:
    """The label columns dated by the row under them (a date, a date range such as
    "7/6 - 7/31", a month and day), if every one of them is."""
    dated = []
    for period in periods:
        cell = below[period.column] if period.column < len(below) else None
        found = _period(period.column, cell, parse_date, day_first)
        if found is None or (found.date is None and found.month_day is None) or found.month:
            return None
        dated.append(Period(period.column, date=found.date, month_day=found.month_day))
    return dated


def _period(column: int, cell: Any, parse_date, day_first: bool = False) -> Period | None:
    if isinstance(cell, (dt.date, dt.datetime)):
        parsed = parse_date(cell)
        return Period(column, date=parsed) if isinstance(parsed, dt.date) else None
    if not isinstance(cell, str) or not cell.strip():
        return None
    text = cell.strip()
    if match := _LABEL.match(text):
        is_block = match.group(1).lower() not in ("week", "wk", "w")
        return Period(column, number=int(match.group(2)), block=is_block)
    if (dated := _LABELLED_DATES.match(text)) and dated.group("dates"):
        # "Block 1 (7/1/26)", "Block 1\n7/1/26 - 7/28/26", "7/1/26 - 7/28/26": the column
        # starts on the first date (it lasts until the next column's, as any dated column).
        first = _RANGE.match(dated.group("dates"))
        text = (first.group("first") if first else dated.group("dates")).strip()
        if slashed := _SLASHED_NO_YEAR.match(text):  # "7/1": a day of the academic year
            month, day = int(slashed.group(1)), int(slashed.group(2))
            month, day = (day, month) if day_first else (month, day)
            return Period(column, month_day=(month, day)) if _real_day(month, day) else None
    if (match := _MONTH_DAY.match(text)) and match.group(1).lower() in _MONTHS:
        return Period(column, month_day=(_MONTHS[match.group(1).lower()], int(match.group(2))))
    if (match := _MONTH_YEAR.match(text)) and match.group(1).lower() in _MONTHS:
        month = _MONTHS[match.group(1).lower()]
        if match.group(2):
            year = int(match.group(2)) + (2000 if len(match.group(2)) == 2 else 0)
            return Period(column, date=dt.date(year, month, 1), month=True)
        return Period(column, month_day=(month, 1), month=True)
    if any(ch.isdigit() for ch in text) and any(sep in text for sep in "-/. "):
        parsed = parse_date(text)
        if isinstance(parsed, dt.date):
            return Period(column, date=parsed)
    return None


def _real_day(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]


def academic_year_start(day: dt.date, year_start: tuple[int, int] = (7, 1)) -> dt.date:
    """The first day of the academic year (July 1 unless the program says otherwise) that
    holds `day`."""
    return academic_year_starts(np.array([day], dtype="datetime64[D]"), year_start)[0] \
        .astype(dt.date)


def academic_year_starts(days: np.ndarray, year_start: tuple[int, int] = (7, 1)) -> np.ndarray:
    """`academic_year_start` of each of `days` (datetime64[D]): (month, day) of its year, or
    of the year before; a February 29 start is taken as February 28."""
    month, first = year_start
    first = min(first, 28) if month == 2 else first
    years = days.astype("datetime64[Y]")
    starts = years.astype("datetime64[M]") + (month - 1)
    starts = starts.astype("datetime64[D]") + (first - 1)
    previous = (years - 1).astype("datetime64[M]") + (month - 1)
    return np.where(days >= starts, starts, previous.astype("datetime64[D]") + (first - 1))


def next_academic_year_starts(begins: np.ndarray, year_start: tuple[int, int] = (7, 1)
                              ) -> np.ndarray:
    """The start of the academic year after each of `begins` (academic years' first days)."""
    return academic_year_starts(begins + np.timedelta64(366, "D"), year_start)


def read_grid(sheet: RawSheet, header: GridHeader, table: RequirementTable, options: ReadOptions,
              roster_starts: dict[str, dt.date]) -> tuple[pd.DataFrame, list[Problem]]:
    """Entries from a block grid, with problems located at the grid's cells."""
    problems: list[Problem] = []
    body = sheet.rows[header.index + header.height:]
    if not body or header.fellow_column is None:
        return empty_entries(), [problem(
            "no-table", "the block grid has no column of fellow names; add a Fellow column "
            "left of the week columns", sheet.location(sheet.first_row + header.index))]
    width = max(len(header.names), max(len(r) for r in body))
    cells = pd.DataFrame(body, dtype=object).reindex(columns=range(width)).to_numpy(dtype=object)
    excel_rows = np.arange(len(body)) + sheet.first_row + header.index + header.height
    period_columns = np.array([p.column for p in header.periods])
    grid = cells[:, period_columns]
    filled = ~pd.isna(grid) & (grid != "") & ~_no_rotation(grid)
    fellows = np.array([_text(v) for v in cells[:, header.fellow_column]], dtype=object)
    # A fellow's row has a name and at least one cell; notes under the grid and section
    # titles merged across it ("Anesthesia-based fellows") are not fellows.
    keep = np.array([bool(name) for name in fellows]) & filled.any(axis=1)
    keep &= ~_section_rows(grid, filled, fellows)
    cells, fellows, grid, filled = cells[keep], fellows[keep], grid[keep], filled[keep]
    excel_rows = excel_rows[keep]
    tracks = (np.array([_text(v) for v in cells[:, header.track_column]], dtype=object)
              if header.track_column is not None else np.full(len(fellows), None, dtype=object))

    starts, ends, fallback = _period_dates(header, fellows, options, roster_starts)
    if fallback is not None:
        problems.append(problem(
            "undated-grid", f"the grid's columns are labelled, not dated, and not every fellow "
            f"has a start date on a roster; they are counted from {fallback.isoformat()}, the "
            "start of the academic year that holds the as-of date",
            sheet.location(sheet.first_row + header.index)))
    blocks = sum(period.block and period.date is None for period in header.periods)
    if blocks and options.block_weeks is None:
        problems.append(problem(
            "block-length", f"the grid's {blocks} Block columns have no length given: "
            f"they are counted as a week each ({blocks} weeks in all), which is a guess (13 "
            "blocks of 4 weeks fill a year)",
            sheet.location(sheet.first_row + header.index)))

    fellow_index, period_index = np.nonzero(filled)
    letters = np.array([
        f"{header.names[c] or column_letter(sheet.first_column + c)} "
        f"({column_letter(sheet.first_column + c)})" for c in period_columns], dtype=object)
    entry_rows = [["Fellow", "Track", "Rotation", "Start", "End"]]
    entry_rows += np.column_stack([
        fellows[fellow_index], tracks[fellow_index], grid[fellow_index, period_index],
        starts[fellow_index, period_index].astype(object),
        ends[fellow_index, period_index].astype(object),
    ]).tolist() if len(fellow_index) else []
    places = CellPlaces(
        rows=excel_rows[fellow_index], rotation_columns=letters[period_index],
        field_columns={Field.FELLOW: _label(sheet, header, header.fellow_column),
                       Field.TRACK: _label(sheet, header, header.track_column)})
    synthetic = RawSheet(sheet.file, sheet.sheet, entry_rows, sheet.first_row, sheet.first_column)
    frame, found = read_entries(synthetic, table, options, places)
    return frame, problems + found


#: What a grid cell holds for a week without a rotation.
NO_ROTATION = frozenset({"-", "--", "\u2013", "\u2014", "off", "n/a", "na", "none"})


def _no_rotation(grid: np.ndarray) -> np.ndarray:
    """Cells that say no rotation ("-", "Off", "n/a"): empty, not unknown rotations."""
    if grid.size == 0:
        return np.zeros(grid.shape, dtype=bool)
    text = pd.Series(grid.ravel(), dtype=object).astype(str).str.strip().str.casefold()
    return text.isin(NO_ROTATION).to_numpy().reshape(grid.shape)


def _section_rows(grid: np.ndarray, filled: np.ndarray, fellows: np.ndarray) -> np.ndarray:
    """Rows whose every grid cell holds the same text as the name cell: a title merged across."""
    same = np.ones(len(grid), dtype=bool)
    for column in range(grid.shape[1]):
        same &= ~filled[:, column] | (grid[:, column] == fellows)
    return same & filled.any(axis=1)


def _label(sheet: RawSheet, header: GridHeader, column: int | None) -> str | None:
    if column is None:
        return None
    letter = column_letter(sheet.first_column + column)
    return f"{header.names[column] or letter} ({letter})"


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _period_dates(header: GridHeader, fellows: np.ndarray, options: ReadOptions,
                  roster_starts: dict[str, dt.date]):
    """Start and end date of every (fellow, column): arrays of shape fellows x periods, and
    the start date used for fellows without one, if any was needed."""
    periods = header.periods
    fallback = None
    if all(p.date is not None for p in periods):
        starts = np.tile(np.array([p.date for p in periods], dtype="datetime64[D]"),
                         (len(fellows), 1))
    else:
        default = academic_year_start(options.as_of or dt.date.today(), options.year_start)
        starts = np.empty((len(fellows), len(periods)), dtype="datetime64[D]")
        for i, fellow in enumerate(fellows):
            base = roster_starts.get(fellow)
            if base is None:
                base = fallback = default
            starts[i] = _label_dates(periods, base, options.block_weeks)
    ends = np.empty_like(starts)
    ends[:, :-1] = starts[:, 1:]
    for position, period in enumerate(periods[:-1]):
        if period.number is not None:  # Week N and Block N last a fixed time
            ends[:, position] = starts[:, position] + np.timedelta64(
                7 * _weeks(period, options.block_weeks), "D")
    last = periods[-1]
    if last.month or (last.date is not None and all(p.date and p.date.day == 1 for p in periods)):
        final = starts[:, -1].astype(object)
        ends[:, -1] = [dt.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
                       + dt.timedelta(days=1) for d in final]
    elif len(periods) > 1 and last.number is None:
        ends[:, -1] = starts[:, -1] + (starts[:, -1] - starts[:, -2])
    else:
        ends[:, -1] = starts[:, -1] + np.timedelta64(7 * _weeks(last, options.block_weeks), "D")
    ends = ends - np.timedelta64(1, "D")
    return starts, np.maximum(ends, starts), fallback


def _weeks(period: Period, block_weeks: int | None) -> int:
    return (block_weeks or 1) if period.block else 1


def _label_dates(periods: list[Period], base: dt.date, block_weeks: int | None
                 ) -> np.ndarray:
    """Start dates of labelled columns: Week N and Block N counted from `base`, month labels
    in the academic year that starts at `base`."""
    dates = []
    for position, period in enumerate(periods):
        if period.date is not None:
            dates.append(period.date)
        elif period.month_day is not None:
            month, day = period.month_day
            year = base.year + (1 if (month, day) < (base.month, base.day) else 0)
            try:
                dates.append(dt.date(year, month, day))
            except ValueError:
                dates.append(base + dt.timedelta(weeks=position))
        else:
            number = period.number if period.number is not None else position + 1
            dates.append(base + dt.timedelta(weeks=_weeks(period, block_weeks) * (number - 1)))
    return np.array(dates, dtype="datetime64[D]")

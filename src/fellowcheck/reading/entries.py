"""The "entries" layout: one row per rotation entry, turned into a table of normalised entries.

The result is a pandas DataFrame with the columns of `ENTRY_COLUMNS`, one row per valid entry,
plus the problems found. Everything here is vectorised: a parser runs once per distinct cell
value (see `values.map_distinct`), never once per row.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fellowcheck.model import RequirementTable, Unit
from fellowcheck.problems import Location, Problem, problem
from fellowcheck.reading.columns import Field, Header, column_letter, find_header
from fellowcheck.reading.safety import DEFAULT_LIMITS, ReadLimits
from fellowcheck.reading.sheets import RawSheet
from fellowcheck.reading.values import (
    Bad, bad_mask, cells_frame, date_parser, map_distinct, parse_number, parse_status, parse_text,
    parse_unit, present,
)
from fellowcheck.text import clean_name, match_key

#: The normalised entry table. `quantity` is in the rotation's own unit (weeks for leave);
#: `weekdays` counts Mon-Fri from start to end inclusive (NaN without both dates);
#: `status` is completed, scheduled, cancelled or None (split at --as-of).
ENTRY_COLUMNS = ("fellow", "track", "rotation_id", "leave", "vacation", "quantity", "start", "end",
                 "weekdays", "status", "file", "sheet", "row")
LEAVE, VACATION = "leave", "vacation"
VACATION_WORDS = ("vacation", "annual leave", "pto", "paid time off", "vacation week")
LEAVE_WORDS = ("leave", "holiday", "holidays", "sick", "sick leave", "sick day",
               "parental leave", "maternity leave", "paternity leave", "personal leave",
               "bereavement leave", "leave of absence", "medical leave", "family leave")
GENERIC_SHEET = re.compile(
    r"^(sheet|blad|feuil|tabelle|hoja|foglio|planilha|schedule|schedules|rotation|rotations|"
    r"entries|data|export|table)\d*$")
#: At most this many problems of one kind are listed per sheet; the rest are counted.
PROBLEMS_PER_KIND = 50


@dataclass(frozen=True, slots=True)
class ReadOptions:
    day_first: bool = False
    track: str | None = None  # the track for fellows whose rows give none
    fellow: str | None = None  # the fellow's name when the sheet has no fellow column
    as_of: dt.date | None = None  # dates block-grid columns labelled Week 1.. without a roster
    block_weeks: int = 1  # weeks per labelled block-grid column
    year_start: tuple[int, int] = (7, 1)  # (month, day) the academic year starts
    limits: ReadLimits = DEFAULT_LIMITS  # how much of a file is read (reading.safety)


@dataclass(frozen=True, slots=True)
class CellPlaces:
    """Where entries made from another layout (a block grid) came from, for locating problems:
    the spreadsheet row of each entry, the column of each entry's rotation cell, and the
    column labels of the other fields."""

    rows: np.ndarray
    rotation_columns: np.ndarray
    field_columns: dict




def empty_entries() -> pd.DataFrame:
    return _EMPTY_ENTRIES.copy()  # a copy: building it is 40 times slower (once per file)


_EMPTY_ENTRIES = pd.DataFrame({name: pd.Series(dtype=object) for name in ENTRY_COLUMNS})


def read_entries(sheet: RawSheet, table: RequirementTable, options: ReadOptions,
                 places: CellPlaces | None = None,
                 header: Header | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Normalise one sheet in the entries layout; rows with errors are left out and reported.
    `header` is the sheet's header when the caller has already found it."""
    header = header or find_header(sheet.rows)
    if header is None:
        return empty_entries(), [problem(
            "no-table", "no header row with a Rotation column was found "
            f"(looked at the first rows of {'the sheet' if sheet.sheet else 'the file'}); "
            "add a header such as Fellow, Track, Rotation, Amount, Unit, Start, End, Status",
            sheet.location())]
    frame, problems = _Normaliser(sheet, header, table, options, places).run()
    return frame, sorted(problems, key=Problem.sort_key)


class _Normaliser:
    """One sheet's conversion; an object only to share the sheet, header and problem list."""

    def __init__(self, sheet: RawSheet, header: Header, table: RequirementTable,
                 options: ReadOptions, places: CellPlaces | None = None):
        self.sheet, self.header, self.table, self.options = sheet, header, table, options
        self.places = places
        self.problems: list[Problem] = []
        self.fellows: np.ndarray | None = None  # set once the fellow column is read
        body = sheet.rows[header.index + 1:]
        self.frame = cells_frame(body) if body else pd.DataFrame(dtype=object)
        self.rows = (places.rows if places is not None
                     else np.arange(len(body)) + sheet.first_row + header.index + 1)
        self.rotation_columns = places.rotation_columns if places is not None else None
        self.invalid = np.zeros(len(body), dtype=bool)
        for field, first, second in header.duplicates:
            self.problems.append(problem(
                "duplicate-column", f"columns {first!r} and {second!r} both mean {field.value}; "
                f"only {first!r} is read", sheet.location(self.header_row, second)))

    @property
    def header_row(self) -> int:
        return self.sheet.first_row + self.header.index

    def column_name(self, field: Field) -> str:
        if self.places is not None:
            return self.places.field_columns.get(field, field.value)
        index = self.header.fields[field]
        letter = column_letter(self.sheet.first_column + index)
        return f"{self.header.names[index]} ({letter})"

    def cells(self, field: Field) -> pd.Series | None:
        index = self.header.fields.get(field)
        if index is None:
            return None
        if index not in self.frame.columns:
            return pd.Series([None] * len(self.frame), dtype=object)
        return self.frame[index]

    def parse(self, field: Field, parser, what: str) -> np.ndarray | None:
        """Parse a column; report bad cells (quoting them) as `what` problems."""
        cells = self.cells(field)
        if cells is None:
            return None
        parsed = map_distinct(cells, parser)
        bad = bad_mask(parsed)
        if bad.any():
            reasons = [(cells.iloc[i], parsed[i].reason) for i in np.flatnonzero(bad)]
            self.report(bad, what, field, lambda k: f"{_quote(reasons[k][0])} {reasons[k][1]}")
            parsed = parsed.copy()
            parsed[bad] = None
        return parsed

    def report(self, mask: np.ndarray, kind: str, field: Field | None, message, *,
               invalidates: bool = True) -> None:
        """Add a problem for each row in `mask` (message(k) for the k-th such row)."""
        positions = np.flatnonzero(mask)
        column = self.column_name(field) if field is not None else None
        for k, position in enumerate(positions[:PROBLEMS_PER_KIND]):
            text = message(k) if callable(message) else message
            where = column
            if self.rotation_columns is not None and field in (Field.ROTATION, None):
                where = self.rotation_columns[position]
            self.problems.append(problem(
                kind, text, self.sheet.location(int(self.rows[position]), where),
                fellow=self.fellows[position] if self.fellows is not None else None))
        if len(positions) > PROBLEMS_PER_KIND:
            self.problems.append(problem(
                kind, f"{len(positions) - PROBLEMS_PER_KIND} more rows like the ones above",
                self.sheet.location(column=column)))
        if invalidates:
            self.invalid |= mask

    def run(self) -> tuple[pd.DataFrame, list[Problem]]:
        if len(self.frame) == 0:
            return empty_entries(), self.problems
        rotation_text = self.parse(Field.ROTATION, parse_text, "missing-rotation")
        duration_fields = [Field.AMOUNT, Field.WEEKS, Field.DAYS, Field.HALF_DAYS,
                           Field.CONFERENCES, Field.START, Field.END, Field.STATUS, Field.UNIT]
        has_detail = np.zeros(len(self.frame), dtype=bool)
        for field in duration_fields:
            cells = self.cells(field)
            if cells is not None:
                has_detail |= present(map_distinct(cells, parse_text))
        blank_rotation = ~present(rotation_text)
        # A row with neither rotation nor any duration, date or status is blank or a note.
        keep = ~(blank_rotation & ~has_detail)
        self._keep_rows(keep)
        rotation_text = rotation_text[keep]
        blank_rotation = blank_rotation[keep]
        if len(self.frame) == 0:
            return empty_entries(), self.problems

        self.fellows = self._fellows()
        self.report(blank_rotation, "missing-rotation", Field.ROTATION,
                    "the rotation cell is blank")
        rotation_ids, is_leave, is_vacation = self._match_rotations(rotation_text)
        tracks = self._tracks()
        statuses = self.parse(Field.STATUS, parse_status, "unknown-status")
        quantity, unit = self._amounts()
        start, end, weekdays = self._dates()
        quantity = self._to_rotation_unit(quantity, unit, weekdays, rotation_ids, is_leave)

        known = (present(rotation_ids) | is_leave) & ~self.invalid
        frame = pd.DataFrame({
            "fellow": self.fellows, "track": tracks, "rotation_id": rotation_ids,
            "leave": is_leave, "vacation": is_vacation, "quantity": quantity, "start": start,
            "end": end, "weekdays": weekdays,
            "status": statuses if statuses is not None else np.full(len(known), None),
            "file": self.sheet.file, "sheet": self.sheet.sheet, "row": self.rows,
        })
        # Rows that only give a track still count for the fellow's track.
        track_only = ~known & present(tracks) & present(self.fellows)  # not a blank fellow
        if track_only.any():
            frame.loc[track_only, "rotation_id"] = None
            frame.loc[track_only, "quantity"] = 0.0
        return frame[known | track_only].reset_index(drop=True), self.problems

    def _keep_rows(self, keep: np.ndarray) -> None:
        self.frame = self.frame[keep].reset_index(drop=True)
        self.rows = self.rows[keep]
        if self.rotation_columns is not None:
            self.rotation_columns = self.rotation_columns[keep]
        self.invalid = self.invalid[keep]

    def _fellows(self) -> np.ndarray:
        names = self.parse(Field.FELLOW, parse_text, "missing-fellow")
        if names is None:
            return np.full(len(self.frame), clean_name(self._default_fellow()), dtype=object)
        cleaned = map_distinct(pd.Series(names, dtype=object),
                               lambda v: clean_name(v) if v else None)
        self._warn_variants(names, cleaned)
        self.fellows = cleaned  # so that the problem below names no fellow for a blank cell
        self.report(~present(cleaned), "missing-fellow", Field.FELLOW, "the fellow cell is blank")
        return cleaned

    def _default_fellow(self) -> str:
        """For a sheet without a Fellow column: the sheet's name unless it is generic, else
        the one name given to --fellow, else the file's name."""
        sheet = self.sheet.sheet
        if sheet and not GENERIC_SHEET.match(match_key(sheet)):
            return sheet
        return self.options.fellow or Path(self.sheet.file).stem

    def _warn_variants(self, raw: np.ndarray, cleaned: np.ndarray) -> None:
        forms: dict[str, set[str]] = {}
        for original, name in zip(pd.unique(raw), map(clean_name_or_none, pd.unique(raw))):
            if name:
                forms.setdefault(name, set()).add(original)
        for name, variants in forms.items():
            if len(variants) > 1:
                self.problems.append(problem(
                    "name-variants", f"fellow {name!r} is written {len(variants)} ways "
                    f"({', '.join(sorted(map(repr, variants)))})",
                    self.sheet.location(column=self.column_name(Field.FELLOW)), fellow=name))

    def _match_rotations(self, names: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lookup = rotation_lookup(self.table)
        matched = map_distinct(pd.Series(names, dtype=object),
                               lambda v: lookup.get(match_key(v)) if v else None)
        unknown = present(names) & ~present(matched)
        if unknown.any():
            self._warn_unknown_rotations(names, unknown)
        is_vacation = matched == VACATION
        is_leave = (matched == LEAVE) | is_vacation
        rotation_ids = matched.copy()
        rotation_ids[is_leave] = None
        return rotation_ids, is_leave, is_vacation

    def _warn_unknown_rotations(self, names: np.ndarray, unknown: np.ndarray) -> None:
        known_names = {}
        for requirement in self.table.requirements:
            for name in (requirement.rotation, requirement.id, *requirement.aliases):
                known_names.setdefault(match_key(name), requirement.rotation)
        positions = np.flatnonzero(unknown)
        by_name: dict[str, list[int]] = {}
        for position in positions:
            by_name.setdefault(names[position], []).append(position)
        for name, where in by_name.items():
            column = (self.rotation_columns[where[0]] if self.rotation_columns is not None
                      else self.column_name(Field.ROTATION))
            close = difflib.get_close_matches(match_key(name), list(known_names), n=3, cutoff=0.6)
            suggestions = list(dict.fromkeys(known_names[key] for key in close))
            hint = f"; did you mean {' or '.join(map(repr, suggestions))}?" if suggestions else ""
            rows = [int(self.rows[p]) for p in where]
            more = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
            self.problems.append(problem(
                "unknown-rotation", f"unknown rotation {name!r}{more}{hint}",
                self.sheet.location(rows[0], column), fellow=self.fellows[where[0]]))

    def _tracks(self) -> np.ndarray:
        raw = self.parse(Field.TRACK, parse_text, "unknown-track")
        if raw is None:
            return np.full(len(self.frame), None, dtype=object)
        specialties = self.table.specialties
        tracks = map_distinct(pd.Series(raw, dtype=object), lambda v: (
            specialties.get(match_key(v), Bad("unknown")) if v else None))
        bad = bad_mask(tracks)
        if bad.any():
            accepted = ", ".join(self.table.tracks)
            self.report(bad, "unknown-track", Field.TRACK, lambda k: (
                f"{_quote(raw[np.flatnonzero(bad)[k]])} is neither a track ({accepted}) nor a "
                "known base specialty (such as Anesthesiology, Neurology or PM&R)"))
            tracks[bad] = None
        return tracks

    def _amounts(self) -> tuple[np.ndarray, np.ndarray]:
        """Each row's amount and unit, from Amount + Unit or from unit-named columns."""
        n = len(self.frame)
        quantity = np.full(n, np.nan)
        unit = np.full(n, None, dtype=object)
        given = np.zeros(n, dtype=int)
        amounts = self.parse(Field.AMOUNT, parse_number, "bad-number")
        units = self.parse(Field.UNIT, parse_unit, "unknown-unit")
        if amounts is not None:
            has = amounts != None  # noqa: E711
            quantity[has] = amounts[has].astype(float)
            given += has
            if units is None:
                self.report(has, "unknown-unit", Field.AMOUNT,
                            "the amount has no unit; add a Unit column (weeks, days, half days "
                            "or conferences) or name the column Weeks, Days, ...")
            else:
                unit[has] = units[has]
                no_unit = has & (units == None)  # noqa: E711
                self.report(no_unit & ~self.invalid, "unknown-unit", Field.UNIT,
                            "the unit cell is blank; write weeks, days, half days or conferences")
        for field, field_unit in ((Field.WEEKS, Unit.WEEK), (Field.DAYS, Unit.DAY),
                                  (Field.HALF_DAYS, Unit.HALF_DAY),
                                  (Field.CONFERENCES, Unit.CONFERENCE)):
            values = self.parse(field, parse_number, "bad-number")
            if values is None:
                continue
            has = values != None  # noqa: E711
            quantity[has & (given == 0)] = values[has & (given == 0)].astype(float)
            unit[has & (given == 0)] = field_unit
            self.report(has & (given > 0), "conflicting-amounts", field,
                        "the row gives its amount in two columns; keep one")
            given += has
        return quantity, unit

    def _dates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        parser = date_parser(self.options.day_first)
        n = len(self.frame)
        start = self.parse(Field.START, parser, "bad-date")
        end = self.parse(Field.END, parser, "bad-date")
        if start is None and end is None:  # a Date column: entries of one day each
            start = end = self.parse(Field.DATE, parser, "bad-date")
        start = start if start is not None else np.full(n, None, dtype=object)
        end = end if end is not None else np.full(n, None, dtype=object)
        start_days = pd.to_datetime(pd.Series(start, dtype=object)).to_numpy("datetime64[D]")
        end_days = pd.to_datetime(pd.Series(end, dtype=object)).to_numpy("datetime64[D]")
        both = ~np.isnat(start_days) & ~np.isnat(end_days)
        backwards = both & (end_days < start_days)
        if backwards.any() and Field.END in self.header.fields:
            self.report(backwards, "end-before-start", Field.END, lambda k: (
                f"the end date {end[np.flatnonzero(backwards)[k]]} is before the start date "
                f"{start[np.flatnonzero(backwards)[k]]}"))
        weekdays = np.full(n, np.nan)
        ok = both & ~backwards
        weekdays[ok] = np.busday_count(start_days[ok], end_days[ok] + np.timedelta64(1, "D"))
        weekend = ok & (weekdays == 0) & ~self.invalid
        if weekend.any():
            self.report(weekend, "no-weekdays", Field.START if Field.START in self.header.fields
                        else None, lambda k: (
                            f"{start[np.flatnonzero(weekend)[k]]} to "
                            f"{end[np.flatnonzero(weekend)[k]]} holds no weekday, so the row "
                            "counts no time"), invalidates=False)
        return start_days, end_days, weekdays

    def _to_rotation_unit(self, quantity, unit, weekdays, rotation_ids, is_leave) -> np.ndarray:
        """Express each row's time in its rotation's unit (leave in weeks)."""
        requirement_unit = {r.id: r.unit for r in self.table.requirements}
        target = map_distinct(rotation_ids, lambda r: requirement_unit.get(r) if r else None)
        target[is_leave] = Unit.WEEK
        from_dates = np.isnan(quantity) & ~np.isnan(weekdays)
        quantity = quantity.copy()
        quantity[from_dates] = weekdays[from_dates]
        unit = unit.copy()
        unit[from_dates] = Unit.DAY

        missing = np.isnan(quantity) & ~self.invalid & (target != None)  # noqa: E711
        self.report(missing, "missing-duration", None,
                    "the row has no duration: give an amount and unit, a Weeks/Days column, "
                    "or start and end dates")
        # A week of dates says nothing of how many half-days of clinic or how many
        # conferences it held: those rotations need an amount.
        counted_apart = from_dates & ~self.invalid & map_distinct(
            target, lambda u: u in (Unit.HALF_DAY, Unit.CONFERENCE)).astype(bool)
        if counted_apart.any():
            where = np.flatnonzero(counted_apart)
            self.report(counted_apart, "unit-mismatch", None, lambda k: (
                f"dates alone do not say how many {target[where[k]].value}s of "
                f"{self.table.by_id(rotation_ids[where[k]]).rotation} the row holds; give an "
                f"amount (a {target[where[k]].value.replace('-', ' ').title()}s column, or "
                "Amount and Unit)"))
        source_half_days = _half_days(unit)
        target_half_days = _half_days(target)
        both_time = ~np.isnan(source_half_days) & ~np.isnan(target_half_days)
        same_unit = unit == target
        mismatch = ~both_time & ~same_unit & (target != None) & ~np.isnan(quantity) \
            & ~self.invalid  # noqa: E711
        if mismatch.any():
            where = np.flatnonzero(mismatch)
            self.report(mismatch, "unit-mismatch", None, lambda k: (
                f"{_unit_text(unit[where[k]], from_dates[where[k]])} cannot be converted to "
                f"{target[where[k]].value}s, the unit of "
                f"{self.table.by_id(rotation_ids[where[k]]).rotation if rotation_ids[where[k]] else 'leave'}"))
        converted = np.where(same_unit, quantity,
                             quantity * source_half_days / target_half_days)
        return converted


def _half_days(units: np.ndarray) -> np.ndarray:
    """Half-days per unit for each unit in `units`; NaN for conferences and blanks."""
    return map_distinct(units, lambda u: u.half_days if isinstance(u, Unit) and u.half_days
                        else np.nan).astype(float)


def _unit_text(unit: Unit | None, from_dates: bool) -> str:
    if from_dates:
        return "a time given only by dates"
    return f"an amount in {unit.value}s" if unit else "an amount"


def clean_name_or_none(value) -> str | None:
    return clean_name(value) if isinstance(value, str) and value else None


def rotation_lookup(table: RequirementTable) -> dict[str, str]:
    """Match keys of every rotation id, name and alias (and the leave words) -> rotation id."""
    lookup = {match_key(word): LEAVE for word in LEAVE_WORDS}
    lookup.update({match_key(word): VACATION for word in VACATION_WORDS})
    for requirement in table.requirements:
        for name in (requirement.id, requirement.rotation, *requirement.aliases):
            lookup[match_key(name)] = requirement.id
    return lookup


def _quote(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}"'

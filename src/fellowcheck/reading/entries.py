"""The "entries" layout: one row per rotation entry, turned into a table of normalised entries.

The result is a pandas DataFrame with the columns of `ENTRY_COLUMNS`, one row per valid entry,
plus the problems found. Everything here is vectorised: a parser runs once per distinct cell
value (see `values.Coded`), never once per row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from fellowcheck.model import RequirementTable, Unit
from fellowcheck.problems import Problem, problem
from fellowcheck.reading.columns import (
    FELLOWSHIP_DATES, Field, Header, column_letter, find_header,
)
from fellowcheck.reading.options import ReadOptions
from fellowcheck.reading.sheets import RawSheet
from fellowcheck.reading.values import (
    Bad, Coded, Measured, cells_array, date_parser, map_distinct, number_parser, parse_status,
    parse_text, parse_unit, present, slashed_order,
)
from fellowcheck.text import amount_text, clean_name, closest, is_total_label, match_key

#: The normalised entry table. `quantity` is in the rotation's own unit (weeks for leave);
#: `weekdays` counts Mon-Fri from start to end inclusive (NaN without both dates);
#: `status` is completed, scheduled, cancelled or None (split at --as-of).
ENTRY_COLUMNS = ("fellow", "track", "rotation_id", "leave", "vacation", "quantity", "start", "end",
                 "weekdays", "status", "file", "sheet", "row")
LEAVE, VACATION = "leave", "vacation"
VACATION_WORDS = ("vacation", "vac", "annual leave", "pto", "paid time off", "vacation week",
                  "vacation day", "vacation days")
LEAVE_WORDS = ("leave", "holiday", "holidays", "sick", "sick leave", "sick day", "sick days",
               "parental leave", "maternity leave", "paternity leave", "personal leave",
               "personal day", "bereavement leave", "leave of absence", "loa", "medical leave",
               "family leave", "fmla", "fmla leave")
GENERIC_SHEET = re.compile(
    r"^(sheet|blad|feuil|tabelle|hoja|foglio|planilha|schedule|schedules|rotation|rotations|"
    r"entries|data|export|table)\d*$")
#: At most this many problems of one kind are listed per sheet; the rest are counted.
PROBLEMS_PER_KIND = 50
#: A text that may be a date: 7/6/2026, 2026-07-06, 6 Jul 2026, July 6 (not "attending 12").
_DATE_SHAPE = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec)|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}",
    re.IGNORECASE)
#: How many of a column's first distinct values tell whether it may hold dates.
DATES_SAMPLE = 200


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
    done = normalise([EntrySheet(sheet, header, options.fellow)], table, options, places)
    return done.frame, done.problems[0]


@dataclass(frozen=True, slots=True)
class EntrySheet:
    """A sheet in the entries layout, with its header and the name given by --fellow for it
    (None when there is none, or when its file holds several schedules)."""

    sheet: RawSheet
    header: Header
    fellow: str | None = None
    #: the roster's name of the fellow whose sheet this is, when Excel cut it to the sheet
    #: name's 31 characters ("Dr. Alexandra Konstantinopoulou" for "...-Smith")
    roster_name: str | None = None

    def signature(self) -> tuple:
        """Sheets of equal signatures (the same header in the same columns: one template) are
        normalised together as one stack; their problems name their columns alike."""
        header = self.header
        return (tuple(header.names), tuple(header.fields.items()), tuple(header.duplicates),
                self.sheet.first_column, self.sheet.sheet is None)


@dataclass(frozen=True, slots=True)
class Normalised:
    """The entries of a stack of sheets, in order; `parts[i]` is the index in the stack of the
    sheet that row i of `frame` came from; `problems[k]` are sheet k's problems, sorted."""

    frame: pd.DataFrame
    parts: np.ndarray
    problems: list[list[Problem]]


def normalise(sheets: list[EntrySheet], table: RequirementTable, options: ReadOptions,
              places: CellPlaces | None = None) -> Normalised:
    """Normalise sheets of one signature (`EntrySheet.signature`) together, as if each was
    normalised alone: every problem keeps its sheet and row, and the number of problems of a
    kind is capped per sheet. `places` locates the cells of a single synthetic sheet."""
    normaliser = _Normaliser(sheets, table, options, places)
    frame, parts = normaliser.run()
    return Normalised(frame, parts, [sorted(found, key=Problem.sort_key)
                                     for found in normaliser.problems])


class _Normaliser:
    """The conversion of a stack of sheets; an object only to share the cells, the header and
    the problem lists. Rows are the stacked sheets' rows, in order; `part` says whose."""

    def __init__(self, sheets: list[EntrySheet], table: RequirementTable,
                 options: ReadOptions, places: CellPlaces | None = None):
        self.sheets, self.table, self.options, self.places = sheets, table, options, places
        self.header = sheets[0].header  # the names and fields of every sheet's header
        self.first_column = sheets[0].sheet.first_column
        self.problems: list[list[Problem]] = [[] for _ in sheets]
        self.fellows: np.ndarray | None = None  # set once the fellow column is read
        #: each row's first and last day (NaT where not given), set once the dates are read
        self.start_days = self.end_days = np.empty(0, dtype="datetime64[D]")
        bodies = [item.sheet.rows[item.header.index + 1:] for item in sheets]
        lengths = np.array([len(body) for body in bodies], dtype=np.intp)
        self.part = np.repeat(np.arange(len(sheets)), lengths)
        rows = bodies[0] if len(bodies) == 1 else list(chain.from_iterable(bodies))
        #: the cells under the headers, a 2-D array
        self.body = cells_array(rows) if rows else np.empty((0, 0), dtype=object)
        if places is not None:
            self.rows = places.rows
        else:  # a row's spreadsheet row: its sheet's first body row + its place in the body
            first_rows = np.array([item.sheet.first_row + item.header.index + 1
                                   for item in sheets])
            self.rows = np.arange(len(rows)) + (first_rows - (np.cumsum(lengths) - lengths))[
                self.part]
        self.rotation_columns = places.rotation_columns if places is not None else None
        self.invalid = np.zeros(len(rows), dtype=bool)
        self.columns: dict[int, Coded] = {}  # each column's cells, grouped once
        for part, item in enumerate(sheets):
            for field, first, second, column in item.header.duplicates:
                letter = column_letter(item.sheet.first_column + column)
                self.problems[part].append(problem(
                    "duplicate-column", f"columns {first!r} and {second!r} both mean "
                    f"{field.value}; only {first!r} is read",
                    item.sheet.location(item.sheet.first_row + item.header.index,
                                        f"{second} ({letter})")))

    def column_name(self, field: Field) -> str:
        if self.places is not None:
            return self.places.field_columns.get(field, field.value)
        index = self.header.fields[field]
        letter = column_letter(self.first_column + index)
        return f"{self.header.names[index]} ({letter})"

    def cells(self, field: Field) -> Coded | None:
        index = self.header.fields.get(field)
        if index is None:
            return None
        if index not in self.columns:
            self.columns[index] = Coded.of(
                self.body[:, index] if index < self.body.shape[1]
                else np.full(len(self.body), None, dtype=object))
        return self.columns[index]

    def parse(self, field: Field, parser, what: str) -> Coded | None:
        """Parse a column; report bad cells (quoting them) as `what` problems, or as the
        kind their `Bad` names."""
        cells = self.cells(field)
        if cells is None:
            return None
        parsed = cells.map(parser)
        kinds = [(v.kind or what) if isinstance(v, Bad) else None for v in parsed.values]
        bad_values = np.array([kind is not None for kind in kinds], dtype=bool)
        if bad_values.any():
            column = self.body[:, self.header.fields[field]]
            for kind in sorted({kind for kind in kinds if kind is not None}):
                of_kind = np.array([k == kind for k in kinds], dtype=bool)[parsed.codes]
                if of_kind.any():
                    self.report(of_kind, kind, field, lambda row: (
                        f"{_quote(column[row])} "
                        f"{parsed.values[parsed.codes[row]].reason}"))
            parsed = parsed.blanked(bad_values)
        return parsed

    def report(self, mask: np.ndarray, kind: str, field: Field | None, message, *,
               invalidates: bool = True) -> None:
        """Add a problem for each row in `mask` (message(row), given the row's position), at
        most PROBLEMS_PER_KIND per sheet, then one that counts the rest."""
        positions = np.flatnonzero(mask)
        if len(positions):
            column = self.column_name(field) if field is not None else None
            parts = self.part[positions]
            # A sheet's rows are consecutive in the stack: split `positions` where parts change.
            starts = np.flatnonzero(np.r_[True, parts[1:] != parts[:-1]])
            ends = np.r_[starts[1:], len(positions)]
            for start, end in zip(starts.tolist(), ends.tolist()):
                sheet = self.sheets[parts[start]].sheet
                found = self.problems[parts[start]]
                for k in range(start, min(end, start + PROBLEMS_PER_KIND)):
                    position = positions[k]
                    text = message(position) if callable(message) else message
                    where = column
                    if self.rotation_columns is not None and field in (Field.ROTATION, None):
                        where = self.rotation_columns[position]
                    found.append(problem(
                        kind, text, sheet.location(int(self.rows[position]), where),
                        fellow=self.fellows[position] if self.fellows is not None else None))
                if end - start > PROBLEMS_PER_KIND:
                    found.append(problem(
                        kind, f"{end - start - PROBLEMS_PER_KIND} more rows like the ones above",
                        sheet.location(column=column)))
        if invalidates:
            self.invalid |= mask

    def run(self) -> tuple[pd.DataFrame, np.ndarray]:
        if len(self.body) == 0:
            return empty_entries(), self.part
        rotation_text = self.parse(Field.ROTATION, parse_text, "missing-rotation")
        duration_fields = [Field.AMOUNT, Field.WEEKS, Field.DAYS, Field.HALF_DAYS,
                           Field.CONFERENCES, Field.START, Field.END, Field.STATUS, Field.UNIT]
        has_detail = np.zeros(len(self.body), dtype=bool)
        for field in duration_fields:
            has_detail |= self._given(field)
        blank_rotation = ~rotation_text.present()
        # A row with neither rotation nor any duration, date or status is blank or a note,
        # unless it names a fellow and a known track: that gives the fellow's track (README).
        # ("Key:" over "A = anesthesia" in a legend is still a note.)
        says_track = ~has_detail & blank_rotation & self._given(Field.FELLOW) \
            & self._known_track()
        keep = (~(blank_rotation & ~has_detail) | says_track) \
            & ~self._not_entries(rotation_text, blank_rotation & has_detail)
        if not keep.all():
            self._keep_rows(keep)
            rotation_text = rotation_text.take(keep)
            blank_rotation, says_track = blank_rotation[keep], says_track[keep]
        if len(self.body) == 0:
            return empty_entries(), self.part

        self.fellows = self._fellows()
        self._warn_unread_dates()
        self.report(blank_rotation & ~says_track, "missing-rotation", Field.ROTATION,
                    "the rotation cell is blank")
        rotation_ids, is_leave, is_vacation = self._match_rotations(rotation_text)
        tracks = self._tracks()
        statuses = self.parse(Field.STATUS, parse_status, "unknown-status")
        quantity, unit = self._amounts()
        start, end, weekdays = self._dates(~np.isnan(quantity))
        quantity = self._to_rotation_unit(quantity, unit, weekdays, rotation_ids, is_leave)

        known = (rotation_ids.present() | is_leave) & ~self.invalid
        if len(self.sheets) == 1:
            files, sheets = self.sheets[0].sheet.file, self.sheets[0].sheet.sheet
        else:
            files = np.array([item.sheet.file for item in self.sheets], dtype=object)[self.part]
            sheets = np.array([item.sheet.sheet for item in self.sheets], dtype=object)[
                self.part]
        frame = pd.DataFrame({
            "fellow": self.fellows, "track": tracks, "rotation_id": rotation_ids.array(),
            "leave": is_leave, "vacation": is_vacation, "quantity": quantity, "start": start,
            "end": end, "weekdays": weekdays,
            "status": statuses.array() if statuses is not None else np.full(len(known), None),
            "file": files, "sheet": sheets, "row": self.rows,
        })
        # Rows that only give a track still count for the fellow's track.
        track_only = np.zeros(len(known), dtype=bool)
        unknown = np.flatnonzero(~known)
        track_only[unknown] = present(tracks[unknown]) & present(self.fellows[unknown])
        if track_only.any():
            frame.loc[track_only, "rotation_id"] = None
            frame.loc[track_only, "quantity"] = 0.0
        kept = known | track_only
        return frame[kept].reset_index(drop=True), self.part[kept]

    def _not_entries(self, rotation_text: Coded, unnamed: np.ndarray) -> np.ndarray:
        """Rows that are not entries although they hold something, skipped like notes: the
        header repeated (where the next fellow's rows begin), and a table's totals ("Total"
        in the rotation's cell, or in any cell of a row that names no rotation: `unnamed`)."""
        header_key = match_key(self.header.names[self.header.fields[Field.ROTATION]])
        skipped = rotation_text.test(
            lambda text: isinstance(text, str) and (is_total_label(text)
                                                     or match_key(text) == header_key))
        rows = np.flatnonzero(unnamed)
        if len(rows):
            for column in range(self.body.shape[1]):  # a test per distinct cell, per column
                skipped[rows] |= Coded.of(self.body[rows, column]).test(is_total_label)
        return skipped

    def _warn_unread_dates(self) -> None:
        """A table with no Start, End or Date column counts each row as completed (README).
        A column of dates under a header fellowcheck does not know ("Week of") is warned
        of, so that rotations still to come are not silently counted as done."""
        # (A Status column says which rows are done: then the dates are not needed.)
        if self.places is not None or {Field.START, Field.END, Field.DATE, Field.STATUS} & \
                self.header.fields.keys():
            return
        parser = date_parser(self.options.day_first)

        def is_date(value) -> bool:  # numbers are amounts here, not serial dates
            return isinstance(value, (dt.date, dt.datetime)) or (
                isinstance(value, str) and len(value) <= 40 and _DATE_SHAPE.search(value)
                is not None and isinstance(parser(value), dt.date))

        read = set(self.header.fields.values())
        for index in range(self.body.shape[1]):
            name = self.header.names[index] if index < len(self.header.names) else ""
            if index in read or match_key(name) in FELLOWSHIP_DATES:
                continue
            cells = Coded.of(self.body[:, index])
            # A column of notes is told by its first values: the date parser (a dozen
            # formats tried) is not run over a million distinct notes.
            if not any(map(is_date, cells.values[:DATES_SAMPLE])):
                continue
            dates = cells.test(is_date)
            if not dates.any():
                continue
            given = cells.map(parse_text).present()
            letter = column_letter(self.first_column + index)
            for part, item in enumerate(self.sheets):
                mine = self.part == part
                # Mostly dates, as a column of them is: not a date in a column of notes.
                if dates[mine].sum() * 2 > given[mine].sum():
                    self.problems[part].append(problem(
                        "dates-not-read", f"the column {name or letter!r} holds dates but is "
                        "not read as the rotations' dates, so every row counts as completed, "
                        "even those still to come",
                        item.sheet.location(item.sheet.first_row + item.header.index,
                                            f"{name} ({letter})" if name else letter)))

    def _given(self, field: Field) -> np.ndarray:
        """Which rows have a (non-blank) cell in the column of `field`."""
        cells = self.cells(field)
        if cells is None:
            return np.zeros(len(self.body), dtype=bool)
        return cells.map(parse_text).present()

    def _known_track(self) -> np.ndarray:
        """Which rows name a track, or a base specialty, of the requirement table."""
        cells = self.cells(Field.TRACK)
        if cells is None:
            return np.zeros(len(self.body), dtype=bool)
        specialties = self.table.specialties
        return cells.map(lambda v: specialties.get(match_key(v)) if isinstance(v, str)
                         else None).present()

    def _keep_rows(self, keep: np.ndarray) -> None:
        self.body = self.body[keep]
        self.columns = {index: cells.take(keep) for index, cells in self.columns.items()}
        self.rows = self.rows[keep]
        self.part = self.part[keep]
        if self.rotation_columns is not None:
            self.rotation_columns = self.rotation_columns[keep]
        self.invalid = self.invalid[keep]

    def _fellows(self) -> np.ndarray:
        names = self.parse(Field.FELLOW, parse_text, "missing-fellow")
        if names is None:
            defaults = np.array([clean_name(self._default_fellow(item)) for item in self.sheets],
                                dtype=object)
            return defaults[self.part]
        cleaned = names.map(lambda v: clean_name(v) if v else None)
        self._warn_variants(names)
        self.fellows = cleaned.array()  # so that the problem below names no fellow for a blank
        self.report(~cleaned.present(), "missing-fellow", Field.FELLOW,
                    "the fellow cell is blank")
        return self.fellows

    def _default_fellow(self, item: EntrySheet) -> str:
        """For a sheet without a Fellow column: the sheet's name unless it is generic, else
        the one name given to --fellow, else the file's name."""
        sheet = item.sheet.sheet
        if sheet and not GENERIC_SHEET.match(match_key(sheet)):
            return item.roster_name or sheet
        return item.fellow or Path(item.sheet.file).stem.replace("_", " ")

    def _warn_variants(self, names: Coded) -> None:
        """A warning per sheet for each fellow whose name is written in more than one way."""
        # Distinct names per sheet, in order of first appearance (cells that parse to the
        # same text are one name).
        name_codes, distinct = pd.factorize(names.values)
        cleaned = [clean_name_or_none(name) for name in distinct]
        if len(set(cleaned) - {None}) == len(distinct) - cleaned.count(None):
            return  # no two names clean alike anywhere, so in no sheet
        row_names = name_codes[names.codes]
        first, _ = _first_of_each(self.part, row_names, len(distinct))
        forms: dict[tuple[int, str], set[str]] = {}
        for row in first:
            code = row_names[row]
            if code >= 0 and cleaned[code]:
                forms.setdefault((int(self.part[row]), cleaned[code]), set()).add(distinct[code])
        for (part, name), variants in forms.items():
            if len(variants) > 1:
                self.problems[part].append(problem(
                    "name-variants", f"fellow {name!r} is written {len(variants)} ways "
                    f"({', '.join(sorted(map(repr, variants)))})",
                    self.sheets[part].sheet.location(column=self.column_name(Field.FELLOW)),
                    fellow=name))

    def _match_rotations(self, names: Coded) -> tuple[Coded, np.ndarray, np.ndarray]:
        """Each row's rotation id (None for leave), whether it is leave, whether vacation."""
        lookup = rotation_lookup(self.table)
        matched = names.map(lambda v: lookup.get(match_key(v)) if v else None)
        unknown = names.present() & ~matched.present()
        if unknown.any():
            self._warn_unknown_rotations(names, unknown)
        vacation = matched.values == VACATION
        leave = (matched.values == LEAVE) | vacation
        return matched.blanked(leave), leave[matched.codes], vacation[matched.codes]

    def _warn_unknown_rotations(self, names: Coded, unknown: np.ndarray) -> None:
        """A warning per sheet, fellow and unknown name, at its first row, counting the
        others (each fellow's own: --fellow and --strict judge a fellow by their warnings)."""
        known_names = {}
        for requirement in self.table.requirements:
            for name in (requirement.rotation, requirement.id, *requirement.aliases):
                known_names.setdefault(match_key(name), requirement.rotation)
        lookup = rotation_lookup(self.table)
        positions = np.flatnonzero(unknown)
        name_codes, distinct = pd.factorize(names.values)
        row_names = name_codes[names.codes[positions]]
        fellow_codes, fellows = pd.factorize(self.fellows[positions])
        pairs = np.where(row_names < 0, -1, row_names * (len(fellows) + 1) + fellow_codes + 1)
        first, counts = _first_of_each(self.part[positions], pairs,
                                       len(distinct) * (len(fellows) + 1) + len(fellows) + 1)
        hints: dict[str, str] = {}
        for index, row in enumerate(first):
            position = positions[row]
            name = distinct[row_names[row]]
            if name not in hints:
                hints[name] = _did_you_mean(match_key(name), known_names)
            column = (self.rotation_columns[position] if self.rotation_columns is not None
                      else self.column_name(Field.ROTATION))
            more = (f" (and {counts[index] - 1} more row{'s' if counts[index] > 2 else ''})"
                    if counts[index] > 1 else "")
            part = int(self.part[position])
            together = _several_rotations(name, lookup)
            self.problems[part].append(problem(
                "unknown-rotation",
                f"{name!r} names {' and '.join(together)}{more}: a cell counts for one "
                "rotation, so give each its own row or week column" if together else
                f"unknown rotation {name!r}{more}{hints[name]}",
                self.sheets[part].sheet.location(int(self.rows[position]), column),
                fellow=self.fellows[position]))

    def _tracks(self) -> np.ndarray:
        raw = self.parse(Field.TRACK, parse_text, "unknown-track")
        if raw is None:
            return np.full(len(self.body), None, dtype=object)
        specialties = self.table.specialties
        tracks = raw.map(lambda v: specialties.get(match_key(v), Bad("unknown")) if v else None)
        bad_values = np.fromiter((isinstance(v, Bad) for v in tracks.values), dtype=bool,
                                 count=len(tracks.values))
        bad = bad_values[tracks.codes]
        if bad.any():
            accepted = ", ".join(self.table.tracks)
            where = np.flatnonzero(bad)
            known = {key: self.table.specialty_names.get(key, key) for key in specialties}
            hints = {code: _did_you_mean(match_key(raw.values[code]), known)
                     for code in np.unique(raw.codes[where]).tolist()}
            # The row still counts: its fellow and time are not lost to a mistyped track
            # (the fellow's track comes from other rows, or the fellow is reported without).
            self.report(bad, "unknown-track", Field.TRACK, lambda row: (
                f"{_quote(raw.values[raw.codes[row]])} is neither a track ({accepted}) "
                "nor a known base specialty (such as Anesthesiology, Neurology or PM&R)"
                f"{hints[raw.codes[row]]}"), invalidates=False)
        return tracks.blanked(bad_values).array()

    def _amounts(self) -> tuple[np.ndarray, np.ndarray]:
        """Each row's amount and unit, from Amount + Unit (or an amount that says its unit,
        "13 weeks") or from unit-named columns."""
        n = len(self.body)
        quantity = np.full(n, np.nan)
        unit = np.full(n, None, dtype=object)
        given = np.zeros(n, dtype=int)
        amounts = self.parse(Field.AMOUNT, number_parser(), "bad-number")
        units = self.parse(Field.UNIT, parse_unit, "unknown-unit")
        if amounts is not None:
            has = amounts.present()
            quantity[has] = _floats(amounts)[has]
            given += has
            # Cells that say their unit ("13 weeks"): the unit column may be blank or absent.
            if any(isinstance(v, Measured) for v in amounts.values):
                written = amounts.map(lambda v: v.unit if isinstance(v, Measured) else None)
                says_unit, written_unit = written.present(), written.array()
            else:
                says_unit, written_unit = np.zeros(n, dtype=bool), None
            if units is None:
                self.report(has & ~says_unit, "unknown-unit", Field.AMOUNT,
                            "the amount has no unit; add a Unit column (weeks, days, half days "
                            "or conferences) or name the column Weeks, Days, ...")
                if written_unit is not None:
                    unit[says_unit] = written_unit[says_unit]
            else:
                unit_of_row = units.array()
                if written_unit is not None:
                    clash = says_unit & units.present() & (unit_of_row != written_unit)
                    if clash.any():
                        self.report(clash, "conflicting-amounts", Field.AMOUNT, lambda row: (
                            f"the amount is in {written_unit[row].value}s but the Unit "
                            f"column says {unit_of_row[row].value}s; keep one"))
                    unit_of_row = np.where(units.present(), unit_of_row, written_unit)
                unit[has] = unit_of_row[has]
                no_unit = has & ~units.present() & ~says_unit
                self.report(no_unit & ~self.invalid, "unknown-unit", Field.UNIT,
                            "the unit cell is blank")
        for field, field_unit in ((Field.WEEKS, Unit.WEEK), (Field.DAYS, Unit.DAY),
                                  (Field.HALF_DAYS, Unit.HALF_DAY),
                                  (Field.CONFERENCES, Unit.CONFERENCE)):
            values = self.parse(field, number_parser(field_unit), "bad-number")
            if values is None:
                continue
            has = values.present()
            first = has & (given == 0)
            quantity[first] = _floats(values)[first]
            unit[first] = field_unit
            self.report(has & (given > 0), "conflicting-amounts", field,
                        "the row gives its amount in two columns; keep one")
            given += has
        return quantity, unit

    def _dates(self, has_amount: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each row's start and end day, and the weekdays from one to the other. A row
        with an amount (`has_amount`) counts that amount whatever its dates hold."""
        parser = date_parser(self.options.day_first)
        n = len(self.body)
        if not self.options.day_first:
            self._refuse_ambiguous_dates()
        start = self.parse(Field.START, parser, "bad-date")
        end = self.parse(Field.END, parser, "bad-date")
        if start is None and end is None:  # a Date column: entries of one day each
            start = end = self.parse(Field.DATE, parser, "bad-date")
        blank = Coded(np.full(n, -1, dtype=np.intp), np.array([None], dtype=object))
        start = start if start is not None else blank
        end = end if end is not None else blank
        start_days = start.values.astype("datetime64[D]")[start.codes]
        end_days = end.values.astype("datetime64[D]")[end.codes]
        self.start_days, self.end_days = start_days, end_days
        both = ~np.isnat(start_days) & ~np.isnat(end_days)
        backwards = both & (end_days < start_days)
        if backwards.any() and Field.END in self.header.fields:
            self.report(backwards, "end-before-start", Field.END, lambda row: (
                f"the end date {end.values[end.codes[row]]} is before the start date "
                f"{start.values[start.codes[row]]}"))
        weekdays = np.full(n, np.nan)
        ok = both & ~backwards
        weekdays[ok] = np.busday_count(start_days[ok], end_days[ok] + np.timedelta64(1, "D"))
        weekend = ok & (weekdays == 0) & ~self.invalid
        if weekend.any():
            self.report(weekend, "no-weekdays", Field.START if Field.START in self.header.fields
                        else None, lambda row: (
                            f"{start.values[start.codes[row]]} to "
                            f"{end.values[end.codes[row]]} holds no weekday"
                            + ("; the row's amount still counts" if has_amount[row]
                               else ", so the row counts no time")),
                        invalidates=False)
        return start_days, end_days, weekdays

    def _no_duration(self, row: int) -> str:
        """Why a row has no time: what it lacks, given the date it has."""
        has_start, has_end = (not np.isnat(self.start_days[row]),
                              not np.isnat(self.end_days[row]))
        if has_start and not has_end:
            return ("the row has a start date but no end date and no amount: give its end "
                    "(the same date for a day) or an amount")
        if has_end and not has_start:
            return "the row has an end date but no start date and no amount: give its start"
        return "the row has no duration (no amount, and no start and end dates)"

    def _refuse_ambiguous_dates(self) -> None:
        """In a sheet that writes some dates day first (13/7/2026, refused month first), the
        dates that read either way (6/7/2026) are refused too, not read month first beside
        them: a sheet is written one way, and a guess would count the wrong weeks."""
        fields = [field for field in (Field.START, Field.END, Field.DATE)
                  if self.cells(field) is not None]
        orders = {field: self.cells(field).map(slashed_order) for field in fields}
        day_first = np.zeros(len(self.body), dtype=bool)
        for order in orders.values():
            day_first |= order.test(lambda value: value == "day first")
        if not day_first.any():
            return
        sheets = np.bincount(self.part[day_first], minlength=len(self.sheets)) > 0
        for field, order in orders.items():
            index = self.header.fields[field]
            column = self.body[:, index].copy()
            refused = order.test(lambda value: value == "either") & sheets[self.part]
            self.report(refused, "bad-date", field,
                        lambda row: f"{_quote(column[row])} reads either way, and other dates "
                                    "of this sheet are written day first (pass --day-first "
                                    "if all are)")
            self.body[refused, index] = None  # read neither way
            self.columns.pop(index, None)

    def _to_rotation_unit(self, quantity, unit, weekdays, rotation_codes: Coded,
                          is_leave) -> np.ndarray:
        """Express each row's time in its rotation's unit (leave in weeks)."""
        requirement_unit = {r.id: r.unit for r in self.table.requirements}
        target = rotation_codes.map(lambda r: requirement_unit.get(r) if r else None).array()
        target[is_leave] = Unit.WEEK
        rotation_ids = rotation_codes.array()
        from_dates = np.isnan(quantity) & ~np.isnan(weekdays)
        quantity = quantity.copy()
        quantity[from_dates] = weekdays[from_dates]
        unit = unit.copy()
        unit[from_dates] = Unit.DAY

        has_target = present(target)
        missing = np.isnan(quantity) & ~self.invalid & has_target
        self.report(missing, "missing-duration", None, self._no_duration)
        # A week of dates says nothing of how many half-days of clinic or how many
        # conferences it held: those rotations need an amount.
        counted_apart = from_dates & ~self.invalid & map_distinct(
            target, lambda u: u in (Unit.HALF_DAY, Unit.CONFERENCE)).astype(bool)
        if counted_apart.any():
            self.report(counted_apart, "unit-mismatch", None, lambda row: (
                f"dates alone do not say how many {target[row].value}s of "
                f"{self.table.by_id(rotation_ids[row]).rotation} the row holds; give an "
                f"amount (a {target[row].value.replace('-', ' ').title()}s column, or "
                "Amount and Unit)"))
        source_half_days = _half_days(unit)
        target_half_days = _half_days(target)
        both_time = ~np.isnan(source_half_days) & ~np.isnan(target_half_days)
        same_unit = unit == target
        mismatch = ~both_time & ~same_unit & has_target & ~np.isnan(quantity) & ~self.invalid
        if mismatch.any():
            self.report(mismatch, "unit-mismatch", None, lambda row: (
                f"{_unit_text(unit[row], from_dates[row])} cannot be converted to "
                f"{target[row].value}s, the unit of "
                f"{self.table.by_id(rotation_ids[row]).rotation if rotation_ids[row] else 'leave'}"))
        converted = np.where(same_unit, quantity,
                             quantity * source_half_days / target_half_days)
        # Weeks of a clinic held alongside the blocks are most often weeks it met, once each:
        # the conversion (a week is 10 half-days) is said, not silent.
        clinics = {r.id for r in self.table.requirements
                   if r.concurrent and r.unit is Unit.HALF_DAY}
        weekly = rotation_codes.test(lambda r: r in clinics) & (source_half_days == 10) \
            & ~self.invalid  # given in weeks (a week is 10 half-days)
        if weekly.any():
            self.report(weekly, "weeks-of-half-days", None, lambda row: (
                f"{amount_text(quantity[row], 'week')} of "
                f"{self.table.by_id(rotation_ids[row]).rotation} counted as "
                f"{amount_text(converted[row], 'half-day')} (a week is 10); if it met once "
                f"a week, that is {amount_text(quantity[row], 'half-day')}"),
                invalidates=False)
        return converted


def _several_rotations(name: str, lookup: dict[str, str]) -> list[str]:
    """The rotations (or leave) a cell such as "MIPS/Gonda" or "Spine + Vacation" names, each
    as written; [] unless it names two or more, all of them known."""
    parts = [part.strip() for part in re.split(r"[/+]", name)]
    known = len(parts) > 1 and all(lookup.get(match_key(part)) for part in parts if part)
    return [part for part in parts if part] if known else []


def _first_of_each(parts: np.ndarray, codes: np.ndarray, distinct: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The row where each (sheet, value) pair first occurs, in row order, and how many rows
    have that pair. `parts`: each row's sheet; `codes`: each row's value, -1 (missing) to
    `distinct` - 1."""
    pairs = parts.astype(np.int64) * (distinct + 1) + codes + 1
    _, first, counts = np.unique(pairs, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return first[order], counts[order]


def _floats(values: Coded) -> np.ndarray:
    """Parsed numbers (None for blank cells) as floats, NaN for blanks."""
    return np.array([np.nan if v is None else v.number if isinstance(v, Measured) else v
                     for v in values.values], dtype=float)[values.codes]


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
    """Match keys of every rotation id, name and alias (and the leave words) -> rotation id.
    Made once per table (a run reads every file against the same one)."""
    cached_table, lookup = _LOOKUP
    if cached_table is not table:
        lookup = _rotation_lookup(table)
        _LOOKUP[:] = [table, lookup]
    return lookup


_LOOKUP: list = [None, {}]  # [the table, its lookup]


def _rotation_lookup(table: RequirementTable) -> dict[str, str]:
    lookup = {match_key(word): LEAVE for word in LEAVE_WORDS}
    lookup.update({match_key(word): VACATION for word in VACATION_WORDS})
    for requirement in table.requirements:
        for name in (requirement.id, requirement.rotation, *requirement.aliases):
            lookup[match_key(name)] = requirement.id
    return lookup


def _did_you_mean(key: str, known: dict[str, str]) -> str:
    """"; did you mean 'MIPS' or 'SIPS'?": the names of the known keys (match keys -> names)
    closest to `key`, else ""."""
    names = closest(key, known)
    return f"; did you mean {' or '.join(map(repr, names))}?" if names else ""


def _quote(value) -> str:
    if isinstance(value, bool):  # as the spreadsheet shows it
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}"'

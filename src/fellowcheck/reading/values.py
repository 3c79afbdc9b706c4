"""Parsing cell values: numbers, dates, units and statuses.

Each parser takes one cell value and returns the parsed value, None for a blank cell, or a
`Bad` with the reason. A column is grouped once into its distinct values (`Coded`), and a
parser runs once per distinct value (`Coded.map`, `map_distinct`), so a 500,000-row table
costs as many parser calls as it has distinct values.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fellowcheck.model import UNIT_WORDS, Unit
from fellowcheck.text import match_key

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
#: An amount above this (in any unit) is a typing slip, not a schedule.
LARGEST_AMOUNT = 10_000.0


@dataclass(frozen=True, slots=True)
class Bad:
    """A cell that could not be parsed, and why (a phrase that follows the quoted value).
    `kind`: the problem it is, when not the column's usual one (an amount out of range)."""

    reason: str
    kind: str | None = None


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return value is pd.NaT


def cells_array(rows: list[list[Any]]) -> np.ndarray:
    """The cells of `rows` as a 2-D object array; short rows are padded with None.
    `np.array(rows, dtype=object)` would make an array of lists of ragged rows."""
    try:
        from pandas._libs.lib import to_object_array

        return to_object_array(rows)
    except (ImportError, TypeError):  # a pandas without it, or rows that are not lists
        return pd.DataFrame(rows, dtype=object).to_numpy(dtype=object)


@dataclass(frozen=True, slots=True)
class Coded:
    """A column as codes into its distinct values: `values[codes]` is the column (code -1 is
    the last value). Parsing or matching a column is done to its distinct values, once each,
    and the results are read through the same codes, with no grouping done again."""

    codes: np.ndarray  # one per row
    values: np.ndarray  # object, one per distinct value

    @classmethod
    def of(cls, column: pd.Series | np.ndarray) -> Coded:
        """`column` grouped by value (missing values, None, NaN and NaT, share one code).

        A column of parsed values (the result of an earlier `map_distinct`) holds a few
        objects many times over: it is grouped by object identity, much faster than by value
        and with the same result, since equal values parse alike. There each missing object
        (None, a NaN) keeps a code of its own; `map` and `present` treat them all alike."""
        column = np.ascontiguousarray(np.asarray(column, dtype=object))
        identity = _identity_codes(column)
        if identity is not None:
            return cls(*identity)
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        codes, uniques = _split_booleans(column, codes, uniques)
        values = np.empty(len(uniques) + 1, dtype=object)
        values[:-1] = uniques
        values[-1] = None  # code -1: a missing value
        return cls(codes, values)

    def map(self, function: Callable[[Any], Any]) -> Coded:
        """`function` applied to each distinct value; missing values are given function(None)."""
        mapped = np.empty(len(self.values), dtype=object)
        for index, value in enumerate(self.values):
            mapped[index] = function(None) if _is_missing(value) else function(value)
        return Coded(self.codes, mapped)

    def array(self) -> np.ndarray:
        """The value of every row."""
        return self.values[self.codes]

    def test(self, predicate: Callable[[Any], bool]) -> np.ndarray:
        """`predicate` of every row's value, as a boolean array (called once per value)."""
        each = np.fromiter((bool(predicate(v)) for v in self.values), dtype=bool,
                           count=len(self.values))
        return each[self.codes]

    def present(self) -> np.ndarray:
        """Which rows hold a value (not None or NaN)."""
        return ~pd.isna(self.values)[self.codes]

    def take(self, rows: np.ndarray) -> Coded:
        """The rows selected by a boolean mask or positions."""
        return Coded(self.codes[rows], self.values)

    def blanked(self, which: np.ndarray) -> Coded:
        """The column with the values selected by `which` (one flag per value) made None."""
        values = self.values.copy()
        values[which] = None
        return Coded(self.codes, values)


def factorize(values: np.ndarray, use_na_sentinel: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """`pd.factorize(values)` of an object array (codes, and the distinct values in order of
    appearance), many times faster when its values are a few objects each shared by many rows,
    as normalising makes them (a fellow's name, a file): the rows are grouped by object
    identity, and only those few objects by value."""
    identity = _identity_codes(values)
    if identity is None:
        return pd.factorize(values, use_na_sentinel=use_na_sentinel)
    codes, objects = identity
    value_codes, uniques = pd.factorize(objects, use_na_sentinel=use_na_sentinel)
    return value_codes[codes], uniques


def map_distinct(values: pd.Series | np.ndarray, parse: Callable[[Any], Any]) -> np.ndarray:
    """Apply `parse` once per distinct value of `values`; an object array aligned with it.
    Missing values (None, NaN, NaT) are given `parse(None)`; see `Coded`."""
    return Coded.of(values).map(parse).array()


def _split_booleans(column: np.ndarray, codes: np.ndarray,
                    uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes that tell TRUE from 1 and FALSE from 0, which pandas groups together (they are
    equal in Python), though a TRUE cell is not the number 1. `column` is contiguous."""
    pointers = _pointers(column)
    # True and False are the only two bools: a cell is a bool if it is one of them.
    is_bool = (pointers == id(True)) | (pointers == id(False))
    if not is_bool.any():
        return codes, uniques
    unique_is_bool = np.array([type(value) is bool for value in uniques], dtype=bool)
    odd = np.flatnonzero((codes >= 0) & (is_bool != unique_is_bool[codes]))
    if len(odd) == 0:
        return codes, uniques
    odd_codes, first = np.unique(codes[odd], return_index=True)
    codes = codes.copy()
    codes[odd] = len(uniques) + np.searchsorted(odd_codes, codes[odd])
    extra = np.empty(len(odd_codes), dtype=object)
    extra[:] = list(column[odd[first]])
    return codes, np.concatenate([np.asarray(uniques, dtype=object), extra])


#: Below this many values, grouping by value is as fast as by identity.
_IDENTITY_MIN = 4096
#: Grouping by identity pays when the first cells are this few distinct objects out of
#: `_IDENTITY_SAMPLE` (cells read from a file are one object each, parsed values are shared).
_IDENTITY_SAMPLE, _IDENTITY_MAX_OBJECTS = 2048, 64


def _identity_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes of `values` by object identity and one object per code, or None when grouping
    by identity would not pay (few values, or many distinct objects)."""
    if values.ndim != 1 or len(values) < _IDENTITY_MIN:
        return None
    if len({id(value) for value in values[:_IDENTITY_SAMPLE]}) > _IDENTITY_MAX_OBJECTS:
        return None
    values = np.ascontiguousarray(values)
    codes, uniques = pd.factorize(_pointers(values))
    if len(uniques) > len(values) // 8:
        return None
    first = np.empty(len(uniques), dtype=np.intp)
    first[codes] = np.arange(len(values))  # any position of a code holds the same object
    return codes, values[first]


def _pointers(values: np.ndarray) -> np.ndarray:
    """The cells of a contiguous object array are object pointers: read them as integers
    (valid while `values` is alive)."""
    return np.frombuffer((ctypes.c_size_t * len(values)).from_address(values.ctypes.data),
                         dtype=np.uintp)


def _is_missing(value: Any) -> bool:
    """What pandas counts as a missing value (None, NaN, NaT, NA), as factorize does."""
    missing = pd.isna(value)
    return isinstance(missing, (bool, np.bool_)) and bool(missing)


def bad_mask(parsed: np.ndarray) -> np.ndarray:
    """Which parsed cells are `Bad` (vectorised: Bad is the only non-scalar kind checked)."""
    return Coded.of(parsed).test(lambda v: isinstance(v, Bad))


def present(parsed: np.ndarray) -> np.ndarray:
    """Which parsed cells hold a value (not None or NaN)."""
    return ~pd.isna(parsed)


def parse_text(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_number(value: Any) -> float | Bad | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return Bad("is not a number")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", ".") if value.count(",") == 1 and "." not in value \
            else value.strip()
        try:
            number = float(text)
        except ValueError:
            return Bad("is not a number")
    else:
        return Bad("is not a number")
    if math.isnan(number) or math.isinf(number):
        return Bad("is not a finite number", "bad-amount")
    if number <= 0:
        return Bad("must be above zero", "bad-amount")
    if number > LARGEST_AMOUNT:
        return Bad(f"is too large (the largest amount accepted is {LARGEST_AMOUNT:,.0f})",
                   "bad-amount")
    return number


_NUMBER_AND_WORD = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([^\d\s].*)$")


@dataclass(frozen=True, slots=True)
class Measured:
    """An amount cell that says its unit: "13 weeks" in an Amount or Duration column."""

    number: float
    unit: Unit


def number_parser(unit: Unit | None = None) -> Callable[[Any], float | Measured | Bad | None]:
    """`parse_number` that also reads a number followed by a unit's word ("13 weeks", "8
    wk"): in a column of `unit` (Weeks, Days, ...) that unit's word only (another is a located
    error that says so); in a column of amounts (`unit` None) any unit, as a `Measured`."""

    def parse(value: Any) -> float | Measured | Bad | None:
        number = parse_number(value)
        if not (isinstance(number, Bad) and isinstance(value, str)):
            return number
        match = _NUMBER_AND_WORD.match(value.strip())
        written = parse_unit(match[2]) if match else None
        if not isinstance(written, Unit):
            return number
        if unit is not None and written is not unit:
            return Bad(f"gives {written.value}s in a column of {unit.value}s; convert it, or "
                       "move it to its own column")
        amount = parse_number(match[1])
        return Measured(amount, written) if unit is None and isinstance(amount, float) \
            else amount

    return parse


def parse_unit(value: Any) -> Unit | Bad | None:
    if is_blank(value):
        return None
    unit = UNIT_WORDS.get(match_key(str(value)))
    return unit if unit is not None else Bad("is not a unit")


STATUS_WORDS: dict[str, str] = {
    match_key(word): status
    for status, words in {
        "completed": ("completed", "complete", "done", "finished"),
        "scheduled": ("scheduled", "planned", "upcoming", "future", "booked"),
        "cancelled": ("cancelled", "canceled", "cancel"),
    }.items()
    for word in words
}


def parse_status(value: Any) -> str | Bad | None:
    if is_blank(value):
        return None
    status = STATUS_WORDS.get(match_key(str(value)))
    return status if status else Bad("is not a status")


_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Year first, with dashes, slashes or dots (2026-07-20, 2026/07/20): never day first.
_ISO = re.compile(
    r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
#: "Sept" (and a month abbreviated with a dot, "Jul.") as strptime's %b reads it.
_MONTH_ABBREVIATION = re.compile(r"(?i)\b(?:(sept)\b\.?|([a-z]{3,4})\.)")
#: A day written as an ordinal: "14th", "1st", "22nd", "3rd".
_ORDINAL_DAY = re.compile(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)\b")
_SLASHED = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})[/.-](\d{2}|\d{4})$")


def slashed_order(value: Any) -> str | None:
    """How a date such as 6/7/2026 may be read: "day first" when only day first makes a date
    (13/7/2026), "either" when both orders do (6/7/2026), else None (not such a date, one
    with dots, which is always day first, or one that reads the same both ways)."""
    match = _SLASHED.match(value.strip()) if isinstance(value, str) else None
    if match is None or match.group(2) == ".":
        return None
    first, second = int(match.group(1)), int(match.group(3))
    if first > 12 >= second >= 1:
        return "day first"
    return "either" if 1 <= first <= 12 and 1 <= second <= 12 and first != second else None


_WRITTEN_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y", "%d-%b-%y",
                    "%a %d %b %Y", "%A %d %B %Y", "%a %b %d %Y", "%A %B %d %Y")


def date_parser(day_first: bool = False) -> Callable[[Any], dt.date | Bad | None]:
    """A parser for date cells: date cells, Excel serial numbers, ISO, US (or day-first) and
    written dates. Month first unless `day_first`, as US programs write them."""

    def parse(value: Any) -> dt.date | Bad | None:
        if is_blank(value):
            return None
        if isinstance(value, dt.datetime):
            return _in_range(value.date())
        if isinstance(value, dt.date):
            return _in_range(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _from_serial(float(value))
        if isinstance(value, (dt.time, dt.timedelta)):
            return Bad("is a time, not a date (a date cell before 1900, a mistyped year, "
                       "reads as one)")
        if not isinstance(value, str):
            return Bad("is not a date")
        text = " ".join(value.replace(",", " ").split())
        try:
            if match := _ISO.match(text):
                year, _, month, day = match.groups()
                return _in_range(dt.date(int(year), int(month), int(day)))
            if match := _SLASHED.match(text):
                first, separator, second, year = match.groups()
                # 06.07.2026 is written day first wherever dots are used.
                if day_first or separator == ".":
                    month, day = int(second), int(first)
                else:
                    month, day = int(first), int(second)
                    if month > 12 >= day:
                        return Bad("is not a real date read month first; if the dates are "
                                   "written day first, pass --day-first")
                year_number = int(year) + (2000 if len(year) == 2 else 0)
                return _in_range(dt.date(year_number, month, day))
        except ValueError:
            return Bad("is not a real date")
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return _from_serial(float(text))
        text = _MONTH_ABBREVIATION.sub(lambda m: "Sep" if m[1] else m[2], text)
        text = _ORDINAL_DAY.sub(r"\1", text)
        for fmt in _WRITTEN_FORMATS:
            try:
                return _in_range(dt.datetime.strptime(text, fmt).date())
            except ValueError:
                continue
        return Bad("is not a date")

    return parse


def _from_serial(serial: float) -> dt.date | Bad:
    if not 1 <= serial <= 73415:  # 1900-01-01 .. 2100-12-31 as Excel serial numbers
        return Bad("is not a date")
    return _in_range(_EXCEL_EPOCH + dt.timedelta(days=int(serial)))


def _in_range(date: dt.date) -> dt.date | Bad:
    if not EARLIEST_DATE <= date <= LATEST_DATE:
        return Bad(f"is outside the years {EARLIEST_DATE.year}-{LATEST_DATE.year}")
    return date

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from fellowcheck.model import Unit
from fellowcheck.reading.values import (
    slashed_order,
    Bad, Coded, Measured, bad_mask, date_parser, map_distinct, number_parser, parse_number,
    parse_status, parse_unit,
)


@pytest.mark.parametrize("text, expected", [
    ("2026-07-06", dt.date(2026, 7, 6)),
    ("7/6/2026", dt.date(2026, 7, 6)),
    ("07/06/26", dt.date(2026, 7, 6)),
    ("6 Jul 2026", dt.date(2026, 7, 6)),
    ("July 6, 2026", dt.date(2026, 7, 6)),
    ("2026/07/06", dt.date(2026, 7, 6)),  # year first: never day first
    ("2026.7.6", dt.date(2026, 7, 6)),
    ("Sept 14 2026", dt.date(2026, 9, 14)),
    ("Jul. 6, 2026", dt.date(2026, 7, 6)),
    ("6 Sept. 2026", dt.date(2026, 9, 6)),
    ("14-Sept-2026", dt.date(2026, 9, 14)),
    ("September 14, 2026", dt.date(2026, 9, 14)),  # "Sept" inside a full name is left alone
    ("14 September 2026", dt.date(2026, 9, 14)),
    ("Monday, September 14, 2026", dt.date(2026, 9, 14)),
    ("Sept 14th 2026", dt.date(2026, 9, 14)),
    ("1st July 2026", dt.date(2026, 7, 1)),
    (dt.datetime(2026, 7, 6, 0, 0), dt.date(2026, 7, 6)),
    (46209.0, dt.date(2026, 7, 6)),  # an Excel serial number
    ("", None),
])
def test_dates_month_first(text, expected):
    assert date_parser()(text) == expected


def test_day_first():
    assert date_parser(day_first=True)("7/6/2026") == dt.date(2026, 6, 7)


@pytest.mark.parametrize("text", ["13/45/2026", "2026-02-30", "soon", "1850-01-01", "2200-1-1",
                                  "2026/07-06", "2026/13/06", "Septe 14 2026"])
def test_bad_dates(text):
    assert isinstance(date_parser()(text), Bad)


@pytest.mark.parametrize("text, expected", [("2", 2.0), ("0.5", 0.5), (3.0, 3.0), ("1,5", 1.5)])
def test_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["two", "-1", "0", "nan", "inf", "1e308", True])
def test_bad_numbers(text):
    assert isinstance(parse_number(text), Bad)


def test_a_number_with_its_units_word():
    weeks, amounts = number_parser(Unit.WEEK), number_parser()
    assert weeks("13 weeks") == 13.0 and weeks("8 wk") == 8.0 and weeks("1,5wks") == 1.5
    assert weeks(2) == 2.0
    assert "gives days in a column of weeks" in weeks("3 days").reason
    assert amounts("2 half days") == Measured(2.0, Unit.HALF_DAY)
    assert amounts("2") == 2.0
    for text in ("1 fortnight", "weeks", "-1 weeks", "0 days"):
        assert isinstance(weeks(text), Bad) and isinstance(amounts(text), Bad)


@pytest.mark.parametrize("text, unit", [("weeks", Unit.WEEK), ("Wks", Unit.WEEK), ("w", Unit.WEEK),
                                        ("d", Unit.DAY), ("Half Days", Unit.HALF_DAY),
                                        ("HD", Unit.HALF_DAY), ("conf", Unit.CONFERENCE)])
def test_units(text, unit):
    assert parse_unit(text) is unit


def test_unknown_unit():
    assert isinstance(parse_unit("fortnights"), Bad)


@pytest.mark.parametrize("text, status", [("Done", "completed"), ("planned", "scheduled"),
                                          ("Canceled", "cancelled"), ("", None)])
def test_statuses(text, status):
    assert parse_status(text) == status


def test_map_distinct_parses_each_value_once():
    calls = []

    def parse(value):
        calls.append(value)
        return parse_number(value)

    values = np.array(["1", "x", None, "1", "x"] * 1000, dtype=object)
    parsed = map_distinct(values, parse)
    assert len(calls) == 3  # "1", "x" and the blank
    assert list(bad_mask(parsed)[:5]) == [False, True, False, False, True]


def test_coded_columns_parse_each_value_once_and_keep_true_apart_from_one():
    calls = []

    def parse(value):
        calls.append(value)
        return parse_number(value)

    column = Coded.of(np.array([1, True, 1.0, None, "2", 1, False, 0], dtype=object))
    parsed = column.map(parse)
    assert sorted(map(repr, calls)) == sorted(map(repr, [1, True, None, "2", False, 0]))
    assert [isinstance(v, Bad) for v in parsed.array()] == [
        False, True, False, False, False, False, True, True]
    assert list(column.take(np.array([0, 3])).present()) == [True, False]


@pytest.mark.parametrize("use_na_sentinel", [True, False])
@pytest.mark.parametrize("kind", ["shared", "fresh", "with missing"])
def test_factorize_is_pandas_factorize(kind, use_na_sentinel):
    """Codes and distinct values as pd.factorize gives them, whether the column's objects are
    shared (grouped by identity first; equal strings that are distinct objects still share a
    code) or one per row."""
    import pandas as pd

    from fellowcheck.reading.values import factorize

    names = ["Dr A", "Dr B", "".join(["Dr ", "A"]), "Dr C"]  # the third: equal, not the same
    rows = 20_000
    if kind == "fresh":
        column = np.array([f"Dr {n % 7}" for n in range(rows)], dtype=object)
    else:
        column = np.array([names[n % 4] for n in range(rows)], dtype=object)
        if kind == "with missing":
            column[::5] = None
    codes, uniques = factorize(column, use_na_sentinel=use_na_sentinel)
    expected_codes, expected_uniques = pd.factorize(column, use_na_sentinel=use_na_sentinel)
    assert codes.tolist() == expected_codes.tolist()
    assert [None if pd.isna(u) else u for u in uniques] == \
        [None if pd.isna(u) else u for u in expected_uniques]


@pytest.mark.parametrize("text, order", [
    ("13/7/2026", "day first"), ("6/7/2026", "either"), ("7/7/2026", None),
    ("7/13/2026", None), ("06.07.2026", None), ("2026-07-06", None), ("13/13/2026", None),
    ("06-07-26", "either"),
])
def test_slashed_order(text, order):
    assert slashed_order(text) == order


def test_a_time_is_not_a_date():
    """Excel and calamine give a date cell before 1900 as a time of day."""
    import datetime as dt

    found = date_parser()(dt.time(0, 0))
    assert isinstance(found, Bad) and found.reason.startswith("is a time, not a date")

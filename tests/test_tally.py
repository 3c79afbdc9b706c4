from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fellowcheck.reading.entries import ReadOptions, read_entries
from fellowcheck.reading.sheets import RawSheet
from fellowcheck.tally import tally

HEADER = ["Fellow", "Track", "Rotation", "Start", "End", "Weeks", "Status"]


def schedules(table, rows, as_of=dt.date(2026, 7, 15), track=None):
    frame, problems = read_entries(RawSheet("f.csv", None, [HEADER, *rows]), table, ReadOptions())
    assert problems == []
    return tally(frame, table, as_of, track)


def test_dated_rows_split_at_as_of_by_weekdays(table):
    # Jul 6-17 is 10 weekdays; up to Wed Jul 15 inclusive is 8 of them.
    [fellow], _ = schedules(table, [["A", "pmr", "MIPS", "2026-07-06", "2026-07-17", None, None]])
    assert fellow.completed["mips"] == pytest.approx(1.6)
    assert fellow.scheduled["mips"] == pytest.approx(0.4)


def test_status_overrides_dates_and_cancelled_is_dropped(table):
    rows = [["A", "pmr", "MIPS", "2026-07-06", "2026-07-17", None, "scheduled"],
            ["A", "pmr", "Gonda", "2026-08-03", "2026-08-07", None, "completed"],
            ["A", "pmr", "SIPS", None, None, 2, "cancelled"],
            ["A", "pmr", "EMG", None, None, 1, None]]
    [fellow], _ = schedules(table, rows)
    assert fellow.scheduled["mips"] == 2 and fellow.completed["mips"] == 0
    assert fellow.completed["gonda"] == 1
    assert "sips" not in fellow.completed
    assert fellow.completed["emg"] == 1  # undated, no status: completed


def test_two_tracks_is_an_error(table):
    rows = [["A", "pmr", "MIPS", None, None, 1, None], ["A", "neurology", "MIPS", None, None, 1,
                                                       None]]
    [fellow], problems = schedules(table, rows)
    assert [p.kind for p in problems] == ["conflicting-tracks"]
    assert fellow.track == "pmr"


def test_missing_track_error_or_default(table):
    rows = [["A", None, "MIPS", None, None, 1, None]]
    [fellow], problems = schedules(table, rows)
    assert [p.kind for p in problems] == ["missing-track"] and fellow.track is None
    [fellow], problems = schedules(table, rows, track="pmr")
    assert problems == [] and fellow.track == "pmr"


def test_track_given_on_one_row_applies_to_all(table):
    rows = [["A", "pmr", "MIPS", None, None, 1, None], ["A", None, "Gonda", None, None, 1, None]]
    [fellow], problems = schedules(table, rows)
    assert problems == [] and fellow.track == "pmr"
    assert fellow.completed == {"mips": 1.0, "gonda": 1.0}


def test_fellows_in_order_of_appearance(table):
    rows = [["Zed", "pmr", "MIPS", None, None, 1, None], ["Amy", "pmr", "MIPS", None, None, 1,
                                                         None]]
    fellows, _ = schedules(table, rows)
    assert [f.fellow for f in fellows] == ["Zed", "Amy"]


def test_rows_without_a_fellow_belong_to_no_one(table):
    # A blank Fellow cell is reported when read; a track on that row must not make a fellow
    # of the blank (it used to stop the check with an internal error).
    rows = [["A", "pmr", "MIPS", None, None, 2, None], [None, "pmr", "MIPS", None, None, 1, None]]
    frame, problems = read_entries(RawSheet("f.csv", None, [HEADER, *rows]), table, ReadOptions())
    assert [p.kind for p in problems] == ["missing-fellow"]
    fellows, problems = tally(frame, table, dt.date(2026, 7, 15))
    assert [f.fellow for f in fellows] == ["A"] and problems == []
    assert fellows[0].completed == {"mips": 2.0}


def test_sums_and_first_locations_per_fellow_and_rotation(table):
    rows = [["A", "pmr", "MIPS", None, None, 0.1, None], ["B", "pmr", "MIPS", None, None, 1, None],
            ["A", None, "Gonda", None, None, 1, None], ["A", None, "MIPS", None, None, 0.2, None],
            ["A", None, "Vacation", None, None, 1, None]]
    [a, b], _ = schedules(table, rows)
    assert a.completed == {"mips": 0.1 + 0.2, "gonda": 1.0} and list(a.completed) == ["mips",
                                                                                     "gonda"]
    assert a.locations["mips"].row == 2 and a.locations["gonda"].row == 4
    assert b.locations["mips"].row == 3 and a.leave_weeks == 1.0 and b.leave_weeks == 0.0
    assert a.sources == ("f.csv",)


def test_an_amount_with_one_date_is_split_from_that_date(table):
    # 4 weeks from Mon Nov 23: 3 weekdays done by Wed Nov 25 = 0.6 week.
    rows = [["A", "pmr", "MIPS", "2026-11-23", None, 4, None],
            # 1 week ending Fri Dec 18: Dec 14-18, all after Nov 25.
            ["A", "pmr", "Spine", None, "2026-12-18", 1, None],
            # 1 week ending Wed Nov 25: done.
            ["A", "pmr", "Gonda", None, "2026-11-25", 1, None]]
    [fellow], _ = schedules(table, rows, as_of=dt.date(2026, 11, 25))
    assert fellow.completed["mips"] == pytest.approx(0.6)
    assert fellow.scheduled["mips"] == pytest.approx(3.4)
    assert fellow.completed["spine-center"] == 0 and fellow.scheduled["spine-center"] == 1
    assert fellow.completed["gonda"] == 1


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["a", "b", None])), min_size=1,
                max_size=60))
def test_the_first_present_value_of_each_pair_is_pandas_first(rows):
    """The first location of each (fellow, rotation) pair: each group's first row's value when
    it has one (the usual case, no grouping), else the first present one, as GroupBy.first()."""
    import numpy as np
    import pandas as pd

    from fellowcheck.tally import _Columns, _first_of_each

    groups, uniques = pd.factorize(np.array([group for group, _ in rows]))
    values = np.array([value for _, value in rows], dtype=object)
    first = _first_of_each(groups)
    assert list(first) == list(np.unique(groups, return_index=True)[1])
    found = _Columns.first_present(values, np.arange(len(rows)), groups, len(uniques), first)
    expected = pd.Series(values).groupby(groups).first()
    assert [None if pd.isna(v) else v for v in found] == \
        [None if pd.isna(expected.get(g)) else expected.get(g) for g in range(len(uniques))]


def test_leave_taken_is_split_at_as_of_as_rotations_are(table):
    rows = [["A", "pmr", "Vacation", "2026-07-06", "2026-07-17", None, None],  # 1.6 wk by Jul 15
            ["A", "pmr", "Sick leave", None, None, 1, "scheduled"]]
    [fellow], _ = schedules(table, rows)
    assert fellow.leave_weeks == pytest.approx(3.0)
    assert fellow.vacation_weeks == pytest.approx(2.0)
    assert fellow.leave_taken_weeks == pytest.approx(1.6)

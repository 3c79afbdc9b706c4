"""Each schedule-integrity warning, present and absent."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from fellowcheck.cli import app

runner = CliRunner()
HEADER = ["Fellow", "Track", "Rotation", "Start", "End", "Weeks", "Status"]


def codes(make_csv, rows, *args, as_of="2026-11-25"):
    path = make_csv([HEADER, *rows])
    result = runner.invoke(app, ["check", str(path), "--format", "json", "--as-of", as_of,
                                 *args])
    report = json.loads(result.stdout)
    problems = report["problems"] + [p for f in report["fellows"] for p in f["problems"]]
    return {p["code"]: p for p in problems}, result.exit_code


CLEAN = [["A", "pmr", "MIPS", "2026-07-06", "2026-07-17", None, None],
         ["A", "pmr", "Gonda", "2026-07-20", "2026-07-24", None, None],
         ["A", "pmr", "Continuity clinic", "2026-07-06", "2026-07-24", None, None]]


def test_clean_schedule_has_no_integrity_warnings(make_csv):
    found, _ = codes(make_csv, CLEAN)
    assert not {"FC140", "FC141", "FC142", "FC143", "FC144", "FC145"} & set(found)


def test_overlap(make_csv):
    rows = [*CLEAN, ["A", "pmr", "SIPS", "2026-07-16", "2026-07-21", None, None]]
    found, _ = codes(make_csv, rows)
    assert "FC140" in found and found["FC140"]["row"] == 5
    assert "Gonda" in found["FC140"]["message"] or "Methodist" in found["FC140"]["message"]


def test_blocks_that_share_only_a_saturday_do_not_overlap(make_csv):
    rows = [["A", "pmr", "MIPS", "2026-07-06", "2026-07-18", None, None],  # to a Saturday
            ["A", "pmr", "Gonda", "2026-07-18", "2026-07-31", None, None]]  # from it
    found, _ = codes(make_csv, rows)
    assert "FC140" not in found
    rows[1][3] = "2026-07-17"  # from the Friday before: one weekday shared
    found, _ = codes(make_csv, rows)
    assert found["FC140"]["row"] == 3


def test_concurrent_rotations_do_not_overlap(make_csv):
    found, _ = codes(make_csv, CLEAN)  # continuity clinic spans both blocks
    assert "FC140" not in found


def test_outside_academic_year(make_csv):
    rows = [*CLEAN, ["A", "pmr", "EMG", "2027-07-05", "2027-07-09", None, None]]
    found, _ = codes(make_csv, rows)
    assert found["FC141"]["row"] == 5 and "2027-06-30" in found["FC141"]["message"]


def test_a_weekend_past_the_end_of_the_year_is_not_outside_it(make_csv):
    # With the year starting on July 3, 2026-27 ends on Friday, July 2, 2027.
    first = ["A", "pmr", "MIPS", "2026-07-06", "2026-07-17", None, None]
    to_sunday = ["A", "pmr", "Gonda", "2027-06-28", "2027-07-04", None, None]
    found, _ = codes(make_csv, [first, to_sunday], "--academic-year-start", "07-03")
    assert "FC141" not in found
    to_monday = ["A", "pmr", "Gonda", "2027-06-28", "2027-07-05", None, None]
    found, _ = codes(make_csv, [first, to_monday], "--academic-year-start", "07-03")
    assert found["FC141"]["row"] == 3


def test_the_year_is_the_one_holding_most_of_the_fellows_time(make_csv):
    # A first rotation begun two days before July 1 is the one row outside 2026-27.
    rows = [["A", "pmr", "MIPS", "2026-06-29", "2026-10-02", None, None],
            ["A", "pmr", "Gonda", "2026-10-05", "2026-11-27", None, None],
            ["A", "pmr", "SIPS", "2026-11-30", "2026-12-11", None, None]]
    path = make_csv([HEADER, *rows])
    result = runner.invoke(app, ["check", str(path), "--format", "json",
                                 "--as-of", "2026-11-25"])
    found = [p for p in json.loads(result.stdout)["fellows"][0]["problems"]
             if p["code"] == "FC141"]
    assert [p["row"] for p in found] == [2]
    assert "(2026-07-01 to 2027-06-30)" in found[0]["message"]


def test_more_than_52_weeks(make_csv):
    rows = [["A", "pmr", "MIPS", None, None, 40, "completed"],
            ["A", "pmr", "Vacation", None, None, 13, "completed"]]
    found, _ = codes(make_csv, rows)
    assert "53 weeks" in found["FC142"]["message"]
    found, _ = codes(make_csv, rows[:1])
    assert "FC142" not in found


def test_duplicate_entry(make_csv):
    found, _ = codes(make_csv, [*CLEAN, CLEAN[0]])
    assert found["FC143"]["row"] == 5 and "row 2" in found["FC143"]["message"]
    assert "FC140" not in found  # a copy of a block is a duplicate, not also an overlap


def completed(report: dict, rotation_id: str) -> float:
    return next(r["completed"] for r in report["fellows"][0]["requirements"]
                if r["rotation_id"] == rotation_id)


def test_a_duplicate_is_counted_once_so_it_cannot_hide_a_shortfall(make_csv):
    nine_weeks = ["A", "pmr", "MIPS", "2026-07-06", "2026-09-04", None, "completed"]
    path = make_csv([HEADER, nine_weeks, nine_weeks])
    result = runner.invoke(app, ["check", str(path), "--format", "json",
                                 "--as-of", "2026-11-25"])
    report = json.loads(result.stdout)
    assert completed(report, "mips") == 9  # not 18, which would meet the 13 weeks
    assert "counted once" in report["fellows"][0]["problems"][0]["message"]


def test_overlapping_rows_of_one_block_rotation_count_its_weekdays_once(make_csv):
    rows = [["A", "pmr", "MIPS", "2026-07-06", "2026-09-04", None, None],  # 9 weeks
            ["A", "pmr", "MIPS", "2026-08-03", "2026-09-25", None, None],  # 8, 5 of them shared
            ["A", "pmr", "MIPS", "2026-08-10", "2026-08-14", None, "completed"],  # all shared
            ["A", "pmr", "Gonda", "2026-09-21", "2026-09-25", None, None],  # another rotation
            ["A", "pmr", "SIPS", "2026-10-05", None, 2, None]]  # an amount: counted as given
    path = make_csv([HEADER, *rows])
    result = runner.invoke(app, ["check", str(path), "--format", "json",
                                 "--as-of", "2026-09-11"])
    report = json.loads(result.stdout)
    time = {r["rotation_id"]: (r["completed"], r["scheduled"])
            for r in report["fellows"][0]["requirements"]}
    assert time["mips"] == (10, 2)  # July 6 to September 25, split at September 11
    assert time["gonda"] == (0, 1) and time["sips"] == (0, 2)
    messages = [p["message"] for p in report["fellows"][0]["problems"] if p["code"] == "FC140"]
    assert sum("counted once" in m for m in messages) == 2


def test_a_repeated_row_still_gives_its_track_and_file(make_csv):
    no_track = ["A", None, "MIPS", "2026-07-06", "2026-07-31", None, "completed"]
    with_track = ["A", "pmr", "MIPS", "2026-07-06", "2026-07-31", None, "completed"]
    first = make_csv([HEADER, no_track], "a.csv")
    second = make_csv([HEADER, with_track], "b.csv")
    result = runner.invoke(app, ["check", str(first), str(second), "--format", "json",
                                 "--as-of", "2026-11-25"])
    report = json.loads(result.stdout)
    fellow = report["fellows"][0]
    assert fellow["track"] == "pmr" and completed(report, "mips") == 4
    assert fellow["sources"] == [str(first), str(second)]
    assert [p["code"] for p in fellow["problems"]] == ["FC143"]
    other = make_csv([HEADER, ["A", "anesthesia", *with_track[2:]]], "c.csv")
    result = runner.invoke(app, ["check", str(second), str(other), "--as-of", "2026-11-25"])
    assert result.exit_code == 2 and "FC117" in result.stdout  # two tracks: still an error


def test_two_sessions_alongside_the_blocks_on_one_day_both_count(make_csv):
    header = ["Fellow", "Track", "Rotation", "Half days", "Date"]
    session = ["A", "pmr", "Continuity clinic", 1, "2026-07-07"]
    sick = ["A", "pmr", "Sick", None, "2026-07-08"]
    vacation = ["A", "pmr", "Vacation", None, "2026-07-08"]
    path = make_csv([header, session, session, sick, vacation])
    result = runner.invoke(app, ["check", str(path), "--format", "json",
                                 "--as-of", "2026-11-25"])
    report = json.loads(result.stdout)
    assert completed(report, "continuity-clinic") == 2
    fellow = report["fellows"][0]
    # Sick leave and vacation on one day are not one entry: both count, and they overlap.
    assert (fellow["leave_weeks"], fellow["vacation_weeks"]) == (0.4, 0.2)
    assert [p["code"] for p in fellow["problems"]] == ["FC143", "FC140"]
    assert "counted too" in fellow["problems"][0]["message"]


def test_a_repeated_row_does_not_repeat_the_warnings_of_the_first(make_csv):
    too_much = ["A", "pmr", "Gonda", 2, "weeks", "2026-12-14", "2026-12-18", None]
    found = [code for code, _, _ in amount_codes(make_csv, [too_much, too_much])]
    assert sorted(found) == ["FC143", "FC148"]


def test_past_ten_warnings_a_fellow_is_told_how_many_more_and_no_double_count_is_unsaid(make_csv):
    mondays = [(dt.date(2026, 7, 6) + dt.timedelta(weeks=i)).isoformat() for i in range(8)]
    weeks = [["A", "pmr", "MIPS", day, day, None, "completed"] for day in mondays]
    clinic = ["A", "pmr", "Continuity clinic", None, None, 30, "completed"]
    rows = [*weeks, clinic, *weeks, *weeks[:4], clinic]  # 12 dated repeats, then the clinic's
    path = make_csv([HEADER, *rows])
    result = runner.invoke(app, ["check", str(path), "--format", "json",
                                 "--as-of", "2026-11-25"])
    problems = json.loads(result.stdout)["fellows"][0]["problems"]
    repeats = [p for p in problems if p["code"] == "FC143"]
    assert any("counted too" in p["message"] and p["row"] == 23 for p in repeats)
    [more] = [p for p in repeats if "more repeated rows" in p["message"]]
    assert "2 more repeated rows counted once, not listed (only 10 are); this row is the " \
        "first of them" in more["message"]
    assert more["row"] == 21  # the first row not listed


def test_a_copy_of_a_file_is_counted_once_even_undated(make_csv):
    rows = [["A", "pmr", "Continuity clinic", None, None, 3, "completed"],  # 30 half-days
            ["A", "pmr", "MIPS", None, None, 4, "completed"],
            ["A", "pmr", "Gonda", None, None, 2, "completed"]]
    paths = [make_csv([HEADER, *rows], name) for name in ("a.csv", "copy of a.csv")]
    result = runner.invoke(app, ["check", *map(str, paths), "--format", "json",
                                 "--as-of", "2026-11-25"])
    report = json.loads(result.stdout)
    assert completed(report, "continuity-clinic") == 30 and completed(report, "mips") == 4
    messages = [p["message"] for p in report["fellows"][0]["problems"]]
    assert sum("a copy" in m for m in messages) == 3
    # Two rows alike in two files are not taken for a copy: they may be two stints each.
    paths = [make_csv([HEADER, *rows[1:]], name) for name in ("b.csv", "c.csv")]
    result = runner.invoke(app, ["check", *map(str, paths), "--format", "json",
                                 "--as-of", "2026-11-25"])
    assert completed(json.loads(result.stdout), "mips") == 8
    # Nor is a log of ten sessions alike a copy of a file of one: a copy repeats row for row.
    session = ["A", "pmr", "Gonda", None, None, 1, "completed"]
    paths = [make_csv([HEADER, session], "one.csv"), make_csv([HEADER, *[session] * 10],
                                                              "ten.csv")]
    result = runner.invoke(app, ["check", *map(str, paths), "--format", "json",
                                 "--as-of", "2026-11-25"])
    assert completed(json.loads(result.stdout), "gonda") == 11


def test_undated_rows_that_repeat_are_both_counted_with_a_warning(make_csv):
    two_weeks = ["A", "pmr", "MIPS", None, None, 2, "completed"]  # two stints, or a copy?
    path = make_csv([HEADER, two_weeks, two_weeks])
    result = runner.invoke(app, ["check", str(path), "--format", "json",
                                 "--as-of", "2026-11-25"])
    report = json.loads(result.stdout)
    assert completed(report, "mips") == 4
    assert "counted too" in report["fellows"][0]["problems"][0]["message"]


def test_a_duplicate_in_another_file_is_counted_once(make_csv):
    row = ["A", "pmr", "Gonda", "2026-07-06", "2026-07-31", None, "completed"]
    paths = [make_csv([HEADER, row], name) for name in ("a.csv", "b.csv")]
    result = runner.invoke(app, ["check", *map(str, paths), "--format", "json",
                                 "--as-of", "2026-11-25"])
    report = json.loads(result.stdout)
    assert completed(report, "gonda") == 4
    assert [p["code"] for p in report["fellows"][0]["problems"]] == ["FC143"]


def test_a_duplicate_that_also_overlaps_another_block_warns_of_both(make_csv):
    rows = [*CLEAN, CLEAN[0], ["A", "pmr", "SIPS", "2026-07-16", "2026-07-21", None, None]]
    found, _ = codes(make_csv, rows)
    assert found["FC143"]["row"] == 5 and found["FC140"]["row"] == 6


def test_status_against_dates(make_csv):
    rows = [["A", "pmr", "MIPS", "2026-12-07", "2026-12-11", None, "completed"],
            ["A", "pmr", "Gonda", "2026-08-03", "2026-08-07", None, "scheduled"]]
    found, _ = codes(make_csv, rows)
    assert found["FC144"]["row"] == 2 and found["FC145"]["row"] == 3
    found, _ = codes(make_csv, rows, as_of="2026-12-11")
    assert "FC144" not in found


AMOUNT_HEADER = ["Fellow", "Track", "Rotation", "Amount", "Unit", "Start", "End", "Status"]


def amount_codes(make_csv, rows, as_of="2026-11-25"):
    path = make_csv([AMOUNT_HEADER, *rows], "amounts.csv")
    result = runner.invoke(app, ["check", str(path), "--format", "json", "--as-of", as_of])
    report = json.loads(result.stdout)
    return [(p["code"], p["row"], p["message"])
            for f in report["fellows"] for p in f["problems"]]


def test_a_rotation_alongside_blocks_with_one_date_warns_when_its_split_is_a_guess(make_csv):
    rows = [["A", "pmr", "Continuity clinic", 60, "half days", "2026-07-01", None, None],
            ["A", "pmr", "Neuroscience course", 10, "conferences", None, "2027-06-30", None]]
    found = amount_codes(make_csv, rows)
    assert [(code, row) for code, row, _ in found] == [("FC147", 2), ("FC147", 3)]
    assert "60 half-days are taken as 30 weekdays in a row from it" in found[0][2]
    assert "none of its 10 conferences counts as completed yet" in found[1][2]


@pytest.mark.parametrize("row", [
    ["A", "pmr", "Continuity clinic", 60, "half days", "2026-07-01", "2027-06-30", None],
    ["A", "pmr", "Continuity clinic", 60, "half days", "2026-07-01", None, "scheduled"],
    ["A", "pmr", "Continuity clinic", 60, "half days", "2026-12-01", None, None],  # not begun
    ["A", "pmr", "Continuity clinic", 6, "half days", None, "2026-09-04", None],  # all past
    ["A", "pmr", "Simulation Center", 1, "day", "2026-07-06", None, None],  # one day is a day
    ["A", "pmr", "MIPS", 4, "weeks", "2026-07-06", None, None],  # a block runs in a row
], ids=["both-dates", "status", "not-begun", "all-past", "one-day", "block"])
def test_no_warning_when_one_date_leaves_no_doubt(make_csv, row):
    assert not [code for code, _, _ in amount_codes(make_csv, [row]) if code == "FC147"]


def test_an_amount_of_more_time_than_its_dates_hold(make_csv):
    rows = [["A", "pmr", "EMG", 2, "weeks", "2026-12-14", "2026-12-18", None],  # 5 weekdays
            ["A", "pmr", "Clinic", 10, "half days", "2026-12-14", "2026-12-18", None],  # fits
            ["A", "pmr", "Clinic", 11, "half days", "2026-12-14", "2026-12-18", None],
            ["A", "pmr", "Vacation", 2, "weeks", "2026-12-21", "2026-12-25", None],
            ["A", "pmr", "MIPS", 1, "week", "2026-07-06", "2026-07-17", None],  # less: fine
            ["A", "pmr", "Neuroscience", 9, "conferences", "2026-12-14", "2026-12-14", None]]
    found = [(code, row) for code, row, _ in amount_codes(make_csv, rows) if code == "FC148"]
    assert found == [("FC148", 2), ("FC148", 4), ("FC148", 5)]


@pytest.mark.parametrize("strict, expected", [(False, 0), (True, 1)])
def test_strict_fails_ci_on_integrity_warnings(make_csv, strict, expected):
    rows = [["A", "pmr", row[0], None, None, row[1], "completed"] for row in [
        ("Anatomy lab", 1), ("Anesthesia skills", 1), ("Palliative care", 1), ("PRC", 1),
        ("Cancer pain", 2), ("Gonda", 7), ("MIPS", 13), ("SIPS", 2), ("Pain psychiatry", 2),
        ("Ultrasound", 1)]]
    rows += [["A", "pmr", "Continuity clinic", None, None, 6, "completed"],
             ["A", "pmr", "Simulation Center", None, None, 1, "completed"]]
    path_rows = [r[:5] + [r[5], r[6]] for r in rows]
    path_rows[-2] = ["A", "pmr", "Continuity clinic", None, None, 6, "completed"]
    path_rows.append(path_rows[0])  # a duplicate: a warning
    found, code = codes(make_csv, path_rows, *(["--strict"] if strict else []),
                        as_of="2027-06-30")
    assert "FC143" in found
    assert code == expected


def test_a_dated_year_filled_from_july_1_to_june_30_is_not_too_many_weeks(make_csv):
    # July 1, 2026 to June 30, 2027 holds 261 weekdays: 52.2 weeks, all of them real.
    year = [["A", "anesthesia", "MIPS", "2026-07-01", "2026-09-30", None, None],
            ["A", "anesthesia", "Gonda", "2026-10-01", "2026-11-25", None, None],
            ["A", "anesthesia", "Cancer pain", "2026-11-26", "2027-06-30", None, None]]
    found, _ = codes(make_csv, year)
    assert "FC142" not in found
    found, _ = codes(make_csv, [*year, ["A", "anesthesia", "Vacation", None, None, 1, None]])
    assert "53.2 weeks" in found["FC142"]["message"]
    assert "2026-2027, which holds 52.2 (261 weekdays)" in found["FC142"]["message"]


def test_weeks_are_counted_per_academic_year(make_csv):
    rows = [["A", "pmr", "MIPS", "2025-07-07", None, 40, "completed"],
            ["A", "pmr", "Gonda", "2026-07-06", None, 40, "completed"]]
    found, _ = codes(make_csv, rows)
    assert "FC142" not in found  # 40 weeks in each of two years
    rows.append(["A", "pmr", "Vacation", "2026-09-07", None, 13, "completed"])
    found, _ = codes(make_csv, rows)
    assert "53 weeks" in found["FC142"]["message"] and "2026-2027" in found["FC142"]["message"]


def _year_start_by_hand(day: dt.date, month: int, first: int) -> dt.date:
    """The rule, one day at a time: the start date in the day's year, or the year before."""
    this_year = dt.date(day.year, month, min(first, 28) if month == 2 else first)
    return this_year if day >= this_year else this_year.replace(year=day.year - 1)


@given(st.lists(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), min_size=1, max_size=20),
       st.integers(1, 12), st.integers(1, 31))
def test_academic_year_starts_follow_the_rule(days, month, day):
    from fellowcheck.reading.grid import academic_year_start, academic_year_starts

    day = min(day, 30 if month in (4, 6, 9, 11) else 29 if month == 2 else 31)
    expected = [_year_start_by_hand(d, month, day) for d in days]
    found = academic_year_starts(np.array(days, dtype="datetime64[D]"), (month, day))
    assert [d.astype(dt.date) for d in found] == expected
    assert [academic_year_start(d, (month, day)) for d in days] == expected


@given(st.lists(st.tuples(st.sampled_from(["Dr A", "Dr B", None]), st.sampled_from(["mips", None]),
                          st.booleans(), st.booleans(), st.sampled_from([1.0, 2.0, float("nan")]),
                          st.sampled_from([dt.datetime(2026, 7, 1), None]),
                          st.sampled_from([dt.datetime(2026, 7, 7), None]),
                          st.sampled_from(["completed", "scheduled", None])),
                max_size=40),
       st.sampled_from([2 ** 31, 1]))
def test_entry_keys_are_equal_exactly_for_equal_entries(rows, limit):
    """One integer per entry, equal for equal entries (missing values equal each other), also
    when the combined key is renumbered to stay small (limit 1: after every column)."""
    import pandas as pd

    from fellowcheck import integrity

    frame = pd.DataFrame(rows, columns=integrity._ENTRY_KEY)
    original, integrity._KEY_LIMIT = integrity._KEY_LIMIT, limit
    try:
        keys = integrity._entry_keys(frame)
    finally:
        integrity._KEY_LIMIT = original
    expected = frame.groupby(integrity._ENTRY_KEY, dropna=False, sort=False).ngroup()
    assert list(pd.factorize(keys)[0]) == list(expected)


@given(st.lists(st.one_of(st.none(), st.text(min_size=1, max_size=4)), min_size=1, max_size=8),
       st.integers(1, 3))
def test_fellows_as_a_categorical_are_pandas_categorical(names, copies):
    """The same categories (sorted) and codes as pd.Categorical, with a column long enough to
    be grouped by object identity first."""
    import pandas as pd

    from fellowcheck import integrity

    column = pd.Series(names * (5000 // len(names) + 1) * copies, dtype="str")
    made, expected = integrity._categorical(column), pd.Categorical(column)
    assert list(made.categories) == list(expected.categories)
    assert made.codes.tolist() == expected.codes.tolist()


@given(st.lists(st.tuples(st.sampled_from(["Dr A", "Dr B"]), st.sampled_from(["MIPS", "Gonda"]),
                          st.booleans(), st.integers(0, 60), st.integers(0, 20)), max_size=30))
def test_counted_from_is_the_day_after_what_earlier_rows_of_the_group_reach(rows):
    """`_counted_from` against the rule, one group at a time: sorted by start, then end, a row
    counts from the day after the furthest end of the rows before it, if it starts by then."""
    import pandas as pd

    from fellowcheck import integrity

    day = np.datetime64("2026-07-06", "D")
    starts = [day + start for _, _, _, start, _ in rows]
    ends = [day + start + length for _, _, _, start, length in rows]
    weekdays = np.busday_count(np.array(starts, dtype="datetime64[D]"),
                               np.array(ends, dtype="datetime64[D]") + 1).astype(float)
    frame = pd.DataFrame({
        "fellow": pd.Categorical([r[0] for r in rows]), "label": [r[1] for r in rows],
        "vacation": [r[2] for r in rows], "start": np.array(starts, dtype="datetime64[s]"),
        "end": np.array(ends, dtype="datetime64[s]"), "weekdays": weekdays,
        "quantity": weekdays / 5, "unit_days": 5.0})
    found = integrity._counted_from(frame)
    expected = [None] * len(rows)
    for group in {r[:3] for r in rows}:
        members = sorted((i for i, r in enumerate(rows) if r[:3] == group and weekdays[i] > 0),
                         key=lambda i: (starts[i], ends[i]))
        reach = None
        for i in members:
            if reach is not None and reach >= starts[i]:
                expected[i] = reach + 1
            reach = ends[i] if reach is None else max(reach, ends[i])
    assert [None if np.isnat(d) else d for d in found] == expected


@pytest.mark.parametrize("fellows", [64, 65, 126, 127, 130])
def test_any_number_of_fellows(make_csv, fellows):
    """pandas stores fewer than 128 fellows' codes as int8: fellows x years once overflowed
    (65 to 126 fellows ended the run with an internal error)."""
    rows = [[f"Fellow {n}", "pmr", "MIPS", "2026-07-06", "2026-07-17", None, None]
            for n in range(fellows)]
    rows += [[f"Fellow {n}", "pmr", "Gonda", "2027-07-05", "2027-07-09", None, None]
             for n in range(0, fellows, 2)]  # a second academic year for half of them
    found, exit_code = codes(make_csv, rows)
    assert exit_code == 1  # gaps, not an internal error
    assert found["FC141"]["row"] > fellows + 1  # a row of the second year is outside


def test_two_rosters_that_disagree_on_a_fellows_dates(make_xlsx):
    """A file per academic year whose rosters differ: which dates are used depends on the
    files' order, so it is said."""
    roster = ["Fellow", "Track", "Fellowship start", "Fellowship end"]
    first = make_xlsx({"Roster": [roster, ["Dr A", "pmr", "2026-08-15", "2027-08-14"]],
                       "Dr A": [["Rotation", "Weeks"], ["MIPS", 4]]}, "year1.xlsx")
    second = make_xlsx({"Roster": [roster, ["Dr A", "pmr", "2026-08-17", "2027-08-06"]],
                        "Dr A": [["Rotation", "Weeks"], ["Gonda", 4]]}, "year2.xlsx")
    result = runner.invoke(app, ["check", str(first), str(second), "--format", "json",
                                 "--as-of", "2027-06-30"])
    report = json.loads(result.stdout)
    [found] = [p for f in report["fellows"] for p in f["problems"] if p["code"] == "FC149"]
    assert found["message"] == ("Dr A's fellowship is 2026-08-17 to 2027-08-06 here but "
                                "2026-08-15 to 2027-08-14 on the roster of year1.xlsx; the "
                                "first is used")
    assert found["file"].endswith("year2.xlsx") and found["row"] == 2
    same = make_xlsx({"Roster": [roster, ["Dr A", "pmr", "2026-08-15", "2027-08-14"]]},
                     "year1-copy.xlsx")
    result = runner.invoke(app, ["check", str(first), str(same), "--format", "json",
                                 "--as-of", "2027-06-30"])
    assert "FC149" not in result.stdout

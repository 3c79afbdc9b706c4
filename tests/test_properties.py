"""Property-based tests: random schedules never crash the reader or the checker, and the
report keeps its invariants.

- completed + scheduled is the time the rows give (not cancelled), in the rotation's unit;
- remaining and unscheduled are never negative, and are what the README says;
- each status follows the rules, and a fellow's status follows from them;
- converting units and back changes nothing; writing the amounts in other units neither;
- shuffling the rows, splitting the file in two, and noise in the names change nothing.

Examples are few (the suite stays fast); `--hypothesis-seed` or HYPOTHESIS_PROFILE=long give
more: `HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py`.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import random
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fellowcheck.model import Kind, Status, Unit, convert
from fellowcheck.pipeline import CheckOptions, run_check
from fellowcheck.problems import CODES
from fellowcheck.reading import ReadOptions, read_schedule
from fellowcheck.reading.entries import read_entries
from fellowcheck.reading.sheets import RawSheet
from fellowcheck.requirements import load_requirements
from fellowcheck.tally import tally

settings.register_profile("default", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

TABLE = load_requirements()
AS_OF = dt.date(2026, 11, 25)
HEADER = ["Fellow", "Track", "Rotation", "Amount", "Unit", "Status"]
FELLOWS = ["Dr. Ana Lima", "Dr. Jos\u00e9 N\u00fa\u00f1ez", "Dr. Wei Zhang"]
TRACKS = {"anesthesia": "anesthesia", "Anesthesiology": "anesthesia",
          "non-anesthesia": "non-anesthesia", "Neurology": "non-anesthesia", "pmr": "pmr",
          "PM&R": "pmr"}
UNIT_WORDS = {Unit.WEEK: ["weeks", "wk", "W"], Unit.DAY: ["days", "d"],
              Unit.HALF_DAY: ["half days", "HD"], Unit.CONFERENCE: ["conferences"]}
TIME_UNITS = [Unit.WEEK, Unit.DAY, Unit.HALF_DAY]


# --- strategies ---

amounts = st.integers(1, 40).map(lambda n: n / 2)  # 0.5 .. 20, exact in binary


@st.composite
def entries(draw, fellows=FELLOWS) -> dict:
    """One valid row: a known rotation (by any of its names), an amount in a unit that
    converts to the rotation's, a status or none."""
    requirement = draw(st.sampled_from(TABLE.requirements))
    name = draw(st.sampled_from([requirement.rotation, requirement.id, *requirement.aliases]))
    name = draw(st.sampled_from([name, name.upper(), name.lower(), f" {name} "]))
    if requirement.unit is Unit.CONFERENCE:
        unit = Unit.CONFERENCE
        amount = float(draw(st.integers(1, 6)))
    else:
        unit = draw(st.sampled_from(TIME_UNITS))
        amount = draw(amounts)
    return {"fellow": draw(st.sampled_from(fellows)), "rotation_id": requirement.id,
            "rotation": name, "amount": amount, "unit": unit,
            "status": draw(st.sampled_from(["completed", "scheduled", "cancelled", "", "Done",
                                            "planned"]))}


@st.composite
def schedules(draw, min_size=1, max_size=25) -> tuple[list[dict], dict[str, str]]:
    rows = draw(st.lists(entries(), min_size=min_size, max_size=max_size))
    tracks = {fellow: draw(st.sampled_from(sorted(TRACKS))) for fellow in FELLOWS}
    return rows, tracks


def as_table(rows: list[dict], tracks: dict[str, str], name=lambda n: n,
             unit_word=lambda u, i: UNIT_WORDS[u][0]) -> list[list]:
    out = [HEADER]
    for i, row in enumerate(rows):
        amount = row["amount"]
        out.append([name(row["fellow"]), tracks[row["fellow"]], row["rotation"],
                    int(amount) if float(amount).is_integer() else amount,
                    unit_word(row["unit"], i), row["status"]])
    return out


# --- running ---

def check(*tables: list[list]):
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, table in enumerate(tables):
            path = Path(folder) / f"schedule-{i}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerows(table)
            paths.append(path)
        return run_check(paths, TABLE, CheckOptions(as_of=AS_OF, jobs=1))


def results(report) -> dict:
    """What must not depend on row order, files or noise: per fellow, the status, the track
    and every requirement's numbers."""
    return {fellow.fellow: (fellow.status, fellow.track, tuple(
        (r.requirement.id, r.completed, r.scheduled, r.remaining, r.unscheduled, r.status)
        for r in fellow.requirements)) for fellow in report.fellows}


def problem_kinds(report) -> list[tuple[str, str | None]]:
    return sorted((p.kind, p.fellow) for p in report.all_problems)


def expected_totals(rows: list[dict]) -> dict[tuple[str, str], float]:
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for row in rows:
        if row["status"] == "cancelled":
            continue
        target = TABLE.by_id(row["rotation_id"]).unit
        totals[(row["fellow"], row["rotation_id"])] += convert(row["amount"], row["unit"],
                                                               target)
    return totals


# --- never a crash ---

cell_values = st.one_of(
    st.text(max_size=30), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
    st.sampled_from(["", "#REF!", "#DIV/0!", "=cmd|' /C calc'!A0", "1e308", "-0", "NaN", "inf",
                     "2026-02-30", "13/45/2026", "1899-12-31", "2101-01-01", "\u202eMIPS",
                     "MIPS\x00", "x" * 2000, "weeks", "conference", "cancelled", "pmr",
                     "Neurology", "12/31/2026", "July 6, 2026"]))
typed_values = st.one_of(cell_values, st.none(), st.booleans(),
                         st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
                         st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)))
headers = st.lists(st.sampled_from(
    ["Fellow", "Track", "Rotation", "Amount", "Unit", "Weeks", "Days", "Half days",
     "Conferences", "Start", "End", "Status", "Notes", "", "Name", "Service", "Rotation"]),
    min_size=1, max_size=9)


@given(header=headers, body=st.lists(st.lists(cell_values, max_size=10), max_size=15),
       title_rows=st.integers(0, 3))
def test_random_csv_never_crashes_the_reader_or_the_checker(header, body, title_rows):
    table = [["Schedule"]] * title_rows + [header] + [[str(v) for v in row] for row in body]
    report = check(table)
    for item in report.all_problems:
        assert item.kind in CODES and item.message and "\x00" not in item.message


@given(header=headers, body=st.lists(st.lists(typed_values, max_size=10), max_size=15),
       first_row=st.integers(1, 60), first_column=st.integers(1, 30))
def test_random_typed_cells_never_crash_the_reader(header, body, first_row, first_column):
    """The cells calamine gives (numbers, dates, booleans, blanks) straight to the reader."""
    table = [list(header)] + body
    width = max(map(len, table))
    table = [row + [""] * (width - len(row)) for row in table]  # rectangular, as calamine reads
    sheet = RawSheet("book.xlsx", "Sheet1", table, first_row, first_column)
    entries_frame, found = read_entries(sheet, TABLE, ReadOptions(as_of=AS_OF))
    schedules_found, more = tally(entries_frame, TABLE, AS_OF)
    for item in found + more:
        assert item.kind in CODES
        if item.location.row is not None:
            assert item.location.row >= first_row


@given(schedule=schedules(), fmt=st.sampled_from([".csv", ".tsv"]))
def test_a_valid_schedule_reads_without_errors(schedule, fmt):
    rows, tracks = schedule
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"s{fmt}"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, delimiter="\t" if fmt == ".tsv" else ",").writerows(
                as_table(rows, tracks))
        read = read_schedule(path, TABLE, ReadOptions(as_of=AS_OF))
    assert not [p for p in read.problems if p.severity.value == "error"], read.problems
    assert len(read.entries) == len(rows)


# --- the numbers ---

@given(schedule=schedules())
def test_completed_plus_scheduled_is_the_time_counted(schedule):
    rows, tracks = schedule
    report = check(as_table(rows, tracks))
    totals = expected_totals(rows)
    for fellow in report.fellows:
        for result in fellow.requirements:
            expected = totals.get((fellow.fellow, result.requirement.id), 0.0)
            assert math.isclose(result.completed + result.scheduled, expected, abs_tol=1e-5)


@given(schedule=schedules())
def test_remaining_unscheduled_and_statuses_follow_the_rules(schedule):
    rows, tracks = schedule
    report = check(as_table(rows, tracks))
    for fellow in report.fellows:
        assert fellow.track == TRACKS[tracks[fellow.fellow]]
        statuses = set()
        for r in fellow.requirements:
            assert r.remaining >= 0 and r.unscheduled >= 0
            assert r.completed >= 0 and r.scheduled >= 0
            planned = round(r.completed + r.scheduled, 6)
            if r.kind is Kind.NOT_APPLICABLE:
                assert r.status is Status.NOT_APPLICABLE
                assert r.remaining == r.unscheduled == 0
            else:
                assert math.isclose(r.remaining, max(0.0, r.min - r.completed), abs_tol=1e-6)
                assert math.isclose(r.unscheduled, max(0.0, r.min - planned), abs_tol=1e-6)
                if r.max is not None and planned > r.max:
                    assert r.status is Status.OVER
                elif r.completed >= r.min:
                    assert r.status is Status.MET
                elif planned >= r.min:
                    assert r.status is Status.ON_TRACK
                else:
                    assert r.status is Status.GAP
            statuses.add(r.status)
        assert fellow.status is (Status.GAP if Status.GAP in statuses else Status.ON_TRACK
                                 if Status.ON_TRACK in statuses else Status.COMPLIANT)


@given(amount=st.floats(0.001, 10_000), source=st.sampled_from(TIME_UNITS),
       target=st.sampled_from(TIME_UNITS))
def test_converting_units_and_back_changes_nothing(amount, source, target):
    there = convert(amount, source, target)
    assert math.isclose(convert(there, target, source), amount, rel_tol=1e-12)
    assert convert(amount, source, source) == amount


@given(schedule=schedules(), data=st.data())
def test_amounts_written_in_other_units_change_nothing(schedule, data):
    """A row of 2 weeks written as 10 days or 20 half-days gives the same report."""
    rows, tracks = schedule
    converted = []
    for row in rows:
        if row["unit"] is Unit.CONFERENCE:
            converted.append(row)
            continue
        unit = data.draw(st.sampled_from(TIME_UNITS))
        converted.append({**row, "unit": unit, "amount": convert(row["amount"], row["unit"], unit)})
    assert results(check(as_table(rows, tracks))) == results(check(as_table(converted, tracks)))


@given(schedule=schedules(min_size=2), seed=st.integers(0, 2**32 - 1))
def test_shuffling_rows_changes_nothing(schedule, seed):
    rows, tracks = schedule
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    assume(shuffled != rows)
    before, after = check(as_table(rows, tracks)), check(as_table(shuffled, tracks))
    assert results(before) == results(after)
    assert problem_kinds(before) == problem_kinds(after)


@given(schedule=schedules(min_size=2), seed=st.integers(0, 2**32 - 1))
def test_splitting_a_file_in_two_changes_nothing(schedule, seed):
    rows, tracks = schedule
    rng = random.Random(seed)
    in_first = [rng.random() < 0.5 for _ in rows]
    first = [row for row, chosen in zip(rows, in_first) if chosen]
    second = [row for row, chosen in zip(rows, in_first) if not chosen]
    whole = check(as_table(rows, tracks))
    split = check(as_table(first, tracks), as_table(second, tracks))
    assert results(whole) == results(split)


def _noisy(name: str, rng: random.Random) -> str:
    return rng.choice([
        name, name + " ", "  " + name, name.replace(" ", "  "),
        unicodedata.normalize("NFD", name), name.replace(" ", " \u200b"), name + "\u200e",
        name.replace(" ", "\u00a0"),
    ])


@given(schedule=schedules(), seed=st.integers(0, 2**32 - 1))
def test_noise_in_names_changes_nothing_but_warns(schedule, seed):
    """Spaces, Unicode forms and invisible marks in a name: the same fellow, with FC131."""
    rows, tracks = schedule
    rng = random.Random(seed)
    plain = check(as_table(rows, tracks))
    noisy_report = check(as_table(rows, tracks, name=lambda n: _noisy(n, rng)))
    assert results(plain) == results(noisy_report)
    kinds = {kind for kind, _ in problem_kinds(noisy_report)}
    assert kinds - {kind for kind, _ in problem_kinds(plain)} <= {"name-variants"}

from __future__ import annotations

import datetime as dt

import pytest

from fellowcheck.reading import ReadOptions, read_schedule
from fellowcheck.reading.sheets import RawSheet
from fellowcheck.reading.entries import read_entries


def entries_of(rows, table, sheet="Schedule", **options):
    return read_entries(RawSheet("f.xlsx", sheet, rows), table, ReadOptions(**options))


def test_header_synonyms_and_title_rows(table):
    rows = [["Fellowship schedule 2026", "", ""], ["", "", ""],
            ["Trainee", "Base Specialty", "Service", "Qty", "Units"],
            ["Dr A", "Anesthesiology", "mips", 2, "wks"]]
    frame, problems = entries_of(rows, table)
    assert problems == []
    record = frame.iloc[0]
    assert (record["fellow"], record["track"], record["rotation_id"], record["quantity"],
            record["row"]) == ("Dr A", "anesthesia", "mips", 2.0, 4)


def test_amount_converts_to_rotation_unit(table):
    rows = [["Fellow", "Rotation", "Amount", "Unit"],
            ["A", "Continuity clinic", 1, "week"],  # 10 half-days
            ["A", "Pain Rehabilitation Center", 1, "week"],  # 5 days
            ["A", "Simulation Center", 2, "half days"]]  # 1 day
    frame, problems = entries_of(rows, table)
    # A clinic alongside the blocks given in weeks is converted, and the conversion said.
    assert [(p.kind, p.location.row) for p in problems] == [("weeks-of-half-days", 2)]
    assert problems[0].message == ("1 week of Continuity clinic counted as 10 half-days (a week "
                                   "is 10); if it met once a week, that is 1 half-day")
    assert list(frame["quantity"]) == [10.0, 5.0, 1.0]


def test_an_amount_that_says_its_unit(table):
    rows = [["Fellow", "Rotation", "Duration"],  # no Unit column: each cell says its unit
            ["A", "MIPS", "13 weeks"], ["A", "PRC", "3 days"], ["A", "Gonda", "2"]]
    frame, problems = entries_of(rows, table)
    assert list(frame["quantity"]) == [13.0, 3.0]
    assert [(p.kind, p.location.row) for p in problems] == [("unknown-unit", 4)]
    rows = [["Fellow", "Rotation", "Amount", "Unit"], ["A", "MIPS", "2 weeks", None],
            ["A", "Gonda", "2 weeks", "days"], ["A", "SIPS", "2 weeks", "weeks"]]
    frame, problems = entries_of(rows, table)
    assert list(frame["quantity"]) == [2.0, 2.0]
    assert [(p.kind, p.location.row) for p in problems] == [("conflicting-amounts", 3)]
    assert "in weeks but the Unit column says days" in problems[0].message


def test_the_fellowships_dates_beside_the_rotations_are_not_read_as_theirs(table):
    rows = [["Fellow", "Fellowship start", "Fellowship end", "Rotation", "Start", "End"],
            ["A", "2026-07-01", "2027-06-30", "MIPS", "2026-07-06", "2026-07-17"]]
    frame, problems = entries_of(rows, table)
    assert problems == [] and list(frame["quantity"]) == [2.0]
    for dates in (["Date"], ["Start"], ["End"], []):  # with a Date, one date, or none
        header = ["Fellow", "Rotation", *dates, "Weeks", "Fellowship start", "Fellowship end"]
        row = ["A", "PRC", *["2026-07-07"] * len(dates), 1, "2026-07-01", "2027-06-30"]
        frame, problems = entries_of([header, row], table)
        assert problems == [] and list(frame["quantity"]) == [5.0]  # PRC in days: the week
        assert list(frame["end"].isna()) == [dates in ([], ["Start"])]


@pytest.mark.parametrize("start, end", [("Week of", "Week ending"), ("Block start", "Through"),
                                        ("From date", "Thru"), ("Rotation start", "Rotation end")])
def test_start_and_end_headers_people_write(table, start, end):
    rows = [["Fellow", "Rotation", start, end],
            ["A", "MIPS", "2026-07-06", "2026-07-17"], ["A", "Gonda", "2026-12-07", "2026-12-18"]]
    frame, problems = entries_of(rows, table, as_of=dt.date(2026, 11, 25))
    assert problems == []
    assert list(frame["quantity"]) == [2.0, 2.0]
    assert list(frame["start"].astype(str)) == ["2026-07-06", "2026-12-07"]


def test_a_column_of_dates_that_is_not_read_is_warned_of(table):
    """Without Start, End or Date every row counts as completed: a column of dates under a
    header not known would otherwise count rotations still to come as done."""
    rows = [["Fellow", "Rotation", "Wk commencing", "# weeks", "Notes"],
            ["A", "MIPS", dt.datetime(2026, 7, 6), 13, "ok"],
            ["A", "Gonda", "12/7/2026", 2, "moved from 2026-10-05"]]
    frame, problems = entries_of(rows, table)
    assert [(p.kind, p.location.row, p.location.column) for p in problems] == [
        ("dates-not-read", 1, "Wk commencing (C)")]
    assert list(frame["quantity"]) == [13.0, 2.0]  # still counted, as the README says


@pytest.mark.parametrize("rows", [
    # numbers are amounts, not serial dates
    [["Fellow", "Rotation", "Wks", "Code"], ["A", "MIPS", 13, "46204"]],
    # dates that are read
    [["Fellow", "Rotation", "Start", "Weeks", "Wk of"], ["A", "MIPS", "2026-07-06", 13,
                                                         "2026-07-06"]],
    # a date or two among notes
    [["Fellow", "Rotation", "Weeks", "Notes"], ["A", "MIPS", 13, "from 7/6"],
     ["A", "Gonda", 2, "2026-10-05"], ["A", "PRC", 1, "swap with B"]],
    # a Status column says which rows are done
    [["Fellow", "Rotation", "Weeks", "Status", "Evaluation signed"],
     ["A", "MIPS", 13, "completed", "2025-10-03"], ["A", "Gonda", 2, "scheduled", None]],
    # progress "to date", not an end date
    [["Fellow", "Rotation", "Weeks", "To date"], ["A", "MIPS", 13, 13], ["A", "Gonda", 2, 1]],
])
def test_no_warning_without_an_unread_column_of_dates(table, rows):
    frame, problems = entries_of(rows, table)
    assert [p.kind for p in problems] == []


def test_unit_named_columns(table):
    rows = [["Fellow", "Rotation", "Weeks", "Half days"],
            ["A", "MIPS", 3, None], ["A", "Clinic", None, 6]]
    frame, _ = entries_of(rows, table)
    assert list(frame["quantity"]) == [3.0, 6.0]


def test_dates_only_count_weekdays(table):
    rows = [["Fellow", "Rotation", "Start", "End"],
            ["A", "MIPS", dt.date(2026, 7, 6), dt.date(2026, 7, 17)],  # 10 weekdays = 2 weeks
            ["A", "Simulation Center", "2026-07-04", "2026-07-06"]]  # Sat..Mon: 1 weekday
    frame, problems = entries_of(rows, table)
    assert problems == []
    assert list(frame["quantity"]) == [2.0, 1.0]
    assert list(frame["weekdays"]) == [10.0, 1.0]


def test_a_weekend_row_says_whether_its_amount_still_counts(table):
    rows = [["Fellow", "Rotation", "Amount", "Unit", "Start", "End"],
            ["A", "Simulation Center", 1, "day", "2026-07-11", "2026-07-11"],  # a Saturday
            ["A", "Simulation Center", None, None, "2026-07-11", "2026-07-12"]]
    frame, problems = entries_of(rows, table)
    assert [(p.kind, p.location.row) for p in problems] == [("no-weekdays", 2),
                                                            ("no-weekdays", 3)]
    assert problems[0].message.endswith("holds no weekday; the row's amount still counts")
    assert problems[1].message.endswith("holds no weekday, so the row counts no time")
    assert list(frame["quantity"]) == [1.0, 0.0]


def test_each_row_on_its_own(table):
    rows = [["Fellow", "Rotation", "Amount", "Unit", "Start", "End"],
            ["A", "MIPS", 2, "weeks", None, None],
            ["A", "Gonda", None, None, "2026-07-06", "2026-07-10"]]
    frame, problems = entries_of(rows, table)
    assert problems == [] and list(frame["quantity"]) == [2.0, 1.0]


def test_conferences_in_weeks_is_a_row_error(table):
    rows = [["Fellow", "Rotation", "Amount", "Unit"], ["A", "Neuroscience course", 1, "week"],
            ["A", "MIPS", 1, "week"]]
    frame, problems = entries_of(rows, table)
    assert [(p.kind, p.location.row) for p in problems] == [("unit-mismatch", 2)]
    assert list(frame["rotation_id"]) == ["mips"]


def test_bad_cells_are_located_and_quoted(table):
    rows = [["Fellow", "Rotation", "Amount", "Unit", "Status", "Track"],
            ["A", "MIPS", "two", "weeks", "", "pmr"],
            ["A", "MIPS", 1, "fortnights", "", "pmr"],
            ["A", "MIPS", 1, "weeks", "maybe", "pmr"],
            ["A", "MIPS", 1, "weeks", "", "dentistry"]]
    _, problems = entries_of(rows, table)
    found = [(p.kind, p.location.row, p.location.column) for p in problems]
    assert found == [("bad-number", 2, "Amount (C)"), ("unknown-unit", 3, "Unit (D)"),
                     ("unknown-status", 4, "Status (E)"), ("unknown-track", 5, "Track (F)")]
    assert '"two"' in problems[0].message and '"fortnights"' in problems[1].message
    assert "anesthesia, non-anesthesia, pmr" in problems[3].message


def test_unknown_rotation_warns_with_suggestion(table):
    rows = [["Fellow", "Rotation", "Weeks"], ["A", "Gonda 51 procedures", 1],
            ["A", "Gonda 51 procedures", 1]]
    frame, problems = entries_of(rows, table)
    [warning] = problems
    assert warning.kind == "unknown-rotation" and warning.severity.value == "warning"
    assert "Gonda 15 procedures" in warning.message and "1 more row" in warning.message
    assert len(frame) == 0


def test_leave_is_recognised_in_weeks(table):
    rows = [["Fellow", "Rotation", "Days"], ["A", "Vacation", 5], ["A", "Sick leave", 1]]
    frame, problems = entries_of(rows, table)
    assert problems == []
    assert list(frame["leave"]) == [True, True]
    assert list(frame["quantity"]) == [1.0, 0.2]


def test_fellow_from_sheet_name_unless_generic(table):
    rows = [["Rotation", "Weeks"], ["MIPS", 1]]
    frame, _ = entries_of(rows, table, sheet="Dr Lee")
    assert frame["fellow"][0] == "Dr Lee"
    frame, _ = entries_of(rows, table, sheet="Sheet1")
    assert frame["fellow"][0] == "f"  # the file's stem
    frame, _ = entries_of(rows, table, sheet="Sheet1", fellow="Dr Kim")
    assert frame["fellow"][0] == "Dr Kim"


def test_name_variants_are_one_fellow(table):
    rows = [["Fellow", "Rotation", "Weeks"], ["Dr Lee", "MIPS", 1], ["Dr Lee ", "MIPS", 1],
            ["Dr\u200b Lee", "MIPS", 1]]
    frame, problems = entries_of(rows, table)
    assert set(frame["fellow"]) == {"Dr Lee"}
    assert [p.kind for p in problems] == ["name-variants"]


def test_blank_and_note_rows_are_skipped(table):
    rows = [["Fellow", "Rotation", "Weeks"], ["A", "MIPS", 1], [None, None, None],
            ["Notes: MIPS includes call", None, None]]
    frame, problems = entries_of(rows, table)
    assert problems == [] and len(frame) == 1


@pytest.mark.parametrize("total", [
    ["TOTAL", None, None, 15],  # in the fellow's column
    [None, "Total", None, 15],  # in the rotation's column
    [None, None, "Grand total:", 15],  # in a column not read
    [None, "Sum of weeks", None, "=SUM(D2:D3)"],
    ["Dr A", "Subtotal", "", 15],
])
def test_a_totals_row_is_not_an_entry(table, total):
    rows = [["Fellow", "Rotation", "Notes", "Weeks"], ["Dr A", "MIPS", "", 13],
            ["Dr A", "Gonda", "", 2], total]
    frame, problems = entries_of(rows, table)
    assert problems == [] and list(frame["quantity"]) == [13.0, 2.0]


@pytest.mark.parametrize("label", ["Totally new rotation", "Summer school"])
def test_only_a_total_label_makes_a_totals_row(table, label):
    rows = [["Fellow", "Rotation", "Weeks"], ["Dr A", label, 1]]
    frame, problems = entries_of(rows, table)
    assert [p.kind for p in problems] == ["unknown-rotation"]


def test_the_header_repeated_above_the_next_fellows_rows_is_skipped(table):
    rows = [["Fellow", "Track", "Rotation", "Weeks"], ["Dr A", "anesthesia", "MIPS", 13],
            [None] * 4, ["Fellow", "Track", "Rotation", "Weeks"], ["Dr B", "pmr", "MIPS", 10]]
    frame, problems = entries_of(rows, table)
    assert problems == []
    assert list(zip(frame["fellow"], frame["quantity"], frame["row"])) == [
        ("Dr A", 13.0, 2), ("Dr B", 10.0, 5)]


def test_end_before_start(table):
    rows = [["Fellow", "Rotation", "Start", "End"], ["A", "MIPS", "2026-07-10", "2026-07-06"]]
    _, problems = entries_of(rows, table)
    assert [(p.kind, p.location.row) for p in problems] == [("end-before-start", 2)]


def test_missing_header(table):
    _, problems = entries_of([["a", "b"], [1, 2]], table)
    assert problems[0].kind == "no-table"


def test_csv_line_numbers_and_delimiter(make_csv, table):
    path = make_csv([["Fellow", "Rotation", "Weeks"], ["A", "MIPS", "1"], ["A", "Gonda", "x"]],
                    delimiter=";")
    read = read_schedule(path, table, ReadOptions())
    frame, problems = read.entries, read.problems
    assert [(p.kind, p.location.row, p.location.sheet) for p in problems] == [
        ("bad-number", 3, None)]
    assert list(frame["rotation_id"]) == ["mips"]


def test_csv_rows_after_a_cell_of_several_lines_keep_their_line_numbers(tmp_path, table):
    path = tmp_path / "notes.csv"
    path.write_text('Fellow,Rotation,Weeks,Notes\r\nA,MIPS,1,"one\r\ntwo\r\nthree"\r\n'
                    'A,Gonda,x,\r\nA,SIPS,2,\r\n', encoding="utf-8", newline="")
    read = read_schedule(path, table, ReadOptions())
    assert [(p.kind, p.location.row) for p in read.problems] == [("bad-number", 5)]
    assert list(read.entries["row"]) == [2, 6]
    assert list(read.entries["rotation_id"]) == ["mips", "sips"]


def test_windows_1252_csv(tmp_path, table):
    path = tmp_path / "s.csv"
    path.write_bytes("Fellow,Rotation,Weeks\nDr Müller,MIPS,1\n".encode("cp1252"))
    read = read_schedule(path, table, ReadOptions())
    assert read.entries["fellow"][0] == "Dr Müller"
    assert [(p.kind, p.location.row) for p in read.problems] == [("encoding-guessed", 2)]


def test_xlsx_rows_are_excel_rows(make_xlsx, table):
    path = make_xlsx({"Dr Lee": [["Title"], [], ["Rotation", "Weeks"], ["MIPS", 1],
                                 ["Gonda", "x"]]})
    read = read_schedule(path, table, ReadOptions())
    frame, problems = read.entries, read.problems
    assert [(p.location.sheet, p.location.row) for p in problems] == [("Dr Lee", 5)]
    assert frame["fellow"][0] == "Dr Lee" and frame["row"][0] == 4


def test_rotation_column_alone_says_what_is_missing(make_csv, table):
    read = read_schedule(make_csv([["Rotation"], ["MIPS"]]), table, ReadOptions())
    [item] = read.problems
    assert item.kind == "no-table" and "how long" in item.message and item.location.row == 1


def test_sheets_normalised_together_keep_their_rows_and_problems(table):
    from fellowcheck.reading.columns import find_header
    from fellowcheck.reading.entries import EntrySheet, normalise

    def item(name, rows, first_row=1):
        sheet = RawSheet(f"{name}.csv", None, rows, first_row=first_row)
        return EntrySheet(sheet, find_header(rows))

    header = ["Fellow", "Rotation", "Weeks"]
    stack = [item("a", [header, ["A", "MIPS", 2], ["A", "MIPS", "x"]]),
             item("b", [["Title"], header, ["B", "Tai chi", 1], ["B", "Gonda", 1]], first_row=3)]
    assert stack[0].signature() == stack[1].signature()
    done = normalise(stack, table, ReadOptions())
    assert list(done.parts) == [0, 1]  # the bad and the unknown rows are left out
    assert list(done.frame["row"]) == [2, 6]
    assert list(done.frame["file"]) == ["a.csv", "b.csv"]
    assert [(p.kind, p.location.file, p.location.row) for p in done.problems[0]] == [
        ("bad-number", "a.csv", 3)]
    assert [(p.kind, p.location.file, p.location.row) for p in done.problems[1]] == [
        ("unknown-rotation", "b.csv", 5)]


def test_a_row_giving_only_the_fellow_and_track_sets_the_track(make_csv, table):
    """A row such as "Dr. J Misc, Neurology" above the fellow's rotations gives the track
    (README: a track given on one row applies to all the fellow's rows); it is not a note."""
    path = make_csv([["Fellow", "Track", "Rotation", "Start", "End", "Status"],
                     ["Dr. J Misc", "Neurology", None, None, None, None],
                     ["Dr. J Misc", None, "MIPS", "2026-07-06", "2026-07-17", "completed"],
                     ["Notes: a fellow's track may be given on a row of its own", None, None,
                      None, None, None]])
    result = read_schedule(path, table, ReadOptions())
    assert result.problems == []
    assert list(result.entries["track"].dropna()) == ["non-anesthesia"]
    assert result.entries["quantity"].sum() == 2.0


def test_a_legend_row_is_still_a_note(table):
    rows = [["Fellow", "Track", "Rotation", "Weeks"], ["A", "pmr", "MIPS", 2],
            ["Key:", "A = anesthesia, P = PM&R", None, None]]
    frame, problems = entries_of(rows, table)
    assert problems == [] and list(frame["fellow"]) == ["A"]


def test_an_amount_out_of_range_is_fc111_and_a_non_number_fc110(table):
    rows = [["Fellow", "Rotation", "Weeks"], ["A", "MIPS", "two"], ["A", "MIPS", -1],
            ["A", "MIPS", 2]]
    frame, problems = entries_of(rows, table)
    assert [(p.kind, p.id, p.location.row) for p in problems] == [
        ("bad-number", "FC110", 2), ("bad-amount", "FC111", 3)]
    assert list(frame["quantity"]) == [2.0]


def test_a_second_column_of_one_meaning_is_named_with_its_letter(table):
    rows = [["Fellow", "Rotation", "Weeks", "Status", "Wks"], ["A", "MIPS", 2, "completed", 3]]
    frame, problems = entries_of(rows, table)
    assert [(p.kind, p.location.row, p.location.column) for p in problems] == [
        ("duplicate-column", 1, "Wks (E)")]
    assert list(frame["quantity"]) == [2.0]


def test_dates_that_read_either_way_are_refused_beside_dates_written_day_first(table):
    rows = [["Fellow", "Rotation", "Start", "End"],
            ["A", "MIPS", "06/07/2026", "02/10/2026"],  # reads either way
            ["A", "Gonda", "13/10/2026", "23/10/2026"],  # day first only
            ["A", "PRC", "2026-11-02", "2026-11-06"]]  # ISO: one way
    frame, problems = entries_of(rows, table)
    assert sorted((p.kind, p.location.row, p.location.column[:3]) for p in problems) == [
        ("bad-date", 2, "End"), ("bad-date", 2, "Sta"), ("bad-date", 3, "End"),
        ("bad-date", 3, "Sta")]
    assert "reads either way" in problems[0].message
    assert list(frame["rotation_id"]) == ["pain-rehab"]  # no weeks guessed from a wrong reading
    frame, problems = entries_of(rows, table, day_first=True)
    assert problems == [] and list(frame["quantity"]) == [13.0, 1.8, 5.0]


def test_dates_that_read_either_way_alone_are_read_month_first(table):
    rows = [["Fellow", "Rotation", "Start", "End"], ["A", "MIPS", "7/6/2026", "10/2/2026"]]
    frame, problems = entries_of(rows, table)
    assert problems == [] and list(frame["start"].astype(str)) == ["2026-07-06"]


def test_each_fellow_is_warned_of_their_own_unknown_rotations(table):
    """One warning per fellow: --fellow B --strict must still see B's."""
    rows = [["Fellow", "Rotation", "Weeks"], ["A", "Pain clinic", 4], ["B", "Pain clinic", 4],
            ["B", "Pain clinic", 2], ["B", "Pain clinic", 1]]
    frame, problems = entries_of(rows, table)
    assert [(p.fellow, p.location.row, p.message.split(";")[0]) for p in problems] == [
        ("A", 2, "unknown rotation 'Pain clinic'"),
        ("B", 3, "unknown rotation 'Pain clinic' (and 2 more rows)")]


def test_leave_written_as_schedules_write_it(table):
    rows = [["Fellow", "Rotation", "Weeks"], ["A", "VAC", 1], ["A", "FMLA", 6], ["A", "LOA", 2]]
    frame, problems = entries_of(rows, table)
    assert problems == []
    assert list(zip(frame["leave"], frame["vacation"])) == [(True, True), (True, False),
                                                            (True, False)]


def test_a_cell_naming_two_rotations_says_so(table):
    rows = [["Fellow", "Rotation", "Weeks"], ["A", "MIPS/Gonda", 4], ["A", "Spine + Vacation", 2],
            ["A", "MIPS/Tai chi", 1]]
    frame, problems = entries_of(rows, table)
    assert [p.message.split(":")[0] for p in problems] == [
        "'MIPS/Gonda' names MIPS and Gonda", "'Spine + Vacation' names Spine and Vacation",
        "unknown rotation 'MIPS/Tai chi'"]
    assert len(frame) == 0  # not split: that would be a guess


def test_a_row_with_one_date_and_no_amount_says_what_it_lacks(table):
    rows = [["Fellow", "Rotation", "Start", "End"], ["A", "Simulation Center", "2026-10-14", None],
            ["A", "MIPS", None, "2026-10-14"], ["A", "Gonda", None, None]]
    frame, problems = entries_of(rows, table)
    assert [(p.location.row, p.message.split(":")[0]) for p in problems] == [
        (2, "the row has a start date but no end date and no amount"),
        (3, "the row has an end date but no start date and no amount"),
        (4, "the row has no duration (no amount, and no start and end dates)")]


def test_excel_subtotal_rows_are_not_entries(table):
    """Excel's Data > Subtotal writes "<name> Total" rows and a "Grand Total"."""
    rows = [["Fellow", "Rotation", "Weeks"], ["Dr. Sam Lee", "MIPS", 13],
            ["Dr. Sam Lee Total", None, 13], ["Grand Total", None, 13]]
    frame, problems = entries_of(rows, table)
    assert problems == [] and list(frame["quantity"]) == [13.0]

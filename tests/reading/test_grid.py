"""Block grids, rosters and workbooks of many sheets, end to end through the real CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from fellowcheck.cli import app

runner = CliRunner()
JULY_6 = dt.date(2026, 7, 6)


def check_json(path, *args):
    result = runner.invoke(app, ["check", str(path), "--format", "json", *map(str, args)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def rows_of(report, fellow):
    [found] = [f for f in report["fellows"] if f["fellow"] == fellow]
    return found, {r["rotation_id"]: r for r in found["requirements"]}


def test_dated_four_week_blocks_split_at_as_of(make_xlsx):
    starts = [JULY_6 + dt.timedelta(weeks=4 * i) for i in range(4)]
    path = make_xlsx({"Blocks": [["2026-27 blocks"], [], ["Fellow", "Track", *starts],
                                 ["Dr A", "pmr", "MIPS", "Gonda", None, "MIPS"]]})
    # As of Fri Aug 14: block 1 (4 wk) done, block 2 (Aug 3-30) has 2 of 4 weeks done.
    _, report = check_json(path, "--as-of", "2026-08-14")
    fellow, rows = rows_of(report, "Dr A")
    assert rows["mips"]["completed"] == 4 and rows["mips"]["scheduled"] == 4
    assert rows["gonda"]["completed"] == 2 and rows["gonda"]["scheduled"] == 2
    assert fellow["track"] == "pmr"


def test_labelled_weeks_use_roster_start_and_block_weeks(make_xlsx):
    path = make_xlsx({
        "Grid": [["Fellow", "Block 1", "Block 2", "Block 3"], ["Dr A", "MIPS", "Vacation", "SIPS"]],
        "Roster": [["Fellow", "Base specialty", "Fellowship start", "Fellowship end"],
                   ["Dr A", "Neurology", JULY_6, dt.date(2027, 6, 30)]]})
    _, report = check_json(path, "--as-of", "2026-12-31", "--block-weeks", "4")
    fellow, rows = rows_of(report, "Dr A")
    assert fellow["track"] == "non-anesthesia"
    assert rows["mips"]["completed"] == 4 and rows["sips"]["completed"] == 4
    assert fellow["leave_weeks"] == 4 and fellow["vacation_weeks"] == 4
    assert not any(p["code"] == "FC124" for p in report["problems"] + fellow["problems"])


def test_block_columns_without_block_weeks_are_an_error(make_xlsx):
    """Their length unknown, every number is a guess: exit 2, until --block-weeks is given."""
    path = make_xlsx({
        "Grid": [["Fellow", "Block 1", "Block 2", "Block 3"], ["Dr A", "MIPS", "MIPS", "SIPS"]],
        "Roster": [["Fellow", "Track", "Fellowship start"], ["Dr A", "pmr", JULY_6]]})
    exit_code, report = check_json(path, "--as-of", "2027-06-30")
    assert exit_code == 2
    warnings = [p for p in report["problems"] if p["code"] == "FC129"]
    assert len(warnings) == 1 and "3 Block columns" in warnings[0]["message"]
    assert warnings[0]["severity"] == "error"
    assert "13 blocks of 4 weeks fill a year" in warnings[0]["message"]
    _, rows = rows_of(report, "Dr A")
    assert rows["mips"]["completed"] == 2
    _, report = check_json(path, "--as-of", "2027-06-30", "--block-weeks", "1")
    assert not [p for p in report["problems"] if p["code"] == "FC129"]
    week_grid = make_xlsx({"Grid": [["Fellow", "Track", "Week 1"], ["Dr A", "pmr", "MIPS"]]},
                          "weeks.xlsx")
    _, report = check_json(week_grid, "--as-of", "2027-06-30")
    assert not [p for p in report["problems"] if p["code"] == "FC129"]


def test_labelled_weeks_without_dates_warn(make_xlsx):
    path = make_xlsx({"Grid": [["Fellow", "Track", "Week 1", "Week 2"],
                               ["Dr A", "pmr", "MIPS", "MIPS"]]})
    code, report = check_json(path, "--as-of", "2026-12-31")
    warnings = [p for p in report["problems"] if p["code"] == "FC124"]
    assert len(warnings) == 1 and "2026-07-01" in warnings[0]["message"]
    _, rows = rows_of(report, "Dr A")
    assert rows["mips"]["completed"] == 2


def test_merged_cells_count_for_each_column(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Grid"
    sheet.append(["Fellow", "Track", *[JULY_6 + dt.timedelta(weeks=i) for i in range(4)]])
    sheet.append(["Dr A", "pmr", "Gonda", None, None, "MIPS"])
    sheet.merge_cells("C2:E2")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    _, report = check_json(path, "--as-of", "2027-06-30")
    _, rows = rows_of(report, "Dr A")
    assert rows["gonda"]["completed"] == 3 and rows["mips"]["completed"] == 1


def test_merged_cells_of_an_ods_count_for_each_column_and_row(tmp_path):
    # calamine gives no merged cells for .ods: the pre-flight scan of content.xml finds them.
    from ..hostile import write_ods

    def cell(text, across=1, down=1):
        spans = (f' table:number-columns-spanned="{across}"' if across > 1 else "") + (
            f' table:number-rows-spanned="{down}"' if down > 1 else "")
        return f'<table:table-cell office:value-type="string"{spans}><text:p>{text}</text:p>' \
            "</table:table-cell>"

    covered = "<table:covered-table-cell/>"
    rows = [[cell(h) for h in ("Fellow", "Track", "Week 1", "Week 2", "Week 3", "Week 4")],
            [cell("Dr A", down=2), cell("pmr", down=2), cell("Gonda", across=3), covered,
             covered, cell("MIPS")],
            [covered, covered, cell("SIPS"), "<table:table-cell/>", "<table:table-cell/>",
             cell("Gonda")]]
    table = "".join(f"<table:table-row>{''.join(r)}</table:table-row>" for r in rows)
    path = write_ods(tmp_path / "merged.ods", table, name="Grid")
    _, report = check_json(path, "--as-of", "2027-06-30")
    assert [f["fellow"] for f in report["fellows"]] == ["Dr A"]
    _, found = rows_of(report, "Dr A")
    assert (found["gonda"]["completed"], found["mips"]["completed"],
            found["sips"]["completed"]) == (4, 1, 1)


def test_grid_unknown_rotation_points_at_the_cell(make_xlsx):
    path = make_xlsx({"Grid": [["Fellow", "Track", "Week 1", "Week 2"],
                               ["Dr A", "pmr", "MIPS", "Gonda 51"]]})
    _, report = check_json(path, "--as-of", "2026-12-31")
    fellow, _ = rows_of(report, "Dr A")
    [warning] = [p for p in fellow["problems"] if p["code"] == "FC130"]
    assert (warning["sheet"], warning["row"], warning["column"]) == ("Grid", 2, "Week 2 (D)")


def test_workbook_of_sheets_per_fellow_with_roster_and_instructions(make_xlsx):
    path = make_xlsx({
        "Instructions": [["Type one row per rotation."], ["Ask the coordinator."]],
        "Dr Lee": [["Rotation", "Weeks"], ["MIPS", 13]],
        "Dr Kim": [["Rotation", "Weeks"], ["MIPS", 5]],
        "Roster": [["Fellow", "Track"], ["Dr Lee", "Anesthesiology"], ["Dr Kim", "PM&R"],
                   ["Dr New", "Neurology"]]})
    result = runner.invoke(app, ["check", str(path), "--format", "json", "-v",
                                 "--as-of", "2026-12-31"])
    report = json.loads(result.stdout)
    assert [f["fellow"] for f in report["fellows"]] == ["Dr Lee", "Dr Kim", "Dr New"]
    assert [f["track"] for f in report["fellows"]] == ["anesthesia", "pmr", "non-anesthesia"]
    assert "[Instructions]: skipped" in result.stderr
    assert report["problems"] == []


def test_a_sheet_named_after_a_fellow_cut_to_31_characters_is_that_fellow(make_xlsx):
    long_name = "Dr. Alexandra Konstantinopoulou-Smith"
    path = make_xlsx({
        long_name[:31]: [["Rotation", "Weeks"], ["MIPS", 13]],
        "Roster": [["Fellow", "Track", "Fellowship start"], [long_name, "pmr", JULY_6]]})
    _, report = check_json(path, "--as-of", "2027-06-30")
    fellow, rows = rows_of(report, long_name)
    assert [f["fellow"] for f in report["fellows"]] == [long_name]
    assert fellow["track"] == "pmr" and rows["mips"]["completed"] == 13


def test_a_sheet_picked_with_sheet_still_gets_the_roster(make_xlsx):
    path = make_xlsx({
        "Grid": [["Fellow", "Block 1", "Block 2"], ["Dr A", "MIPS", "Gonda"]],
        "Old grid": [["Fellow", "Block 1"], ["Dr A", "Gonda"]],
        "Roster": [["Fellow", "Track", "Fellowship start"], ["Dr A", "pmr", JULY_6]]})
    _, report = check_json(path, "--as-of", "2027-06-30", "--block-weeks", "4",
                           "--sheet", "Grid")
    fellow, rows = rows_of(report, "Dr A")
    assert fellow["track"] == "pmr"  # from the roster, which --sheet did not name
    assert rows["mips"]["completed"] == 4 and rows["gonda"]["completed"] == 4  # not 8


def test_fellow_on_two_sheets_is_merged(make_xlsx):
    path = make_xlsx({
        "Blocks": [["Fellow", "Track", JULY_6, JULY_6 + dt.timedelta(weeks=1)],
                   ["Dr A", "pmr", "MIPS", "MIPS"]],
        "Clinic": [["Fellow", "Rotation", "Half days"], ["Dr A", "Continuity clinic", 60]]})
    _, report = check_json(path, "--as-of", "2027-06-30")
    [fellow] = report["fellows"]
    _, rows = rows_of(report, "Dr A")
    assert rows["continuity-clinic"]["completed"] == 60 and rows["mips"]["completed"] == 2
    assert fellow["track"] == "pmr"


def test_fellow_option_narrows_the_report(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["A", "pmr", "MIPS", 1],
                     ["B", "pmr", "MIPS", 1], ["C", "pmr", "MIPS", 1]])
    _, report = check_json(path, "--fellow", "c", "--fellow", "A")
    assert [f["fellow"] for f in report["fellows"]] == ["A", "C"]
    code, report = check_json(path, "--fellow", "Zed")
    assert code == 2 and report["problems"][0]["code"] == "FC146"


@pytest.mark.parametrize("text, expected", [
    ("2026-07-06", 2.0), ("7/6/2026", 2.0), ("6 Jul 2026", 2.0), ("July 6, 2026", 2.0)])
def test_text_dates_in_csv(make_csv, text, expected):
    path = make_csv([["Fellow", "Track", "Rotation", "Start", "End"],
                     ["A", "pmr", "MIPS", text, "2026-07-17"]])
    _, report = check_json(path, "--as-of", "2027-01-01")
    _, rows = rows_of(report, "A")
    assert rows["mips"]["completed"] == expected


def test_unreadable_date_is_a_located_row_error(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Start", "End"],
                     ["A", "pmr", "MIPS", "2026-02-30", "2026-03-06"]])
    code, report = check_json(path, "--as-of", "2027-01-01")
    [item] = report["fellows"][0]["problems"]
    assert code == 2 and item["code"] == "FC113" and '"2026-02-30"' in item["message"]
    assert (item["row"], item["column"]) == (2, "Start (D)")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_sniffed(make_csv, delimiter):
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["A", "pmr", "MIPS", "13"]],
                    delimiter=delimiter)
    _, report = check_json(path)
    _, rows = rows_of(report, "A")
    assert rows["mips"]["status"] == "met"


def test_tsv_and_bom(tmp_path):
    path = tmp_path / "s.tsv"
    path.write_text("\ufeffFellow\tTrack\tRotation\tWeeks\nA\tpmr\tMIPS\t13\n", encoding="utf-8")
    _, report = check_json(path)
    _, rows = rows_of(report, "A")
    assert rows["mips"]["status"] == "met"


def test_program_sample_made_by_libreoffice_reads_the_same_as_ods():
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "samples"
    reports = []
    for suffix in ("xlsx", "ods"):
        code, report = check_json(samples / f"program-2026-27.{suffix}", "--as-of", "2026-11-25")
        assert code == 1  # two fellows have gaps
        reports.append([(f["fellow"], f["track"], f["status"], f["requirements"])
                        for f in report["fellows"]])
    assert reports[0] == reports[1]
    statuses = {fellow: status for fellow, _, status, _ in reports[0]}
    assert statuses == {"Dr. Ana Ruiz": "on_track", "Dr. Ben Carter": "on_track",
                        "Dr. Chloe Nguyen": "on_track", "Dr. David Osei": "gap",
                        "Dr. Emma Schultz": "on_track", "Dr. Farid Haddad": "gap"}
    tracks = {fellow: track for fellow, track, _, _ in reports[0]}
    assert tracks["Dr. Farid Haddad"] == "pmr" and tracks["Dr. Chloe Nguyen"] == "non-anesthesia"


def test_plural_rotation_header_with_track_is_a_schedule_not_a_roster(make_csv):
    path = make_csv([["Fellow", "Track", "Rotations", "Weeks", "Status"],
                     ["Dr Wong", "Anesthesiology", "MIPS", 13, "completed"]])
    _, report = check_json(path)
    _, rows = rows_of(report, "Dr Wong")
    assert rows["mips"]["status"] == "met"


def test_schedule_without_rotation_column_is_an_error_not_a_roster(make_csv):
    path = make_csv([["Fellow", "Track", "Weeks", "Status"], ["Dr Wong", "pmr", 13, "done"]])
    code, report = check_json(path)
    assert code == 2 and report["problems"][0]["code"] == "FC104"


def test_month_columns_with_roster(make_xlsx):
    path = make_xlsx({
        "Months": [["Fellow", "Jul", "Aug", "Sep"], ["Dr A", "MIPS", "Gonda", "SIPS"]],
        "Roster": [["Fellow", "Track", "Fellowship start"], ["Dr A", "pmr", dt.date(2026, 7, 1)]]})
    _, report = check_json(path, "--as-of", "2027-06-30")
    fellow, rows = rows_of(report, "Dr A")
    # July 2026 has 23 weekdays, August 21, September 22.
    assert rows["mips"]["completed"] == 4.6 and rows["gonda"]["completed"] == 4.2
    assert rows["sips"]["completed"] == 4.4
    assert not [p for p in fellow["problems"] if p["code"] in ("FC124", "FC141")]


def test_week_labels_last_one_week_whatever_block_weeks(make_xlsx):
    path = make_xlsx({"Grid": [["Fellow", "Track", "Week 1", "Week 2", "Block 3"],
                               ["Dr A", "pmr", "MIPS", "MIPS", "Gonda"]]})
    _, report = check_json(path, "--as-of", "2027-06-30", "--block-weeks", "4")
    _, rows = rows_of(report, "Dr A")
    assert rows["mips"]["completed"] == 2 and rows["gonda"]["completed"] == 4


def test_notes_and_section_rows_are_not_fellows(make_xlsx):
    path = make_xlsx({
        "Grid": [["Fellow", "Block 1", "Block 2"],
                 ["Anesthesia-based fellows", "Anesthesia-based fellows",
                  "Anesthesia-based fellows"],
                 ["Dr A", "MIPS", "Gonda"], [None, None, None],
                 ["Key: MIPS = Methodist inpatient", None, None]],
        "Roster": [["Fellow", "Track", "Fellowship start"], ["Dr A", "pmr", JULY_6]]})
    _, report = check_json(path, "--as-of", "2027-06-30", "--block-weeks", "4")
    assert [f["fellow"] for f in report["fellows"]] == ["Dr A"]
    assert not [p for p in report["problems"] + report["fellows"][0]["problems"]
                if p["code"] in ("FC124", "FC116", "FC130")]


def test_dates_under_labels_date_the_columns(make_xlsx):
    path = make_xlsx({"Grid": [["Fellow", "Track", "Wk 1", "Wk 2"],
                               [None, None, JULY_6, JULY_6 + dt.timedelta(weeks=1)],
                               ["Dr A", "pmr", "MIPS", "Gonda"]]})
    _, report = check_json(path, "--as-of", "2026-07-10")
    fellow, rows = rows_of(report, "Dr A")
    assert [f["fellow"] for f in report["fellows"]] == ["Dr A"]
    assert rows["mips"]["completed"] == 1 and rows["gonda"]["scheduled"] == 1
    assert not [p for p in report["problems"] if p["code"] == "FC124"]


def test_date_column_makes_one_day_entries(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Qty", "Units", "Date"],
                     ["A", "pmr", "Continuity clinic", 4, "HD", "9/1/2026"],
                     ["A", "pmr", "Continuity clinic", 4, "HD", "3/2/2027"]])
    _, report = check_json(path, "--as-of", "2026-11-25")
    fellow, rows = rows_of(report, "A")
    assert rows["continuity-clinic"]["completed"] == 4
    assert rows["continuity-clinic"]["scheduled"] == 4
    assert not [p for p in fellow["problems"] if p["code"] == "FC143"]


def test_dates_alone_do_not_count_half_days(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Start", "End"],
                     ["A", "pmr", "Continuity clinic", "2026-07-07", "2027-06-29"],
                     ["A", "pmr", "Simulation Center", "2026-09-10", "2026-09-10"]])
    code, report = check_json(path, "--as-of", "2027-06-30")
    fellow, rows = rows_of(report, "A")
    [item] = fellow["problems"]
    assert code == 2 and item["code"] == "FC119" and "half-days" in item["message"]
    assert rows["simulation-center"]["completed"] == 1


def test_dotted_dates_are_day_first_and_impossible_months_suggest_day_first(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Start", "End"],
                     ["A", "pmr", "MIPS", "06.07.2026", "17.07.2026"],
                     ["A", "pmr", "Gonda", "13/07/2026", "17/07/2026"]], delimiter=";")
    code, report = check_json(path, "--as-of", "2027-06-30")
    fellow, rows = rows_of(report, "A")
    assert rows["mips"]["completed"] == 2
    assert code == 2 and any("--day-first" in p["message"] for p in fellow["problems"])


def test_weekend_only_row_warns(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Start", "End"],
                     ["A", "pmr", "Sim lab", "2026-11-14", "2026-11-15"]])
    _, report = check_json(path, "--as-of", "2027-06-30")
    assert [p["code"] for p in report["fellows"][0]["problems"]] == ["FC128"]


def test_fellow_option_on_sheets_named_for_fellows(make_xlsx):
    rows = [["Rotation", "Weeks"], ["MIPS", 13]]
    path = make_xlsx({"Dr Okafor": rows, "Dr Nguyen": rows, "Sheet3": rows})
    _, report = check_json(path, "--fellow", "Dr Okafor", "--track", "pmr")
    [fellow] = report["fellows"]
    assert fellow["fellow"] == "Dr Okafor"
    assert {r["rotation_id"]: r for r in fellow["requirements"]}["mips"]["completed"] == 13


def test_fellow_option_ignores_the_title(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["Dr. Maria Chen", "pmr", "MIPS", 1],
                     ["Dr. Ann Lee", "pmr", "MIPS", 1]])
    _, report = check_json(path, "--fellow", "maria chen")
    assert [f["fellow"] for f in report["fellows"]] == ["Dr. Maria Chen"]


def test_cells_that_say_no_rotation_are_empty(make_xlsx):
    path = make_xlsx({"Grid": [["Fellow", "Track", "Week 1", "Week 2", "Week 3", "Week 4"],
                               ["Dr A", "pmr", "MIPS", "-", "Off", "n/a"]]})
    _, report = check_json(path, "--as-of", "2027-06-30")
    fellow, rows = rows_of(report, "Dr A")
    assert rows["mips"]["completed"] == 1
    assert not [p for p in report["problems"] + fellow["problems"] if p["code"] == "FC130"]


@pytest.mark.parametrize("headers", [
    ["7/6/26 - 7/31/26", "8/3/26 - 8/28/26", "8/31/26 - 9/25/26"],
    ["Block 1\n7/6/26-7/31/26", "Block 2\n8/3/26-8/28/26", "Block 3\n8/31/26-9/25/26"],
    ["Block 1 (7/6)", "Block 2 (8/3)", "Block 3 (8/31)"],
    ["Jul 6 - Jul 31", "Aug 3 - Aug 28", "Aug 31 - Sep 25"],
])
def test_columns_headed_by_their_dates(make_xlsx, headers):
    """A column headed by its date range (or a label and its first day) starts on its first
    date and lasts until the next column's."""
    path = make_xlsx({"Grid": [["Fellow", "Track", *headers],
                               ["Dr A", "pmr", "MIPS", "MIPS", "Gonda"]]})
    _, report = check_json(path, "--as-of", "2027-06-30")
    fellow, rows = rows_of(report, "Dr A")
    assert rows["mips"]["completed"] == 8 and rows["gonda"]["completed"] == 4
    assert not [p for p in report["problems"] + fellow["problems"] if p["severity"] == "error"]


def test_a_week_ending_grid_dates_the_weeks_by_their_last_day(make_xlsx):
    fridays = [dt.date(2026, 7, 10), dt.date(2026, 7, 17), dt.date(2026, 7, 24)]
    path = make_xlsx({"Grid": [["Week ending", "Track", *fridays],
                               ["Dr A", "pmr", "MIPS", "MIPS", "Gonda"]]})
    _, report = check_json(path, "--as-of", "2026-07-20")
    fellow, rows = rows_of(report, "Dr A")
    # July 6-10 and 13-17 done; the week to July 24 is scheduled, from Monday the 20th split
    assert rows["mips"]["completed"] == 2 and rows["gonda"]["completed"] == 0.2
    assert not [p for p in report["problems"] + fellow["problems"] if p["code"] == "FC141"]


def test_a_row_of_date_ranges_under_block_labels_dates_them(make_xlsx):
    """Not a fellow called "Dates": the row under the labels says when each block is."""
    path = make_xlsx({"Grid": [["Fellow", "Track", "Block 1", "Block 2", "Block 3"],
                               ["Dates", None, "7/6 - 7/31", "8/3 - 8/28", "8/31 - 9/25"],
                               ["Dr A", "pmr", "MIPS", "MIPS", "Gonda"]]})
    _, report = check_json(path, "--as-of", "2027-06-30")
    assert [f["fellow"] for f in report["fellows"]] == ["Dr A"]
    fellow, rows = rows_of(report, "Dr A")
    assert rows["mips"]["completed"] == 8 and rows["gonda"]["completed"] == 4
    assert not [p for p in report["problems"] + fellow["problems"] if p["severity"] == "error"]

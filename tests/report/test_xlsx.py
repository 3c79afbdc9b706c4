from __future__ import annotations

import dataclasses
import io
import subprocess
import sys

import openpyxl
import pytest

from fellowcheck.report import SUFFIX_FORMATS, Format, RenderOptions, renderer
from fellowcheck.report.xlsx import MAX_SHEET_NAME, SheetNames

from .sample_report import COMPLIANT_FELLOW, GAP_FELLOW, INJECTION

GREEN, BLUE, RED, YELLOW, GREY = "FFC6EFCE", "FFDDEBF7", "FFFFC7CE", "FFFFEB9C", "FFEDEDED"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def workbook(report) -> openpyxl.Workbook:
    data = renderer(Format.XLSX)(report, RenderOptions())
    assert isinstance(data, bytes) and data[:2] == b"PK"
    return openpyxl.load_workbook(io.BytesIO(data))


def fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def test_registered():
    assert Format("xlsx") is Format.XLSX
    assert SUFFIX_FORMATS[".xlsx"] is Format.XLSX


def test_sheets(report):
    book = workbook(report)
    assert book.sheetnames == ["Summary", GAP_FELLOW, INJECTION, COMPLIANT_FELLOW, "Problems"]


def test_summary_grid(report):
    sheet = workbook(report)["Summary"]
    assert [c.value for c in sheet[1]] == [
        "Fellow", "Track", "Status", "Gaps",
        "Methodist Campus Inpatient Pain Service (MIPS) (weeks completed)",
        "Gonda 15 procedures (weeks completed)", "Continuity clinic (half-days completed)",
        "Saint Marys Campus Inpatient Pain Service (SIPS) (weeks completed)",
        "Electromyography (EMG) (weeks completed)"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:I4"
    assert [c.value for c in sheet["A"][1:4]] == [GAP_FELLOW, "'" + INJECTION, COMPLIANT_FELLOW]
    assert [(c.value, fill(c)) for c in sheet["C"][1:4]] == [
        ("GAP", RED), ("on track", BLUE), ("compliant", GREEN)]
    assert [c.value for c in sheet["D"][1:4]] == [1, 0, 0]

    mips, gonda, clinic, sips, emg = sheet[2][4:9]
    assert (mips.value, fill(mips), mips.number_format) == (6, RED, 'General" (+5) / 13"')
    assert (gonda.value, fill(gonda), gonda.number_format) == (8, YELLOW, 'General" (+1) / 7-8"')
    assert (clinic.value, fill(clinic)) == (60, GREEN)
    assert (sips.value, fill(sips)) == ("n/a", GREY)
    assert (emg.value, fill(emg), emg.number_format) == (0, GREEN, 'General" / max 1"')
    on_track = sheet["G3"]
    assert (on_track.value, fill(on_track), on_track.number_format) == (
        30.5, BLUE, 'General" (+29.5) / 60"')


def test_summary_links_to_fellow_sheets(report):
    sheet = workbook(report)["Summary"]
    assert sheet["A2"].hyperlink.location == f"'{GAP_FELLOW}'!A1"
    assert sheet["A3"].hyperlink.location == f"'{INJECTION}'!A1"


def test_legend(report):
    sheet = workbook(report)["Summary"]
    cells = {c.value: c for c in sheet["A"] if c.value}
    assert cells["Legend"].row == 6
    legend = [(c.value, fill(c)) for c in sheet["A"][6:11]]
    assert legend == [("met", GREEN), ("on track", BLUE), ("GAP", RED), ("over max", YELLOW),
                      ("n/a", GREY)]
    assert sheet.cell(row=9, column=2).value.startswith("the minimum is not reached")


def test_fellow_sheet(report):
    sheet = workbook(report)[GAP_FELLOW]
    assert sheet["A1"].value == GAP_FELLOW
    assert sheet["A2"].value.startswith("Track: anesthesia · Status: GAP · Gaps: 1")
    assert "Problems: 1 errors, 1 warnings" in sheet["A2"].value
    assert [c.value for c in sheet[4]] == [
        "Rotation", "Rotation id", "Requirement", "Unit", "Min", "Max", "Completed", "Scheduled",
        "Remaining", "Unscheduled", "Status"]
    assert sheet.freeze_panes == "B5"
    assert sheet.auto_filter.ref == "A4:K9"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=9)]
    assert rows[0] == ["Methodist Campus Inpatient Pain Service (MIPS)", "mips", "required",
                       "week", 13, None, 6, 5, 7, 2, "GAP"]
    assert rows[3][2] == "not_applicable"
    assert [fill(sheet.cell(row=r, column=11)) for r in range(5, 10)] == [
        RED, YELLOW, GREEN, GREY, GREEN]


def test_problems_sheet(report):
    sheet = workbook(report)["Problems"]
    assert [c.value for c in sheet[1]] == [
        "Severity", "Code", "Problem", "Fellow", "File", "Sheet", "Row", "Column", "Message",
        "Hint"]
    assert sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=5)]
    assert [row[:2] for row in rows] == [["error", "FC105"], ["warning", "FC130"],
                                         ["error", "FC110"], ["warning", "FC301"]]
    assert rows[2][3:8] == [GAP_FELLOW, "schedules/lima.csv", None, 7, "Weeks"]
    assert [fill(sheet.cell(row=r, column=1)) for r in range(2, 6)] == [RED, YELLOW, RED, YELLOW]


def test_no_cell_can_run_as_a_formula(report):
    evil_rotation = dataclasses.replace(report.fellows[1].requirements[0].requirement,
                                        rotation="+cmd|' /C calc'!A0")
    evil_result = dataclasses.replace(report.fellows[1].requirements[0],
                                      requirement=evil_rotation)
    evil = dataclasses.replace(report.fellows[1], track="@SUM(1)",
                               requirements=(evil_result,))
    book = workbook(dataclasses.replace(report, fellows=(evil,)))
    texts = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
    assert "'" + INJECTION in texts and "'+cmd|' /C calc'!A0" in texts and "'@SUM(1)" in texts


@pytest.mark.parametrize("wanted, expected", [
    ("Dr. A", "Dr. A"),
    ("a[b]c:d*e?f/g\\h", "a_b_c_d_e_f_g_h"),
    ("x" * 40, "x" * 31),
    ("'quoted'", "quoted"),
    ("", "Fellow"),
    ("summary", "summary (2)"),
    ("History", "History (2)"),
])
def test_sheet_names(wanted, expected):
    assert SheetNames(reserved=("Summary", "Problems")).add(wanted) == expected


def test_sheet_names_are_unique_regardless_of_case_and_length():
    names = SheetNames()
    long = "Dr. Alexandra Konstantinopoulou-Smith"
    made = [names.add(name) for name in (long, long, "DR. ALEXANDRA KONSTANTINOPOULOU-SMITH",
                                          "dr. a", "Dr. A")]
    assert made == ["Dr. Alexandra Konstantinopoulou", "Dr. Alexandra Konstantinopo (2)",
                    "DR. ALEXANDRA KONSTANTINOPO (3)", "dr. a", "Dr. A (2)"]
    assert len({name.casefold() for name in made}) == len(made)
    assert all(len(name) <= MAX_SHEET_NAME for name in made)


def test_awkward_names_make_a_workbook_excel_opens(report):
    base = report.fellows[2]
    names = ["Dr. Alexandra Konstantinopoulou-Smith", "Dr. Alexandra Konstantinopoulou-Smyth",
             "Summary", "a/b", "a\\b", "'", "History", "Dr. O'Brien"]
    fellows = tuple(dataclasses.replace(base, fellow=name) for name in names)
    book = workbook(dataclasses.replace(report, fellows=fellows))
    titles = book.sheetnames[1:-1]
    assert len(titles) == len(names)
    assert len({t.casefold() for t in titles} | {"summary", "problems"}) == len(names) + 2
    assert all(0 < len(t) <= 31 and not set(t) & set("[]:*?/\\") for t in titles)
    summary = book["Summary"]
    for row, title in enumerate(titles, start=2):
        quoted = title.replace("'", "''")
        assert summary.cell(row=row, column=1).hyperlink.location == f"'{quoted}'!A1"
    assert "Dr. O'Brien" in titles


def test_empty_report(empty_report):
    book = workbook(empty_report)
    assert book.sheetnames == ["Summary", "Problems"]
    assert [c.value for c in book["Summary"][1]] == ["Fellow", "Track", "Status", "Gaps"]
    assert book["Problems"]["A2"].value == "No problems found."


def test_xlsxwriter_is_imported_only_to_render():
    code = ("import sys, fellowcheck.report.xlsx; "
            "assert 'xlsxwriter' not in sys.modules, 'imported at module top'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_report_is_dated_by_its_as_of_date_not_by_the_clock(report):
    # The only time in the file: so the same report is the same bytes, whenever written.
    import datetime as dt
    import zipfile

    report = dataclasses.replace(report, as_of=dt.date(2027, 6, 30))
    data = renderer(Format.XLSX)(report, RenderOptions())
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert ">2027-06-30T00:00:00Z</dcterms:created>" in core
    assert data == renderer(Format.XLSX)(report, RenderOptions())


def test_time_on_a_rotation_outside_the_track_shows_in_the_summary(report):
    """n/a with nothing logged; the time, marked n/a, when some was (it is in the JSON)."""
    import dataclasses

    from fellowcheck.model import Status

    fellow = report.fellows[0]
    sips = next(r for r in fellow.requirements if r.status is Status.NOT_APPLICABLE)
    logged = dataclasses.replace(sips, completed=2.0)
    fellow = dataclasses.replace(fellow, requirements=tuple(
        logged if r is sips else r for r in fellow.requirements))
    sheet = workbook(dataclasses.replace(report, fellows=(fellow,)))["Summary"]
    cell = next(c for c in sheet[2] if c.value == 2.0)
    assert cell.number_format == 'General" / n/a"'


def test_completed_time_is_rounded_as_the_scheduled_time_is(report):
    import dataclasses

    fellow = report.fellows[0]
    first = dataclasses.replace(fellow.requirements[0], completed=14.2857142)
    fellow = dataclasses.replace(fellow, requirements=(first, *fellow.requirements[1:]))
    sheet = workbook(dataclasses.replace(report, fellows=(fellow,)))["Summary"]
    assert sheet["E2"].value == 14.29

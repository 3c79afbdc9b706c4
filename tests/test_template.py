"""`fellowcheck template`: the fill-in workbook, and that fellowcheck reads it back filled in."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from fellowcheck.cli import app
from fellowcheck.model import Kind, Unit
from fellowcheck.reading.columns import find_header
from fellowcheck.reading.grid import find_grid_header
from fellowcheck.reading.roster import find_roster_header
from fellowcheck.reading.workbook import read_workbook
from fellowcheck.requirements import load_requirements
from fellowcheck.template import (
    INSTRUCTIONS, LISTS, ROSTER, ROSTER_COLUMNS, SCHEDULE, SCHEDULE_COLUMNS, RosterFellow,
    build_template, parse_fellow, parse_fellows,
)

runner = CliRunner()
AS_OF = "2026-11-25"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def template_book(table, fellows=()) -> openpyxl.Workbook:
    data = build_template(table, list(fellows))
    assert isinstance(data, bytes) and data[:2] == b"PK"
    return openpyxl.load_workbook(io.BytesIO(data))


def list_values(book, validation) -> list:
    """The values a list dropdown offers: the cells of its Lists range."""
    sheet_name, cells = validation.formula1.split("!")
    return [row[0].value for row in book[sheet_name][cells.replace("$", "")]]


def column_format(sheet, letter: str) -> str:
    """The number format of a whole column (xlsxwriter writes alike columns as one range)."""
    index = openpyxl.utils.column_index_from_string(letter)
    [found] = [d for d in sheet.column_dimensions.values() if d.min <= index <= d.max]
    return found.number_format


def flat(output: str) -> str:
    """Command output without the error box's borders and line breaks."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def validation_at(sheet, cell: str):
    [found] = [v for v in sheet.data_validations.dataValidation if cell in v.sqref]
    return found


def test_sheets_and_headers(table):
    book = template_book(table, [RosterFellow("Dr. Ana Ruiz", "anesthesia")])
    assert book.sheetnames == [INSTRUCTIONS, ROSTER, SCHEDULE, LISTS]
    assert book[LISTS].sheet_state == "hidden"
    assert [c.value for c in book[SCHEDULE][1]] == list(SCHEDULE_COLUMNS)
    assert [c.value for c in book[ROSTER][1]] == list(ROSTER_COLUMNS)
    assert [c.value for c in book[ROSTER][2]] == ["Dr. Ana Ruiz", "anesthesia", None, None]
    assert book[SCHEDULE].freeze_panes == "A2" and book[ROSTER].freeze_panes == "A2"
    for column in "DE":
        assert column_format(book[SCHEDULE], column) == "yyyy-mm-dd"
    for column in "CD":
        assert column_format(book[ROSTER], column) == "yyyy-mm-dd"
    assert column_format(book[SCHEDULE], "C") == "General"


def test_dropdowns_come_from_the_requirement_table(table):
    book = template_book(table)
    schedule = book[SCHEDULE]
    rotations = validation_at(schedule, "C2")
    assert rotations.type == "list" and rotations.formula1.startswith("Lists!")
    assert list_values(book, rotations) == [
        *(r.rotation for r in table.requirements), "Vacation", "Leave"]
    assert list_values(book, validation_at(schedule, "G2")) == [unit.value for unit in Unit]
    assert list_values(book, validation_at(schedule, "H2")) == [
        "completed", "scheduled", "cancelled"]
    assert list_values(book, validation_at(schedule, "B2")) == list(table.tracks)
    assert list_values(book, validation_at(book[ROSTER], "B2")) == list(table.tracks)
    assert validation_at(schedule, "D2").type == "date"
    assert validation_at(schedule, "F2").type == "decimal"
    # closed lists refuse other values; rotations and tracks only warn (aliases, specialties)
    assert validation_at(schedule, "G2").errorStyle in (None, "stop")
    assert validation_at(schedule, "C2").errorStyle == "warning"


def test_dropdowns_follow_another_table(tmp_path):
    path = tmp_path / "requirements.csv"
    path.write_text("id,rotation,unit,concurrent,aliases,notes,core,research\n"
                    "wards,Wards,week,no,,,required 4,required 2\n"
                    "lab,Laboratory,day,no,Lab,,elective,required 10\n")
    other = load_requirements(path)
    book = template_book(other)
    assert list_values(book, validation_at(book[SCHEDULE], "C2")) == [
        "Wards", "Laboratory", "Vacation", "Leave"]
    assert list_values(book, validation_at(book[SCHEDULE], "B2")) == ["core", "research"]


def test_instructions_explain_columns_units_and_statuses(table):
    sheet = template_book(table)[INSTRUCTIONS]
    terms = [row[0] for row in sheet.iter_rows(values_only=True)]
    text = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row
                    if cell)
    for word in (*SCHEDULE_COLUMNS, *(u.value for u in Unit), "completed", "scheduled",
                 "cancelled", *table.tracks, *(r.rotation for r in table.requirements)):
        assert word in terms
    assert "10 half-days" in text and "MIPS" in text and "--as-of" in text


def test_helper_sheets_never_look_like_a_schedule(tmp_path):
    """Instructions and Lists are skipped by the readers even when unhidden, and even when the
    requirement table's names are header words (Service, Fellow) or week labels."""
    path = tmp_path / "requirements.csv"
    path.write_text("id,rotation,unit,concurrent,aliases,notes,track,status\n"
                    "service,Service,week,no,Rotation;Start,,required 1,required 1\n"
                    "fellow,Fellow,week,no,Weeks,,required 1,elective\n"
                    "week-1,Week 1,week,no,,,elective,required 2\n"
                    "week-2,Week 2,day,no,,,elective,elective\n")
    for table in (load_requirements(), load_requirements(path)):
        out = tmp_path / "template.xlsx"
        out.write_bytes(build_template(table, [RosterFellow("A", table.tracks[0])]))
        sheets = {s.sheet: s for s in read_workbook(out, [INSTRUCTIONS, LISTS, ROSTER, SCHEDULE])}
        for name in (INSTRUCTIONS, LISTS):
            assert sheets[name].rows, name
            assert find_header(sheets[name].rows) is None, name
            assert find_roster_header(sheets[name]) is None, name
            assert find_grid_header(sheets[name].rows) is None, name
        assert find_header(sheets[SCHEDULE].rows) is not None
        assert find_roster_header(sheets[ROSTER]) is not None
        # what the check reads by default: the visible sheets, Lists not among them
        assert [s.sheet for s in read_workbook(out)] == [INSTRUCTIONS, ROSTER, SCHEDULE]


def test_parse_fellow(table):
    assert parse_fellow("Dr. Ana Ruiz:anesthesia", table) == RosterFellow("Dr. Ana Ruiz",
                                                                         "anesthesia")
    assert parse_fellow(" Dr.  Lee : PM&R ", table) == RosterFellow("Dr. Lee", "pmr")
    assert parse_fellow("Dr. Okafor:Neurology", table).track == "non-anesthesia"
    assert parse_fellow("Dr. Kim", table) == RosterFellow("Dr. Kim", None)
    assert parse_fellow("Ruiz: Ana:pmr", table) == RosterFellow("Ruiz: Ana", "pmr")
    for bad in ("Dr. Kim:surgery-track", ":pmr", "Dr. Kim:"):
        with pytest.raises(ValueError):
            parse_fellow(bad, table)
    with pytest.raises(ValueError, match="twice"):
        parse_fellows(["A:pmr", "a:anesthesia"], table)


# --- the command ---------------------------------------------------------------------------

def test_command_writes_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "schedule.xlsx"
    result = run("template", out, "--fellow", "Dr. Ana Ruiz:anesthesia", "--fellow", "Dr. Lee:pmr")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert [r[:2] for r in book[ROSTER].iter_rows(min_row=2, values_only=True)] == [
        ("Dr. Ana Ruiz", "anesthesia"), ("Dr. Lee", "pmr")]
    assert not [p for p in tmp_path.iterdir() if p.name != out.name]  # no temporary left over

    before = out.read_bytes()
    result = run("template", out)
    assert result.exit_code == 2 and "--force" in flat(result.output)
    assert out.read_bytes() == before
    result = run("template", out, "--force")
    assert result.exit_code == 0
    assert openpyxl.load_workbook(out)[ROSTER].max_row == 1


@pytest.mark.parametrize("args, message", [
    (["--fellow", "Dr. Kim:dentistry"], "not a track"),
    (["--fellow", "Dr. Kim:pmr", "--fellow", "DR KIM:pmr"], "twice"),
])
def test_command_usage_errors(tmp_path, args, message):
    out = tmp_path / "schedule.xlsx"
    result = run("template", out, *args)
    assert result.exit_code == 2 and message in flat(result.output)
    assert not out.exists()


def test_command_wants_an_xlsx_file(tmp_path):
    result = run("template", tmp_path / "schedule.ods")
    assert result.exit_code == 2 and not (tmp_path / "schedule.ods").exists()
    result = run("template", tmp_path)
    assert result.exit_code == 2


def test_command_with_a_bad_requirement_table(tmp_path):
    table = tmp_path / "requirements.csv"
    table.write_text("id,rotation,unit,concurrent,aliases,notes,pmr\nmips,MIPS,fortnight,no,,,"
                     "required 2\n")
    result = run("template", tmp_path / "t.xlsx", "--requirements", table)
    assert result.exit_code == 2 and "fortnight" in result.output


# --- filled in and checked -----------------------------------------------------------------

def fill_schedule(path: Path, table, fellows: dict[str, str]) -> None:
    """Fill the template as a coordinator would: roster dates, then one row per required
    rotation, some by dates, some by amount and unit, with and without a status."""
    book = openpyxl.load_workbook(path)
    roster = book[ROSTER]
    for row in range(2, 2 + len(fellows)):
        roster.cell(row, 3, dt.date(2026, 7, 1))
        roster.cell(row, 4, dt.date(2027, 6, 30))
    schedule = book[SCHEDULE]
    for fellow, track in fellows.items():
        monday = dt.date(2026, 7, 6)
        for requirement in table.requirements:
            rule = requirement.rules[track]
            if rule.kind is not Kind.REQUIRED:
                continue
            if requirement.unit is Unit.WEEK and not requirement.concurrent:
                end = monday + dt.timedelta(weeks=int(rule.min), days=-3)  # a Friday
                schedule.append([fellow, None, requirement.rotation, monday, end])
                monday += dt.timedelta(weeks=int(rule.min))
            else:
                schedule.append([fellow, None, requirement.rotation, None, None, rule.min,
                                 requirement.unit.value, "completed"])
        schedule.append([fellow, None, "Vacation", monday, monday + dt.timedelta(days=4), None,
                         None, "scheduled"])
    book.save(path)


def test_filled_template_checks_without_problems(tmp_path):
    table = load_requirements()
    out = tmp_path / "schedule.xlsx"
    result = run("template", out, "--fellow", "Dr. Ana Ruiz:anesthesia",
                 "--fellow", "Dr. Samuel Okafor:Neurology")
    assert result.exit_code == 0
    fill_schedule(out, table, {"Dr. Ana Ruiz": "anesthesia",
                               "Dr. Samuel Okafor": "non-anesthesia"})

    result = run("check", out, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["problems"] == []
    assert {f["fellow"]: (f["track"], f["problems"]) for f in report["fellows"]} == {
        "Dr. Ana Ruiz": ("anesthesia", []), "Dr. Samuel Okafor": ("non-anesthesia", [])}
    for fellow in report["fellows"]:
        assert fellow["status"] in ("compliant", "on_track")
        assert fellow["leave_weeks"] == 1
        mips = next(r for r in fellow["requirements"] if r["rotation_id"] == "mips")
        assert mips["completed"] + mips["scheduled"] == 13
    assert result.exit_code == 0


def test_command_uses_the_settings_files_table(tmp_path, monkeypatch):
    (tmp_path / "ours.csv").write_text("id,rotation,unit,concurrent,aliases,notes,core\n"
                                       "wards,Wards,week,no,,,required 4\n")
    (tmp_path / "fellowcheck.toml").write_text('requirements = "ours.csv"\n')
    monkeypatch.chdir(tmp_path)
    result = run("template", "t.xlsx", "--fellow", "A:core")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert list_values(book, validation_at(book[SCHEDULE], "C2")) == ["Wards", "Vacation",
                                                                       "Leave"]

"""Round trips through LibreOffice: the workbooks fellowcheck writes open in another office
suite with the values intact, and files that suite writes are read as the CSV they came from.

Each conversion runs `soffice --headless` with its own user profile (so parallel runs do not
clash) and a time limit. Sheets are exported to CSV, one file per sheet (the -1 sheet option
of LibreOffice 7.2+); an older LibreOffice converts to .ods, read back with python-calamine.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from fellowcheck.cli import app

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice (soffice) is not installed")

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
AS_OF = "2026-11-25"
TIMEOUT = 120
CSV_OPTIONS = "44,34,76,1,,0,false,true,false,false,false"  # comma, ", UTF-8, from line 1
CSV_FILTER = "Text - txt - csv (StarCalc)"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def soffice(source: Path, convert_to: str, outdir: Path, *options: str) -> None:
    """Convert `source` into `outdir` with LibreOffice, in a profile of its own."""
    profile = Path(tempfile.gettempdir()) / f"lo-profile-{uuid.uuid4().hex}"
    try:
        result = subprocess.run(
            ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             *options, "--convert-to", convert_to, "--outdir", str(outdir), str(source)],
            capture_output=True, text=True, timeout=TIMEOUT)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert result.returncode == 0, result.stderr


def sheets_of(workbook: Path, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Every sheet of `workbook` as LibreOffice reads it: sheet name -> rows of cell texts."""
    outdir = tmp_path / f"lo-{workbook.stem}-{uuid.uuid4().hex[:8]}"
    outdir.mkdir()
    soffice(workbook, f"csv:{CSV_FILTER}:{CSV_OPTIONS},-1", outdir)
    prefix = f"{workbook.stem}-"
    sheets = {path.stem[len(prefix):]: _read_csv(path) for path in outdir.glob("*.csv")
              if path.stem.startswith(prefix)}
    if sheets:
        return sheets
    # LibreOffice before 7.2 writes only the first sheet to CSV: go through .ods instead.
    soffice(workbook, "ods", outdir)
    return _read_ods(outdir / f"{workbook.stem}.ods")


def _read_csv(path: Path) -> list[list[str]]:
    import csv

    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.reader(handle)]


def _read_ods(path: Path) -> dict[str, list[list[str]]]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: [[_text(cell) for cell in row]
                   for row in book.get_sheet_by_name(name).to_python()]
            for name in book.sheet_names}


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def check_json(path: Path, *args) -> tuple[int, dict]:
    result = run("check", path, "--as-of", AS_OF, "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def fellows_of(report: dict) -> list[dict]:
    """What a report says of each fellow, without the file names it came from."""
    return [{key: value for key, value in fellow.items() if key != "sources"}
            for fellow in report["fellows"]]


def test_audit_workbook_in_libreoffice(tmp_path):
    out = tmp_path / "audit.xlsx"
    result = run("check", SAMPLES / "all-fellows.csv", "--as-of", AS_OF, "-o", out)
    assert result.exit_code == 1 and out.is_file()
    _, report = check_json(SAMPLES / "all-fellows.csv")

    sheets = sheets_of(out, tmp_path)
    fellows = ["Dr. Maya Patel", "Dr. Samuel Okafor", "Dr. Lena Fischer"]
    assert set(sheets) == {"Summary", *fellows, "Problems"}
    summary = sheets["Summary"]
    assert summary[0][:4] == ["Fellow", "Track", "Status", "Gaps"]
    assert [row[:4] for row in summary[1:4]] == [
        ["Dr. Maya Patel", "anesthesia", "compliant", "0"],
        ["Dr. Samuel Okafor", "non-anesthesia", "GAP", "4"],
        ["Dr. Lena Fischer", "pmr", "on track", "0"]]
    labels = {"met": "met", "on_track": "on track", "gap": "GAP", "over": "over max",
              "not_applicable": "n/a"}
    for fellow in report["fellows"]:
        rows = sheets[fellow["fellow"]]
        header = rows.index(next(r for r in rows if r[:2] == ["Rotation", "Rotation id"]))
        statuses = {row[1]: row[-1] for row in rows[header + 1:] if row[1]}
        assert statuses == {r["rotation_id"]: labels[r["status"]]
                            for r in fellow["requirements"]}
        assert rows[0][0] == fellow["fellow"]
    assert sheets["Problems"][1][0] == "No problems found."


def test_template_in_libreoffice(tmp_path):
    out = tmp_path / "template.xlsx"
    result = run("template", out, "--fellow", "Dr. Ana Ruiz:anesthesia", "--fellow",
                 "Dr. Lee:PM&R")
    assert result.exit_code == 0
    sheets = sheets_of(out, tmp_path)
    assert set(sheets) == {"Instructions", "Roster", "Schedule", "Lists"}
    assert sheets["Schedule"][0] == ["Fellow", "Track", "Rotation", "Start", "End", "Amount",
                                     "Unit", "Status"]
    assert [row[:2] for row in sheets["Roster"]] == [
        ["Fellow", "Track"], ["Dr. Ana Ruiz", "anesthesia"], ["Dr. Lee", "pmr"]]
    lists = [cell for row in sheets["Lists"] for cell in row if cell]
    for value in ("Methodist Campus Inpatient Pain Service (MIPS)", "Vacation", "Leave",
                  "half-day", "cancelled", "non-anesthesia"):
        assert value in lists
    terms = [row[0] for row in sheets["Instructions"] if row]
    assert {"Rotation", "Amount", "half-day", "scheduled"} <= set(terms)


def test_template_filled_and_saved_by_libreoffice(tmp_path):
    """Saved again by LibreOffice (as .xlsx and .ods), a filled template reads as before:
    the hidden Lists sheet stays hidden, the Instructions sheet is still skipped."""
    out = tmp_path / "filled.xlsx"
    assert run("template", out, "--fellow", "Dr. Ana Ruiz:anesthesia").exit_code == 0
    book = openpyxl.load_workbook(out)
    book["Roster"]["C2"], book["Roster"]["D2"] = dt.date(2026, 7, 1), dt.date(2027, 6, 30)
    for row in (["Dr. Ana Ruiz", None, "Methodist Campus Inpatient Pain Service (MIPS)",
                 dt.date(2026, 7, 6), dt.date(2026, 10, 2)],
                ["Dr. Ana Ruiz", None, "Continuity clinic", None, None, 20, "half-day",
                 "completed"],
                ["Dr. Ana Ruiz", None, "Vacation", dt.date(2026, 10, 5), dt.date(2026, 10, 9)]):
        book["Schedule"].append(row)
    book.save(out)
    code, report = check_json(out)
    assert report["problems"] == [] and report["fellows"][0]["problems"] == []

    for suffix in ("xlsx", "ods"):
        outdir = tmp_path / f"saved-{suffix}"
        outdir.mkdir()
        soffice(out, suffix, outdir)
        saved_code, saved = check_json(outdir / f"filled.{suffix}")
        assert (saved_code, fellows_of(saved), saved["problems"]) == (
            code, fellows_of(report), [])


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_office_written_workbook_reads_like_the_csv(tmp_path, suffix):
    source = tmp_path / "all-fellows.csv"
    source.write_bytes((SAMPLES / "all-fellows.csv").read_bytes())
    soffice(source, suffix, tmp_path / "office",
            f"--infilter={CSV_FILTER}:44,34,76,1,,0,false,true")
    converted = tmp_path / "office" / f"all-fellows.{suffix}"
    assert converted.is_file()

    csv_code, from_csv = check_json(source)
    office_code, from_office = check_json(converted)
    assert office_code == csv_code == 1
    assert fellows_of(from_office) == fellows_of(from_csv)
    assert from_office["problems"] == from_csv["problems"] == []
    assert [f["fellow"] for f in from_office["fellows"]] == [
        "Dr. Maya Patel", "Dr. Samuel Okafor", "Dr. Lena Fischer"]


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_a_sheet_hidden_in_a_libreoffice_file_is_skipped(tmp_path, suffix):
    """A hidden sheet (an old year kept out of sight) is not read, in either format."""
    book = openpyxl.Workbook()
    book.active.title = "Schedule"
    hidden = book.create_sheet("Last year")
    for sheet, name in ((book.active, "Dr. Ana Lima"), (hidden, "Dr. Old Fellow")):
        sheet.append(["Fellow", "Track", "Rotation", "Weeks", "Status"])
        sheet.append([name, "anesthesia", "MIPS", 2, "completed"])
    hidden.sheet_state = "hidden"
    source = tmp_path / "hidden.xlsx"
    book.save(source)
    soffice(source, suffix, tmp_path / "office")

    _, report = check_json(tmp_path / "office" / f"hidden.{suffix}")
    assert [f["fellow"] for f in report["fellows"]] == ["Dr. Ana Lima"]


def test_merged_cells_saved_by_libreoffice_as_ods_count_as_in_xlsx(tmp_path):
    """A block merged over three week columns, and a name merged over two rows, count the
    same in the .ods LibreOffice saves as in the .xlsx it came from."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Grid"
    start = dt.date(2026, 7, 6)
    sheet.append(["Fellow", "Track", *[start + dt.timedelta(weeks=i) for i in range(4)]])
    sheet.append(["Dr A", "pmr", "Gonda", None, None, None])
    sheet.append([None, None, None, None, None, "MIPS"])
    sheet.merge_cells("C2:E2")
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    source = tmp_path / "merged.xlsx"
    book.save(source)
    soffice(source, "ods", tmp_path / "office")
    code, from_xlsx = check_json(source)
    ods_code, from_ods = check_json(tmp_path / "office" / "merged.ods")
    assert (ods_code, fellows_of(from_ods)) == (code, fellows_of(from_xlsx))
    done = {r["rotation_id"]: r["completed"] for r in fellows_of(from_ods)[0]["requirements"]}
    assert (done["gonda"], done["mips"]) == (3, 1)
    assert fellows_of(from_ods)[0]["problems"] == []

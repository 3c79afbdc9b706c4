"""Writes the sample schedules in this folder (run: python samples/make_samples.py).

Three fellows, one per track, each as .xlsx (date cells, a title row above the header) and
.csv (ISO dates), plus all-fellows.csv with the three together:

- compliant-anesthesia: Dr. Maya Patel, anesthesiology, a finished 2025-26 year that meets
  every requirement.
- gaps-neurology: Dr. Samuel Okafor, neurology (non-anesthesia track), a finished 2025-26 year
  with gaps (no SIPS, 11 of 13 weeks of MIPS, 6 of 7 weeks of Gonda, 40 clinic half-days).
- midyear-pmr: Dr. Lena Fischer, PM&R, the 2026-27 year in progress: no Status column, so
  fellowcheck splits each dated row at --as-of (try --as-of 2026-11-25).
- program-2026-27.xlsx and .ods: the whole 2026-27 program year as a coordinator keeps it:
  a title row, a block grid of 4-week blocks (July to early March), a grid of weekly columns
  (March to June), a sheet of continuity clinic and simulation entries, a roster sheet with
  base specialties and fellowship dates, and a notes sheet. Six fellows, two per track.
  Written with openpyxl, then opened and saved by LibreOffice
  (soffice --headless --convert-to xlsx / ods), so the files are as an office suite writes them.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

HERE = Path(__file__).parent
HEADER = ["Fellow", "Track", "Rotation", "Start", "End", "Amount", "Unit", "Status"]


def blocks(fellow, track, first_monday, plan, status):
    """Consecutive week blocks from `first_monday`: rows with start and end dates."""
    rows, monday = [], first_monday
    for rotation, weeks in plan:
        friday = monday + dt.timedelta(weeks=weeks, days=-3)
        rows.append([fellow, track, rotation, monday, friday, None, None, status])
        monday += dt.timedelta(weeks=weeks)
    return rows


def monthly(fellow, track, first_monday, rotation, amounts, unit, status):
    """Longitudinal rows (continuity clinic, conferences): one per month, by amount."""
    rows = []
    for month, amount in enumerate(amounts):
        start = first_monday + dt.timedelta(weeks=4 * month)
        end = start + dt.timedelta(weeks=4, days=-3)
        rows.append([fellow, track, rotation, start, end, amount, unit, status])
    return rows


def patel():
    who, track, start = "Dr. Maya Patel", "Anesthesiology", dt.date(2025, 7, 7)
    plan = [("Anatomy dissection laboratory", 1), ("MIPS", 6), ("Gonda 15 procedures", 4),
            ("Spine Center", 2), ("Palliative care", 1), ("Inpatient cancer-associated pain", 2),
            ("Vacation", 1), ("Pain psychiatry", 2), ("Pain medicine ultrasound", 1),
            ("MIPS", 4), ("Pain Rehabilitation Center", 1), ("Headache Clinic", 1),
            ("Vacation", 2), ("Gonda 15 procedures", 4), ("EMG", 1), ("MIPS", 3),
            ("Pediatrics", 1), ("Diagnostic radiology", 1), ("Scottsdale", 2), ("Vacation", 1)]
    rows = blocks(who, track, start, plan, "completed")
    rows += monthly(who, track, start, "Continuity clinic", [6] * 10, "half days", "completed")
    rows += monthly(who, track, start, "Neuroscience course", [2, 1, 2, 1], "conferences",
                    "completed")
    rows.append([who, track, "Simulation Center", dt.date(2025, 8, 14), dt.date(2025, 8, 14),
                 None, None, "completed"])
    return rows


def okafor():
    who, track, start = "Dr. Samuel Okafor", "Neurology", dt.date(2025, 7, 7)
    plan = [("Anesthesia skills training", 2), ("Anatomy lab", 1), ("MIPS", 6),
            ("Gonda", 3), ("Palliative care", 1), ("Vacation", 1), ("Cancer pain", 2),
            ("Spine Center", 1), ("Pain psychiatry", 2), ("MIPS", 5), ("Ultrasound", 1),
            ("Gonda", 3), ("PRC", 1), ("Vacation", 2), ("Headache Clinic", 1)]
    rows = blocks(who, track, start, plan, "completed")
    rows += monthly(who, track, start, "Continuity clinic", [4] * 10, "half days", "completed")
    rows.append([who, track, "Sim center", dt.date(2025, 9, 4), dt.date(2025, 9, 4), None, None,
                 "completed"])
    return rows


def fischer():
    who, track, start = "Dr. Lena Fischer", "PM&R", dt.date(2026, 7, 6)
    plan = [("Anesthesia skills training", 1), ("Anatomy dissection laboratory", 1),
            ("MIPS", 5), ("SIPS", 2), ("Gonda 15 procedures", 4), ("Palliative care", 1),
            ("Vacation", 1), ("Inpatient cancer-associated pain", 2), ("Pain psychiatry", 2),
            ("MIPS", 4), ("Pain medicine ultrasound", 1), ("Gonda 15 procedures", 4),
            ("Vacation", 2), ("Pain Rehabilitation Center", 1), ("MIPS", 4), ("EMG", 1),
            ("Spine Center", 1), ("Vacation", 1)]
    rows = blocks(who, track, start, plan, None)
    rows += monthly(who, track, start, "Continuity clinic", [6] * 10, "half days", None)
    rows.append([who, track, "Simulation Center", dt.date(2027, 1, 14), dt.date(2027, 1, 14),
                 None, None, None])
    return rows


PROGRAM_START = dt.date(2026, 7, 6)
# Blocks: nine 4-week blocks from July 6; weeks: sixteen weekly columns after them.
PROGRAM = {
    ("Dr. Ana Ruiz", "Anesthesiology"): (
        ["MIPS", "Gonda", "MIPS", "Cancer pain", "Pain psychiatry", "MIPS", "Gonda", "Scottsdale",
         "Scottsdale"],
        ["Anatomy lab", "Palliative care", "PRC", "Spine Center", "Spine Center", "MIPS",
         "Ultrasound", "EMG", "Headache Clinic", "Vacation", "Vacation", "Pediatrics",
         "Diagnostic radiology", "Vacation", "Vacation", None]),
    ("Dr. Ben Carter", "Anesthesiology"): (
        ["Gonda", "MIPS", "MIPS", "Pain psychiatry", "Gonda", "MIPS", "Cancer pain", "Scottsdale",
         None],
        ["Anatomy lab", "Palliative care", "Spine Center", "MIPS", "Ultrasound", "Vacation",
         "Vacation", "PRC", "Headache Clinic", "Sick leave", "Vacation", "Vacation", None, None,
         None, None]),
    ("Dr. Chloe Nguyen", "Neurology"): (
        ["Scottsdale", "MIPS", "Gonda", "MIPS", "Cancer pain", "MIPS", "Gonda",
         "Pain psychiatry", "Scottsdale"],
        ["Anatomy lab", "SIPS", "SIPS", "Palliative care", "PRC", "Spine Center", "MIPS",
         "Ultrasound", "Vacation", "Vacation", "Anesthesia skills", "Anesthesia skills",
         "Vacation", "Vacation", "Headache Clinic", None]),
    ("Dr. David Osei", "Internal Medicine"): (
        ["Scottsdale", "MIPS", "Gonda", "MIPS", "Cancer pain", "MIPS", "Gonda",
         "Pain psychiatry", "Scottsdale"],
        ["Anatomy lab", "Palliative care", "PRC", "Spine Center", "MIPS", "Ultrasound",
         "Vacation", "Vacation", "Anesthesia skills", "EMG", "Vacation", "Vacation", None, None,
         None, None]),  # no SIPS scheduled: a gap
    ("Dr. Emma Schultz", "PM&R"): (
        ["Scottsdale", "MIPS", "Gonda", "MIPS", "Cancer pain", "MIPS", "Gonda",
         "Pain psychiatry", "Scottsdale"],
        ["Anatomy lab", "SIPS", "SIPS", "Palliative care", "PRC", "MIPS", "Ultrasound", "EMG",
         "Vacation", "Vacation", "Anesthesia skills", "Vacation", "Vacation", None, None, None]),
    ("Dr. Farid Haddad", "Physical Medicine & Rehabilitation"): (
        ["MIPS", "Scottsdale", "Gonda", "MIPS", "Pain psychiatry", "MIPS", "Cancer pain",
         "Gonda", None],
        ["Anatomy lab", "SIPS", "SIPS", "Palliative care", "PRC", "Ultrasound", "Vacation",
         "Anesthesia skills", "Vacation", "Vacation", "Vacation", "Gonda", None, None, None,
         None]),  # 12 of 13 weeks of MIPS, 20 half-days of clinic short, a ninth Gonda week
}


def write_program(path: Path) -> None:
    """The whole program year as a coordinator keeps it (see the module docstring)."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A1"] = "Pain Medicine Fellowship schedule, academic year 2026-27"
    notes["A3"] = "Blocks: 4-week blocks, July to March. Weeks: weekly columns, March to June."
    notes["A4"] = "Continuity clinic half days and simulation days are on the Clinic sheet."

    block_starts = [PROGRAM_START + dt.timedelta(weeks=4 * i) for i in range(9)]
    week_starts = [block_starts[-1] + dt.timedelta(weeks=4 + i) for i in range(16)]
    for title, starts, part in (("Blocks", block_starts, 0), ("Weeks", week_starts, 1)):
        sheet = book.create_sheet(title)
        sheet["A1"] = f"Pain Medicine Fellowship: {title.lower()} 2026-27"
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
        sheet.append(["Fellow", *starts])
        for cell in sheet[3][1:]:
            cell.number_format = "d mmm"
        for (fellow, _), plans in PROGRAM.items():
            sheet.append([fellow, *plans[part]])
        sheet.freeze_panes = "B4"
        sheet.column_dimensions["A"].width = 20

    clinic = book.create_sheet("Clinic")
    clinic.append(["Fellow", "Rotation", "Amount", "Unit", "Start", "End"])
    for number, (fellow, _) in enumerate(PROGRAM):
        clinic.append([fellow, "Continuity clinic", 30, "half days", dt.date(2026, 7, 6),
                       dt.date(2026, 12, 18)])
        second_half = 30 if number != 5 else 20  # Dr. Haddad is 10 half-days short
        clinic.append([fellow, "Continuity clinic", second_half, "half days",
                       dt.date(2027, 1, 4), dt.date(2027, 6, 25)])
        clinic.append([fellow, "Simulation Center", 1, "day", dt.date(2026, 9, 10),
                       dt.date(2026, 9, 10)])
        for row in clinic[clinic.max_row - 2:clinic.max_row]:
            for cell in row[4:6]:
                cell.number_format = "yyyy-mm-dd"

    roster = book.create_sheet("Roster")
    roster.append(["Fellow", "Base specialty", "Fellowship start", "Fellowship end"])
    for fellow, specialty in PROGRAM:
        roster.append([fellow, specialty, dt.date(2026, 7, 1), dt.date(2027, 6, 30)])
        for cell in roster[roster.max_row][2:4]:
            cell.number_format = "yyyy-mm-dd"
    book.save(path)


def resave_with_libreoffice(path: Path) -> None:
    """Open and save `path` with LibreOffice as .xlsx and .ods, if it is installed."""
    import shutil
    import subprocess
    import tempfile

    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) not found: the program workbook stays as openpyxl wrote it")
        return
    with tempfile.TemporaryDirectory() as scratch:
        profile = f"-env:UserInstallation=file://{scratch}/profile"
        for target in ("xlsx", "ods"):
            subprocess.run(["soffice", profile, "--headless", "--convert-to", target,
                            "--outdir", scratch, str(path)], check=True, capture_output=True)
            shutil.copy(Path(scratch) / f"{path.stem}.{target}", HERE / f"{path.stem}.{target}")


def write_csv(path: Path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v
                             for v in row])


def write_xlsx(path: Path, rows, title: str) -> None:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Schedule"
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row][3:5]:
            cell.number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGH", (20, 16, 36, 12, 12, 8, 12, 11)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    book.save(path)


def main() -> None:
    samples = {"compliant-anesthesia": patel(), "gaps-neurology": okafor(),
               "midyear-pmr": fischer()}
    for name, rows in samples.items():
        write_csv(HERE / f"{name}.csv", rows)
        write_xlsx(HERE / f"{name}.xlsx", rows, f"Pain Medicine Fellowship: {rows[0][0]}")
    write_csv(HERE / "all-fellows.csv", [row for rows in samples.values() for row in rows])
    program = HERE / "program-2026-27.xlsx"
    write_program(program)
    resave_with_libreoffice(program)


if __name__ == "__main__":
    main()

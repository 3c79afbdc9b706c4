"""Files fellowcheck did not make: spreadsheets and CSV files shipped inside the installed
packages, and workbooks LibreOffice writes. Each gets a report or a clean error (exit 0, 1 or
2, no traceback), and none is changed.

The installed pandas, openpyxl and python-calamine ship no spreadsheets today; the search
covers the site-packages folder they live in (numpy's test CSV files are there), and the test
asserts that it looked. The LibreOffice part runs when `soffice` is on PATH.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fellowcheck.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv", ".tsv")
PACKAGES = ("pandas", "openpyxl", "python_calamine")
#: At most this many files are checked (sorted, so always the same ones).
MOST = 40
runner = CliRunner()


def check(*paths: Path, fmt: str = "json"):
    return runner.invoke(app, ["check", *map(str, paths), "--as-of", "2026-11-25", "--format",
                               fmt, "--jobs", "1"])


def package_folders() -> list[Path]:
    import importlib

    folders = []
    for name in PACKAGES:
        module = importlib.import_module(name)
        folders.append(Path(module.__file__).resolve().parent)
    return folders


def shipped_files() -> tuple[list[Path], list[Path]]:
    """(the folders searched, the spreadsheet and CSV files found in them)."""
    packages = package_folders()
    site_packages = sorted({folder.parent for folder in packages})
    found = sorted(path for folder in site_packages for path in folder.rglob("*")
                   if path.suffix.lower() in SUFFIXES and path.is_file())
    return packages + site_packages, found[:MOST]


def test_files_shipped_with_the_installed_packages():
    searched, found = shipped_files()
    assert len(searched) >= len(PACKAGES) and all(folder.is_dir() for folder in searched)
    for path in found:
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        result = check(path)
        assert result.exit_code in (0, 1, 2), (path, result.output[-2000:])
        assert "Traceback" not in result.output
        report = json.loads(result.stdout)
        if result.exit_code == 2:  # a clean error: it names the file and says what to do
            problems = report["problems"] + [p for f in report["fellows"] for p in f["problems"]]
            assert any(p["severity"] == "error" and p["file"] for p in problems)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# --- files LibreOffice writes ---

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")


def soffice(sources: list[Path], convert_to: str, outdir: Path) -> None:
    """One LibreOffice run converting every source (with a profile of its own)."""
    profile = Path(tempfile.gettempdir()) / f"lo-profile-{uuid.uuid4().hex}"
    try:
        result = subprocess.run(
            ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", convert_to, "--outdir", str(outdir), *map(str, sources)],
            capture_output=True, text=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def office_files(tmp_path_factory) -> dict[str, Path]:
    """Samples and a workbook of failing formulas, saved by LibreOffice as .ods and .xlsx
    (LibreOffice calculates the formulas and saves their results, errors included)."""
    import openpyxl

    folder = tmp_path_factory.mktemp("office")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Schedule"
    sheet.append(["Fellow", "Track", "Rotation", "Weeks", "Status"])
    sheet.append(["Dr. Ana Lima", "anesthesia", "MIPS", 2, "completed"])
    sheet.append(["Dr. Ana Lima", "anesthesia", "SIPS", "=1/0", "completed"])
    sheet.append(["Dr. Ana Lima", "anesthesia", "=NA()", 1, "completed"])
    sheet.append(["Dr. Ana Lima", "anesthesia", "Gonda", "=2+1", "completed"])
    formulas = folder / "formulas.xlsx"
    book.save(formulas)
    sources = [SAMPLES / "gaps-neurology.csv", SAMPLES / "all-fellows.csv", formulas]
    ods = folder / "ods"
    ods.mkdir()
    soffice(sources, "ods", ods)
    xlsx = folder / "xlsx"
    xlsx.mkdir()
    soffice(sorted(ods.glob("*.ods")), "xlsx", xlsx)
    made = {path.name: path for path in [*ods.glob("*.ods"), *xlsx.glob("*.xlsx")]}
    assert len(made) == 6, made
    return made


@needs_soffice
@pytest.mark.parametrize("suffix", [".ods", ".xlsx"])
def test_libreoffice_files_read_like_the_csv(office_files, suffix):
    for name in ("gaps-neurology", "all-fellows"):
        from_csv = json.loads(check(SAMPLES / f"{name}.csv").stdout)
        result = check(office_files[name + suffix])
        assert result.exit_code in (0, 1), result.output
        from_office = json.loads(result.stdout)
        assert [f["requirements"] for f in from_office["fellows"]] == [
            f["requirements"] for f in from_csv["fellows"]]


@needs_soffice
@pytest.mark.parametrize("suffix", [".ods", ".xlsx"])
def test_libreoffice_error_values_are_located_row_errors(office_files, suffix):
    result = check(office_files["formulas" + suffix])
    assert result.exit_code == 2 and "Traceback" not in result.output
    report = json.loads(result.stdout)
    problems = report["problems"] + [p for f in report["fellows"] for p in f["problems"]]
    errors = {(p["row"], p["message"].split("error value ")[-1].split(" ")[0])
              for p in problems if p["code"] == "FC125"}
    assert errors == {(3, "#DIV/0!"), (4, "#N/A")}
    [fellow] = report["fellows"]
    by_id = {r["rotation_id"]: r for r in fellow["requirements"]}
    assert by_id["mips"]["completed"] == 2 and by_id["gonda"]["completed"] == 3  # the saved 2+1
    assert by_id["sips"]["completed"] == 0  # the #DIV/0! row is not counted

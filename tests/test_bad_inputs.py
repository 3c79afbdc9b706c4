"""Broken and hostile schedules through the real command: a clear error every time (exit 2, the
code and a sentence naming the file and what to do), the rest of the report, no traceback,
nothing changed on disk, nothing run.

Every file of the corpus is built here (tests/hostile.py for the hand-made workbooks); none
is committed. Each case names the exit status, the problem code and a part of its message.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fellowcheck import __version__
from fellowcheck.cli import app
from fellowcheck.report import Format

from .hostile import (
    BILLION_LAUGHS, GOOD_ROW, HEADER, XXE, rows_xml, sheet_xml, shared_strings_xml, write_ods,
    ods_rows, workbook_xml, write_ole, write_schedule_xlsx, write_xlsx_parts, write_zip_bomb,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
AS_OF = ["--as-of", "2026-11-25"]
runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, ["check", *map(str, args), *AS_OF], env=env)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"


# --- the corpus ---

def csv_text(rows: list[list]) -> str:
    return "".join(",".join("" if v is None else str(v) for v in row) + "\n" for row in rows)


def text(content: str | bytes, suffix: str = ".csv"):
    def build(folder: Path, name: str) -> Path:
        path = folder / f"{name}{suffix}"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path
    return build


def rows(table: list[list], suffix: str = ".csv"):
    """A schedule with the given rows, as CSV or as a workbook (first row at row 1)."""
    if suffix == ".csv":
        return text(csv_text(table))

    def build(folder: Path, name: str) -> Path:
        return write_schedule_xlsx(folder / f"{name}.xlsx", table)
    return build


def openpyxl_book(fill: Callable) -> Callable:
    def build(folder: Path, name: str) -> Path:
        import openpyxl

        book = openpyxl.Workbook()
        fill(book)
        path = folder / f"{name}.xlsx"
        book.save(path)
        return path
    return build


def raw_xlsx(sheet: str, shared: str | None = None):
    def build(folder: Path, name: str) -> Path:
        return write_xlsx_parts(folder / f"{name}.xlsx", [sheet], shared=shared)
    return build


def one_row(header: list, row: list):
    return rows([header, row])


@dataclass
class Case:
    name: str
    build: Callable[[Path, str], Path]
    code: str | None  # the problem code expected; None: none in particular
    words: str = ""  # a part of that problem's message
    exit: int = 2
    args: list[str] = field(default_factory=list)
    row: int | None = None  # the row (line) the problem names


def _missing(folder: Path, name: str) -> Path:
    return folder / f"{name}.xlsx"


def _empty_folder(folder: Path, name: str) -> Path:
    path = folder / name
    path.mkdir()
    (path / "notes.txt").write_text("nothing to check")
    return path


def _folder_named_like_a_workbook(folder: Path, name: str) -> Path:
    path = folder / f"{name}.xlsx"
    path.mkdir()
    return path


def _unreadable(folder: Path, name: str) -> Path:
    path = text(csv_text([HEADER, GOOD_ROW]))(folder, name)
    path.chmod(0)
    return path


def _fifo(folder: Path, name: str) -> Path:
    path = folder / f"{name}.csv"
    os.mkfifo(path)  # reading it would wait for a writer forever
    return path


def _link_to_device(folder: Path, name: str) -> Path:
    path = folder / f"{name}.csv"
    path.symlink_to("/dev/zero")  # endless NUL bytes
    return path


def _folder_with_a_loop(folder: Path, name: str) -> Path:
    path = folder / name
    path.mkdir()
    (path / "loop").symlink_to(path, target_is_directory=True)
    text(csv_text([HEADER, GOOD_ROW, ["Dr. Ana Lima", "anesthesia", "SIPS", "x", ""]]))(
        path, "schedule")
    return path


def _truncated(folder: Path, name: str) -> Path:
    whole = (SAMPLES / "gaps-neurology.xlsx").read_bytes()
    path = folder / f"{name}.xlsx"
    path.write_bytes(whole[:len(whole) // 2])
    return path


def _zip_not_workbook(folder: Path, name: str) -> Path:
    import zipfile

    path = folder / f"{name}.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "photos from the retreat")
    return path


def _word_document(folder: Path, name: str) -> Path:
    import zipfile

    path = folder / f"{name}.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return path


def _text_document(folder: Path, name: str) -> Path:
    import zipfile

    path = folder / f"{name}.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def _empty_workbook(book) -> None:
    book.active.title = "Schedule"


def _all_hidden(folder: Path, name: str) -> Path:
    """(openpyxl will not save a workbook without a visible sheet, Excel will.)"""
    data = sheet_xml(rows_xml([HEADER, GOOD_ROW]))
    return write_xlsx_parts(folder / f"{name}.xlsx", [data, data], workbook=workbook_xml(
        [("Schedule", "hidden"), ("Old", "veryHidden")]))


def _merged_header(book) -> None:
    sheet = book.active
    sheet.append(["Fellowship schedule 2026-27", None, None, None, None])
    sheet.merge_cells("A1:E1")
    sheet.append(HEADER)
    sheet.append(GOOD_ROW)
    sheet.append(["Dr. Ana Lima", "anesthesia", "SIPS", 2, "completed"])
    sheet.merge_cells("A3:A4")  # the fellow's name merged over both rows


def _formulas(book) -> None:
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["Dr. Ana Lima", "anesthesia", "MIPS", "=1/0", "completed"])
    sheet.append(["Dr. Ana Lima", "anesthesia", '=HYPERLINK("http://example.org","MIPS")', 2,
                  "completed"])
    sheet.append(["Dr. Ana Lima", "anesthesia", "SIPS", "=cmd|' /C calc'!A0", "completed"])
    sheet.append(GOOD_ROW)


def _table_at_row_40(folder: Path, name: str) -> Path:
    table = [["Fellowship schedule"]] + [[]] * 38 + [HEADER, GOOD_ROW, GOOD_ROW[:3] + ["two"]]
    return write_schedule_xlsx(folder / f"{name}.xlsx", table)


ERROR_CELLS = sheet_xml(
    rows_xml([HEADER, GOOD_ROW])
    + '<row r="3"><c r="A3" t="inlineStr"><is><t>Dr. Ana Lima</t></is></c>'
      '<c r="B3" t="inlineStr"><is><t>anesthesia</t></is></c><c r="C3" t="e"><v>#REF!</v></c>'
      '<c r="D3"><v>2</v></c></row>'
    + '<row r="4"><c r="A4" t="inlineStr"><is><t>Dr. Ana Lima</t></is></c>'
      '<c r="B4" t="inlineStr"><is><t>anesthesia</t></is></c>'
      '<c r="C4" t="inlineStr"><is><t>SIPS</t></is></c>'
      '<c r="D4" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')

LONG = "x" * 100_000
MIXED = ("Fellow,Track,Rotation,Weeks\nDr. José Núñez,anesthesia,MIPS,2\n".encode()
         + "Dr. Müller,anesthesia,SIPS,1\n".encode("cp1252"))

CASES = [
    # files
    Case("not-there", _missing, "FC101", "does not exist"),
    Case("a-folder", _empty_folder, "FC101", "no schedule files"),
    Case("no-permission", _unreadable, "FC102", "no permission"),
    Case("zero-bytes", text(b"", ".xlsx"), "FC102", "empty (0 bytes)"),
    Case("zero-bytes-csv", text(b""), "FC102", "empty (0 bytes)"),
    Case("folder-named-like-a-workbook", _folder_named_like_a_workbook, "FC102", "is a folder"),
    Case("a-pipe", _fifo, "FC102", "not a regular file"),
    Case("a-link-to-dev-zero", _link_to_device, "FC102", "not a regular file"),
    Case("a-folder-with-a-symlink-loop", _folder_with_a_loop, "FC110", "not a number", row=3),
    Case("text-renamed", text(csv_text([HEADER, GOOD_ROW]), ".xlsx"), "FC102", "rename it to .csv"),
    Case("pdf-renamed", text(b"%PDF-1.7\n1 0 obj << >> endobj\n", ".xlsx"), "FC102", "a PDF"),
    Case("truncated", _truncated, "FC102", "damaged or incomplete"),
    Case("zip-not-a-workbook", _zip_not_workbook, "FC102", "not a workbook"),
    Case("word-document-renamed", _word_document, "FC102", "a Word document, not a workbook"),
    Case("text-document-renamed", _text_document, "FC102", "other than a spreadsheet"),
    Case("password-protected", lambda f, n: write_ole(f / f"{n}.xlsx", "EncryptedPackage"),
         "FC102", "password-protected"),
    Case("old-xls", lambda f, n: write_ole(f / f"{n}.xls", "Workbook"), "FC103", "old binary"),
    Case("old-xls-renamed", lambda f, n: write_ole(f / f"{n}.xlsx", "Workbook"), "FC103",
         "old binary"),
    Case("unsupported-suffix", text("hello", ".docx"), "FC103", "not a schedule file"),
    # tables
    Case("empty-workbook", openpyxl_book(_empty_workbook), "FC104", "is empty"),
    Case("header-only", rows([HEADER]), "FC127", "no rotation rows"),
    Case("header-only-xlsx", rows([HEADER], ".xlsx"), "FC127", "no rotation rows"),
    Case("all-sheets-hidden", _all_hidden, "FC104", "no visible worksheet"),
    Case("duplicate-header", one_row(HEADER + ["Wks"], GOOD_ROW + [3]), "FC106", "both mean"),
    Case("blank-header-names", rows([["Fellow", "Track", "Rotation", "", "Unit"],
                                     ["Dr. Ana Lima", "anesthesia", "MIPS", 2, "weeks"]]),
         "FC120", "no duration", row=2),
    Case("table-at-row-40", _table_at_row_40, "FC110", '"two" is not a number', row=42),
    Case("merged-header-cells", openpyxl_book(_merged_header), None, exit=1),
    # cells
    Case("two", one_row(HEADER, GOOD_ROW[:3] + ["two", "completed"]), "FC110", "not a number",
         row=2),
    Case("negative", one_row(HEADER, GOOD_ROW[:3] + [-2, "completed"]), "FC111", "above zero",
         row=2),
    Case("zero", one_row(HEADER, GOOD_ROW[:3] + [0, "completed"]), "FC111", "above zero", row=2),
    Case("nan", one_row(HEADER, GOOD_ROW[:3] + ["NaN", "completed"]), "FC111", "finite", row=2),
    Case("infinite", one_row(HEADER, GOOD_ROW[:3] + ["inf", "completed"]), "FC111", "finite",
         row=2),
    Case("huge", one_row(HEADER, GOOD_ROW[:3] + ["1e308", "completed"]), "FC111", "too large",
         row=2),
    Case("before-1900", one_row(["Fellow", "Track", "Rotation", "Start", "End"],
                                GOOD_ROW[:3] + ["1899-12-01", "1899-12-05"]),
         "FC113", "outside the years", row=2),
    Case("after-2100", one_row(["Fellow", "Track", "Rotation", "Start", "End"],
                               GOOD_ROW[:3] + ["2101-01-03", "2101-01-07"]),
         "FC113", "outside the years", row=2),
    Case("end-before-start", one_row(["Fellow", "Track", "Rotation", "Start", "End"],
                                     GOOD_ROW[:3] + ["2026-08-10", "2026-08-03"]),
         "FC114", "before the start date", row=2),
    Case("unknown-unit", one_row(["Fellow", "Track", "Rotation", "Amount", "Unit"],
                                 GOOD_ROW[:3] + [2, "fortnights"]), "FC112", "not a unit", row=2),
    Case("unknown-status", one_row(HEADER, GOOD_ROW[:4] + ["maybe"]), "FC115", "not a status",
         row=2),
    Case("unknown-track", one_row(HEADER, ["Dr. Ana Lima", "astrology", "MIPS", 2,
                                           "completed"]), "FC116", "neither a track", row=2),
    Case("two-tracks", rows([HEADER, GOOD_ROW, ["Dr. Ana Lima", "pmr", "SIPS", 1, "completed"]]),
         "FC117", "tracks", row=3),
    Case("merged-cells", openpyxl_book(_merged_header), None, exit=1),
    Case("formulas-without-values", openpyxl_book(_formulas), "FC125", "never saved", row=2),
    Case("error-cells", raw_xlsx(ERROR_CELLS), "FC125", "#REF!", row=3),
    Case("error-cells-div0", raw_xlsx(ERROR_CELLS), "FC125", "#DIV/0!", row=4),
    Case("error-text-in-csv", one_row(HEADER, GOOD_ROW[:3] + ["#N/A", "completed"]), "FC125",
         "#N/A", row=2),
    Case("100k-characters", one_row(HEADER, [LONG, "anesthesia", "MIPS", 2, "completed"]),
         "FC126", "100,000 characters", row=2),
    Case("100k-characters-xlsx", rows([HEADER, GOOD_ROW[:2] + [LONG, 2, "completed"]], ".xlsx"),
         "FC126", "100,000 characters", row=2),
    # CSV
    Case("ragged-rows", text(csv_text([HEADER, GOOD_ROW + ["a note", "", "more"], GOOD_ROW[:5]])
                             + "Dr. Ana Lima,anesthesia,SIPS,2\n"), None, exit=1),
    Case("pipe-delimited", text("|".join(HEADER) + "\n" + "|".join(map(str, GOOD_ROW)) + "\n"),
         "FC104", "separated by '|'"),
    Case("unbalanced-quote", text(csv_text([HEADER, GOOD_ROW]) + 'Dr. Ana Lima,anesthesia,"SIPS,1,'
                                  "completed\nDr. Ana Lima,anesthesia,MIPS,1,completed\n"),
         "FC102", "never closed", row=3),
    Case("stray-quote", text(csv_text([HEADER, GOOD_ROW]) + 'Dr. Ana Lima,anesthesia,"SIPS"x,1,'
                             "completed\n"), "FC102", "quote", row=3),
    Case("nul-bytes", text(csv_text([HEADER, GOOD_ROW]).encode() + b"Dr\x00 Ana,x,MIPS,1,\n"),
         "FC102", "NUL bytes", row=3),
    Case("mixed-encodings", text(MIXED), "FC107", "mixes encodings", exit=1, row=3),
    Case("long-line", text(csv_text([HEADER, GOOD_ROW]) + "x" * 3000 + "\n"), "FC109",
         "line 3", args=["--max-line-kb", "2"]),
    Case("file-too-large", text(csv_text([HEADER] + [GOOD_ROW] * 40_000)), "FC109",
         "--max-file-mb", args=["--max-file-mb", "1"]),
    Case("too-many-rows", text(csv_text([HEADER] + [GOOD_ROW] * 20)), "FC109", "--max-rows",
         args=["--max-rows", "10"]),
    Case("too-many-columns", text(csv_text([HEADER, GOOD_ROW + [""] * 2000])), "FC109",
         "2,005 columns"),
    # hostile workbooks
    Case("billion-laughs-sheet", raw_xlsx(sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
        prolog=BILLION_LAUGHS)), "FC108", "entity expansion"),
    Case("billion-laughs-shared-strings", raw_xlsx(
        sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        shared_strings_xml(["&lol9;"], prolog=BILLION_LAUGHS)), "FC108", "entity expansion"),
    Case("xxe-sheet", raw_xlsx(sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>', prolog=XXE)),
        "FC108", "XXE"),
    Case("xxe-shared-strings", raw_xlsx(
        sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        shared_strings_xml(["&xxe;"], prolog=XXE)), "FC108", "XXE"),
    Case("xxe-ods", lambda f, n: write_ods(f / f"{n}.ods", ods_rows([["&xxe;"]]), prolog=XXE),
         "FC108", "XXE"),
    Case("zip-bomb", lambda f, n: write_zip_bomb(f / f"{n}.xlsx", 2), "FC108", "zip bomb"),
    Case("dimension-whole-sheet", raw_xlsx(sheet_xml(rows_xml([HEADER, GOOD_ROW]),
                                                     dimension="A1:XFD1048576")), None, exit=1),
    Case("rows-of-nothing", raw_xlsx(sheet_xml(
        rows_xml([HEADER, GOOD_ROW]) + "".join(f'<row r="{r}"/>' for r in range(3, 3000))
        + '<row r="1048576"><c r="XFD1048576" s="1"/></row>')), None, exit=1),
    Case("cell-at-XFD1048576", raw_xlsx(sheet_xml(
        rows_xml([HEADER, GOOD_ROW]) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
        "FC109", "XFD1048576"),
    Case("million-columns-ods", lambda f, n: write_ods(
        f / f"{n}.ods", ods_rows([HEADER, GOOD_ROW]) + '<table:table-row><table:table-cell '
        'table:number-columns-repeated="1000000" office:value-type="float" office:value="1"/>'
        "</table:table-row>"), "FC109", "columns"),
    Case("cmd-formula-text-in-csv", one_row(HEADER, ["Dr. Ana Lima", "anesthesia",
                                                     "=cmd|' /C calc'!A0", 2, "completed"]),
         "FC130", "unknown rotation", exit=1),
]
NAMES = [case.name for case in CASES]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    return {case.name: case.build(folder, case.name) for case in CASES}


def _problems(report: dict) -> list[dict]:
    return report["problems"] + [p for f in report["fellows"] for p in f["problems"]]


@pytest.mark.parametrize("case", CASES, ids=NAMES)
def test_corpus(case, corpus):
    path = corpus[case.name]
    if case.name == "no-permission" and os.geteuid() == 0:
        pytest.skip("root reads any file")
    before = sha256(path)
    started = time.perf_counter()
    result = run(path, "--format", "json", *case.args)
    elapsed = time.perf_counter() - started
    assert "Traceback" not in result.output and result.exception is None or isinstance(
        result.exception, SystemExit), result.output
    assert result.exit_code == case.exit, result.output
    report = json.loads(result.stdout)
    problems = _problems(report)
    if case.code:
        matching = [p for p in problems if p["code"] == case.code and case.words in p["message"]]
        assert matching, problems
        found = matching[0]
        assert found["file"] and case.name in found["file"]
        if case.row is not None:
            assert found["row"] == case.row, found
        assert found["message"] and "\n" not in found["message"]
        assert found["hint"], found  # what to do
    assert sha256(path) == before
    assert elapsed < 10


def test_every_file_problem_says_what_to_do(corpus):
    """Each error carries a hint (what to do), and the terminal report prints it."""
    for case in CASES:
        if case.exit != 2 or case.name == "no-permission":
            continue
        result = run(corpus[case.name], *case.args)
        assert result.exit_code == 2
        assert f"error {case.code}" in result.stdout or case.code is None, result.stdout


def test_the_rest_of_the_report_survives(corpus):
    """Bad files among good ones: errors for the bad, the report for the good."""
    bad = [corpus[name] for name in ("zip-bomb", "billion-laughs-sheet", "truncated",
                                     "error-cells", "unbalanced-quote", "cell-at-XFD1048576")]
    result = run(*bad, SAMPLES / "gaps-neurology.csv", "--format", "json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [f["fellow"] for f in report["fellows"]][-1] == "Dr. Samuel Okafor"
    codes = {p["code"] for p in _problems(report)}
    assert {"FC108", "FC102", "FC125", "FC109"} <= codes


def test_rows_above_an_unclosed_quote_are_read(corpus):
    result = run(corpus["unbalanced-quote"], "--format", "json")
    report = json.loads(result.stdout)
    [fellow] = report["fellows"]
    mips = next(r for r in fellow["requirements"] if r["rotation_id"] == "mips")
    assert mips["completed"] == 2  # the row above the quote; none of the lines after it


def test_error_cells_leave_their_rows_out(corpus):
    report = json.loads(run(corpus["error-cells"], "--format", "json").stdout)
    [fellow] = report["fellows"]
    by_id = {r["rotation_id"]: r for r in fellow["requirements"]}
    assert by_id["mips"]["completed"] == 2 and by_id["sips"]["completed"] == 0


def test_merged_cells_are_read_as_people_read_them(corpus):
    report = json.loads(run(corpus["merged-header-cells"], "--format", "json").stdout)
    [fellow] = report["fellows"]
    by_id = {r["rotation_id"]: r for r in fellow["requirements"]}
    assert by_id["sips"]["completed"] == 2  # the fellow's merged name applies to row 4 too


def test_zip_bomb_is_refused_fast(corpus):
    started = time.perf_counter()
    result = run(corpus["zip-bomb"])
    assert result.exit_code == 2 and time.perf_counter() - started < 1


def test_names_with_invisible_characters_and_variants(tmp_path):
    """Control characters and right-to-left marks are removed from names; names that differ
    only in Unicode form or trailing spaces are one fellow, with a warning."""
    path = tmp_path / "names.csv"
    nfc, nfd = "Dr. Jos\u00e9 N\u00fa\u00f1ez", "Dr. Jose\u0301 Nu\u0301n\u0303ez"
    path.write_text(csv_text([
        HEADER,
        [nfc, "anesthesia", "MIPS", 2, "completed"],
        [nfd + "  ", "anesthesia", "SIPS", 1, "completed"],
        ["Dr.\u202e Ana Lima\u200b\x07", "anesthesia", "MIPS", 1, "completed"],
        ["Dr. Ana Lima", "anesthesia", "MIPS", 1, "completed"],
    ]), encoding="utf-8")
    result = run(path, "--format", "json")
    report = json.loads(result.stdout)
    assert {f["fellow"] for f in report["fellows"]} == {nfc, "Dr. Ana Lima"}
    assert sum(p["code"] == "FC131" for p in _problems(report)) == 2
    table = run(path).stdout
    assert "\x1b" not in table and "\u202e" not in table


def test_cell_text_cannot_drive_the_terminal(tmp_path):
    """A cell quoted in a message shows its control and bidi characters as escapes."""
    path = tmp_path / "sneaky.csv"
    path.write_text(csv_text([HEADER, ["Dr. Ana Lima", "anesthesia", "MIPS\x1b]0;owned\x07\u202e",
                                       2, "completed"]]), encoding="utf-8")
    for fmt in ("table", "markdown", "github", "junit", "json"):
        result = run(path, "--format", fmt)
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
        assert "\x07" not in result.stdout


# --- every output format ---

SUFFIXES = {"table": "txt", "markdown": "md", "junit": "xml", "github": "log"}
FORMAT_CASES = ["zip-bomb", "truncated", "error-cells", "unbalanced-quote", "not-there",
                "cmd-formula-text-in-csv"]


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_bad_input_in_every_format(fmt, corpus, tmp_path):
    paths = [corpus[name] for name in FORMAT_CASES]
    suffix = SUFFIXES.get(fmt.value, fmt.value)
    output = tmp_path / f"report.{suffix}"
    result = run(*paths, SAMPLES / "gaps-neurology.csv", "--format", fmt.value,
                 "--output", output)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    data = output.read_bytes()
    if fmt is Format.XLSX:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data))
        cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
                 if isinstance(c, str)]
        assert not any(c.startswith("=") for c in cells)  # nothing a spreadsheet would run
        shown = "\n".join(cells)
    else:
        shown = data.decode("utf-8")
        if fmt is Format.CSV:
            import csv as csv_module

            cells = [c for row in csv_module.reader(io.StringIO(shown)) for c in row]
            assert not any(c.startswith("=") for c in cells)
            shown += result.stderr
    for code in ("FC108", "FC102", "FC125", "FC101"):
        assert code in shown, (fmt, shown[:2000])
    assert "Dr. Samuel Okafor" in shown


# --- what the command does around the reading ---

def test_inputs_are_never_changed(corpus):
    """Every file of the corpus, checked together, is byte for byte the same afterwards."""
    files = [p for p in corpus.values() if p.is_file() and os.access(p, os.R_OK)]
    before = {p: sha256(p) for p in files}
    for fmt in ("json", "table"):
        result = run(*files, "--format", fmt)
        assert result.exit_code == 2 and "Traceback" not in result.output
    assert {p: sha256(p) for p in files} == before


def test_output_onto_an_input_is_refused(tmp_path):
    schedule = tmp_path / "schedule.csv"
    schedule.write_text(csv_text([HEADER, GOOD_ROW]))
    before = sha256(schedule)
    result = run(schedule, "--output", schedule)
    assert result.exit_code == 2 and "input" in result.output
    assert sha256(schedule) == before


def test_an_existing_report_survives_a_failed_run(tmp_path, monkeypatch):
    schedule = tmp_path / "schedule.csv"
    schedule.write_text(csv_text([HEADER, GOOD_ROW]))
    report = tmp_path / "report.json"
    report.write_text('{"old": true}')

    # the requirement table cannot be read: the report says so (an old one would mislead)
    result = run(schedule, "--output", report, "--requirements", tmp_path / "missing.csv")
    assert result.exit_code == 2 and "FC201" in report.read_text()
    report.write_text('{"old": true}')

    # the renderer fails half-way: a bug, exit 3, the old report whole, no temporary file
    import fellowcheck.cli as cli

    def broken(fmt):
        def render(report, options):
            raise RuntimeError("renderer broke")
        return render
    monkeypatch.setattr(cli, "renderer", broken)
    result = run(schedule, "--output", report)
    assert result.exit_code == 3 and report.read_text() == '{"old": true}'
    monkeypatch.undo()

    # the rename fails (a full disk, say): the old report whole, no temporary file left
    def failing_replace(source, target):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", failing_replace)
    result = run(schedule, "--output", report)
    monkeypatch.undo()
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert report.read_text() == '{"old": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "schedule.csv"]


# --- bugs: exit 3, the version, a traceback only when asked ---

@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyError("x")])
def test_an_internal_error_says_it_is_a_bug(monkeypatch, error):
    import fellowcheck.pipeline

    def explode(*args, **kwargs):
        raise error
    monkeypatch.setattr(fellowcheck.pipeline, "run_check", explode)
    monkeypatch.delenv("FELLOWCHECK_DEBUG", raising=False)
    result = run(SAMPLES / "gaps-neurology.csv")
    assert result.exit_code == 3
    assert "bug" in result.stderr and __version__ in result.stderr
    assert "Traceback" not in result.output
    result = run(SAMPLES / "gaps-neurology.csv", "--debug")
    assert result.exit_code == 3 and "Traceback" in result.stderr
    result = run(SAMPLES / "gaps-neurology.csv", env={"FELLOWCHECK_DEBUG": "1"})
    assert result.exit_code == 3 and "Traceback" in result.stderr


def test_a_panic_in_the_rust_reader_is_a_clean_error(monkeypatch, tmp_path):
    """pyo3 turns a Rust panic into PanicException, a BaseException: the file is reported
    as unreadable, not the process lost."""
    import python_calamine

    class PanicException(BaseException):
        pass

    class Book:
        @classmethod
        def from_path(cls, path):
            raise PanicException("index out of bounds")

        from_filelike = from_path
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Book)
    path = write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW])
    result = run(path, "--format", "json")
    assert result.exit_code == 2
    [found] = json.loads(result.stdout)["problems"]
    assert found["code"] == "FC102" and "reader stopped" in found["message"]


def test_the_corpus_covers_the_issue():
    """The kinds of bad input the issue lists, each at least once."""
    wanted = {"not-there", "a-folder", "no-permission", "zero-bytes",
              "folder-named-like-a-workbook", "text-renamed", "pdf-renamed", "truncated",
              "zip-not-a-workbook", "password-protected", "old-xls", "empty-workbook",
              "header-only", "all-sheets-hidden", "duplicate-header", "blank-header-names",
              "table-at-row-40", "two", "negative", "zero", "nan", "infinite", "huge",
              "before-1900", "after-2100", "end-before-start", "unknown-unit", "unknown-status",
              "unknown-track", "two-tracks", "merged-cells", "formulas-without-values",
              "error-cells", "100k-characters", "pipe-delimited", "unbalanced-quote",
              "nul-bytes", "mixed-encodings", "ragged-rows", "long-line", "billion-laughs-sheet",
              "billion-laughs-shared-strings", "xxe-sheet", "xxe-shared-strings", "zip-bomb",
              "dimension-whole-sheet", "cell-at-XFD1048576", "cmd-formula-text-in-csv"}
    assert wanted <= set(NAMES)


def test_a_workbook_read_in_two_processes_gives_the_same_report(corpus, monkeypatch):
    """Every workbook of the corpus, read with calamine's parse in a child process beside the
    safety scan (reading/speculative.py, here whatever the file's size), gives the report a
    one-process read gives: the hostile ones too, whose child is ended unread."""
    from fellowcheck.reading import speculative

    workbooks = [case for case in CASES if corpus[case.name].suffix in (".xlsx", ".xlsm", ".ods")
                 and case.name != "no-permission"]
    assert len(workbooks) >= 20
    read, taken = speculative.read_speculatively, []
    monkeypatch.setattr(speculative, "read_speculatively",
                        lambda path, *args: taken.append(path) or read(path, *args))
    for case in workbooks:
        path = corpus[case.name]
        monkeypatch.setattr(speculative, "SIZE", 1 << 60)
        alone = run(path, "--format", "json", "--jobs", "2", *case.args)
        monkeypatch.setattr(speculative, "SIZE", 0)
        beside = run(path, "--format", "json", "--jobs", "2", *case.args)
        assert (beside.exit_code, beside.stdout) == (alone.exit_code, alone.stdout), case.name
    assert taken == [corpus[case.name] for case in workbooks if corpus[case.name].is_file()]

"""The pre-flight checks of reading/safety.py, and what python-calamine does on its own.

The calamine tests pin down the facts the design rests on: calamine refuses entities it does
not know (it never expands a DTD), reads error cells and unsaved formulas as blank, honours
cell references however far apart, and stops at a zip part larger than it declares.
"""

from __future__ import annotations

import struct
import time
import zipfile

import pytest

from fellowcheck.limits import ReadLimits
from fellowcheck.problems import FellowcheckError
from fellowcheck.reading import safety
from fellowcheck.reading.safety import FORMULA_WITHOUT_VALUE, CellFault, place_faults

from ..hostile import (
    BILLION_LAUGHS, GOOD_ROW, HEADER, MAIN_NS, XXE, ods_rows, rows_xml, shared_strings_xml,
    sheet_xml, write_ods, write_ole, write_schedule_xlsx, write_xlsx_parts, write_zip_bomb,
)


def refused(path, limits=ReadLimits()):
    with pytest.raises(FellowcheckError) as caught:
        safety.preflight_workbook(path, limits)
    [problem] = caught.value.problems
    return problem


def test_a_plain_workbook_passes(tmp_path):
    path = write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW])
    scan = safety.preflight_workbook(path)
    assert scan.kind == "xlsx" and scan.sheets == {}


# --- entities ---

@pytest.mark.parametrize("part", ["sheet", "shared strings"])
@pytest.mark.parametrize("dtd", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_a_dtd_anywhere_is_refused(tmp_path, part, dtd):
    entity = "&lol9;" if dtd == BILLION_LAUGHS else "&xxe;"
    if part == "sheet":
        sheet = sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{entity}</t></is></c></row>',
                          prolog=dtd)
        path = write_xlsx_parts(tmp_path / "dtd.xlsx", [sheet])
    else:
        path = write_xlsx_parts(tmp_path / "dtd.xlsx",
                                [sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')],
                                shared=shared_strings_xml([entity], prolog=dtd))
    found = refused(path)
    assert found.kind == "unsafe-file" and "entit" in found.message


def test_a_dtd_hidden_after_a_long_comment_is_refused(tmp_path):
    prolog = "<!--" + "x" * 200_000 + "-->" + XXE
    sheet = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                      prolog=prolog)
    assert refused(write_xlsx_parts(tmp_path / "late.xlsx", [sheet])).kind in (
        "unsafe-file", "file-unreadable")


def test_an_ods_dtd_is_refused(tmp_path):
    path = write_ods(tmp_path / "dtd.ods", ods_rows([["&lol9;"]]), prolog=BILLION_LAUGHS)
    assert refused(path).kind == "unsafe-file"


def test_calamine_itself_never_expands_entities(tmp_path):
    """Without the pre-flight, calamine (quick-xml) would stop at the unknown entity: it reads
    no DTD, so neither billion laughs nor XXE can work through it."""
    import python_calamine

    for dtd, entity in ((BILLION_LAUGHS, "&lol9;"), (XXE, "&xxe;")):
        sheet = sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{entity}</t></is></c></row>',
                          prolog=dtd)
        path = write_xlsx_parts(tmp_path / "raw.xlsx", [sheet])
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        with pytest.raises(python_calamine.CalamineError, match="entity"):
            book.get_sheet_by_name("Sheet1").to_python()


# --- zip bombs and sizes ---

def test_a_zip_bomb_is_refused_from_the_directory_in_well_under_a_second(tmp_path):
    path = write_zip_bomb(tmp_path / "bomb.xlsx", unpacked_gb=2)
    assert path.stat().st_size < 4 * 1024 * 1024
    started = time.perf_counter()
    found = refused(path)
    assert time.perf_counter() - started < 0.5
    assert found.kind == "unsafe-file" and "zip bomb" in found.message
    assert "2,048 MB" in found.message


def test_a_zip_bomb_costs_no_memory(tmp_path):
    import tracemalloc

    path = write_zip_bomb(tmp_path / "bomb.xlsx", unpacked_gb=1)
    tracemalloc.start()
    try:
        refused(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_unpacked_size_limit(tmp_path):
    path = write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW])
    found = refused(path, ReadLimits(max_unpacked_mb=0.001))
    assert found.kind == "too-large" and "--max-unpacked-mb" in found.message


def test_file_size_limit(tmp_path):
    path = write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW])
    found = refused(path, ReadLimits(max_file_mb=0.0001))
    assert found.kind == "too-large" and "--max-file-mb" in found.message


def test_too_many_parts(tmp_path):
    path = write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW],
                               extra={f"junk/{i}.bin": b"x" for i in range(20)})
    assert refused(path, ReadLimits(max_parts=10)).kind == "too-large"


def test_a_part_larger_than_it_declares_is_refused(tmp_path):
    """Python's zipfile stops at the declared size (a CRC error); calamine does too."""
    path = write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW] * 200)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # shrink the declared size in the local header and the central directory
    struct.pack_into("<I", data, info.header_offset + 22, 100)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + length]) == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, at + 24, 100)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    found = refused(path)
    assert found.kind == "file-unreadable" and "cannot be unpacked" in found.message


def _restored(path, tmp_path, compression):
    """`path` written again with every part compressed with `compression`."""
    copy = tmp_path / f"{compression}-{path.name}"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    return copy


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_the_parts_of_a_small_workbook_are_inflated_as_zipfile_reads_them(tmp_path, compression):
    path = _restored(write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW] * 20),
                     tmp_path, compression)
    whole = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            assert safety._inflate(whole, info) == archive.read(info)


def test_a_damaged_part_of_a_small_workbook_is_refused(tmp_path):
    """Inflated from the file's bytes, a part is still checked against its CRC: here a stored
    (uncompressed) sheet has one digit changed, which no decompressor would notice."""
    path = _restored(write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW] * 20),
                     tmp_path, zipfile.ZIP_STORED)
    data = path.read_bytes()
    at = data.index(b"<v>", data.index(b"<sheetData"))
    path.write_bytes(data[:at + 3] + b"9" + data[at + 4:])
    found = refused(path)
    assert found.kind == "file-unreadable" and "cannot be unpacked" in found.message


@pytest.mark.parametrize("offset", [-25, 10**9])
def test_a_part_whose_header_lies_outside_the_file_is_left_to_zipfile(tmp_path, offset):
    """(A fuzzed workbook had a negative offset: zipfile reads it, or says it is damaged.)"""
    path = write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW])
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    info.header_offset = offset
    assert safety._inflate(path.read_bytes(), info) is None


def test_an_encrypted_zip_entry_is_refused(tmp_path):
    path = write_schedule_xlsx(tmp_path / "ok.xlsx", [HEADER, GOOD_ROW])
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        flags = struct.unpack_from("<H", data, at + 8)[0]
        struct.pack_into("<H", data, at + 8, flags | 1)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    assert "encrypted" in refused(path).message


# --- the used area ---

def test_two_cells_far_apart_are_refused_before_calamine_sees_them(tmp_path):
    """calamine would ask for 17 billion cells here and the process would abort."""
    data = ('<row r="1"><c r="A1"><v>1</v></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    found = refused(write_xlsx_parts(tmp_path / "corner.xlsx", [sheet_xml(data)]))
    assert found.kind == "too-large" and "XFD1048576" in found.message


def test_a_sheet_in_a_part_not_named_like_xml_is_measured_too(tmp_path):
    """calamine reads the part the workbook's index names, whatever it is called or starts
    with; the pre-flight must measure it as well."""
    wide = '<row r="1">' + "".join(f'<c r="{col}1"><v>1</v></c>' for col in ("A", "ZZ")) + \
        "</row>"
    plain = write_xlsx_parts(tmp_path / "plain.xlsx", [sheet_xml(wide)])
    disguised = tmp_path / "disguised.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(disguised, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                target.writestr("xl/worksheets/sheet1.bin", b" " * 100 + data)
                continue
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"sheet1.xml", b"sheet1.bin")
            target.writestr(info, data)
    for path in (plain, disguised):
        found = refused(path, ReadLimits(max_columns=500))
        assert found.kind == "too-large" and "columns" in found.message


@pytest.mark.parametrize("cells", [
    '<c r="a1"><v>1</v></c><c r="xfd5"><v>2</v></c>',  # lower-case references
    '<c><v>1</v></c>' * 2 + '<c r="ZZZ1"><v>2</v></c>',  # references missing
    '<x:c xmlns:x="{ns}" r="A1"><x:v>1</x:v></x:c><x:c xmlns:x="{ns}" r="ALL1"><x:v>2</x:v></x:c>',
    '<c\nr="A1"><v>1</v></c><c\tr="ALL1"><v>2</v></c>',  # other white space
    '<c s="0" r="A1"><v>1</v></c><c s="0" r="ALL1"><v>2</v></c>',  # r not first
])
def test_cells_written_unusually_are_measured_exactly(tmp_path, cells):
    sheet = sheet_xml('<row r="1">' + cells.replace("{ns}", MAIN_NS) + "</row>")
    found = refused(write_xlsx_parts(tmp_path / "odd.xlsx", [sheet]), ReadLimits(max_columns=500))
    assert found.kind == "too-large" and "columns" in found.message


def test_empty_styled_cells_far_out_do_not_count(tmp_path):
    """LibreOffice and Excel write styled empty cells; calamine skips them, and so does the
    measure of the used area."""
    data = rows_xml([HEADER, GOOD_ROW]) + '<row r="900000"><c r="XFD900000" s="1"/></row>'
    scan = safety.preflight_workbook(write_xlsx_parts(tmp_path / "styled.xlsx", [sheet_xml(data)]))
    assert scan.kind == "xlsx"


def test_a_dimension_claiming_the_whole_sheet_is_ignored(tmp_path):
    sheet = sheet_xml(rows_xml([HEADER, GOOD_ROW]), dimension="A1:XFD1048576")
    safety.preflight_workbook(write_xlsx_parts(tmp_path / "dim.xlsx", [sheet]))


def test_row_limit_counts_exactly_when_the_bound_is_not_enough(tmp_path):
    data = rows_xml([HEADER, GOOD_ROW]) + rows_xml([GOOD_ROW], first_row=150_000)
    path = write_xlsx_parts(tmp_path / "tall.xlsx", [sheet_xml(data)])
    safety.preflight_workbook(path, ReadLimits(max_rows=150_000))
    assert "150,000 rows" in refused(path, ReadLimits(max_rows=149_999)).message


# A long sheet is scanned in blocks; after the first, a block is checked against the columns
# and row digits seen so far with one pattern, and read cell by cell only when it strays.
# Small blocks here make a few hundred rows span many of them.

@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(safety, "CHUNK", 512)


def _long_sheet(tail: str, rows: int = 300) -> str:
    return sheet_xml(rows_xml([HEADER] + [GOOD_ROW] * rows) + tail)


def test_a_far_cell_in_a_late_block_is_found(tmp_path, small_blocks):
    tail = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    found = refused(write_xlsx_parts(tmp_path / "late.xlsx", [_long_sheet(tail)]))
    assert found.kind == "too-large" and "XFD1048576" in found.message


def test_a_new_column_in_a_late_block_widens_the_area(tmp_path, small_blocks):
    tail = '<row r="302"><c r="J302"><v>1</v></c></row>'
    path = write_xlsx_parts(tmp_path / "wide.xlsx", [_long_sheet(tail)])
    safety.preflight_workbook(path, ReadLimits(max_columns=10))
    assert "columns" in refused(path, ReadLimits(max_columns=9)).message


def test_a_longer_row_number_in_a_late_block_is_counted(tmp_path, small_blocks):
    tail = '<row r="150000"><c r="A150000"><v>1</v></c></row>'
    path = write_xlsx_parts(tmp_path / "tall.xlsx", [_long_sheet(tail)])
    safety.preflight_workbook(path, ReadLimits(max_rows=150_000))
    assert "150,000 rows" in refused(path, ReadLimits(max_rows=149_999)).message


def test_an_odd_cell_in_a_late_block_is_measured_exactly(tmp_path, small_blocks):
    tail = '<row r="302"><c><v>1</v></c><c s="0" r="ALL302"><v>2</v></c></row>'
    found = refused(write_xlsx_parts(tmp_path / "odd.xlsx", [_long_sheet(tail)]),
                    ReadLimits(max_columns=500))
    assert found.kind == "too-large" and "columns" in found.message


def test_faults_in_late_blocks_are_found(tmp_path, small_blocks):
    tail = ('<row r="302"><c r="A302" t="e"><v>#REF!</v></c><c r="B302"><f>1+1</f></c>'
            '</row>')
    scan = safety.preflight_workbook(write_xlsx_parts(tmp_path / "late-errors.xlsx",
                                                      [_long_sheet(tail)]))
    faults = {key: fault.what for key, fault in scan.sheets["Sheet1"].faults.items()}
    assert faults == {(302, 1): "#REF!", (302, 2): FORMULA_WITHOUT_VALUE}


def test_ods_repeated_cells_are_measured_with_their_repeats(tmp_path):
    table = ('<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
             'table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
             "</table:table-row>")
    started = time.perf_counter()
    found = refused(write_ods(tmp_path / "repeat.ods", table))
    assert found.kind == "too-large" and time.perf_counter() - started < 1


def test_ods_trailing_empty_repeats_do_not_count(tmp_path):
    table = (ods_rows([HEADER, GOOD_ROW]) + '<table:table-row table:number-rows-repeated='
             '"1048570"><table:table-cell table:number-columns-repeated="16384"/>'
             "</table:table-row>")
    safety.preflight_workbook(write_ods(tmp_path / "tail.ods", table))


# --- faulty cells ---

def test_error_cells_and_unsaved_formulas_are_found(tmp_path):
    data = ('<row r="1"><c r="A1" t="e"><v>#REF!</v></c><c r="B1" t="e"><f>1/0</f>'
            '<v>#DIV/0!</v></c><c r="C1"><f>1+1</f></c><c r="D1"><f>2+2</f><v/></c>'
            '<c r="E1" t="str"><f>""</f><v></v></c><c r="F1"><f>3</f><v>3</v></c></row>')
    scan = safety.preflight_workbook(write_xlsx_parts(tmp_path / "errors.xlsx", [sheet_xml(data)]))
    faults = {key: fault.what for key, fault in scan.sheets["Sheet1"].faults.items()}
    assert faults == {(1, 1): "#REF!", (1, 2): "#DIV/0!", (1, 3): FORMULA_WITHOUT_VALUE,
                      (1, 4): FORMULA_WITHOUT_VALUE}


def test_calamine_reads_error_cells_and_unsaved_formulas_as_blank(tmp_path):
    """Why the pre-flight looks for them: calamine gives "" for all four."""
    import python_calamine

    data = ('<row r="1"><c r="A1" t="e"><v>#REF!</v></c><c r="B1" t="e"><v>#DIV/0!</v></c>'
            '<c r="C1"><f>1+1</f></c><c r="D1"><v>7</v></c></row>')
    path = write_xlsx_parts(tmp_path / "blank.xlsx", [sheet_xml(data)])
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        "Sheet1").to_python()
    assert rows == [["", "", "", 7.0]]


def test_ods_error_cells_are_found(tmp_path):
    table = ('<table:table-row><table:table-cell table:formula="of:=1/0" '
             'office:value-type="string" office:string-value="" calcext:value-type="error">'
             "<text:p>#DIV/0!</text:p></table:table-cell><table:table-cell "
             'table:formula="of:=A1"/></table:table-row>')
    scan = safety.preflight_workbook(write_ods(tmp_path / "err.ods", table))
    faults = {key: fault.what for key, fault in scan.sheets["Sheet1"].faults.items()}
    assert faults == {(1, 1): "#DIV/0!", (1, 2): FORMULA_WITHOUT_VALUE}


def test_place_faults_grows_the_rows_to_reach_every_fault():
    scan = safety.SheetScan()
    scan.fault(1, 1, "#REF!")
    scan.fault(5, 4, FORMULA_WITHOUT_VALUE)
    rows, top, left = place_faults([["a", "b"], ["c", "d"]], 2, 2, scan)
    assert (top, left) == (1, 1)
    assert rows[0][0] == CellFault("#REF!") and rows[4][3] == CellFault(FORMULA_WITHOUT_VALUE)
    assert rows[1][1:3] == ["a", "b"] and rows[2][1:3] == ["c", "d"]
    assert len({len(row) for row in rows}) == 1


# --- not workbooks ---

def test_ole_containers(tmp_path):
    encrypted = refused(write_ole(tmp_path / "locked.xlsx", "EncryptedPackage"))
    assert encrypted.kind == "file-unreadable" and "password-protected" in encrypted.message
    old = refused(write_ole(tmp_path / "old.xlsx", "Workbook"))
    assert old.kind == "unsupported-file-type" and "old binary" in old.message


@pytest.mark.parametrize("content, words", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"Fellow,Rotation,Weeks\nA,MIPS,1\n", "text file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a spreadsheet"),
])
def test_files_that_are_not_zips(tmp_path, content, words):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(content)
    assert words in refused(path).message


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday.jpg", b"\xff\xd8\xff")
    assert "not a workbook" in refused(path).message


def test_a_truncated_workbook(tmp_path):
    whole = write_schedule_xlsx(tmp_path / "whole.xlsx", [HEADER, GOOD_ROW] * 50).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[:len(whole) // 2])
    assert "damaged or incomplete" in refused(path).message


# --- text files ---

def test_line_length_limit(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"Fellow,Rotation\n" + b"x" * 5000 + b"\nA,MIPS\n")
    with pytest.raises(FellowcheckError, match="line 2 of long.csv"):
        safety.read_text_file(path, ReadLimits(max_line_kb=4))
    assert safety.read_text_file(path, ReadLimits(max_line_kb=5)) == path.read_bytes()


def test_a_long_line_is_refused_without_reading_the_file_whole(tmp_path):
    """A line past the limit stops the reading at that megabyte: 40 MB of one line costs one."""
    path = tmp_path / "one-line.csv"
    with path.open("wb") as handle:
        handle.write(b"Fellow,Rotation\n")
        handle.truncate(40 * 1024 * 1024)  # sparse: no 40 MB written
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(FellowcheckError, match="line 2"):
            safety.read_text_file(path, ReadLimits(max_line_kb=64))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_lines_are_measured_across_the_chunks_they_straddle(tmp_path, monkeypatch):
    """The file is read in chunks (64 bytes here): a line split between chunks counts whole,
    and the error names its line."""
    monkeypatch.setattr(safety, "MB", 64)
    path = tmp_path / "straddle.csv"
    short, edge = b"a,b\n" * 20, b"y" * 102 + b"\n"
    path.write_bytes(short + edge * 5)
    assert safety.read_text_file(path, ReadLimits(max_line_kb=0.1)) == path.read_bytes()
    path.write_bytes(short + edge + b"z" + edge)
    with pytest.raises(FellowcheckError, match="line 22 of straddle.csv"):
        safety.read_text_file(path, ReadLimits(max_line_kb=0.1))


@pytest.mark.parametrize("limit_kb", [1, 2, 3])
def test_lines_exactly_at_the_limit_pass(tmp_path, limit_kb):
    path = tmp_path / "edge.csv"
    line = b"y" * (limit_kb * 1024)
    path.write_bytes(line + b"\n" + line + b"\n" + line)
    assert safety.read_text_file(path, ReadLimits(max_line_kb=limit_kb)) == path.read_bytes()
    path.write_bytes(line + b"\n" + line + b"z\n")
    with pytest.raises(FellowcheckError, match="line 2"):
        safety.read_text_file(path, ReadLimits(max_line_kb=limit_kb))


def test_limits_from_options_keep_defaults_for_unset_values():
    limits = ReadLimits.from_options(max_rows=10, max_columns=None)
    assert limits.max_rows == 10 and limits.max_columns == ReadLimits().max_columns

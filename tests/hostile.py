"""Builders of broken and hostile schedule files, for tests/test_bad_inputs.py, test_fuzz.py and
reading/test_safety.py. Every file is made by code here (nothing is downloaded or committed):
workbooks are written part by part with zipfile so that each fault is exactly the one named.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_OFFICE}.sharedStrings+xml"/>'
    "</Types>")
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')

BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))
    + "]>")
XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

#: A schedule of one valid row, as sheet rows (header first).
HEADER = ["Fellow", "Track", "Rotation", "Weeks", "Status"]
GOOD_ROW = ["Dr. Ana Lima", "anesthesia", "MIPS", 2, "completed"]


def workbook_xml(sheets: list[tuple[str, str]] | None = None) -> str:
    """workbook.xml with (name, state) sheets; sheet i is rId(i+1) -> worksheets/sheet(i+1)."""
    sheets = sheets or [("Sheet1", "visible")]
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId{i + 1}"'
        + (f' state="{state}"' if state != "visible" else "") + "/>"
        for i, (name, state) in enumerate(sheets))
    return (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><sheets>{entries}</sheets></workbook>')


def cell(reference: str, value) -> str:
    """One <c> element: numbers as numbers, text inline."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{reference}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def rows_xml(rows: list[list], first_row: int = 1) -> str:
    out = []
    for i, row in enumerate(rows):
        number = first_row + i
        cells = "".join(cell(f"{_letters(j + 1)}{number}", value)
                        for j, value in enumerate(row) if value is not None)
        out.append(f'<row r="{number}">{cells}</row>')
    return "".join(out)


def sheet_xml(data: str, prolog: str = "", dimension: str = "") -> str:
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN_NS}">'
            f"{dimension}<sheetData>{data}</sheetData></worksheet>")


def shared_strings_xml(strings: list[str], prolog: str = "") -> str:
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<sst xmlns="{MAIN_NS}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>')


def write_xlsx_parts(path: Path, sheets: list[str], shared: str | None = None,
                     workbook: str | None = None, extra: dict[str, bytes | str] | None = None
                     ) -> Path:
    """A workbook from raw XML: one string per worksheet (sheet1.xml, sheet2.xml, ...)."""
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(sheets)))
    rels += (f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook or workbook_xml(
            [(f"Sheet{i + 1}", "visible") for i in range(len(sheets))]))
        archive.writestr("xl/_rels/workbook.xml.rels",
                         '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
                         f'schemas.openxmlformats.org/package/2006/relationships">{rels}'
                         "</Relationships>")
        for i, sheet in enumerate(sheets):
            archive.writestr(f"xl/worksheets/sheet{i + 1}.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared or shared_strings_xml([]))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def write_schedule_xlsx(path: Path, rows: list[list], first_row: int = 1, **kwargs) -> Path:
    return write_xlsx_parts(path, [sheet_xml(rows_xml(rows, first_row))], **kwargs)


def write_ods(path: Path, table_xml: str, name: str = "Sheet1", prolog: str = "") -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="{name}">{table_xml}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def ods_rows(rows: list[list]) -> str:
    out = []
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, (int, float)):
                cells.append(f'<table:table-cell office:value-type="float" office:value="{value}">'
                             f"<text:p>{value}</text:p></table:table-cell>")
            else:
                cells.append('<table:table-cell office:value-type="string">'
                             f"<text:p>{value}</text:p></table:table-cell>")
        out.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    return "".join(out)


def write_zip_bomb(path: Path, unpacked_gb: float = 2.0) -> Path:
    """A real deflate bomb: a worksheet that unpacks to `unpacked_gb` GB of spaces, in a file
    of about a thousandth of that. Built from one compressed megabyte repeated (deflate
    blocks after a full flush stand alone), so it takes milliseconds to make. Its CRC is not
    computed (that would mean hashing gigabytes): a reader that unpacked it would stop at a
    CRC error, which the tests tell apart from the refusal they expect."""
    megabyte = b" " * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = int(unpacked_gb * 1024)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    head = sheet_xml("").encode()
    data_size = count * len(megabyte)
    entries = [
        ("[Content_Types].xml", CONTENT_TYPES.encode()),
        ("_rels/.rels", ROOT_RELS.encode()),
        ("xl/workbook.xml", workbook_xml().encode()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.encode()),
    ]
    with path.open("wb") as out:
        central = []
        for name, data in entries:
            packed = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = packed.compress(data) + packed.flush()
            central.append(_local(out, name, body, len(data), zlib.crc32(data)))
        # the bomb: the sheet's head, then gigabytes of spaces (the sheet never closes)
        start = out.tell()
        name = b"xl/worksheets/sheet1.xml"
        prefix = zlib.compressobj(9, zlib.DEFLATED, -15)
        body_head = prefix.compress(head[:-len("</sheetData></worksheet>")]) + prefix.flush(
            zlib.Z_FULL_FLUSH)
        size = len(head) - len("</sheetData></worksheet>") + data_size
        packed_size = len(body_head) + count * len(block) + len(final)
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, 0,
                              packed_size, size, len(name), 0) + name)
        out.write(body_head)
        for _ in range(count):
            out.write(block)
        out.write(final)
        central.append((name, start, packed_size, size, 0))
        _central_directory(out, central)
    return path


def _local(out, name: str, body: bytes, size: int, crc: int):
    start = out.tell()
    encoded = name.encode()
    out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body), size,
                          len(encoded), 0) + encoded + body)
    return (encoded, start, len(body), size, crc)


def _central_directory(out, entries) -> None:
    start = out.tell()
    for name, offset, packed, size, crc in entries:
        out.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc,
                              packed, size, len(name), 0, 0, 0, 0, 0, offset) + name)
    end = out.tell()
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                          end - start, start, 0))


def write_ole(path: Path, stream_name: str) -> Path:
    """The first bytes of an OLE2 compound file (an encrypted OOXML package, or a .xls) with
    `stream_name` in its directory; enough for a reader that looks, not a full container."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3)
    header += b"\x00" * (512 - len(header))
    directory = stream_name.encode("utf-16-le").ljust(64, b"\x00")
    path.write_bytes(header + directory + b"\x00" * 4096)
    return path


def _letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters

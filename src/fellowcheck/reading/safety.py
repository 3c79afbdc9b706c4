"""Reading untrusted files safely: the limits, and the checks made before a parser sees a file.

A schedule file may be broken, or made to hurt whoever opens it. Before a workbook is handed
to python-calamine, `preflight_workbook` looks at it with bounded work and memory:

- the file's type from its first bytes (a PDF, a text file, an encrypted or old binary
  Office file renamed .xlsx), and its size on disk;
- the zip's central directory (`zipfile.ZipFile.infolist()`): the number of parts, their
  unpacked size in total and each part's compression ratio, so a zip bomb is refused before a
  byte of it is unpacked;
- every XML part, streamed: a DOCTYPE (entity expansion, "billion laughs", or an external
  entity, XXE) is refused, and the used area of every sheet is measured from its cell
  references, because calamine allocates rows x columns cells for a sheet whatever it holds:
  two cells at A1 and XFD1048576 would ask for 17 billion (the process aborts, it cannot
  even raise). Python's zipfile never unpacks more than a part's declared size.
- the cells calamine reads as blank but that are not: error values (#REF!, #DIV/0!, ...) and
  formulas without a saved value, so they become located row errors, not silent blanks.

ODS content is parsed with defusedxml (DTDs refused); xlsx sheets are scanned with regular
expressions over the raw XML, with an exact defusedxml parse when a sheet is written in an
unusual way. CSV and TSV files are checked for their size, and read a megabyte at a time
with every line's length checked, before decoding.
All limits are in `ReadLimits`; the command line can raise them.
"""

from __future__ import annotations

import functools
import io
import lzma
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fellowcheck.limits import DEFAULT_LIMITS, ReadLimits
from fellowcheck.problems import FellowcheckError, Location, Problem, problem
from fellowcheck.reading.columns import column_letter

MB = 1024 * 1024

#: Excel and LibreOffice error values, as a cell or a CSV export shows them.
ERROR_VALUES = re.compile(
    r"^(#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|"
    r"CONNECT!|BUSY!|UNKNOWN!|EXTERNAL!|PYTHON!)|Err:\d{3})$")


@dataclass(frozen=True, slots=True)
class CellFault:
    """A cell that holds no usable value although it is not blank: an error value such as
    #REF!, or a formula whose result was never saved. Placed in `RawSheet.rows` by the
    workbook reader; `reading.screen` turns it into a located problem."""

    what: str  # "#REF!", or FORMULA_WITHOUT_VALUE

    def __str__(self) -> str:
        return self.what


FORMULA_WITHOUT_VALUE = "a formula without a saved value"
#: At most this many faulty cells are remembered per sheet (the rest are counted).
MAX_FAULTS = 1_000
#: At most this many merged ranges are remembered per .ods sheet (a schedule has dozens).
MAX_MERGED = 100_000


@dataclass
class SheetScan:
    """What the pre-flight saw of one sheet: its used area (1-based, cells with content
    only) and its faulty cells, by (row, column), 1-based."""

    top: int | None = None
    left: int | None = None
    bottom: int = 0
    right: int = 0
    faults: dict[tuple[int, int], CellFault] = field(default_factory=dict)
    more_faults: int = 0
    #: merged cells as calamine gives them for .xlsx, ((first row, first column), (last row,
    #: last column)), 0-based: for .ods, whose merged cells calamine does not give
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def add(self, row: int, column: int, rows: int = 1, columns: int = 1) -> None:
        self.top = row if self.top is None else min(self.top, row)
        self.left = column if self.left is None else min(self.left, column)
        self.bottom = max(self.bottom, row + rows - 1)
        self.right = max(self.right, column + columns - 1)

    def fault(self, row: int, column: int, what: str) -> None:
        if len(self.faults) < MAX_FAULTS:
            self.faults[(row, column)] = CellFault(what)
        else:
            self.more_faults += 1

    @property
    def height(self) -> int:
        return 0 if self.top is None else self.bottom - self.top + 1

    @property
    def width(self) -> int:
        return 0 if self.left is None else self.right - self.left + 1


@dataclass
class WorkbookScan:
    kind: str  # "xlsx" or "ods"
    #: sheet name -> scan (names found from the workbook's own index; best effort)
    sheets: dict[str, SheetScan] = field(default_factory=dict)
    #: the file's bytes, when it was small enough to be read whole: the reader parses these
    #: very bytes, so a file changed after its check is not read unchecked (nor read twice)
    data: bytes | None = None


# --- files on disk ------------------------------------------------------------------------

def _fail(kind: str, message: str, path: Path) -> FellowcheckError:
    return FellowcheckError(problem(kind, message, Location(str(path))))


def _unreadable(exc: OSError, path: Path, doing: str = "read") -> FellowcheckError:
    """The error for a file the system does not let fellowcheck open or read."""
    if isinstance(exc, PermissionError):
        return _fail("file-unreadable", f"no permission to read {path.name}; ask its owner for "
                     "read access or copy it somewhere you can read", path)
    return _fail("file-unreadable", f"cannot {doing} {path.name} ({exc.strerror or exc})", path)


def check_file(path: Path, limits: ReadLimits) -> int:
    """The size of `path` if it is a regular, readable file within the size limit; else a
    FellowcheckError saying what is wrong and what to do."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _fail("file-not-found", f"{path} does not exist", path) from None
    except OSError as exc:
        raise _unreadable(exc, path, "open") from None
    if stat.S_ISDIR(info.st_mode):
        raise _fail("file-unreadable", f"{path} is a folder, not a schedule file", path)
    if not stat.S_ISREG(info.st_mode):
        raise _fail("file-unreadable", f"{path.name} is not a regular file (it is a device, "
                    "pipe or socket); give the schedule file itself", path)
    if info.st_size == 0:
        raise _fail("file-unreadable", f"{path.name} is empty (0 bytes); export the schedule "
                    "again", path)
    if info.st_size > limits.max_file_mb * MB:
        raise _fail("too-large", f"{path.name} is {_mb(info.st_size)}, more than the "
                    f"{_mb(limits.max_file_mb * MB)} fellowcheck reads; split it, or raise the "
                    "limit with --max-file-mb if it really is one schedule", path)
    return info.st_size


def _mb(size: float) -> str:
    if size < MB:
        return f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size:,.0f} bytes"
    return f"{size / MB:,.0f} MB" if size >= 10 * MB else f"{size / MB:,.1f} MB"


# --- CSV and TSV --------------------------------------------------------------------------

def read_text_file(path: Path, limits: ReadLimits) -> bytes:
    """The bytes of a (size-checked) CSV or TSV file, read a megabyte at a time and refused
    as soon as one line is longer than the limit: a 2 GB line is never held whole."""
    check_file(path, limits)
    limit = int(limits.max_line_kb * 1024)
    chunks: list[bytes] = []
    total, current, number = 0, 0, 1
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(MB):
                chunks.append(chunk)
                total += len(chunk)
                if total > limits.max_file_mb * MB:  # it grew while being read
                    raise _fail("too-large", f"{path.name} is larger than the "
                                f"{_mb(limits.max_file_mb * MB)} fellowcheck reads", path)
                # The chunk's lines at C speed; the first continues the last chunk's tail.
                lines = chunk.split(b"\n")
                lengths = [current + len(lines[0]), *map(len, lines[1:])]
                if max(lengths) > limit:
                    long_line = number + next(i for i, n in enumerate(lengths) if n > limit)
                    raise _fail("too-large", f"line {long_line} of {path.name} is longer than "
                                f"the {_mb(limit)} fellowcheck reads in one line; the file is "
                                "probably not a CSV schedule (or raise the limit with "
                                "--max-line-kb)", path)
                number += len(lines) - 1
                current = lengths[-1]
    except OSError as exc:
        raise _unreadable(exc, path) from None
    return b"".join(chunks)


def check_table(rows: list[list], path: Path, limits: ReadLimits, sheet: str | None = None
                ) -> None:
    """Refuse a table (as read from a CSV) past the row, column or cell limits."""
    width = max(map(len, rows), default=0)
    _check_area(len(rows), width, path, sheet, limits)


def _check_area(height: int, width: int, path: Path, sheet: str | None, limits: ReadLimits,
                first: str = "") -> None:
    where = f"sheet {sheet!r} of {path.name}" if sheet else path.name
    if height > limits.max_rows:
        raise FellowcheckError(problem(
            "too-large", f"{where} has {height:,} rows{first}, more than the {limits.max_rows:,} "
            "fellowcheck reads; delete the unused rows below the table, or raise the limit "
            "with --max-rows", Location(str(path), sheet=sheet)))
    if width > limits.max_columns:
        raise FellowcheckError(problem(
            "too-large", f"{where} has {width:,} columns{first}, more than the "
            f"{limits.max_columns:,} fellowcheck reads; delete the unused columns right of the "
            "table, or raise the limit with --max-columns", Location(str(path), sheet=sheet)))
    if height * width > limits.max_cells:
        raise FellowcheckError(problem(
            "too-large", f"{where} spans {height:,} rows by {width:,} columns{first}, more "
            f"than the {limits.max_cells:,} cells fellowcheck reads; delete what lies outside "
            "the table, or raise the limit with --max-cells", Location(str(path), sheet=sheet)))


# --- workbooks ----------------------------------------------------------------------------

#: What a damaged zip archive can raise anywhere in zipfile: its own error, a decompressor's
#: (zlib, bz2 and lzma; a method zipfile does not know), a short read, a bad header field.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError,
              OSError, ValueError, NotImplementedError, RuntimeError, struct.error,
              UnicodeDecodeError, OverflowError)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Parts larger than this are checked for their compression ratio.
RATIO_CHECKED_SIZE = 1 * MB
#: How much of a zip part is unpacked at a time while scanning it.
CHUNK = 4 * MB
#: Workbooks up to this size are read into memory whole before their parts are checked.
IN_MEMORY_SIZE = 1 * MB


def preflight_workbook(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> WorkbookScan:
    """Check a .xlsx/.xlsm/.ods file before calamine opens it; FellowcheckError if it is not
    a workbook, is damaged, unsafe, or past a limit. Returns what the scan saw of each sheet."""
    size = check_file(path, limits)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if head.startswith(OLE_MAGIC[:4]):
                _refuse_ole(path, handle, size, limits)
            # A small workbook is read once: its parts are unpacked from memory (a dozen
            # seeks and reads of the file per workbook add up over an audit of thousands),
            # and calamine parses the same bytes (`WorkbookScan.data`).
            whole = head + handle.read(IN_MEMORY_SIZE) if size <= IN_MEMORY_SIZE else None
            if whole is not None and len(whole) > size:
                whole = None  # grown since it was measured: read from the file
    except OSError as exc:
        raise _unreadable(exc, path) from None
    if not head.startswith(b"PK"):
        raise _fail("file-unreadable", _not_a_zip(path, head), path)
    try:
        archive = _Archive(path, whole)
    except ZIP_ERRORS as exc:
        raise _fail("file-unreadable", f"{path.name} is damaged or incomplete (the workbook's "
                    f"zip archive cannot be read: {exc}); download or copy it again",
                    path) from None
    with archive:
        parts = _check_directory(archive, path, limits)
        names = {info.filename for info in parts}
        if "content.xml" in names and ("mimetype" in names or "META-INF/manifest.xml" in names) \
                and _is_spreadsheet_mimetype(archive, names):
            scan = WorkbookScan("ods", data=whole)
            _scan_ods(archive, parts, path, limits, scan)
        elif any(n.startswith("xl/") for n in names):
            scan = WorkbookScan("xlsx", data=whole)
            _scan_xlsx(archive, parts, path, limits, scan)
        else:
            what = next((kind for folder, kind in _OTHER_DOCUMENTS if any(
                n.startswith(folder) for n in names)), "a zip archive")
            raise _fail("file-unreadable", f"{path.name} is {what}, not a workbook (it holds no "
                        "spreadsheet); give the .xlsx, .xlsm or .ods file itself", path)
    return scan


def _is_spreadsheet_mimetype(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """An OpenDocument file says what it is in its `mimetype` part (when it has one)."""
    if "mimetype" not in names or archive.getinfo("mimetype").file_size > 200:
        return "mimetype" not in names
    try:
        return b"spreadsheet" in archive.read("mimetype")
    except ZIP_ERRORS:
        return False


#: Other documents that are zip archives too, by a folder inside them.
_OTHER_DOCUMENTS = (("word/", "a Word document"), ("ppt/", "a PowerPoint presentation"),
                    ("content.xml", "an OpenDocument file other than a spreadsheet"),
                    ("META-INF/", "a Java archive or e-book"))


def _refuse_ole(path: Path, handle, size: int, limits: ReadLimits) -> None:
    """An OLE2 compound file: an encrypted (password-protected) OOXML workbook, or an old .xls."""
    handle.seek(0)
    data = handle.read(min(size, int(limits.max_file_mb * MB)))
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise _fail("file-unreadable", f"{path.name} is password-protected; open it in Excel, "
                    "remove the password (File > Info > Protect Workbook) and save it again",
                    path)
    raise _fail("unsupported-file-type", f"{path.name} is an old binary Office file (.xls or "
                ".doc) with a new name; open it in Excel or LibreOffice and save it as .xlsx",
                path)


def _not_a_zip(path: Path, head: bytes) -> str:
    if head.startswith(b"%PDF"):
        what = "a PDF document"
    elif head.startswith((b"{\\rtf", b"<!DOCTYPE", b"<html", b"<HTML", b"<?xml", b"<")):
        what = "an HTML, XML or RTF document"
    elif _looks_like_text(path):
        return (f"{path.name} is not a spreadsheet but a text file; if it is a CSV export, "
                "rename it to .csv")
    else:
        what = "some other kind of file"
    return (f"{path.name} is not a spreadsheet but {what} (it is not a zip archive); open "
            "the schedule in a spreadsheet program and save it as .xlsx")


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut at the end of the sample
            return False
    return True


def _check_directory(archive: zipfile.ZipFile, path: Path, limits: ReadLimits
                     ) -> list[zipfile.ZipInfo]:
    """The central directory alone (nothing unpacked): encryption, part count, sizes, ratios."""
    parts = archive.infolist()
    if len(parts) > limits.max_parts:
        raise _fail("too-large", f"{path.name} holds {len(parts):,} files in its zip archive, "
                    f"more than the {limits.max_parts:,} a workbook needs; it is not a schedule",
                    path)
    total = 0
    for info in parts:
        if info.flag_bits & 0x1:
            raise _fail("file-unreadable", f"{path.name} is encrypted; remove the password and "
                        "save it again", path)
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > RATIO_CHECKED_SIZE and info.file_size / packed > limits.max_ratio:
            raise _fail("unsafe-file", f"{path.name} is refused as a zip bomb: its part "
                        f"{info.filename!r} unpacks from {_mb(info.compress_size)} to "
                        f"{_mb(info.file_size)} ({info.file_size / packed:,.0f} times; real "
                        f"workbooks stay under {limits.max_ratio:,.0f})",
                        path)
    if total > limits.max_unpacked_mb * MB:
        raise _fail("too-large", f"{path.name} unpacks to {_mb(total)}, more than the "
                    f"{_mb(limits.max_unpacked_mb * MB)} fellowcheck reads "
                    "(raise the limit with --max-unpacked-mb if it really is one schedule)",
                    path)
    return parts


class _Archive(zipfile.ZipFile):
    """A workbook's zip archive, with the file's bytes when it was small enough to read whole
    (`whole`): its small parts are then inflated straight from them (`_unpack`)."""

    def __init__(self, path: Path, whole: bytes | None):
        super().__init__(io.BytesIO(whole) if whole is not None else path)
        self.whole = whole


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bytes:
    """A part's bytes, whole."""
    whole = getattr(archive, "whole", None)
    data = _inflate(whole, info) if whole is not None else None
    return data if data is not None else b"".join(_chunks(archive, info, path))


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name length, extra field length


def _inflate(whole: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The part's bytes inflated from the archive's bytes, or None for anything unusual (then
    zipfile reads it, and says what is wrong). zipfile's reader costs more than the inflating
    for the dozen small parts of a workbook: 0.12 ms a workbook against 0.05 ms, which is a
    tenth of reading an audit's small workbooks."""
    start = info.header_offset
    if info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED) \
            or not 0 <= start <= len(whole) - _LOCAL_HEADER.size:
        return None
    signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(whole, start)
    if signature != b"PK\x03\x04":
        return None
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    packed = whole[begin:begin + info.compress_size]
    try:
        data = (zlib.decompressobj(-zlib.MAX_WBITS).decompress(packed, info.file_size + 1)
                if info.compress_type == zipfile.ZIP_DEFLATED else packed)
    except (zlib.error, ValueError, OverflowError):
        return None
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        return None
    return data


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> Iterator[bytes]:
    """A part's bytes, unpacked a chunk at a time (never past its declared size)."""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                yield chunk
    except ZIP_ERRORS as exc:
        raise _fail("file-unreadable", f"{path.name} is damaged: its part {info.filename!r} "
                    f"cannot be unpacked ({exc})", path) from None


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")


def _refuse_dtd(block: bytes, info: zipfile.ZipInfo, path: Path) -> None:
    if _DTD.search(block):
        raise _fail("unsafe-file", f"{path.name} is refused: its part {info.filename!r} declares "
                    "a DTD or XML entities, which workbooks never need and which can expand to "
                    "gigabytes or read other files (entity expansion, XXE)",
                    path)


def _is_xml(info: zipfile.ZipInfo) -> bool:
    return info.filename.lower().endswith((".xml", ".rels", ".vml"))


def _looks_like_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bool:
    if info.is_dir() or info.file_size == 0:
        return False
    if _is_xml(info):
        return True
    try:
        with archive.open(info) as stream:
            head = stream.read(64)
    except ZIP_ERRORS:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


# --- xlsx ---

#: The fast scan reads cells written as `<c r="B7" ...>`, as every writer we know writes them;
#: a sheet with any other kind of cell (no reference, a prefix, a lower-case or $ reference,
#: another attribute first) is parsed exactly instead.
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_CONTENT_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?:[^>]*[^/>])?>')
_ODD_CELL = re.compile(rb'<c(?=[\s/>])(?! r=")')
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
#: Quick tests before the patterns above: a cell's tag name, prefixed or not, ends in "c"
#: before a space, "/" or ">"; a prefixed one has ":c" there.
_CELL_HINT = re.compile(rb"c[\s/>]")
_PREFIX_HINT = re.compile(rb":c[\s/>]")
_CELL_ELEMENT = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*)>(.*?)</c>', re.DOTALL)
_VALUE = re.compile(rb"<v>([^<]*)</v>")  # a cell's saved value


def _scan_xlsx(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], path: Path,
               limits: ReadLimits, scan: WorkbookScan) -> None:
    by_part: dict[str, SheetScan] = {}
    names: dict[str, str] | None = None  # sheet name -> part; parsed only when needed
    for info in parts:
        # Every XML part is scanned: sheets for their cells, all for a DTD. calamine reads a
        # sheet from whatever part the workbook's index names, so a named sheet part is
        # scanned whatever its file name or first bytes.
        if not _looks_like_xml(archive, info, path):
            if names is None:
                names = _xlsx_sheet_parts(archive, path)
            if info.filename not in names.values():
                continue
        sheet = _scan_xlsx_part(archive, info, path, limits)
        if sheet is None:
            sheet = _scan_xlsx_part_exactly(archive, info, path, limits)
        if sheet.top is not None or sheet.faults:
            by_part[info.filename] = sheet
    if not by_part:
        return  # nothing to place or to measure: the sheets' names are not needed
    if names is None:
        names = _xlsx_sheet_parts(archive, path)
    for name, part in names.items():
        if part in by_part:
            scan.sheets[name] = by_part[part]
    for part, sheet in by_part.items():
        name = next((n for n, p in names.items() if p == part), None)
        _check_area(sheet.height, sheet.width, path, name or part, limits,
                    first=_first_cell(sheet))


def _first_cell(sheet: SheetScan) -> str:
    if sheet.top is None:
        return ""
    return (f" (from {column_letter(sheet.left)}{sheet.top} to "
            f"{column_letter(sheet.right)}{sheet.bottom})")


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number


def _scan_xlsx_part(archive, info, path, limits) -> SheetScan | None:
    """The fast scan of one part, or None when its cells are written in a way the regular
    expressions do not follow (then `_scan_xlsx_part_exactly` parses it).

    The used area is bounded without reading every reference: the columns are collected, and
    the rows bounded by the most digits a row number has (no more than 999,999 rows below
    seven digits). Only when that bound breaks a limit are the rows counted exactly."""
    sheet = SheetScan()
    columns: set[bytes] = set()
    digits = 0
    outside = None  # matches a cell outside the columns and row digits seen so far
    for block in _blocks(archive, info, path):
        _refuse_dtd(block, info, path)  # anywhere: a prolog may be long, and calamine reads on
        if outside is not None and not _PREFIX_HINT.search(block) \
                and not outside.search(block):
            # Every cell is an ordinary one inside the box already seen: one pass of a
            # single pattern instead of collecting each cell's column.
            _scan_faults(block, sheet)
            continue
        found = _scan_block(block, sheet, columns)
        if found is None:
            return None
        digits = max(digits, found)
        if columns:
            outside = _outside_pattern(frozenset(columns), digits)
    if not columns:
        return sheet
    numbers = [_column_number(column) for column in columns]
    left, right = min(numbers), max(numbers)
    height = 10 ** digits - 1
    if (height <= limits.max_rows and right - left + 1 <= limits.max_columns
            and height * (right - left + 1) <= limits.max_cells):
        return sheet  # within every limit whatever the exact rows are
    # Count exactly, cells with content only (calamine skips empty, styled cells).
    columns.clear()
    top, bottom = None, 0
    for block in _blocks(archive, info, path):
        found = _CONTENT_CELL.findall(block)
        if found:
            columns.update(column for column, _ in found)
            rows = list(map(int, (row for _, row in found)))
            top = min(rows) if top is None else min(top, min(rows))
            bottom = max(bottom, max(rows))
    if top is not None:
        numbers = [_column_number(column) for column in columns]
        sheet.add(top, min(numbers), bottom - top + 1, max(numbers) - min(numbers) + 1)
    return sheet


def _blocks(archive, info, path) -> Iterator[bytes]:
    """A part's bytes in blocks that end at a row's end (or a tag's start); a part that fits
    in one chunk is one block (most parts of most workbooks)."""
    if info.file_size <= CHUNK:
        data = _unpack(archive, info, path)
        if data:
            yield data
        return
    tail = b""
    for chunk in _chunks(archive, info, path):
        data = tail + chunk
        cut = data.rfind(b"</row>")
        cut = data.rfind(b"<") if cut < 0 else cut + len(b"</row>")
        if cut <= 0:
            tail = data
            continue
        yield data[:cut]
        tail = data[cut:]
    if tail:
        yield tail


def _scan_block(block: bytes, sheet: SheetScan, columns: set[bytes]) -> int | None:
    """Collect a block's cell columns and faults; the most digits of its row numbers, or None
    for a block with cells the fast scan does not read."""
    if not _CELL_HINT.search(block):
        return 0  # no cell: most parts of a workbook but its sheets
    references = block.count(b'<c r="')
    if block.count(b"<c") != references and _ODD_CELL.search(block):
        return None
    if _PREFIX_HINT.search(block) and _PREFIXED_CELL.search(block):
        return None
    found = _CELL_COLUMN.findall(block)
    if len(found) != references:
        return None
    if not found:
        return 0
    columns.update(found)
    last = _CELL_ROW.match(block, block.rfind(b'<c r="'))
    digits = len(last.group(1)) if last else 7
    while digits < 7 and re.search(rb'<c r="[A-Z]{1,3}[0-9]{%d}' % (digits + 1), block):
        digits += 1
    _scan_faults(block, sheet)
    return digits


@functools.lru_cache(maxsize=32)
def _outside_pattern(columns: frozenset[bytes], digits: int) -> re.Pattern[bytes]:
    """A pattern matching any cell but `<c r="XY123"` with a column of `columns` and a row
    number of at most `digits` digits (an odd cell, too, matches)."""
    names = b"|".join(sorted(columns, key=len, reverse=True))
    return re.compile(rb'<c(?=[\s/>])(?! r="(?:%s)[0-9]{1,%d}")' % (names, digits))


#: Whether a block may hold an error cell or a formula. The regular expression engine finds
#: these short literals about twice as fast as `bytes.__contains__` does in sheet XML, where
#: "<" is every few bytes (0.15 s -> 0.08 s for "<f" in a 170 MB sheet).
_ERROR_CELL_HINT = re.compile(rb't="e"')
_FORMULA_HINT = re.compile(rb"<f")


def _scan_faults(block: bytes, sheet: SheetScan) -> None:
    """Note a block's error cells and formulas without a saved value."""
    if _ERROR_CELL_HINT.search(block) or _FORMULA_HINT.search(block):
        for column, row, attributes, body in _CELL_ELEMENT.findall(block):
            if b't="e"' in attributes:
                value = _VALUE.search(body)
                text = value.group(1).decode("utf-8", "replace") if value else ""
                sheet.fault(int(row), _column_number(column), text or "#VALUE!")
            elif b"<f" in body and b"<is" not in body:
                value = _VALUE.search(body)
                if value is None or (not value.group(1) and b't="str"' not in attributes):
                    sheet.fault(int(row), _column_number(column), FORMULA_WITHOUT_VALUE)


def _scan_xlsx_part_exactly(archive, info, path, limits) -> SheetScan:
    """Parse one part with defusedxml, placing cells as calamine does (a cell without a
    reference follows the one before it; a row without one follows the row before it)."""
    sheet = SheetScan()
    row = column = 0
    for event, element, parent in _parse(archive, info, path):
        tag = element.tag.rsplit("}", 1)[-1]
        if event == "start":
            if tag == "row":
                number = element.get("r", "")
                row = int(number) if number.isdigit() and int(number) else row + 1
                column = 0
            elif tag == "c":
                match = _REFERENCE.fullmatch(element.get("r") or "")
                if match:
                    column = _column_number(match.group(1).upper().encode())
                    row = int(match.group(2)) or row
                else:
                    column += 1
            continue
        if tag == "c":
            r, c = max(row, 1), max(column, 1)
            children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
            if children or (element.text or "").strip():
                sheet.add(r, c)
            if element.get("t") == "e":
                value = children.get("v")
                sheet.fault(r, c, (value.text if value is not None else None) or "#VALUE!")
            elif "f" in children and "is" not in children and not (
                    children.get("v") is not None
                    and (children["v"].text or element.get("t") == "str")):
                # No saved result: no <v>, or an empty one where a number belongs ("" is a
                # string formula's legitimate result).
                sheet.fault(r, c, FORMULA_WITHOUT_VALUE)
            if _past_limits(sheet, limits):
                break  # past a limit already: the caller refuses the sheet
        if tag in ("c", "row") and parent is not None:
            parent.clear()  # done with it: keep memory flat however long the sheet
    return sheet


def _past_limits(sheet: SheetScan, limits: ReadLimits) -> bool:
    return (sheet.height > limits.max_rows or sheet.width > limits.max_columns
            or sheet.height * sheet.width > limits.max_cells)


_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def _parse(archive, info, path) -> Iterator[tuple[str, object, object]]:
    """(event, element, parent) of a part parsed with defusedxml (no DTD, no entities)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    stack: list = []
    try:
        for event, element in iterparse(_ChunkStream(_chunks(archive, info, path)),
                                        events=("start", "end"), forbid_dtd=True):
            if event == "start":
                yield event, element, stack[-1] if stack else None
                stack.append(element)
            else:
                stack.pop()
                yield event, element, stack[-1] if stack else None
    except DefusedXmlException:
        raise _fail("unsafe-file", f"{path.name} is refused: its part {info.filename!r} declares "
                    "a DTD or XML entities, which workbooks never need and which can expand to "
                    "gigabytes or read other files (entity expansion, XXE)",
                    path) from None
    except SyntaxError as exc:  # xml.etree.ElementTree.ParseError
        raise _fail("file-unreadable", f"{path.name} is damaged: its part {info.filename!r} is "
                    f"not well-formed XML ({exc})", path) from None


class _ChunkStream:
    """A read()-able view of an iterator of byte chunks, for iterparse."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._buffer, self._offset = chunks, b"", 0

    def read(self, size: int = -1) -> bytes:
        if self._offset >= len(self._buffer):
            self._buffer, self._offset = next(self._chunks, b""), 0
        if size < 0:
            size = len(self._buffer)
        data = self._buffer[self._offset:self._offset + size]
        self._offset += len(data)
        return data


def _xlsx_sheet_parts(archive: zipfile.ZipFile, path: Path) -> dict[str, str]:
    """Sheet name -> the zip part holding it, from workbook.xml and its relationships (small
    parts, parsed with defusedxml). Best effort: {} when the index cannot be read."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    def load(name: str):
        try:
            info = archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > 16 * MB:
            return None
        return fromstring(_unpack(archive, info, path), forbid_dtd=True)

    try:
        workbook_part = "xl/workbook.xml"
        root = load("_rels/.rels")
        for rel in (root if root is not None else []):
            if rel.get("Type", "").endswith("/officeDocument"):
                workbook_part = rel.get("Target", workbook_part).lstrip("/")
        folder = posixpath.dirname(workbook_part)
        rels_part = posixpath.join(folder, "_rels", posixpath.basename(workbook_part) + ".rels")
        targets = {}
        rels = load(rels_part)
        for rel in (rels if rels is not None else []):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = (target.lstrip("/") if target.startswith("/")
                                      else posixpath.normpath(posixpath.join(folder, target)))
        workbook = load(workbook_part)
        names = {}
        for element in (workbook.iter() if workbook is not None else []):
            if element.tag.rsplit("}", 1)[-1] == "sheet":
                rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
                if rid in targets and element.get("name") is not None:
                    names[element.get("name")] = targets[rid]
        return names
    except DefusedXmlException:
        raise _fail("unsafe-file", f"{path.name} is refused: its workbook index declares a DTD "
                    "or XML entities, which workbooks never need (entity expansion, XXE); it "
                    "was not opened", path) from None
    except SyntaxError:
        return {}


# --- ods ---

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALCEXT_NS = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"


def _scan_ods(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], path: Path,
              limits: ReadLimits, scan: WorkbookScan) -> None:
    for info in parts:
        if _is_xml(info) and info.filename != "content.xml" and not info.is_dir():
            for block in _chunks(archive, info, path):
                _refuse_dtd(block, info, path)
    table, office = "{%s}" % _TABLE_NS, "{%s}" % _OFFICE_NS
    cells = (table + "table-cell", table + "covered-table-cell")
    depth = row = column = 0
    row_repeat = 1
    sheet: SheetScan | None = None
    name = ""
    for event, element, parent in _parse(archive, archive.getinfo("content.xml"), path):
        tag = element.tag
        if event == "start":
            if tag == table + "table":
                depth += 1
                if depth == 1:
                    name = element.get(table + "name") or f"Sheet{len(scan.sheets) + 1}"
                    sheet = scan.sheets.setdefault(name, SheetScan())
                    row = 0
            elif tag == table + "table-row" and depth == 1:
                row_repeat = _repeat(element.get(table + "number-rows-repeated"))
                column = 0
            continue
        if tag == table + "table":
            if depth == 1 and sheet is not None:
                _check_area(sheet.height, sheet.width, path, name, limits,
                            first=_first_cell(sheet))
            depth -= 1
        elif tag == table + "table-row" and depth == 1:
            row += row_repeat
            if parent is not None:
                parent.clear()
        elif tag in cells and depth == 1 and sheet is not None:
            repeat = _repeat(element.get(table + "number-columns-repeated"))
            across = _repeat(element.get(table + "number-columns-spanned"))
            down = _repeat(element.get(table + "number-rows-spanned"))
            if (across > 1 or down > 1) and len(sheet.merged) < MAX_MERGED:
                sheet.merged.append(((row, column), (row + down - 1, column + across - 1)))
            has_content = (element.get(office + "value-type") is not None
                           or any(True for _ in element) or bool((element.text or "").strip()))
            if has_content:
                sheet.add(row + 1, column + 1, row_repeat, repeat)
                if element.get("{%s}value-type" % _CALCEXT_NS) == "error":
                    text = "".join(element.itertext()).strip() or "#VALUE!"
                    sheet.fault(row + 1, column + 1, text)
            elif element.get(table + "formula"):
                sheet.add(row + 1, column + 1)
                sheet.fault(row + 1, column + 1, FORMULA_WITHOUT_VALUE)
            column += repeat
            if _past_limits(sheet, limits):
                _check_area(sheet.height, sheet.width, path, name, limits,
                            first=_first_cell(sheet))


def _repeat(value: str | None) -> int:
    try:
        return max(1, min(int(value), 1 << 31)) if value else 1
    except ValueError:
        return 1


# --- placing faults -----------------------------------------------------------------------

def place_faults(rows: list[list], first_row: int, first_column: int, scan: SheetScan | None
                 ) -> tuple[list[list], int, int]:
    """Put each faulty cell the scan found into `rows` (calamine reads them as blank), growing
    the rows when a fault lies outside the area calamine returned. Rows come back rectangular."""
    if scan is None or not scan.faults:
        return rows, first_row, first_column
    fault_rows = [r for r, _ in scan.faults]
    fault_columns = [c for _, c in scan.faults]
    if rows:
        top, left = min(first_row, *fault_rows), min(first_column, *fault_columns)
        rows = [[] for _ in range(first_row - top)] + [
            [""] * (first_column - left) + list(row) for row in rows]
    else:
        top, left = min(fault_rows), min(fault_columns)
    height = max(len(rows), max(fault_rows) - top + 1)
    width = max(max(map(len, rows), default=0), max(fault_columns) - left + 1)
    rows = rows + [[] for _ in range(height - len(rows))]
    rows = [row + [""] * (width - len(row)) if len(row) < width else row for row in rows]
    for (r, c), fault in scan.faults.items():
        rows[r - top][c - left] = fault
    return rows, top, left


def fault_problems(scan: SheetScan | None, path: Path, sheet: str) -> list[Problem]:
    """A note when more faulty cells were found than are listed one by one."""
    if scan is None or not scan.more_faults:
        return []
    return [problem("cell-error", f"{scan.more_faults:,} more cells hold error values or "
                    "formulas without saved values", Location(str(path), sheet=sheet))]

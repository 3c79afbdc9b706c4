"""Reading .csv and .tsv files: delimiter sniffed; UTF-8 (with or without BOM), UTF-16 with a
BOM (Excel's "Unicode text"), or Windows-1252, line by line when a file mixes them.

The file's size and longest line are checked before it is decoded (`safety`). A quote that
is never closed stops the reading at its line: the rows above it are read, and the error says
where the rest was lost.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from fellowcheck.problems import FellowcheckError, Location, Problem, problem
from fellowcheck.reading import safety
from fellowcheck.reading.safety import DEFAULT_LIMITS, ReadLimits
from fellowcheck.reading.sheets import RawSheet

_DELIMITERS = ",;\t"
#: Separators some programs use that fellowcheck does not read; named in the error.
_OTHER_SEPARATORS = "|:^~"
_ERROR_LINES_LISTED = 5


def read_delimited(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> RawSheet:
    where = Location(str(path))
    data = safety.read_text_file(path, limits)
    text, problems = _decode(data, path)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FellowcheckError(problem(
            "file-unreadable", f"{path.name} holds NUL bytes (line {line}), so it is not a text "
            "CSV file; export the schedule again as CSV (UTF-8)", Location(str(path), row=line)))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(text)
    rows, error = _parse(text, delimiter, path, limits)
    if error is not None:
        if not any(any(cell.strip() for cell in row) for row in rows):
            raise FellowcheckError(error)
        problems.append(error)
    safety.check_table(rows, path, limits)
    width = max(map(len, rows), default=0)
    if min(map(len, rows), default=width) != width:
        rows = [row if len(row) == width else row + [""] * (width - len(row)) for row in rows]
    if rows and max(map(len, rows)) == 1 and (other := _other_separator(rows)):
        raise FellowcheckError(problem(
            "no-table", f"{path.name} has a single column: its fields seem to be separated by "
            f"{other!r}; export it again with commas, semicolons or tabs between fields", where))
    return RawSheet(str(path), None, rows, warnings=tuple(problems))


def _decode(data: bytes, path: Path) -> tuple[str, list[Problem]]:
    """The text of the file, and a warning when its lines are in different encodings."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise FellowcheckError(problem(
                "file-unreadable", f"{path.name} starts as UTF-16 text but is damaged at byte "
                f"{exc.start}; export the schedule again as CSV (UTF-8)",
                Location(str(path)))) from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    legacy: list[int] = []
    utf8 = False
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8-sig" if number == 1 else "utf-8"))
            utf8 = utf8 or not line.isascii()
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            legacy.append(number)
    if not legacy:
        return "\n".join(lines), []
    where = Location(str(path), row=legacy[0])
    if not utf8:
        return "\n".join(lines), [problem(
            "encoding-guessed", f"{path.name} is not UTF-8 (first at line {legacy[0]}); it was "
            "read as Windows-1252", where)]
    listed = ", ".join(map(str, legacy[:_ERROR_LINES_LISTED]))
    more = (f" and {len(legacy) - _ERROR_LINES_LISTED:,} more"
            if len(legacy) > _ERROR_LINES_LISTED else "")
    return "\n".join(lines), [problem(
        "encoding-guessed", f"{path.name} mixes encodings: not UTF-8 on line(s) {listed}{more}, "
        "read as Windows-1252, the other lines as UTF-8; check the names on those lines",
        where)]


def _parse(text: str, delimiter: str, path: Path, limits: ReadLimits
           ) -> tuple[list[list[str]], Problem | None]:
    """The rows, and an error for a quote that breaks the file (the rows above it are kept)."""
    limit = int(limits.max_line_kb * 1024)
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    try:  # the whole file at C speed; only a file with an error is read again row by row
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                               strict=True))
        if len(rows) >= text.count("\n") + (not text.endswith("\n")):
            return rows, None  # a row a line: each row's number is its line's
    except csv.Error:
        pass
    # Read again row by row: a file with an error, or with a cell of several lines (a note
    # typed with Alt+Enter). Such a row is followed by a blank row for each of its other
    # lines, so that every row's number stays the line it starts on, as problems say.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    line = 0
    try:
        for row in reader:
            rows.append(row)
            rows.extend([] for _ in range(reader.line_num - len(rows)))
            line = reader.line_num
    except csv.Error as exc:
        first = line + 1
        reason = str(exc)
        if "field larger than field limit" in reason or "unexpected end of data" in reason:
            what = "a quote (\") opened on this line is never closed"
        elif "expected after" in reason:
            what = "a quote (\") inside a field is not doubled (write \"\" for a quote in a field)"
        else:
            what = reason
        return rows, problem(
            "file-unreadable", f"{path.name} is not valid CSV from line {first} on: {what}, so "
            f"nothing from line {first} on was read; fix the quotes on that line",
            Location(str(path), row=first))
    return rows, None


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text[:16384].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in _DELIMITERS}
        return max(counts, key=counts.get) if any(counts.values()) else ","


def _other_separator(rows: list[list[str]]) -> str | None:
    """A separator fellowcheck does not read that splits the first line into 3+ fields."""
    first = next((row[0] for row in rows if row and row[0].strip()), "")
    for separator in _OTHER_SEPARATORS + " ":
        if len(re.split(re.escape(separator) + "+", first.strip())) >= 3 and (
                separator != " " or re.search(r"(?i)rotation", first)):
            return separator
    return None

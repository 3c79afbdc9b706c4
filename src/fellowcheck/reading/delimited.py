"""Reading .csv and .tsv files: delimiter sniffed, UTF-8 (with or without BOM) or Windows-1252."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fellowcheck.problems import FellowcheckError, Location, problem
from fellowcheck.reading.sheets import RawSheet

_DELIMITERS = ",;\t"


def read_delimited(path: Path) -> RawSheet:
    where = Location(str(path))
    try:
        data = path.read_bytes()
    except PermissionError:
        raise FellowcheckError(problem("file-unreadable", f"no permission to read {path.name}",
                                       where))
    except OSError as exc:
        raise FellowcheckError(problem("file-unreadable", f"cannot read {path.name}: {exc}",
                                       where))
    if b"\x00" in data:
        raise FellowcheckError(problem(
            "file-unreadable", f"{path.name} holds NUL bytes, so it is not a text CSV file; "
            "export the schedule again as CSV", where))
    warnings = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = data.decode("cp1252", errors="replace")
        line = data[:exc.start].count(b"\n") + 1
        warnings.append(problem(
            "encoding-guessed", f"{path.name} is not UTF-8 (first at line {line}); it was read "
            "as Windows-1252", Location(str(path), row=line)))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise FellowcheckError(problem(
            "file-unreadable", f"{path.name} is not valid CSV ({exc}); check for an unbalanced "
            "quote", where))
    return RawSheet(str(path), None, rows, warnings=tuple(warnings))


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in _DELIMITERS}
        return max(counts, key=counts.get) if any(counts.values()) else ","

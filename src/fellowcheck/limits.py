"""How much of a schedule file fellowcheck reads: a light module (the command line imports it
before any reader); the checks themselves are in `reading.safety`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """How much of a file fellowcheck is willing to read. Past a limit, the file is refused
    with a clear error (FC109 too-large) instead of exhausting memory or time."""

    max_file_mb: float = 50.0  #: size of a schedule file on disk
    max_unpacked_mb: float = 500.0  #: a workbook's parts, unpacked, all together
    max_rows: int = 1_000_000  #: a sheet's rows, first to last used row
    max_columns: int = 1_000  #: a sheet's columns, first to last used column
    max_cells: int = 10_000_000  #: rows x columns of a sheet's used area
    max_line_kb: float = 1024.0  #: one line of a CSV or TSV file
    max_cell_chars: int = 1_000  #: one cell of a column fellowcheck reads (name, rotation, ...)
    max_ratio: float = 100.0  #: unpacked / packed size of one workbook part over 1 MB
    max_parts: int = 10_000  #: files inside a workbook's zip

    @classmethod
    def from_options(cls, **values: float | int | None) -> ReadLimits:
        """Limits from command-line options; None keeps the default."""
        return cls(**{name: value for name, value in values.items() if value is not None})


DEFAULT_LIMITS = ReadLimits()

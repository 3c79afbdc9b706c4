"""Problems as data: where something is wrong, what is wrong, and the catalogue of codes.

Every fault fellowcheck finds, from an unreadable file to an unknown rotation name, is a
`Problem` with a stable code and a `Location`. Fatal faults raise `FellowcheckError`, which
carries the same problems, so the CLI renders them like any other.
"""

from __future__ import annotations

import enum
import re
from dataclasses import KW_ONLY, dataclass, field

from fellowcheck.errors import FellowcheckError  # noqa: F401 (re-exported)


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of the problem catalogue."""

    id: str
    name: str
    severity: Severity
    title: str
    hint: str = ""


def _catalogue(*codes: Code) -> dict[str, Code]:
    return {code.name: code for code in codes}


E, W = Severity.ERROR, Severity.WARNING

#: Keyed by slug; the ids (FC1xx reading, FC2xx requirement table, FC3xx checking) are what
#: reports print and what CI matches on. Never renumber a code.
CODES: dict[str, Code] = _catalogue(
    Code("FC101", "file-not-found", E, "File not found", "Check the path."),
    Code("FC102", "file-unreadable", E, "File cannot be read",
         "Open it in a spreadsheet program and save it again as .xlsx or .csv."),
    Code("FC103", "unsupported-file-type", E, "Unsupported file type",
         "Save the schedule as .xlsx, .xlsm, .ods, .csv or .tsv."),
    Code("FC104", "no-table", E, "No schedule table found",
         "Give the table a header row with at least a Rotation column."),
    Code("FC105", "missing-column", E, "A needed column is missing",
         "Add the column the message names."),
    Code("FC106", "duplicate-column", E, "Two columns have the same meaning",
         "Rename or delete one of them."),
    Code("FC107", "encoding-guessed", W, "Text encoding guessed",
         "Save the CSV as UTF-8 so that names are read exactly."),
    Code("FC108", "unsafe-file", E, "File refused as unsafe",
         "Ask for the schedule again as a plain .xlsx or .csv; fellowcheck did not open it."),
    Code("FC109", "too-large", E, "File, sheet or line past a reading limit",
         "Trim what lies outside the table; raise a limit only for a file you trust."),
    Code("FC110", "bad-number", E, "Not a number", "Type a number such as 2 or 0.5."),
    Code("FC111", "bad-amount", E, "Amount out of range", "Give a positive, finite amount."),
    Code("FC112", "unknown-unit", E, "Unknown unit",
         "Use week, day, half-day or conference."),
    Code("FC113", "bad-date", E, "Not a date",
         "Type the date as 2026-07-06 or 7/6/2026, or use a date cell."),
    Code("FC114", "end-before-start", E, "End date before start date",
         "Swap or correct the dates."),
    Code("FC115", "unknown-status", E, "Unknown status",
         "Use completed, scheduled or cancelled, or leave the cell blank."),
    Code("FC116", "unknown-track", E, "Unknown track or specialty",
         "Use anesthesia, non-anesthesia or pmr, or a base specialty such as Neurology."),
    Code("FC117", "conflicting-tracks", E, "A fellow has two tracks",
         "Give the fellow one track on every row."),
    Code("FC118", "missing-track", E, "No track for a fellow",
         "Add a Track column, a roster sheet, or pass --track."),
    Code("FC119", "unit-mismatch", E, "Amount cannot be converted to the rotation's unit",
         "Give the amount in the rotation's own unit."),
    Code("FC120", "missing-duration", E, "No duration",
         "Give an amount and unit, a unit column such as Weeks, or start and end dates."),
    Code("FC121", "missing-fellow", E, "No fellow name on a row", "Fill in the fellow's name."),
    Code("FC122", "missing-rotation", E, "No rotation on a row", "Fill in the rotation."),
    Code("FC123", "conflicting-amounts", E, "The amount is given twice",
         "Keep the amount in one column."),
    Code("FC124", "undated-grid", W, "Block-grid columns without dates",
         "Date the columns, or give each fellow a start date on a roster sheet."),
    Code("FC125", "cell-error", E, "An error value or unsaved formula in a cell",
         "Fix the formula, or open the file in Excel or LibreOffice and save it again."),
    Code("FC126", "cell-too-long", E, "A cell too long to be a name or value",
         "Shorten the cell; long notes belong in a column fellowcheck does not read."),
    Code("FC127", "no-entries", E, "A schedule table without rows",
         "Add the fellow's rotations under the header row."),
    Code("FC128", "no-weekdays", W, "A dated row holds no weekday",
         "Check the dates: only Monday to Friday count."),
    Code("FC129", "block-length", E, "Block N columns of a length not given",
         "Pass --block-weeks N (4 for 4-week blocks), or set block_weeks in the settings "
         "file, or date the columns."),
    Code("FC130", "unknown-rotation", W, "Unknown rotation; its time is not counted",
         "Use a rotation name or alias from the requirement table."),
    Code("FC131", "name-variants", W, "Names that differ only in spacing or Unicode form",
         "They were read as one fellow; type the name the same way everywhere."),
    Code("FC132", "file-skipped", W, "A file in a folder that was not read",
         "Save it as .xlsx, .xlsm, .ods, .csv or .tsv, or move it out of the folder."),
    Code("FC133", "sheet-not-found", E, "No sheet of the name given to --sheet",
         "Give --sheet one of the sheet names the message lists."),
    Code("FC134", "weeks-of-half-days", W,
         "A rotation alongside the blocks, counted in half-days, given in weeks",
         "Give its half-days (Half days column, or Amount and Unit), or keep the weeks if it "
         "filled them."),
    Code("FC135", "dates-not-read", W, "A column of dates that is not read",
         "If they are the rotations' dates, name the column Start (and add End) or Date; "
         "else add a Status column, so that each row counts as completed or scheduled."),
    Code("FC136", "sheet-not-read", W, "A sheet that names rotations is not read",
         "Lay it out as a table of entries (Fellow, Rotation, Start, End) or as a block grid "
         "with dated, Week N or Block N columns."),
    Code("FC140", "schedule-overlap", W, "Two block rotations overlap",
         "Fix the dates so that the fellow is in one block rotation at a time."),
    Code("FC141", "outside-fellowship-year", W, "Time outside the fellowship year",
         "Check the dates, or the fellowship dates on the roster."),
    Code("FC142", "too-many-weeks", W, "More block weeks than the year holds",
         "Check the block dates and the fellow's start date."),
    Code("FC143", "duplicate-entry", W, "The same entry twice (counted once when dated)",
         "Delete one of the rows; if both are real, write one row with their total."),
    Code("FC144", "completed-in-future", W, "Marked completed but ends after the as-of date",
         "Mark it scheduled, or correct the end date."),
    Code("FC145", "scheduled-in-past", W, "Marked scheduled but ended before the as-of date",
         "Mark it completed or cancelled."),
    Code("FC146", "unknown-fellow", E, "No fellow of that name",
         "Check the spelling given to --fellow."),
    Code("FC147", "one-date-alongside-blocks", W,
         "A rotation alongside the blocks with one date and no status",
         "Give both its start and end dates, or mark it completed or scheduled."),
    Code("FC148", "amount-beyond-dates", W, "An amount of more time than the row's dates hold",
         "Correct the amount or the dates."),
    Code("FC149", "conflicting-dates", W, "Two rosters give a fellow different dates",
         "Make the rosters agree on the fellowship's first and last day."),
    Code("FC150", "config-error", E, "Bad settings file",
         "Fix the setting in fellowcheck.toml or [tool.fellowcheck] of pyproject.toml."),
    Code("FC160", "report-unwritable", E, "The report cannot be written",
         "Check the path: its folder must exist and be writable."),
    Code("FC201", "requirements-unreadable", E, "Requirement table cannot be read",
         "Check the path (--requirements, or requirements in the settings file) and that "
         "the file is a CSV."),
    Code("FC202", "requirements-bad-value", E, "Bad value in the requirement table",
         "Fix the value at the line and column named."),
    Code("FC203", "requirements-min-over-max", E, "Minimum above maximum",
         "Make the minimum at most the maximum."),
    Code("FC204", "requirements-duplicate", E, "Duplicate id, name or alias",
         "Give every rotation its own id, name and aliases."),
    Code("FC301", "over-maximum", W, "More time than the rotation allows",
         "Check the rows; move the extra time to another rotation if it was logged wrongly."),
    Code("FC302", "not-applicable-time", W, "Time logged on a rotation not in the fellow's track",
         "Check the fellow's track, or log the time under a rotation of that track."),
    Code("FC900", "internal-error", E, "Internal error in fellowcheck",
         "This is a bug; please report it with the command you ran."),
)


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where a problem is: file, sheet, 1-based row as the spreadsheet shows it, column header."""

    file: str | None = None
    _: KW_ONLY
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        text = self.file or ""
        if self.sheet is not None:
            text += f" [{self.sheet}]"
        if self.row is not None:
            text += f" row {self.row}"
        if self.column is not None:
            text += f", column {self.column!r}"
        return text.strip()


@dataclass(frozen=True, slots=True)
class Problem:
    """A fault found while reading or checking, with its catalogue code and location."""

    kind: str  # the catalogue slug, e.g. "bad-date"
    message: str
    location: Location = field(default_factory=Location)
    fellow: str | None = None

    @property
    def info(self) -> Code:
        return CODES[self.kind]

    @property
    def severity(self) -> Severity:
        return CODES[self.kind].severity

    @property
    def id(self) -> str:
        return CODES[self.kind].id

    @property
    def hint(self) -> str:
        return CODES[self.kind].hint

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file or "", loc.sheet or "", loc.row or 0, _column_order(loc.column),
                self.id)

    def __str__(self) -> str:
        where = f"{self.location}: " if str(self.location) else ""
        hint = f" {self.hint}" if self.hint else ""
        return f"{where}{self.id} {sentence(self.message)}{hint}"


_COLUMN_LETTERS = re.compile(r"(?:^|\()([A-Z]{1,3})\)?$")


def _column_order(column: str | None) -> tuple:
    """A row's problems left to right: by the column's letters ("Start (D)" before
    "End (E)", Z before AA), else by its name."""
    match = _COLUMN_LETTERS.search(column or "")
    return (0, len(match.group(1)), match.group(1)) if match else (1, 0, column or "")


def sentence(text: str) -> str:
    """`text` ending in a full stop, unless it already ends in punctuation."""
    return text if text.endswith((".", "?", "!")) else text + "."


def problem(name: str, message: str, location: Location | None = None,
            fellow: str | None = None) -> Problem:
    """Build a Problem for catalogue entry `name`, refusing names that are not in it.

    Texts that come from a file (a quoted cell, a sheet or column name) are made printable:
    control and bidi characters are shown as escapes, so a cell cannot move the cursor, clear
    the terminal or reverse the text of a report; and each text is of bounded length.
    """
    if name not in CODES:
        raise KeyError(f"unknown problem code {name!r}")
    location = location or Location()
    if any(map(_needs_cleaning, (message, location.file, location.sheet, location.column,
                                 fellow))):
        message = printable(message, MESSAGE_CHARS)
        location = Location(printable(location.file, MESSAGE_CHARS),
                            sheet=printable(location.sheet), row=location.row,
                            column=printable(location.column))
        fellow = printable(fellow, limit=MESSAGE_CHARS)
    return Problem(name, message, location, fellow)


#: A message longer than this is cut (quoted cells are cut much shorter where they are quoted).
MESSAGE_CHARS = 2_000
_NAME_CHARS = 300
#: Control characters (but tab and line ends, which each output format escapes its own way),
#: zero-width and bidi characters.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                          r"\u2060-\u2069\ufeff]")


def _needs_cleaning(text: str | None) -> bool:
    return text is not None and (len(text) > _NAME_CHARS or bool(_UNPRINTABLE.search(text)))


def printable(text, limit: int = _NAME_CHARS):
    """`text` with control and bidi characters escaped (\\x1b, \\u202e), at most `limit`
    characters. None stays None."""
    if text is None:
        return None
    text = _UNPRINTABLE.sub(lambda m: (f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                       else f"\\u{ord(m.group()):04x}"), text)
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)

"""The fill-in workbook of `fellowcheck template` (.xlsx, returned as bytes).

- Instructions: what goes in each column, the units, the statuses, the tracks and the
  rotations of the requirement table in use.
- Roster: Fellow, Track, Fellowship start, Fellowship end; pre-filled from --fellow.
- Schedule: the entries layout (Fellow, Track, Rotation, Start, End, Amount, Unit, Status), with
  dropdown lists (Excel data validation) for Fellow, Track, Rotation, Unit and Status, date
  cells for Start and End, and a frozen header.
- Lists (hidden): the values of the dropdowns, drawn from the requirement table.

The readers of fellowcheck read the filled workbook as any other: Roster is a roster, Schedule
is in the entries layout. Instructions and Lists must never look like a schedule, so no row of
theirs holds more than one cell that is a header name, a week or block label or a date: the
Instructions sheet is two columns (a term, then prose), and the Lists sheet puts each list in
its own column, each below the one before, so that no row holds two values.

Written with xlsxwriter, which never guesses a cell's type; text goes through the report's
formula-injection guard, as in the audit workbook.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from fellowcheck import __version__
from fellowcheck.model import Kind, Requirement, RequirementTable, Unit
from fellowcheck.reading.values import (
    EARLIEST_DATE, LARGEST_AMOUNT, LATEST_DATE, STATUS_WORDS, UNIT_WORDS,
)
from fellowcheck.text import clean_name, match_key

INSTRUCTIONS, ROSTER, SCHEDULE, LISTS = "Instructions", "Roster", "Schedule", "Lists"
ROSTER_COLUMNS = ("Fellow", "Track", "Fellowship start", "Fellowship end")
SCHEDULE_COLUMNS = ("Fellow", "Track", "Rotation", "Start", "End", "Amount", "Unit", "Status")
#: Offered in the Rotation dropdown after the requirement table's rotations; totalled as leave.
LEAVE_CHOICES = ("Vacation", "Leave")
#: Statuses offered in the dropdown, in the words the readers know (reading/values.py).
STATUS_CHOICES = ("completed", "scheduled", "cancelled")
#: Rows (below the header) that get dropdowns and date formats.
SCHEDULE_ROWS = 2000
ROSTER_ROWS = 200
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True, slots=True)
class RosterFellow:
    name: str
    track: str | None = None


def parse_fellow(text: str, table: RequirementTable) -> RosterFellow:
    """NAME:TRACK (or NAME) from the command line. The track is a track of the table or a base
    specialty (Neurology, PM&R), written as the track. ValueError with the reason if bad."""
    name, colon, track = text.rpartition(":")
    if not colon:
        name, track = text, ""
    name = clean_name(name)
    if not name:
        raise ValueError(f"{text!r} has no name; write NAME:TRACK, such as 'Dr. Ana Ruiz:pmr'")
    if not colon:
        return RosterFellow(name)
    resolved = table.specialties.get(match_key(track))
    if resolved is None:
        raise ValueError(f"{track.strip()!r} (in {text!r}) is not a track; use one of "
                         f"{', '.join(table.tracks)} or a base specialty")
    return RosterFellow(name, resolved)


def parse_fellows(texts: list[str], table: RequirementTable) -> list[RosterFellow]:
    """parse_fellow for each, refusing a name given twice (ValueError)."""
    fellows, seen = [], set()
    for text in texts:
        fellow = parse_fellow(text, table)
        if match_key(fellow.name) in seen:
            raise ValueError(f"{fellow.name!r} is given twice")
        seen.add(match_key(fellow.name))
        fellows.append(fellow)
    return fellows


def build_template(table: RequirementTable, fellows: list[RosterFellow] = ()) -> bytes:
    """The template workbook for `table`, with `fellows` on the roster."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"title": "fellowcheck schedule template",
                         "comments": f"Made by fellowcheck {__version__} from {_source_name(table)}"})
    styles = _Styles(book)
    instructions = book.add_worksheet(INSTRUCTIONS)
    roster = book.add_worksheet(ROSTER)
    schedule = book.add_worksheet(SCHEDULE)
    lists = book.add_worksheet(LISTS)
    ranges = write_lists(lists, table, styles)
    write_instructions(instructions, table, styles)
    write_roster(roster, fellows, ranges, styles)
    write_schedule(schedule, ranges, styles)
    lists.hide()
    instructions.activate()
    book.close()
    return buffer.getvalue()


class _Styles:
    def __init__(self, book):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.heading = book.add_format({"bold": True, "font_size": 12})
        self.bold = book.add_format({"bold": True, "valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.muted = book.add_format({"font_color": "#595959"})
        self.header = book.add_format({"bold": True, "bottom": 1, "bg_color": "#F2F2F2"})
        self.date = book.add_format({"num_format": DATE_FORMAT})


def _text(sheet, row: int, column: int, value: str, cell_format=None) -> None:
    from fellowcheck.report.xlsx import write_text

    write_text(sheet, row, column, value, cell_format)


def _rotation_choices(table: RequirementTable) -> list[str]:
    return [requirement.rotation for requirement in table.requirements] + list(LEAVE_CHOICES)


def write_lists(sheet, table: RequirementTable, styles: _Styles) -> dict[str, str]:
    """Each list in its own column, below the one before (no row holds two values); returns
    the absolute range of each list, for the dropdowns."""
    lists = {"rotation": ("Rotation choices", _rotation_choices(table)),
             "unit": ("Unit choices", [unit.value for unit in Unit]),
             "status": ("Status choices", list(STATUS_CHOICES)),
             "track": ("Track choices", list(table.tracks))}
    _text(sheet, 0, 0, "The dropdown lists of the Roster and Schedule sheets, made by "
          f"fellowcheck from {_source_name(table)}. Change the requirement table, not this sheet.",
          styles.muted)
    ranges, row = {}, 2
    for column, (key, (title, values)) in enumerate(lists.items()):
        _text(sheet, row, column, title, styles.bold)
        first = row + 1
        for offset, value in enumerate(values):
            _text(sheet, first + offset, column, value)
        last = first + len(values) - 1
        letter = chr(ord("A") + column)
        ranges[key] = f"={LISTS}!${letter}${first + 1}:${letter}${last + 1}"
        sheet.set_column(column, column, max(len(v) for v in values) + 2 if values else 12)
        row = last + 2
    return ranges


def write_roster(sheet, fellows: list[RosterFellow], ranges: dict[str, str],
                 styles: _Styles) -> None:
    for column, title in enumerate(ROSTER_COLUMNS):
        _text(sheet, 0, column, title, styles.header)
    sheet.set_column(0, 0, max([len(f.name) + 2 for f in fellows] + [28]))
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 3, 16, styles.date)
    for row, fellow in enumerate(fellows, start=1):
        _text(sheet, row, 0, fellow.name)
        if fellow.track:
            _text(sheet, row, 1, fellow.track)
    last = ROSTER_ROWS
    _track_dropdown(sheet, 1, last, 1, ranges)
    for column, title in ((2, "Fellowship start"), (3, "Fellowship end")):
        _date_rule(sheet, 1, last, column, title,
                   "The fellowship's first day (end: its last day), as a date.")
    sheet.freeze_panes(1, 0)


def write_schedule(sheet, ranges: dict[str, str], styles: _Styles) -> None:
    widths = (28, 16, 44, 12, 12, 9, 12, 12)
    for column, (title, width) in enumerate(zip(SCHEDULE_COLUMNS, widths)):
        _text(sheet, 0, column, title, styles.header)
        sheet.set_column(column, column, width, styles.date if title in ("Start", "End")
                         else None)
    first, last = 1, SCHEDULE_ROWS
    sheet.data_validation(first, 0, last, 0, {
        "validate": "list", "source": f"={ROSTER}!$A$2:$A${ROSTER_ROWS + 1}",
        "error_type": "warning", "input_title": "Fellow",
        "input_message": "A fellow of the Roster sheet.",
        "error_title": "Not on the roster",
        "error_message": "This fellow is not on the Roster sheet. Keep the name anyway?"})
    _track_dropdown(sheet, first, last, 1, ranges)
    sheet.data_validation(first, 2, last, 2, {
        "validate": "list", "source": ranges["rotation"], "error_type": "warning",
        "input_title": "Rotation",
        "input_message": "A rotation of the requirement table, Vacation or Leave. Its id or "
                         "an alias (MIPS, EMG, ...) is read too.",
        "error_title": "Not in the list",
        "error_message": "fellowcheck also reads the rotations' ids and aliases (see the "
                         "Instructions sheet). Keep this name?"})
    _date_rule(sheet, first, last, 3, "Start", "The rotation's first day, as a date.")
    _date_rule(sheet, first, last, 4, "End", "The rotation's last day, as a date.")
    sheet.data_validation(first, 5, last, 5, {
        "validate": "decimal", "criteria": "between", "minimum": 0.001,
        "maximum": LARGEST_AMOUNT, "input_title": "Amount",
        "input_message": "How much, in the Unit column's unit. Leave blank to count the "
                         "weekdays from Start to End.",
        "error_title": "Not an amount", "error_message": "Write a number above zero."})
    sheet.data_validation(first, 6, last, 6, {
        "validate": "list", "source": ranges["unit"], "input_title": "Unit",
        "input_message": "week, day, half-day or conference: the unit of Amount.",
        "error_title": "Not a unit", "error_message": "Pick week, day, half-day or conference."})
    sheet.data_validation(first, 7, last, 7, {
        "validate": "list", "source": ranges["status"], "input_title": "Status",
        "input_message": "completed, scheduled or cancelled. Leave blank to split the dates "
                         "at the day of the check.",
        "error_title": "Not a status", "error_message": "Pick completed, scheduled or cancelled."})
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, 0, len(SCHEDULE_COLUMNS) - 1)


def _track_dropdown(sheet, first: int, last: int, column: int, ranges: dict[str, str]) -> None:
    sheet.data_validation(first, column, last, column, {
        "validate": "list", "source": ranges["track"], "error_type": "warning",
        "input_title": "Track",
        "input_message": "The fellow's track, or their base specialty (Anesthesiology, "
                         "Neurology, PM&R, ...).",
        "error_title": "Not a track",
        "error_message": "fellowcheck also reads base specialties such as Neurology. Keep it?"})


def _date_rule(sheet, first: int, last: int, column: int, title: str, message: str) -> None:
    sheet.data_validation(first, column, last, column, {
        "validate": "date", "criteria": "between",
        "minimum": dt.datetime.combine(EARLIEST_DATE, dt.time()),
        "maximum": dt.datetime.combine(LATEST_DATE, dt.time()),
        "input_title": title, "input_message": message,
        "error_title": "Not a date", "error_message": "Type a date, such as 2026-07-06."})


def write_instructions(sheet, table: RequirementTable, styles: _Styles) -> None:
    """A term in column A, prose in column B; never two header names or dates in a row."""
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 100, styles.wrap)
    row = 0

    def line(text: str, cell_format=None) -> None:
        nonlocal row
        _text(sheet, row, 0, text, cell_format)
        row += 1

    def term(name: str, text: str) -> None:
        nonlocal row
        _text(sheet, row, 0, name, styles.bold)
        _text(sheet, row, 1, text, styles.wrap)
        row += 1

    def section(title: str) -> None:
        nonlocal row
        row += 1
        line(title, styles.heading)

    line("fellowcheck schedule template", styles.title)
    line(f"Made by fellowcheck {__version__} from the requirement table {_source_name(table)}.",
         styles.muted)
    section("How to fill it in")
    term("1. Roster sheet", "One row per fellow: the name, the track, and the first and last "
         "day of the fellowship. The track given here applies to all the fellow's rows.")
    term("2. Schedule sheet", "One row per rotation, vacation or leave: completed, scheduled "
         "or planned. Pick from the dropdowns; a rotation may take several rows.")
    term("3. Check it", "Save the workbook and run fellowcheck check on it, such as: "
         "fellowcheck check schedule.xlsx. This sheet and the hidden Lists sheet are skipped.")

    section("Columns of the Schedule sheet")
    term("Fellow", "The fellow's name, as on the Roster sheet.")
    term("Track", "Optional when the Roster sheet gives it. One of "
         f"{', '.join(table.tracks)}, or the fellow's base specialty (Anesthesiology, "
         "Neurology, PM&R, Internal Medicine, ...).")
    term("Rotation", "A rotation of the requirement table (listed below), Vacation or Leave. "
         "A rotation's id or one of its aliases is read too. Holiday, sick and parental leave "
         "count as leave.")
    term("Start", "The rotation's first day, as a date.")
    term("End", "The rotation's last day, as a date. Without an Amount, the rotation lasts "
         "the weekdays (Monday to Friday) from Start to End, both included.")
    term("Amount", "How much time, in the Unit column's unit. Leave blank to count the "
         "weekdays from Start to End.")
    term("Unit", "The unit of Amount (see Units below). Amounts convert to the unit of the "
         "rotation's requirement.")
    term("Status", "Completed, scheduled or cancelled (see Statuses below). Leave blank to let "
         "fellowcheck split the dates at the day of the check.")

    section("Units")
    term("(any word)", "Case, spaces and punctuation are ignored: Half days, half-day and HD "
         "are the same unit.")
    conversions = {Unit.WEEK: "1 week = 5 days = 10 half-days.",
                   Unit.DAY: "1 day = 2 half-days; 5 days make a week.",
                   Unit.HALF_DAY: "A morning or an afternoon; 10 make a week.",
                   Unit.CONFERENCE: "Counted, not timed: conferences do not convert to weeks "
                                    "or days."}
    for unit in Unit:
        words = _synonyms(UNIT_WORDS, unit, unit.value)
        term(unit.value, f"{conversions[unit]} Also written: {words}.")

    section("Statuses")
    meanings = {"completed": "Done: counts as completed time.",
                "scheduled": "Planned: counts as scheduled time, which keeps a requirement on "
                             "track but not yet met.",
                "cancelled": "Not counted at all."}
    for status in STATUS_CHOICES:
        words = _synonyms(STATUS_WORDS, status, status)
        term(status, f"{meanings[status]} Also written: {words}.")
    term("(blank)", "A row with dates is split at the day of the check (or --as-of): the "
         "weekdays up to that day are completed, the rest scheduled. A row without dates is "
         "completed.")

    section("Tracks")
    for track in table.tracks:
        required = [r.rotation for r in table.requirements if r.rules[track].kind is Kind.REQUIRED]
        term(track, f"{len(required)} required rotations: {'; '.join(required)}.")

    section("Rotations")
    for requirement in table.requirements:
        term(requirement.rotation, _rotation_text(requirement, table.tracks))
    term("Vacation, Leave", "Totalled as leave, not counted toward any rotation.")


def _synonyms(words: dict[str, object], value: object, canonical: str) -> str:
    """The match keys meaning `value`, other than the canonical word itself."""
    keys = [key for key, meant in words.items() if meant == value and key != match_key(canonical)]
    return ", ".join(keys) if keys else "only so"


def _rotation_text(requirement: Requirement, tracks: tuple[str, ...]) -> str:
    from fellowcheck.report.requirements_table import rule_text

    parts = [f"id {requirement.id}", f"in {requirement.unit.value}s"]
    if requirement.aliases:
        parts.append("also " + ", ".join(requirement.aliases))
    if requirement.concurrent:
        parts.append("runs alongside block rotations")
    rules = "; ".join(f"{track}: {rule_text(requirement.rules[track], requirement.unit)}"
                      for track in tracks)
    text = f"{', '.join(parts)}. {rules}."
    return f"{text} {requirement.notes}." if requirement.notes else text


def _source_name(table: RequirementTable) -> str:
    """The requirement table's file name: a template is shared, the folders it came from are not."""
    return Path(table.source).name

"""The audit workbook a program director files and emails (.xlsx, returned as bytes).

- Summary: a fellow x rotation grid. Each cell holds the time completed as a number (so it
  sorts and filters) and shows "completed (+scheduled) / required" through its number format,
  filled by status. Frozen header and name column, an autofilter, and a legend below. Fellow
  names link to their sheets.
- One sheet per fellow with the full table (the columns of the csv report).
- Problems: every problem, filterable by severity, code and fellow.

Written with xlsxwriter: its write_string/write_number never guess a cell's type (openpyxl
stores any string that starts with "=" as a formula), and it builds the file in memory in one
pass. Text that a spreadsheet could run as a formula is still prefixed with a single quote, so
the cells stay safe when the workbook is saved again as csv.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from fellowcheck.model import FellowResult, Kind, Report, RequirementResult, Status, Unit
from fellowcheck.problems import Problem, Severity
from fellowcheck.report import RenderOptions
from fellowcheck.report.cells import neutralise
from fellowcheck.report.json import problem_to_dict, requirement_to_dict
from fellowcheck.report.words import (
    STATUS_LABELS, amount, leave_taken_text, number, plural, problem_counts, status_breakdown,
)
from fellowcheck.verdict import summarize

SUMMARY, PROBLEMS = "Summary", "Problems"

#: (fill, font) per status: Excel's own Good / Bad / Neutral colours, blue for on track.
STATUS_COLORS = {
    Status.MET: ("#C6EFCE", "#006100"),
    Status.COMPLIANT: ("#C6EFCE", "#006100"),
    Status.ON_TRACK: ("#DDEBF7", "#1F4E78"),
    Status.GAP: ("#FFC7CE", "#9C0006"),
    Status.OVER: ("#FFEB9C", "#9C5700"),
    Status.NOT_APPLICABLE: ("#EDEDED", "#7F7F7F"),
}
SEVERITY_COLORS = {Severity.ERROR: ("#FFC7CE", "#9C0006"),
                   Severity.WARNING: ("#FFEB9C", "#9C5700")}
LEGEND = (
    (Status.MET, "the minimum is completed"),
    (Status.ON_TRACK, "the minimum is reached once the scheduled time is done"),
    (Status.GAP, "the minimum is not reached even with the scheduled time"),
    (Status.OVER, "more time completed or scheduled than the rotation allows"),
    (Status.NOT_APPLICABLE, "not part of the fellow's track"),
)
FELLOW_COLUMNS = (("Rotation", "rotation", 34), ("Rotation id", "rotation_id", 18),
                  ("Requirement", "requirement", 14), ("Unit", "unit", 11),
                  ("Min", "min", 7), ("Max", "max", 7), ("Completed", "completed", 11),
                  ("Scheduled", "scheduled", 11), ("Remaining", "remaining", 11),
                  ("Unscheduled", "unscheduled", 12), ("Status", "status", 11))
PROBLEM_COLUMNS = (("Severity", "severity", 10), ("Code", "code", 8), ("Problem", None, 34),
                   ("Fellow", "fellow", 24), ("File", "file", 24), ("Sheet", "sheet", 14),
                   ("Row", "row", 7), ("Column", "column", 14), ("Message", "message", 70),
                   ("Hint", "hint", 50))
FELLOW_HEADER_ROW = 3  # title, details, blank, then the table

MAX_SHEET_NAME = 31
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")


def render(report: Report, options: RenderOptions) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    # Created "at" the as-of date, not now: the same report is the same bytes, so that CI can
    # commit it or compare it.
    book.set_properties({"title": f"fellowcheck audit as of {report.as_of.isoformat()}",
                         "comments": f"Requirements: {report.requirements_source}",
                         "created": dt.datetime.combine(report.as_of, dt.time())})
    styles = _Styles(book)
    names = SheetNames(reserved=(SUMMARY, PROBLEMS))
    sheets = [(fellow, names.add(fellow.fellow)) for fellow in report.fellows]
    write_summary(book.add_worksheet(SUMMARY), report, sheets, styles)
    for fellow, name in sheets:
        write_fellow(book.add_worksheet(name), fellow, report, styles)
    write_problems(book.add_worksheet(PROBLEMS), report.all_problems, styles)
    book.close()
    return buffer.getvalue()


class SheetNames:
    """Sheet names Excel accepts: 1-31 characters, none of []:*?/\\, not starting or ending
    with an apostrophe, not "History", and unique regardless of case."""

    def __init__(self, reserved: tuple[str, ...] = ()):
        self.taken = {"history"} | {name.casefold() for name in reserved}

    def add(self, wanted: str) -> str:
        base = _NOT_IN_SHEET_NAME.sub("_", wanted)
        base = _trim(base[:MAX_SHEET_NAME]) or "Fellow"
        name, count = base, 1
        while name.casefold() in self.taken:
            count += 1
            suffix = f" ({count})"
            name = (_trim(base[:MAX_SHEET_NAME - len(suffix)]) or "Fellow") + suffix
        self.taken.add(name.casefold())
        return name


def _trim(name: str) -> str:
    return name.strip().strip("'").strip()


class _Styles:
    """The workbook's cell formats, each created once (xlsxwriter requires that)."""

    def __init__(self, book):
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.muted = book.add_format({"font_color": "#595959"})
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                       "bottom": 1, "bg_color": "#F2F2F2"})
        self.link = book.add_format({"font_color": "#0563C1", "underline": 1})
        self.status = {status: self.filled(status) for status in STATUS_COLORS}
        self.severity = {severity: book.add_format(
            {"bg_color": fill, "font_color": font, "pattern": 1})
            for severity, (fill, font) in SEVERITY_COLORS.items()}
        self._cells: dict[tuple[Status, str], object] = {}

    def filled(self, status: Status, num_format: str | None = None):
        fill, font = STATUS_COLORS[status]
        spec = {"bg_color": fill, "font_color": font, "pattern": 1, "border": 1,
                "border_color": "#FFFFFF"}
        if num_format:
            spec["num_format"] = num_format
        return self.book.add_format(spec)

    def cell(self, status: Status, num_format: str):
        key = (status, num_format)
        if key not in self._cells:
            self._cells[key] = self.filled(status, num_format)
        return self._cells[key]


def write_text(sheet, row: int, column: int, value, cell_format=None) -> None:
    """Every text cell goes through here, so none can start a formula."""
    if value is None or value == "":
        sheet.write_blank(row, column, None, cell_format)
    else:
        sheet.write_string(row, column, neutralise(str(value)), cell_format)


def write_value(sheet, row: int, column: int, value, cell_format=None) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        write_text(sheet, row, column, value, cell_format)
    else:
        sheet.write_number(row, column, value, cell_format)


def write_summary(sheet, report: Report, sheets: list[tuple[FellowResult, str]],
                  styles: _Styles) -> None:
    requirements = _requirements(report)
    headers = ["Fellow", "Track", "Status", "Gaps",
               *(f"{r.rotation} ({r.unit.value}s completed)" for r in requirements)]
    for column, header in enumerate(headers):
        write_text(sheet, 0, column, header, styles.header)
    sheet.set_row(0, 48)
    width = max([len(fellow.fellow) for fellow, _ in sheets] + [10])
    sheet.set_column(0, 0, min(width + 2, 40))
    sheet.set_column(1, 1, 15)
    sheet.set_column(2, 2, 11)
    sheet.set_column(3, 3, 6)
    if requirements:
        sheet.set_column(4, 3 + len(requirements), 14)

    for row, (fellow, name) in enumerate(sheets, start=1):
        target = name.replace("'", "''")
        sheet.write_url(row, 0, f"internal:'{target}'!A1", styles.link,
                        string=neutralise(fellow.fellow), tip=f"Open {name}")
        write_text(sheet, row, 1, fellow.track or "no track")
        write_text(sheet, row, 2, STATUS_LABELS[fellow.status], styles.status[fellow.status])
        sheet.write_number(row, 3, len(fellow.gaps))
        results = {r.requirement.id: r for r in fellow.requirements}
        for column, requirement in enumerate(requirements, start=4):
            if requirement.id in results:
                _grid_cell(sheet, row, column, results[requirement.id], styles)

    last_row = max(len(sheets), 1)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, len(sheets), len(headers) - 1)
    _legend(sheet, last_row + 2, report, styles)


def _requirements(report: Report):
    """Every rotation any fellow was checked against, in table order."""
    seen = {}
    for fellow in report.fellows:
        for result in fellow.requirements:
            seen.setdefault(result.requirement.id, result.requirement)
    return list(seen.values())


def _grid_cell(sheet, row: int, column: int, result: RequirementResult, styles: _Styles) -> None:
    if result.status is Status.NOT_APPLICABLE and not (result.completed or result.scheduled):
        write_text(sheet, row, column, STATUS_LABELS[Status.NOT_APPLICABLE],
                   styles.status[Status.NOT_APPLICABLE])
        return
    # Rounded as the format shows the scheduled time: the report is read, the JSON computed on.
    sheet.write_number(row, column, round(result.completed, 2),
                       styles.cell(result.status, grid_format(result)))


def grid_format(result: RequirementResult) -> str:
    """A number format that shows the completed time as "6 (+7) / 13": the cell stays a
    number while reading as completed (+scheduled) / required."""
    suffix = f" (+{number(result.scheduled)})" if result.scheduled else ""
    if result.kind is Kind.REQUIRED:
        ranged = result.max is not None and result.max != result.min
        suffix += f" / {number(result.min)}" + (f"-{number(result.max)}" if ranged else "")
    elif result.max is not None:
        suffix += f" / max {number(result.max)}"
    elif result.kind is Kind.NOT_APPLICABLE:  # time logged on a rotation outside the track
        suffix += " / n/a"
    return f'General" {suffix.strip()}"' if suffix else "General"


def _legend(sheet, row: int, report: Report, styles: _Styles) -> None:
    write_text(sheet, row, 0, "Legend", styles.bold)
    for offset, (status, meaning) in enumerate(LEGEND, start=1):
        write_text(sheet, row + offset, 0, STATUS_LABELS[status], styles.status[status])
        write_text(sheet, row + offset, 1, meaning)
    row += len(LEGEND) + 1
    notes = (
        "Each cell: time completed (+ time scheduled) / what the track requires, in the "
        "rotation's unit (see the column heading). Names link to each fellow's sheet.",
        f"As of {report.as_of.isoformat()}; requirements from {report.requirements_source}.",
        _summary_text(report),
    )
    for offset, note in enumerate(notes, start=1):
        write_text(sheet, row + offset, 0, note, styles.muted)


def _summary_text(report: Report) -> str:
    summary = summarize(report)
    return (f"{plural(summary.fellows, 'fellow')}: {status_breakdown(summary.by_status)}; "
            f"{problem_counts(summary.errors, summary.warnings)}.")


def write_fellow(sheet, fellow: FellowResult, report: Report, styles: _Styles) -> None:
    write_text(sheet, 0, 0, fellow.fellow, styles.title)
    details = [f"Track: {fellow.track or 'none'}", f"Status: {STATUS_LABELS[fellow.status]}",
               f"Gaps: {len(fellow.gaps)}", f"As of {report.as_of.isoformat()}"]
    if fellow.leave_weeks:
        details.append(f"Leave: {amount(fellow.leave_weeks, Unit.WEEK)}{leave_taken_text(fellow)}")
    if fellow.sources:
        details.append(f"From: {', '.join(fellow.sources)}")
    if fellow.problems:
        errors = sum(p.severity is Severity.ERROR for p in fellow.problems)
        details.append(f"Problems: {errors} errors, {len(fellow.problems) - errors} warnings "
                       f"(see the {PROBLEMS} sheet)")
    write_text(sheet, 1, 0, " · ".join(details), styles.muted)

    header = FELLOW_HEADER_ROW
    for column, (title, _, width) in enumerate(FELLOW_COLUMNS):
        write_text(sheet, header, column, title, styles.header)
        sheet.set_column(column, column, width)
    for row, result in enumerate(fellow.requirements, start=header + 1):
        values = requirement_to_dict(result)
        for column, (_, key, _) in enumerate(FELLOW_COLUMNS):
            if key == "status":
                write_text(sheet, row, column, STATUS_LABELS[result.status],
                           styles.status[result.status])
            else:
                write_value(sheet, row, column, values[key])
    if not fellow.requirements:
        write_text(sheet, header + 1, 0, "No requirement could be checked: the fellow has no "
                   "known track.")
    sheet.freeze_panes(header + 1, 1)
    sheet.autofilter(header, 0, header + max(len(fellow.requirements), 1),
                     len(FELLOW_COLUMNS) - 1)


def write_problems(sheet, problems: list[Problem], styles: _Styles) -> None:
    for column, (title, _, width) in enumerate(PROBLEM_COLUMNS):
        write_text(sheet, 0, column, title, styles.header)
        sheet.set_column(column, column, width)
    for row, item in enumerate(problems, start=1):
        values = problem_to_dict(item)
        for column, (_, key, _) in enumerate(PROBLEM_COLUMNS):
            if key == "severity":
                write_text(sheet, row, column, item.severity.value, styles.severity[item.severity])
            elif key is None:
                write_text(sheet, row, column, item.info.title)
            else:
                write_value(sheet, row, column, values[key])
    if not problems:
        write_text(sheet, 1, 0, "No problems found.")
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(problems), 1), len(PROBLEM_COLUMNS) - 1)

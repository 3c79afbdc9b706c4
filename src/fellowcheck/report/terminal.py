"""The terminal report a program director reads at a glance, rendered with rich."""

from __future__ import annotations

import io
import math
from pathlib import Path

from rich import box
from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from fellowcheck.model import FellowResult, Kind, Report, RequirementResult, Status, Unit
from fellowcheck.problems import Problem, Severity, sentence
from fellowcheck.report import RenderOptions
from fellowcheck.report.words import (
    STATUS_LABELS, amount, blank_if_zero, leave_taken_text, plural, requirement_text,
)
from fellowcheck.policy import Policy
from fellowcheck.verdict import policy_failures, summarize

STATUS_STYLES = {
    Status.MET: "green",
    Status.ON_TRACK: "cyan",
    Status.GAP: "bold red",
    Status.OVER: "yellow",
    Status.NOT_APPLICABLE: "dim",
    Status.COMPLIANT: "bold green",
}
FELLOW_STATUS_STYLES = {**STATUS_STYLES, Status.GAP: "bold white on red",
                        Status.ON_TRACK: "bold cyan"}
METER_WIDTH = 10


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    # markup=False: names from schedules are text, never rich markup ("[red]" stays "[red]").
    console = Console(file=buffer, markup=False, force_terminal=options.color,
                      no_color=not options.color,
                      color_system="standard" if options.color else None, width=options.width,
                      highlight=False, emoji=False)
    width = options.width
    console.print(build_summary(report, width, options.policy) if options.summary_only
                  else build(report, width, options.policy), crop=False)  # (the summary line)
    return buffer.getvalue()


def build(report: Report, width: int = 120, policy: Policy = Policy()) -> RenderableType:
    """The whole report as one rich renderable."""
    table = Path(report.requirements_source).name  # none when it could not be read
    parts: list[RenderableType] = [Text.assemble(
        ("fellowcheck", "bold"), f"  as of {report.as_of.isoformat()}",
        (f"  requirements: {table}" if table else "", "dim"))]
    for fellow in report.fellows:
        parts += ["", fellow_header(fellow), *fellow_tables(fellow, width)]
        if fellow.problems:
            parts.append(problem_list(fellow.problems))
    if report.problems:
        parts += ["", problem_list(report.problems)]
    if len(report.fellows) > 1:
        parts += ["", summary_table(report), "", audit_grid(report, width)]
    parts += ["", summary_line(report, policy)]
    return Group(*parts)


def build_summary(report: Report, width: int = 120, policy: Policy = Policy()
                  ) -> RenderableType:
    """Only the program at a glance: the audit grid and the summary line (--summary)."""
    parts: list[RenderableType] = [Text.assemble(("fellowcheck", "bold"),
                                                 f"  as of {report.as_of.isoformat()}"), ""]
    if report.fellows:
        parts += [audit_grid(report, width), ""]
    problems = report.all_problems
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        parts += [problem_list(errors), ""]
    if len(errors) < len(problems):
        hidden = plural(len(problems) - len(errors), "warning")
        parts += [Text(f"{hidden} not listed here; run without --summary to see them",
                       style="dim"), ""]
    parts.append(summary_line(report, policy))
    return Group(*parts)


def summary_table(report: Report) -> Table:
    """One row per fellow: track, status, number of gaps, the gaps by name."""
    table = Table(title="Summary", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                  pad_edge=False, header_style="bold", expand=True)
    table.add_column("Fellow", no_wrap=True)
    table.add_column("Track", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Gaps", justify="right")
    table.add_column("Gap rotations", ratio=1, overflow="fold")
    for fellow in report.fellows:
        gaps = fellow.gaps
        table.add_row(fellow.fellow, fellow.track or "-",
                      Text(STATUS_LABELS[fellow.status], style=STATUS_STYLES[fellow.status]),
                      str(len(gaps)) if gaps else "?" if not fellow.requirements else "-",
                      ", ".join(short_name(g.requirement) for g in gaps)
                      or ("not checked: no track" if not fellow.requirements else ""))
    return table


AUDIT_MARKS = {Status.MET: "●", Status.ON_TRACK: "◐", Status.GAP: "✗", Status.OVER: "▲",
               Status.NOT_APPLICABLE: "·"}
AUDIT_LABELS = {Status.NOT_APPLICABLE: "n/a   ○ elective not taken"}


AUDIT_COLUMN_WIDTH = 5  # a mark or a two-digit number, with padding and the rule between


def audit_grid(report: Report, width: int = 120) -> Group:
    """Fellow x requirement, a colored mark per cell, numbered columns and a legend. On a
    narrow terminal the columns are split over several grids, so none is ever cut off."""
    requirements = []
    for fellow in report.fellows:
        for result in fellow.requirements:
            if result.requirement not in requirements:
                requirements.append(result.requirement)
    name_width = max([len("Fellow"), *(len(f.fellow) for f in report.fellows)]) + 4
    per_grid = max(1, (width - name_width) // AUDIT_COLUMN_WIDTH)
    numbered = list(enumerate(requirements, start=1))
    grids = [_audit_table(report, numbered[i:i + per_grid], title=i == 0)
             for i in range(0, len(numbered), per_grid)] or [_audit_table(report, [], True)]
    legend = Text("  ", style="dim")
    for status, mark in AUDIT_MARKS.items():
        legend.append(mark, style=STATUS_STYLES[status])
        legend.append(f" {AUDIT_LABELS.get(status, STATUS_LABELS[status])}   ", style="dim")
    if any(len(fellow.requirements) < len(requirements) for fellow in report.fellows):
        legend.append("? not checked (no track)", style="dim")
    names = Columns([Text(f"{n} {short_name(r)}", style="dim", no_wrap=True)
                     for n, r in numbered], padding=(0, 3))
    return Group(*grids, legend, names)


def _audit_table(report: Report, numbered: list, title: bool) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold", padding=(0, 1),
                  title="Audit grid" if title else None, title_justify="left",
                  title_style="bold")
    table.add_column("Fellow", no_wrap=True)
    for number, _ in numbered:
        table.add_column(str(number), justify="center", no_wrap=True, min_width=2)
    for fellow in report.fellows:
        cells = {r.requirement.id: r for r in fellow.requirements}
        marks = [audit_mark(cells[r.id]) if r.id in cells else Text("?", style="dim")
                 for _, r in numbered]
        table.add_row(Text(fellow.fellow, style=FELLOW_STATUS_STYLES[fellow.status]
                           if fellow.status is Status.GAP else ""), *marks)
    return table


def audit_mark(result: RequirementResult) -> Text:
    """The grid's mark for one result; an elective nobody took is a dim circle, not a
    green "met", so the eye goes to what was done."""
    if result.kind is Kind.ELECTIVE and result.status is Status.MET and not (
            result.completed or result.scheduled):
        return Text("○", style="dim")
    return Text(AUDIT_MARKS[result.status], style=STATUS_STYLES[result.status])


SHORT_NAME_LENGTH = 20


def short_name(requirement) -> str:
    """A name that fits a narrow column: its abbreviation (MIPS, EMG) if it has one, else
    the rotation's name if short enough, else its first alias."""
    abbreviations = [a for a in requirement.aliases if len(a) >= 3 and a.isupper()]
    if abbreviations:
        return abbreviations[0]
    if len(requirement.rotation) <= SHORT_NAME_LENGTH or not requirement.aliases:
        return requirement.rotation
    return requirement.aliases[0]


def fellow_header(fellow: FellowResult) -> Text:
    status = Text(f" {STATUS_LABELS[fellow.status].upper()} ",
                  style=FELLOW_STATUS_STYLES[fellow.status])
    gaps = len(fellow.gaps)
    detail = f"  {gaps} gap{'s' if gaps != 1 else ''}" if gaps else ""
    return Text.assemble((fellow.fellow, "bold underline"), "  ",
                         (fellow.track or "no track", "italic"), "  ", status, detail,
                         (leave_text(fellow), "dim"), (sources_text(fellow), "dim"))


def leave_text(fellow: FellowResult) -> str:
    if not fellow.leave_weeks:
        return ""
    parts = []
    if fellow.vacation_weeks:
        parts.append(f"vacation {amount(fellow.vacation_weeks, Unit.WEEK)}")
    if fellow.other_leave_weeks:
        parts.append(f"other leave {amount(fellow.other_leave_weeks, Unit.WEEK)}")
    return "  " + ", ".join(parts) + leave_taken_text(fellow)


def sources_text(fellow: FellowResult) -> str:
    if len(fellow.sources) < 2:
        return ""
    return "  from " + ", ".join(Path(source).name for source in fellow.sources)


#: Below this width the tables use short rotation names; below NARROW, no progress meter.
COMPACT = 110
NARROW = 90


def fellow_tables(fellow: FellowResult, width: int = 120) -> list[RenderableType]:
    required = [r for r in fellow.requirements if r.kind is Kind.REQUIRED]
    electives = [r for r in fellow.requirements if r.kind is Kind.ELECTIVE]
    not_applicable = [r for r in fellow.requirements if r.kind is Kind.NOT_APPLICABLE
                      and r.status is Status.NOT_APPLICABLE]
    parts: list[RenderableType] = []
    if required:
        parts.append(requirement_table("Required rotations", required, width=width))
    logged_electives = [r for r in electives if r.completed or r.scheduled
                        or r.status is not Status.MET]
    if logged_electives:
        parts.append(requirement_table("Electives", logged_electives, dim=True, width=width))
    unused = [r.requirement.rotation for r in electives if r not in logged_electives]
    if unused:
        parts.append(_note(f"Electives not taken: {', '.join(unused)}"))
    if not_applicable:
        names = ", ".join(r.requirement.rotation for r in not_applicable)
        parts.append(_note(f"Not part of the {fellow.track} track: {names}"))
    return parts


def requirement_table(title: str, results: list[RequirementResult], dim: bool = False,
                      width: int = 120) -> Table:
    """One row per requirement; on a narrow terminal, short names and no progress meter."""
    compact, narrow = width < COMPACT, width < NARROW
    table = Table(title=title, title_justify="left", title_style="bold dim" if dim else "bold",
                  box=box.SIMPLE_HEAD, pad_edge=False, style="dim" if dim else "",
                  header_style="bold", expand=True)
    table.add_column("Rotation", ratio=1, min_width=12, overflow="fold")
    table.add_column("Requirement", justify="right", no_wrap=True)
    table.add_column("Done" if compact else "Completed", justify="right", no_wrap=True)
    table.add_column("Sched." if compact else "Scheduled", justify="right", no_wrap=True)
    table.add_column("Left" if compact else "Remaining", justify="right", no_wrap=True)
    if not narrow:
        table.add_column("Progress", no_wrap=True, width=METER_WIDTH)
    table.add_column("Status", no_wrap=True)
    for result in results:
        style = STATUS_STYLES[result.status]
        name = short_name(result.requirement) if compact else result.requirement.rotation
        cells = [name, requirement_text(result), blank_if_zero(result.completed),
                 blank_if_zero(result.scheduled), blank_if_zero(result.remaining)]
        if not narrow:
            cells.append(meter(result))
        table.add_row(*cells, Text(STATUS_LABELS[result.status], style=style))
    return table


def meter(result: RequirementResult) -> Text:
    """Completed time as solid blocks and scheduled time as shaded blocks, out of the
    minimum (or the maximum for an elective)."""
    target = result.min or result.max or 0
    if not target:
        return Text("")
    # Rounded down, so a bar is full only when the time is really there.
    done = min(METER_WIDTH, math.floor(METER_WIDTH * result.completed / target + 1e-9))
    planned = min(METER_WIDTH - done, math.floor(
        METER_WIDTH * (result.completed + result.scheduled) / target + 1e-9) - done)
    style = STATUS_STYLES[result.status]
    return Text.assemble(("█" * done, style), ("▒" * planned, style),
                         ("·" * (METER_WIDTH - done - planned), "dim"))


def problem_list(problems: tuple[Problem, ...] | list[Problem]) -> Table:
    """A line per problem, its label on the left and its message wrapped beside it."""
    lines = Table.grid(padding=(0, 1))
    lines.add_column(no_wrap=True)
    lines.add_column(overflow="fold")
    for item in problems:
        is_error = item.severity is Severity.ERROR
        label = ("error", "bold red") if is_error else ("warning", "yellow")
        where = f"{item.location}: " if str(item.location) else ""
        hint = f" {item.hint}" if item.hint else ""
        lines.add_row(Text.assemble("  ", label, f" {item.id}"),
                      Text.assemble((where, "dim"), sentence(item.message), (hint, "dim")))
    return lines


def _note(text: str) -> Padding:
    """A dim line under a table, indented as the table is, wrapped lines too."""
    return Padding(Text(text, style="dim"), (0, 0, 0, 2))


def summary_line(report: Report, policy: Policy = Policy()) -> Text:
    summary = summarize(report)
    counts = summary.by_status
    text = Text.assemble((f"{summary.fellows} fellow{'s' if summary.fellows != 1 else ''}: ",
                          "bold"))
    text.append(f"{counts['compliant']} compliant", style=STATUS_STYLES[Status.COMPLIANT])
    text.append(", ")
    text.append(f"{counts['on_track']} on track", style=STATUS_STYLES[Status.ON_TRACK])
    text.append(", ")
    text.append(f"{counts['gap']} with gaps", style=STATUS_STYLES[Status.GAP]
                if counts["gap"] else "")
    text.append(f"  ·  {summary.errors} error{'s' if summary.errors != 1 else ''}",
                style="bold red" if summary.errors else "")
    text.append(f", {summary.warnings} warning{'s' if summary.warnings != 1 else ''}",
                style="yellow" if summary.warnings else "")
    for reason in policy_failures(report, policy):
        text.append(f"  ·  fails {reason}", style="bold red")
    # One line, however long: scripts grep it (a terminal wraps it if it must).
    text.no_wrap, text.overflow = True, "ignore"
    return text

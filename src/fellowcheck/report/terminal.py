"""The terminal report a program director reads at a glance, rendered with rich."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from fellowcheck.model import FellowResult, Kind, Report, RequirementResult, Status, Unit
from fellowcheck.problems import Problem, Severity
from fellowcheck.report import RenderOptions
from fellowcheck.report.words import STATUS_LABELS, amount, blank_if_zero, requirement_text
from fellowcheck.verdict import summarize

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
    console = Console(file=buffer, force_terminal=options.color, no_color=not options.color,
                      color_system="standard" if options.color else None, width=options.width,
                      highlight=False, emoji=False)
    console.print(build(report))
    return buffer.getvalue()


def build(report: Report) -> RenderableType:
    """The whole report as one rich renderable."""
    parts: list[RenderableType] = [Text.assemble(
        ("fellowcheck", "bold"), f"  as of {report.as_of.isoformat()}",
        ("  requirements: ", "dim"), (report.requirements_source, "dim"))]
    for fellow in report.fellows:
        parts += ["", fellow_header(fellow), *fellow_tables(fellow)]
        if fellow.problems:
            parts.append(problem_list(fellow.problems))
    if report.problems:
        parts += ["", problem_list(report.problems)]
    parts += ["", summary_line(report)]
    return Group(*parts)


def fellow_header(fellow: FellowResult) -> Text:
    status = Text(f" {STATUS_LABELS[fellow.status].upper()} ",
                  style=FELLOW_STATUS_STYLES[fellow.status])
    gaps = len(fellow.gaps)
    detail = f"  {gaps} gap{'s' if gaps != 1 else ''}" if gaps else ""
    leave = f"  leave {amount(fellow.leave_weeks, Unit.WEEK)}" if fellow.leave_weeks else ""
    return Text.assemble((fellow.fellow, "bold underline"), "  ",
                         (fellow.track or "no track", "italic"), "  ", status, detail,
                         (leave, "dim"))


def fellow_tables(fellow: FellowResult) -> list[RenderableType]:
    required = [r for r in fellow.requirements if r.kind is Kind.REQUIRED]
    electives = [r for r in fellow.requirements if r.kind is Kind.ELECTIVE]
    not_applicable = [r for r in fellow.requirements if r.kind is Kind.NOT_APPLICABLE
                      and r.status is Status.NOT_APPLICABLE]
    parts: list[RenderableType] = []
    if required:
        parts.append(requirement_table("Required rotations", required))
    logged_electives = [r for r in electives if r.completed or r.scheduled
                        or r.status is not Status.MET]
    if logged_electives:
        parts.append(requirement_table("Electives", logged_electives, dim=True))
    unused = [r.requirement.rotation for r in electives if r not in logged_electives]
    if unused:
        parts.append(Text(f"  Electives not taken: {', '.join(unused)}", style="dim"))
    if not_applicable:
        names = ", ".join(r.requirement.rotation for r in not_applicable)
        parts.append(Text(f"  Not part of the {fellow.track} track: {names}", style="dim"))
    return parts


def requirement_table(title: str, results: list[RequirementResult], dim: bool = False) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold dim" if dim else "bold",
                  box=box.SIMPLE_HEAD, pad_edge=False, style="dim" if dim else "",
                  header_style="bold", expand=True)
    table.add_column("Rotation", ratio=1, min_width=20, overflow="fold")
    table.add_column("Requirement", justify="right", no_wrap=True)
    table.add_column("Completed", justify="right", no_wrap=True)
    table.add_column("Scheduled", justify="right", no_wrap=True)
    table.add_column("Remaining", justify="right", no_wrap=True)
    table.add_column("Progress", no_wrap=True, width=METER_WIDTH)
    table.add_column("Status", no_wrap=True)
    for result in results:
        style = STATUS_STYLES[result.status]
        table.add_row(
            result.requirement.rotation,
            requirement_text(result),
            blank_if_zero(result.completed),
            blank_if_zero(result.scheduled),
            blank_if_zero(result.remaining),
            meter(result),
            Text(STATUS_LABELS[result.status], style=style),
        )
    return table


def meter(result: RequirementResult) -> Text:
    """Completed time as solid blocks and scheduled time as shaded blocks, out of the
    minimum (or the maximum for an elective)."""
    target = result.min or result.max or 0
    if not target:
        return Text("")
    done = min(METER_WIDTH, round(METER_WIDTH * result.completed / target))
    planned = min(METER_WIDTH - done,
                  round(METER_WIDTH * (result.completed + result.scheduled) / target) - done)
    style = STATUS_STYLES[result.status]
    return Text.assemble(("█" * done, style), ("▒" * planned, style),
                         ("·" * (METER_WIDTH - done - planned), "dim"))


def problem_list(problems: tuple[Problem, ...] | list[Problem]) -> Group:
    lines = []
    for item in problems:
        is_error = item.severity is Severity.ERROR
        label = ("error", "bold red") if is_error else ("warning", "yellow")
        where = f"{item.location}: " if str(item.location) else ""
        hint = f" {item.hint}" if item.hint else ""
        lines.append(Text.assemble("  ", label, f" {item.id} ", (where, "dim"),
                                   item.message, ".", (hint, "dim")))
    return Group(*lines)


def summary_line(report: Report) -> Text:
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
    return text

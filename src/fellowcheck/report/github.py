"""GitHub Actions workflow commands: one annotation per error, gap and warning.

    ::error file=schedules/2026.csv,line=7,title=FC110 Not a number::schedules/2026.csv row 7 ...

Errors (problems with severity error) come first, then gaps (and, under --require-complete,
what is not yet complete), then warnings (errors under --strict, which fails the run on them),
because GitHub shows only the first few annotations of each kind per step. A gap points at the fellow's
schedule row for the rotation when the report carries one, else at the rotation's line in the
requirement table. `line=` is given only for text files (csv, tsv), where a row is a line; for
a workbook the sheet and row are in the message instead.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePath

from fellowcheck.model import FellowResult, Report, RequirementResult
from fellowcheck.problems import Location, Problem, Severity, sentence
from fellowcheck.report import RenderOptions
from fellowcheck.report.words import amount, requirement_text
from fellowcheck.verdict import incomplete

#: Files whose rows are lines, so that a row number is a line GitHub can point at.
LINE_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})


def render(report: Report, options: RenderOptions) -> str:
    policy = options.policy
    problems = report.all_problems
    lines = [problem_command(item) for item in problems if item.severity is Severity.ERROR]
    for fellow in report.fellows:
        lines += [gap_command(fellow, result) for result in fellow.gaps]
        if policy.require_complete:
            lines += [gap_command(fellow, result, "Not yet complete")
                      for result in incomplete(fellow)]
    lines += [problem_command(item, "error" if policy.strict else None)
              for item in problems if item.severity is Severity.WARNING]
    return "".join(line + "\n" for line in lines)


def problem_command(item: Problem, kind: str | None = None) -> str:
    """The annotation of a problem, of its severity's kind unless `kind` is given."""
    where = f"{item.location}: " if str(item.location) else ""
    hint = f" {item.hint}" if item.hint else ""
    strict = " (--strict)" if kind and kind != item.severity.value else ""
    return command(kind or item.severity.value, f"{where}{sentence(item.message)}{hint}",
                   item.location, f"{item.id} {item.info.title}{strict}")


def gap_command(fellow: FellowResult, result: RequirementResult, title: str = "Gap") -> str:
    requirement = result.requirement
    unit = requirement.unit
    track = f" ({fellow.track})" if fellow.track else ""
    message = (f"{fellow.fellow}{track}: {requirement.rotation} needs "
               f"{requirement_text(result)}; {amount(result.completed, unit)} completed, "
               f"{amount(result.scheduled, unit)} scheduled, "
               f"{amount(result.unscheduled, unit)} not yet scheduled")
    return command("error", message, gap_location(fellow, result),
                   f"{title}: {requirement.rotation}")


def gap_location(fellow: FellowResult, result: RequirementResult) -> Location:
    """Where to annotate a gap: the rotation's first schedule row, else the fellow's schedule
    file (the rotation is missing from it), else the requirement table's line."""
    found = fellow.locations.get(result.requirement.id)
    if found is not None:
        return found
    if fellow.sources:
        return Location(fellow.sources[0])
    return result.requirement.location


def command(kind: str, message: str, location: Location, title: str) -> str:
    properties = {}
    if location.file:
        properties["file"] = annotation_path(location.file)
        if location.row is not None and PurePath(location.file).suffix.lower() in LINE_SUFFIXES:
            properties["line"] = str(location.row)
    properties["title"] = title
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{kind} {props}::{escape_data(message)}"


def annotation_path(file: str) -> str:
    """A path as GitHub matches it: relative to the workspace when it lies inside it, with /."""
    path = Path(file)
    if path.is_absolute():
        root = Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd())
        try:
            path = path.relative_to(root)
        except ValueError:
            pass
    return posixpath.normpath(path.as_posix())  # ci/../ci/x.csv is ci/x.csv to GitHub


def escape_data(text: str) -> str:
    """Escape a workflow command's message, as GitHub's toolkit (escapeData) does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value, as GitHub's toolkit (escapeProperty) does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

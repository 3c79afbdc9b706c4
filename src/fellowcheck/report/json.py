"""The JSON report: a stable, documented schema (schema_version 1) for machines.

Fields may be added; the ones documented in the README are never renamed or removed.
"""

from __future__ import annotations

from fellowcheck import __version__
from fellowcheck.model import FellowResult, Report, RequirementResult
from fellowcheck.problems import Problem
from fellowcheck.report import RenderOptions
from fellowcheck.verdict import summarize

SCHEMA_VERSION = 1


def render(report: Report, options: RenderOptions) -> bytes:
    """The report as UTF-8 JSON, laid out as json.dumps(indent=2, ensure_ascii=False) lays it
    out, written with orjson, ten times faster. (orjson writes 2.5e-05 as 0.000025, and NaN,
    which is not JSON, as null.)

    Fellows are written one at a time, so that only one fellow's dicts exist at once (the
    dicts of 1,000 fellows take four times the memory of their text); the text is the same as
    writing the whole document at once."""
    import orjson

    document = orjson.dumps(report_to_dict(report, with_fellows=False),
                            option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    if not report.fellows:
        return document
    head, tail = document.split(b'\n  "fellows": [],', 1)
    parts = [head, b'\n  "fellows": [']
    for number, fellow in enumerate(report.fellows):
        # Indented to its place in the list: a newline byte only ever separates lines (in a
        # string it is the escape \n).
        text = orjson.dumps(fellow_to_dict(fellow), option=orjson.OPT_INDENT_2)
        parts += [b",\n    " if number else b"\n    ", text.replace(b"\n", b"\n    ")]
    parts += [b"\n  ],", tail]
    return b"".join(parts)


def report_to_dict(report: Report, with_fellows: bool = True) -> dict:
    """The whole report as plain data (`with_fellows=False`: an empty list of fellows)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "fellowcheck_version": __version__,
        "as_of": report.as_of.isoformat(),
        "requirements_file": report.requirements_source,
        "files": list(report.files),
        "fellows": [fellow_to_dict(fellow) for fellow in report.fellows] if with_fellows
        else [],
        "problems": [problem_to_dict(item) for item in report.problems],
        "summary": summarize(report).as_dict(),
    }


def fellow_to_dict(fellow: FellowResult) -> dict:
    return {
        "fellow": fellow.fellow,
        "track": fellow.track,
        "status": fellow.status.value,
        "leave_weeks": round(fellow.leave_weeks, 6),
        "vacation_weeks": round(fellow.vacation_weeks, 6),
        "other_leave_weeks": round(fellow.other_leave_weeks, 6),
        "leave_taken_weeks": round(fellow.leave_taken_weeks, 6),
        "sources": list(fellow.sources),
        "requirements": [requirement_to_dict(result) for result in fellow.requirements],
        "problems": [problem_to_dict(item) for item in fellow.problems],
    }


def requirement_to_dict(result: RequirementResult) -> dict:
    return {
        "rotation_id": result.requirement.id,
        "rotation": result.requirement.rotation,
        "requirement": result.kind.value,
        "unit": result.requirement.unit.value,
        "min": result.min,
        "max": result.max,
        "completed": result.completed,
        "scheduled": result.scheduled,
        "remaining": result.remaining,
        "unscheduled": result.unscheduled,
        "status": result.status.value,
    }


def problem_to_dict(item: Problem) -> dict:
    return {
        "severity": item.severity.value,
        "code": item.id,
        "name": item.kind,
        "message": item.message,
        "hint": item.hint,
        "file": item.location.file,
        "sheet": item.location.sheet,
        "row": item.location.row,
        "column": item.location.column,
        "fellow": item.fellow,
    }

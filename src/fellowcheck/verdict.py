"""What a report adds up to: counts for the summary line and the exit status for CI."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fellowcheck.errors import ExitCode
from fellowcheck.model import Report, Status
from fellowcheck.problems import Severity


@dataclass(frozen=True, slots=True)
class Summary:
    fellows: int
    by_status: dict[str, int]
    gaps: int
    errors: int
    warnings: int

    def as_dict(self) -> dict:
        return {"fellows": self.fellows, "by_status": self.by_status, "gaps": self.gaps,
                "errors": self.errors, "warnings": self.warnings}


def summarize(report: Report) -> Summary:
    statuses = Counter(fellow.status.value for fellow in report.fellows)
    problems = report.all_problems
    return Summary(
        fellows=len(report.fellows),
        by_status={status: statuses.get(status, 0)
                   for status in (Status.COMPLIANT.value, Status.ON_TRACK.value, Status.GAP.value)},
        gaps=sum(len(fellow.gaps) for fellow in report.fellows),
        errors=sum(p.severity is Severity.ERROR for p in problems),
        warnings=sum(p.severity is Severity.WARNING for p in problems),
    )


def exit_code(report: Report, *, strict: bool = False, require_complete: bool = False) -> ExitCode:
    """2 on any error; else 1 on a gap, on anything unmet under require_complete, or on any
    warning under strict; else 0."""
    summary = summarize(report)
    if summary.errors:
        return ExitCode.ERROR
    if summary.gaps:
        return ExitCode.FINDINGS
    if require_complete and any(f.status is not Status.COMPLIANT for f in report.fellows):
        return ExitCode.FINDINGS
    if strict and summary.warnings:
        return ExitCode.FINDINGS
    return ExitCode.OK

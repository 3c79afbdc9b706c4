"""What a report adds up to: counts for the summary line, the exit status for CI, and why a
run fails when a policy (--strict, --require-complete) fails it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fellowcheck.check import not_yet_met
from fellowcheck.errors import ExitCode
from fellowcheck.model import FellowResult, Report, RequirementResult, Status
from fellowcheck.policy import Policy
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


def exit_code(report: Report, policy: Policy = Policy()) -> ExitCode:
    """2 on any error; else 1 on a gap, on anything unmet under require_complete, or on any
    warning under strict; else 0."""
    summary = summarize(report)
    if summary.errors:
        return ExitCode.ERROR
    if summary.gaps or policy_failures(report, policy):
        return ExitCode.FINDINGS
    return ExitCode.OK


def incomplete(fellow: FellowResult) -> list[RequirementResult]:
    """What --require-complete fails besides gaps: the fellow's requirements whose minimum is
    scheduled but not yet completed."""
    return [result for result in fellow.requirements
            if result.status is not Status.GAP and not_yet_met(result)]


def policy_failures(report: Report, policy: Policy) -> list[str]:
    """Why `policy` fails the run beyond errors and gaps, a phrase per rule (none: it does
    not): "--require-complete: 1 fellow not yet complete", "--strict: 3 warnings"."""
    reasons = []
    if policy.require_complete:
        waiting = sum(fellow.status is Status.ON_TRACK for fellow in report.fellows)
        if waiting:
            reasons.append(f"--require-complete: {waiting} fellow{'s' if waiting != 1 else ''} "
                           "not yet complete")
    if policy.strict:
        warnings = summarize(report).warnings
        if warnings:
            reasons.append(f"--strict: {warnings} warning{'s' if warnings != 1 else ''}")
    return reasons

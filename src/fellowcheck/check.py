"""Checking: each fellow's totals against the requirement table of their track.

Pure functions over typed records: no I/O, no pandas, no printing.
"""

from __future__ import annotations

from collections.abc import Iterable

from fellowcheck.model import (
    FellowResult, FellowSchedule, Kind, Requirement, RequirementResult, RequirementTable, Rule,
    Status,
)
from fellowcheck.problems import Problem, problem

#: Amounts are sums of fractions of weeks; compare them to this many decimal places.
PRECISION = 6


def check_fellow(schedule: FellowSchedule, table: RequirementTable,
                 problems: Iterable[Problem] = ()) -> FellowResult:
    """The result for one fellow: a row per requirement and the fellow's overall status."""
    found = list(problems)
    if schedule.track is None or schedule.track not in table.tracks:
        return FellowResult(schedule.fellow, schedule.track, Status.GAP, (), tuple(found),
                            schedule.leave_weeks, schedule.vacation_weeks, schedule.sources,
                            leave_taken_weeks=schedule.leave_taken_weeks)
    results = []
    for requirement in table.requirements:
        result = check_requirement(requirement, requirement.rules[schedule.track],
                                   schedule.completed.get(requirement.id, 0.0),
                                   schedule.scheduled.get(requirement.id, 0.0))
        results.append(result)
        if result.status in _WARNED:
            found.extend(_result_warnings(result, schedule))
    return FellowResult(schedule.fellow, schedule.track, fellow_status(results),
                        tuple(results), tuple(found), schedule.leave_weeks,
                        schedule.vacation_weeks, schedule.sources, schedule.locations,
                        leave_taken_weeks=schedule.leave_taken_weeks)


def check_requirement(requirement: Requirement, rule: Rule, completed: float,
                      scheduled: float) -> RequirementResult:
    """Completed, scheduled, remaining and unscheduled time, and the status, for one rule."""
    completed, scheduled = round(completed, PRECISION), round(scheduled, PRECISION)
    planned = round(completed + scheduled, PRECISION)
    remaining = max(0.0, round(rule.min - completed, PRECISION))
    unscheduled = max(0.0, round(rule.min - planned, PRECISION))
    if rule.kind is Kind.NOT_APPLICABLE:
        status = Status.NOT_APPLICABLE
        remaining = unscheduled = 0.0
    elif rule.max is not None and planned > rule.max:
        status = Status.OVER
    elif completed >= rule.min:
        status = Status.MET
    elif planned >= rule.min:
        status = Status.ON_TRACK
    else:
        status = Status.GAP
    return RequirementResult(requirement, rule.kind, rule.min, rule.max, completed, scheduled,
                             remaining, unscheduled, status)


def fellow_status(results: Iterable[RequirementResult]) -> Status:
    """gap if any requirement is a gap, else on_track if any is on track (or over its
    maximum with the minimum not yet completed), else compliant."""
    results = list(results)
    statuses = {result.status for result in results}
    if Status.GAP in statuses:
        return Status.GAP
    if Status.ON_TRACK in statuses or any(not_yet_met(result) for result in results):
        return Status.ON_TRACK
    return Status.COMPLIANT


def not_yet_met(result: RequirementResult) -> bool:
    """Whether the minimum is still to be completed (whatever the status says of the maximum)."""
    return result.kind is not Kind.NOT_APPLICABLE and result.completed < result.min


#: The only statuses `_result_warnings` warns of (the others are not worth a generator each).
_WARNED = frozenset({Status.NOT_APPLICABLE, Status.OVER})


def _result_warnings(result: RequirementResult, schedule: FellowSchedule) -> Iterable[Problem]:
    requirement = result.requirement
    logged = result.completed + result.scheduled
    where = schedule.locations.get(requirement.id, requirement.location)
    unit = requirement.unit.value
    if result.status is Status.NOT_APPLICABLE and logged > 0:
        yield problem(
            "not-applicable-time",
            f"{schedule.fellow} has {logged:g} {unit}(s) of {requirement.rotation}, which is not "
            f"part of the {schedule.track} track; the time is not counted toward it",
            where, fellow=schedule.fellow)
    elif result.status is Status.OVER:
        yield problem(
            "over-maximum",
            f"{schedule.fellow} has {logged:g} {unit}(s) of {requirement.rotation} completed or "
            f"scheduled; the most the {schedule.track} track allows is {result.max:g}",
            where, fellow=schedule.fellow)

"""Typed records shared by reading, checking and reporting."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from fellowcheck.problems import Location, Problem


class Unit(str, enum.Enum):
    WEEK = "week"
    DAY = "day"
    HALF_DAY = "half-day"
    CONFERENCE = "conference"

    @property
    def half_days(self) -> float | None:
        """How many half-days one of this unit is; None for units of count, not time."""
        return _HALF_DAYS.get(self)

    @property
    def days(self) -> float | None:
        """How many weekdays one of this unit is (5 for a week); None for conferences."""
        return self.half_days / 2 if self.half_days is not None else None

    def can_convert_to(self, other: Unit) -> bool:
        return self is other or (self.half_days is not None and other.half_days is not None)


#: Words people write for each unit, as match keys (lowercase letters and digits only).
UNIT_WORDS: dict[str, Unit] = {
    word: unit
    for unit, words in {
        Unit.WEEK: ("week", "weeks", "wk", "wks", "w"),
        Unit.DAY: ("day", "days", "d"),
        Unit.HALF_DAY: ("halfday", "halfdays", "hd", "half"),
        Unit.CONFERENCE: ("conference", "conferences", "conf", "confs"),
    }.items()
    for word in words
}

# 1 week = 5 days = 10 half-days; conferences are counted, not timed.
_HALF_DAYS = {Unit.WEEK: 10.0, Unit.DAY: 2.0, Unit.HALF_DAY: 1.0}


def convert(amount: float, source: Unit, target: Unit) -> float:
    """Convert `amount` from `source` to `target`; ValueError if they do not convert."""
    if source is target:
        return amount
    if not source.can_convert_to(target):
        raise ValueError(f"{source.value} does not convert to {target.value}")
    return amount * source.half_days / target.half_days  # type: ignore[operator]


class Kind(str, enum.Enum):
    """What a track asks of a rotation."""

    REQUIRED = "required"
    ELECTIVE = "elective"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class Rule:
    kind: Kind
    min: float = 0.0
    max: float | None = None


@dataclass(frozen=True, slots=True)
class Requirement:
    """One rotation of the requirement table, with its rule for every track."""

    id: str
    rotation: str
    unit: Unit
    rules: dict[str, Rule]
    aliases: tuple[str, ...] = ()
    concurrent: bool = False
    notes: str = ""
    location: Location = field(default_factory=Location)


@dataclass(frozen=True, slots=True)
class RequirementTable:
    requirements: tuple[Requirement, ...]
    tracks: tuple[str, ...]
    #: normalised base-specialty words -> track id
    specialties: dict[str, str]
    source: str
    #: normalised base-specialty words -> the words as written (for suggestions)
    specialty_names: dict[str, str] = field(default_factory=dict)

    def by_id(self, rotation_id: str) -> Requirement:
        for requirement in self.requirements:
            if requirement.id == rotation_id:
                return requirement
        raise KeyError(rotation_id)


class Status(str, enum.Enum):
    """A requirement's status for one fellow; also a fellow's overall status."""

    MET = "met"
    ON_TRACK = "on_track"
    GAP = "gap"
    OVER = "over"
    NOT_APPLICABLE = "not_applicable"
    COMPLIANT = "compliant"  # only for a fellow as a whole


@dataclass(frozen=True, slots=True)
class FellowSchedule:
    """One fellow's time, totalled per rotation: what the checker needs and nothing more.

    Amounts are in each rotation's own unit (see `RequirementTable`).
    """

    fellow: str
    track: str | None
    completed: dict[str, float]
    scheduled: dict[str, float]
    leave_weeks: float = 0.0  # all leave, vacation included
    vacation_weeks: float = 0.0
    sources: tuple[str, ...] = ()
    #: where each rotation's time was logged, for locating warnings
    locations: dict[str, Location] = field(default_factory=dict)
    leave_taken_weeks: float = 0.0  # of leave_weeks, what was taken by the as-of date


@dataclass(frozen=True, slots=True)
class RequirementResult:
    requirement: Requirement
    kind: Kind
    min: float
    max: float | None
    completed: float
    scheduled: float
    remaining: float
    unscheduled: float
    status: Status


@dataclass(frozen=True, slots=True)
class FellowResult:
    fellow: str
    track: str | None
    status: Status
    requirements: tuple[RequirementResult, ...]
    problems: tuple[Problem, ...] = ()
    leave_weeks: float = 0.0  # all leave, vacation included
    vacation_weeks: float = 0.0
    sources: tuple[str, ...] = ()
    #: the first schedule row of each rotation, by rotation id, for locating gaps
    locations: dict[str, Location] = field(default_factory=dict)
    leave_taken_weeks: float = 0.0  # of leave_weeks, what was taken by the as-of date

    @property
    def other_leave_weeks(self) -> float:
        return max(0.0, self.leave_weeks - self.vacation_weeks)

    @property
    def gaps(self) -> tuple[RequirementResult, ...]:
        return tuple(r for r in self.requirements if r.status is Status.GAP)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a renderer needs: results per fellow plus problems not tied to a fellow."""

    fellows: tuple[FellowResult, ...]
    problems: tuple[Problem, ...]
    as_of: dt.date
    requirements_source: str
    files: tuple[str, ...] = ()
    #: what reading decided (layouts, skipped sheets, merged fellows), for --verbose
    notes: tuple[str, ...] = ()

    @property
    def all_problems(self) -> list[Problem]:
        found = list(self.problems)
        for fellow in self.fellows:
            found.extend(fellow.problems)
        return found

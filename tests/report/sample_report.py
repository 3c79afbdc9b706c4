"""A Report built by hand from model records, for the renderers' tests (see conftest.py).

Three fellows:
- "Dr. Ana Lima" (anesthesia): a gap on MIPS, Gonda over its maximum, SIPS not applicable,
  an error (bad number) and a warning (over maximum) of her own.
- '=HYPERLINK("x")' (pmr): on track, a name that must never run as a formula.
- "Dr. Ben Ode" (non-anesthesia): compliant.
Plus two problems not tied to a fellow: an error in one file and a warning in another.
"""

from __future__ import annotations

import datetime as dt

from fellowcheck.model import (
    FellowResult, Kind, Report, Requirement, RequirementResult, Rule, Status, Unit,
)
from fellowcheck.problems import Location, problem

REQUIREMENTS_FILE = "data/requirements.csv"
INJECTION = '=HYPERLINK("x")'
GAP_FELLOW = "Dr. Ana Lima"
COMPLIANT_FELLOW = "Dr. Ben Ode"


def requirement(rotation_id: str, rotation: str, unit: Unit, line: int) -> Requirement:
    rule = Rule(Kind.REQUIRED, 1)
    return Requirement(rotation_id, rotation, unit,
                       {"anesthesia": rule, "non-anesthesia": rule, "pmr": rule},
                       location=Location(REQUIREMENTS_FILE, row=line))


MIPS = requirement("mips", "Methodist Campus Inpatient Pain Service (MIPS)", Unit.WEEK, 33)
GONDA = requirement("gonda", "Gonda 15 procedures", Unit.WEEK, 32)
CLINIC = requirement("continuity-clinic", "Continuity clinic", Unit.HALF_DAY, 22)
SIPS = requirement("sips", "Saint Marys Campus Inpatient Pain Service (SIPS)", Unit.WEEK, 34)
EMG = requirement("emg", "Electromyography (EMG)", Unit.WEEK, 26)
ROTATIONS = (MIPS, GONDA, CLINIC, SIPS, EMG)


def result(req: Requirement, kind: Kind, low: float, high: float | None, completed: float,
           scheduled: float, status: Status) -> RequirementResult:
    remaining = max(0.0, low - completed) if kind is not Kind.NOT_APPLICABLE else 0.0
    unscheduled = max(0.0, low - completed - scheduled) if kind is not Kind.NOT_APPLICABLE else 0.0
    return RequirementResult(req, kind, low, high, completed, scheduled, remaining, unscheduled,
                             status)


BAD_NUMBER = problem("bad-number", "'two' in column Weeks is not a number",
                     Location("schedules/lima.csv", row=7, column="Weeks"), fellow=GAP_FELLOW)
OVER_MAX = problem("over-maximum", "Dr. Ana Lima has 9 week(s) of Gonda 15 procedures completed "
                   "or scheduled; the most the anesthesia track allows is 8",
                   Location("schedules/lima.csv", row=9), fellow=GAP_FELLOW)
MISSING_COLUMN = problem("missing-column", "no Rotation column in sheet Block, 100%: done",
                         Location("schedules/all.xlsx", sheet="Block"))
UNKNOWN_ROTATION = problem("unknown-rotation", "unknown rotation 'Cardio, part 2'",
                           Location("schedules/all.xlsx", sheet="Block", row=4,
                                    column="Rotation"))


def build_report() -> Report:
    lima = FellowResult(GAP_FELLOW, "anesthesia", Status.GAP, (
        result(MIPS, Kind.REQUIRED, 13, None, 6, 5, Status.GAP),
        result(GONDA, Kind.REQUIRED, 7, 8, 8, 1, Status.OVER),
        result(CLINIC, Kind.REQUIRED, 60, None, 60, 0, Status.MET),
        result(SIPS, Kind.NOT_APPLICABLE, 0, None, 0, 0, Status.NOT_APPLICABLE),
        result(EMG, Kind.ELECTIVE, 0, 1, 0, 0, Status.MET),
    ), problems=(BAD_NUMBER, OVER_MAX), leave_weeks=2.0, sources=("schedules/lima.csv",))
    injected = FellowResult(INJECTION, "pmr", Status.ON_TRACK, (
        result(MIPS, Kind.REQUIRED, 13, None, 6, 7, Status.ON_TRACK),
        result(GONDA, Kind.REQUIRED, 7, 8, 7.5, 0, Status.MET),
        result(CLINIC, Kind.REQUIRED, 60, None, 30.5, 29.5, Status.ON_TRACK),
        result(SIPS, Kind.REQUIRED, 2, None, 2, 0, Status.MET),
        result(EMG, Kind.ELECTIVE, 0, 1, 0, 1, Status.MET),
    ), sources=("schedules/all.xlsx",))
    ode = FellowResult(COMPLIANT_FELLOW, "non-anesthesia", Status.COMPLIANT, (
        result(MIPS, Kind.REQUIRED, 13, None, 13, 0, Status.MET),
        result(GONDA, Kind.REQUIRED, 7, 8, 7, 0, Status.MET),
        result(CLINIC, Kind.REQUIRED, 60, None, 60, 0, Status.MET),
        result(SIPS, Kind.REQUIRED, 2, None, 2, 0, Status.MET),
        result(EMG, Kind.ELECTIVE, 0, 1, 1, 0, Status.MET),
    ), sources=("schedules/all.xlsx",))
    return Report(fellows=(lima, injected, ode), problems=(MISSING_COLUMN, UNKNOWN_ROTATION),
                  as_of=dt.date(2026, 11, 25), requirements_source=REQUIREMENTS_FILE,
                  files=("schedules/lima.csv", "schedules/all.xlsx"))

from __future__ import annotations

import pytest

from fellowcheck.check import check_fellow, check_requirement, fellow_status
from fellowcheck.model import FellowSchedule, Kind, Rule, Status


@pytest.mark.parametrize("rule, completed, scheduled, status, remaining, unscheduled", [
    (Rule(Kind.REQUIRED, 13), 13, 0, Status.MET, 0, 0),
    (Rule(Kind.REQUIRED, 13), 14, 0, Status.MET, 0, 0),
    (Rule(Kind.REQUIRED, 13), 6, 7, Status.ON_TRACK, 7, 0),
    (Rule(Kind.REQUIRED, 13), 6, 5, Status.GAP, 7, 2),
    (Rule(Kind.REQUIRED, 13), 0, 0, Status.GAP, 13, 13),
    (Rule(Kind.REQUIRED, 7, 8), 8, 1, Status.OVER, 0, 0),
    (Rule(Kind.REQUIRED, 7, 8), 8, 0, Status.MET, 0, 0),
    (Rule(Kind.ELECTIVE, 0, 1), 0, 0, Status.MET, 0, 0),
    (Rule(Kind.ELECTIVE, 0, 1), 0, 2, Status.OVER, 0, 0),
    (Rule(Kind.ELECTIVE, 0, None), 40, 0, Status.MET, 0, 0),
    (Rule(Kind.NOT_APPLICABLE), 2, 0, Status.NOT_APPLICABLE, 0, 0),
    # Sums of fractions of weeks must not miss a minimum by a rounding error.
    (Rule(Kind.REQUIRED, 1), 0.1 + 0.2 + 0.7, 0, Status.MET, 0, 0),
])
def test_requirement_status(table, rule, completed, scheduled, status, remaining, unscheduled):
    result = check_requirement(table.by_id("mips"), rule, completed, scheduled)
    assert (result.status, result.remaining, result.unscheduled) == (status, remaining, unscheduled)
    assert result.completed + result.scheduled == pytest.approx(completed + scheduled)


@pytest.mark.parametrize("cases, overall", [
    # (rule, completed, scheduled) per requirement
    ([(Rule(Kind.REQUIRED, 2), 2, 0), (Rule(Kind.REQUIRED, 2), 0, 1),
      (Rule(Kind.REQUIRED, 2), 1, 1)], Status.GAP),
    ([(Rule(Kind.REQUIRED, 2), 2, 0), (Rule(Kind.REQUIRED, 2), 1, 1),
      (Rule(Kind.REQUIRED, 1, 3), 3, 1)], Status.ON_TRACK),
    ([(Rule(Kind.REQUIRED, 2), 2, 0), (Rule(Kind.REQUIRED, 1, 3), 3, 1),
      (Rule(Kind.NOT_APPLICABLE), 1, 0)], Status.COMPLIANT),
    # Over the maximum with the minimum still to complete is not compliant.
    ([(Rule(Kind.REQUIRED, 2), 2, 0), (Rule(Kind.REQUIRED, 1, 3), 0, 4)], Status.ON_TRACK),
])
def test_fellow_status(table, cases, overall):
    results = [check_requirement(table.by_id("spine-center"), rule, done, planned)
               for rule, done, planned in cases]
    assert fellow_status(results) is overall


def test_check_fellow_warns_on_not_applicable_and_over(table):
    schedule = FellowSchedule("Dr A", "anesthesia", completed={"sips": 2, "gonda": 9},
                              scheduled={})
    result = check_fellow(schedule, table)
    by_id = {r.requirement.id: r for r in result.requirements}
    assert by_id["sips"].status is Status.NOT_APPLICABLE
    assert by_id["gonda"].status is Status.OVER
    assert sorted(p.kind for p in result.problems) == ["not-applicable-time", "over-maximum"]
    assert result.status is Status.GAP  # nothing else is done


def test_check_fellow_without_track_has_no_rows(table):
    result = check_fellow(FellowSchedule("Dr A", None, {}, {}), table)
    assert result.requirements == ()

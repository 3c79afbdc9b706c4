"""The terminal report at the widths people's terminals have."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from fellowcheck.pipeline import CheckOptions, run_check
from fellowcheck.report import RenderOptions
from fellowcheck.report.terminal import render
from fellowcheck.policy import Policy

PROGRAM = Path(__file__).resolve().parents[2] / "samples" / "program-2026-27.xlsx"


@pytest.fixture(scope="module")
def report(table):
    return run_check([PROGRAM], table, CheckOptions(as_of=dt.date(2026, 11, 25)))


@pytest.mark.parametrize("width", [80, 100, 140])
def test_nothing_is_cut_off(report, width):
    text = render(report, RenderOptions(width=width))
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width
    assert "…" not in text
    numbers = set()
    for line in lines:
        if line.startswith(" Fellow ") and re.search(r"\d", line):
            numbers.update(int(n) for n in re.findall(r"\b\d+\b", line))
    assert numbers == set(range(1, 20))  # every requirement has its audit-grid column
    assert "Dr. Farid Haddad" in text and "GAP" in text


def test_narrow_terminal_uses_short_names(report):
    narrow = render(report, RenderOptions(width=80))
    wide = render(report, RenderOptions(width=140))
    assert "Methodist Campus Inpatient Pain Service (MIPS)" in wide
    assert " MIPS " in narrow and "Methodist Campus" not in narrow


def test_meter_is_full_only_when_the_time_is_there(report):
    from fellowcheck.check import check_requirement
    from fellowcheck.model import Kind, Rule
    from fellowcheck.report.terminal import meter

    mips = report.fellows[0].requirements[0].requirement
    almost = check_requirement(mips, Rule(Kind.REQUIRED, 13), 12.6, 0)
    assert "·" in meter(almost).plain
    done = check_requirement(mips, Rule(Kind.REQUIRED, 13), 13, 0)
    assert meter(done).plain == "█" * 10


def test_electives_nobody_took_are_not_green_in_the_grid(report):
    from fellowcheck.report.terminal import audit_mark

    untaken = [r for f in report.fellows for r in f.requirements
               if r.kind.value == "elective" and not (r.completed or r.scheduled)]
    assert untaken and all(audit_mark(r).plain == "○" for r in untaken)


def test_summary_says_how_many_warnings_it_leaves_out(report):
    warnings = sum(p.severity.value == "warning" for p in report.all_problems)
    assert warnings  # the sample program has some
    text = render(report, RenderOptions(width=120, summary_only=True))
    noun = "warning" if warnings == 1 else "warnings"
    assert f"{warnings} {noun} not listed here; run without --summary" in text


def test_summary_line_says_which_rule_fails_the_run(report):
    policy = Policy(strict=True, require_complete=True)
    last = render(report, RenderOptions(width=200, policy=policy)).splitlines()[-1]
    on_track = sum(f.status.value == "on_track" for f in report.fellows)
    warnings = sum(p.severity.value == "warning" for p in report.all_problems)
    assert on_track > 1 and warnings == 1  # the sample program
    assert last.endswith(f"  ·  fails --require-complete: {on_track} fellows not yet complete"
                         "  ·  fails --strict: 1 warning")
    assert "fails" not in render(report, RenderOptions(width=200)).splitlines()[-1]


def test_the_grid_legend_explains_a_fellow_not_checked(report, table):
    """A fellow with no track has no results: "?" in each column, and the legend says why."""
    import dataclasses

    from fellowcheck.model import Status

    assert "not checked" not in render(report, RenderOptions(width=140))
    trackless = dataclasses.replace(report.fellows[0], fellow="Alvarez", track=None,
                                    status=Status.GAP, requirements=())
    report = dataclasses.replace(report, fellows=(*report.fellows, trackless))
    text = render(report, RenderOptions(width=140))
    assert "? not checked (no track)" in text
    summary, grid = [line.split() for line in text.splitlines()
                     if line.startswith(" Alvarez ") and "?" in line]
    assert summary == ["Alvarez", "-", "GAP", "?", "not", "checked:", "no", "track"]
    assert set(grid[1:]) == {"?"}


def test_the_header_says_how_much_leave_is_still_to_come(report):
    import dataclasses

    from fellowcheck.report.terminal import fellow_header

    fellow = dataclasses.replace(report.fellows[0], leave_weeks=3.0, vacation_weeks=2.0,
                                 leave_taken_weeks=1.6)
    assert "vacation 2 wk, other leave 1 wk (1.6 wk taken)" in fellow_header(fellow).plain
    taken = dataclasses.replace(fellow, leave_taken_weeks=3.0)
    assert "taken" not in fellow_header(taken).plain  # all of it taken: nothing to say
    none = dataclasses.replace(fellow, leave_taken_weeks=0.0)
    assert fellow_header(none).plain.endswith("other leave 1 wk (none taken yet)")


def test_the_summary_line_is_one_line_however_long(report):
    """Scripts grep it: "fails --require-complete: N fellows not yet complete" whole."""
    text = render(report, RenderOptions(width=60, policy=Policy(require_complete=True)))
    last = text.rstrip("\n").splitlines()[-1]
    assert last.startswith("6 fellows:") and last.endswith("not yet complete")

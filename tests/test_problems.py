"""problems.py: problems as data, and their order."""

from __future__ import annotations

from fellowcheck.problems import Location, Problem, problem


def test_a_rows_problems_read_left_to_right():
    where = [("End (E)", 7), ("Start (D)", 7), ("Notes (AA)", 7), ("Track (Z)", 7),
             ("Weeks (C)", 8), (None, 7)]
    found = [problem("bad-date", "x", Location("f.xlsx", sheet="S", row=row, column=column))
             for column, row in where]
    ordered = [(p.location.row, p.location.column)
               for p in sorted(found, key=Problem.sort_key)]
    assert ordered == [(7, "Start (D)"), (7, "End (E)"), (7, "Track (Z)"), (7, "Notes (AA)"),
                       (7, None), (8, "Weeks (C)")]

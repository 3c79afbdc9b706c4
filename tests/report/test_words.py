"""Numbers and words of the human-facing formats (report/words.py)."""

from __future__ import annotations

import pytest

from fellowcheck.model import Unit
from fellowcheck.report.words import amount, number


@pytest.mark.parametrize("value, text", [(2, "2"), (2.5, "2.5"), (35.05, "35.05"),
                                         (0.3333, "0.33"), (0.001, "<0.01"), (0, "0"),
                                         (10000.05, "10000.05"), (-0.0, "0")])
def test_numbers_keep_two_decimals_at_most(value, text):
    assert number(value) == text


def test_shown_amounts_add_up():
    """Completed 35.05 and scheduled 5.95 of 60 half-days: what is shown adds up."""
    completed, scheduled, remaining = 35.05, 5.95, 60 - 35.05
    assert float(number(completed)) + float(number(remaining)) == 60
    assert float(number(completed)) + float(number(scheduled)) == 41


def test_amounts_name_their_unit():
    assert [amount(1, Unit.DAY), amount(2, Unit.DAY), amount(13, Unit.WEEK),
            amount(0.5, Unit.HALF_DAY)] == ["1 day", "2 days", "13 wk", "0.5 half-days"]

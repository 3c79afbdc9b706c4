"""`fellowcheck requirements` as a table, at the widths terminals have."""

from __future__ import annotations

import pytest

from fellowcheck.report import RenderOptions
from fellowcheck.report.requirements_table import render_requirements, rule_text


@pytest.mark.parametrize("width", [80, 100, 120, 180])
def test_nothing_is_cut_and_no_word_is_broken(table, width):
    text = render_requirements(table, None, RenderOptions(width=width))
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    assert "…" not in text
    words = set(text.split())
    for requirement in table.requirements:
        for name in table.tracks:  # every word of every rule, whole
            assert set(rule_text(requirement.rules[name], requirement.unit).split()) <= words
        assert set(requirement.rotation.split()) <= words


def test_aliases_and_ids_where_they_fit(table):
    narrow, middle, wide = (render_requirements(table, None, RenderOptions(width=w))
                            for w in (80, 120, 180))
    assert "Dissection lab" in wide and "Dissection lab" not in middle
    assert "anatomy-lab" in middle and "anatomy-lab" not in narrow
    one_track = render_requirements(table, "pmr", RenderOptions(width=130))
    assert "Dissection lab" in one_track

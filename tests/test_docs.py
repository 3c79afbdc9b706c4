"""The README must not drift from the code: codes, formats, and the CI command."""

from __future__ import annotations

from pathlib import Path

import pytest

from fellowcheck.problems import CODES
from fellowcheck.report import Format

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


@pytest.mark.parametrize("code", CODES.values(), ids=lambda c: c.id)
def test_every_problem_code_is_documented(code):
    assert f"| {code.id} | {code.name} | {code.severity.value} |" in README


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_every_format_is_documented(fmt):
    assert f"`{fmt.value}`" in README or f"|{fmt.value}" in README or f"{fmt.value}|" in README


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    command = "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest"
    assert command in README and command in ci


@pytest.mark.parametrize("code", CODES.values(), ids=lambda c: c.id)
def test_readme_code_rows_match_the_catalogue(code):
    """The README's table says what the reports say: title and what to do."""
    row = f"| {code.id} | {code.name} | {code.severity.value} | {code.title} | {code.hint} |"
    assert row in README

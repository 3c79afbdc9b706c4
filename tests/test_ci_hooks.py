"""The pre-commit hook definition and the README's CI section stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

from fellowcheck.reading.sheets import SUFFIXES

REPO = Path(__file__).resolve().parents[1]
HOOKS = (REPO / ".pre-commit-hooks.yaml").read_text()
README = (REPO / "README.md").read_text()


def hook_value(key: str) -> str:
    match = re.search(rf"^\s+{key}:\s*(.+?)\s*$", HOOKS, re.MULTILINE)
    assert match, key
    return match.group(1)


def test_hook_definition():
    assert re.search(r"^- id: fellowcheck$", HOOKS, re.MULTILINE)
    assert hook_value("entry") == "fellowcheck check"
    assert hook_value("language") == "python"
    assert hook_value("pass_filenames") == "true"
    assert hook_value("require_serial") == "true"  # one run, so fellows over files are merged


def test_hook_files_are_the_files_fellowcheck_reads():
    pattern = re.compile(hook_value("files").strip("'"))
    for suffix in SUFFIXES:
        assert pattern.search(f"schedules/2026{suffix}"), suffix
    for other in ("notes.txt", "schedule.xls", "schedule.xlsx.bak", "README.md"):
        assert not pattern.search(other), other


def test_readme_ci_section():
    ci = README[README.index("## In CI"):README.index("## Problem codes")]
    assert "fellowcheck check schedules/ --format github" in ci
    assert 'fellowcheck check schedules/ --format markdown >> "$GITHUB_STEP_SUMMARY"' in ci
    assert "junit" in ci.lower() and "id: fellowcheck" in ci


def test_readme_documents_the_new_commands():
    assert "fellowcheck template" in README
    assert "fellowcheck requirements --format csv" in README

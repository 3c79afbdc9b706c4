"""Fixtures for the renderers' tests: the hand-built Report of sample_report.py and an empty one."""

from __future__ import annotations

import datetime as dt

import pytest

from fellowcheck.model import Report

from .sample_report import REQUIREMENTS_FILE, build_report


@pytest.fixture
def report() -> Report:
    return build_report()


@pytest.fixture
def empty_report() -> Report:
    return Report(fellows=(), problems=(), as_of=dt.date(2026, 11, 25),
                  requirements_source=REQUIREMENTS_FILE)

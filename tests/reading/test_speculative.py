"""One large workbook read in two processes (reading/speculative.py): calamine parses in a
child while this process runs the safety scan. Reports are compared with a one-process read
over the whole corpus of bad inputs in tests/test_bad_inputs.py; here, when it is used and
what happens when the child fails."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

from fellowcheck.reading import ReadOptions, read_schedules, safety, speculative
from fellowcheck.requirements import load_requirements

from ..hostile import GOOD_ROW, HEADER, write_schedule_xlsx


@pytest.fixture
def workbook(tmp_path):
    return write_schedule_xlsx(tmp_path / "large.xlsx", [HEADER, GOOD_ROW])


def test_only_one_large_workbook_with_a_second_process_is_read_so(workbook, make_csv,
                                                                  monkeypatch):
    monkeypatch.setattr(speculative, "SIZE", workbook.stat().st_size)
    assert speculative.worth_it([workbook], jobs=2)
    assert not speculative.worth_it([workbook], jobs=1)
    assert not speculative.worth_it([workbook, workbook], jobs=2)  # many files: --jobs workers
    assert not speculative.worth_it([workbook.with_name("missing.xlsx")], jobs=2)
    assert not speculative.worth_it([make_csv([["Fellow", "Rotation", "Weeks"]])], jobs=2)
    monkeypatch.setattr(speculative, "SIZE", workbook.stat().st_size + 1)
    assert not speculative.worth_it([workbook], jobs=2)


def _read(path):
    return read_schedules([path], load_requirements(), ReadOptions(), jobs=2)


def test_a_child_that_dies_is_a_located_error(workbook, monkeypatch):
    """calamine aborting (here: the child killed once the scan has passed) is reported as the
    file's problem, as a Rust panic is; this process goes on."""
    monkeypatch.setattr(speculative, "SIZE", 0)
    monkeypatch.setattr(safety, "place_faults",
                        lambda *args: os.kill(os.getpid(), signal.SIGKILL))
    read = _read(workbook)
    assert len(read.entries) == 0
    [found] = read.problems
    assert found.kind == "file-unreadable" and found.location.file == str(workbook)
    assert "reader stopped" in found.message and "SIGKILL" in found.message
    assert not multiprocessing.active_children()


def test_a_bug_in_the_child_is_raised_here(workbook, monkeypatch):
    """A bug is not a bad file: it reaches the command's internal-error handler."""
    monkeypatch.setattr(speculative, "SIZE", 0)

    def bug(*args):
        raise ZeroDivisionError("a bug")
    monkeypatch.setattr(safety, "place_faults", bug)
    with pytest.raises(RuntimeError, match="ZeroDivisionError: a bug"):
        _read(workbook)
    assert not multiprocessing.active_children()


def test_the_entries_come_back_from_the_child(workbook, monkeypatch):
    monkeypatch.setattr(speculative, "SIZE", 0)
    read = _read(workbook)
    monkeypatch.setattr(speculative, "SIZE", 1 << 60)
    alone = _read(workbook)
    assert len(read.entries) == 1 and read.entries.equals(alone.entries)
    assert (read.problems, read.notes) == (alone.problems, alone.notes)

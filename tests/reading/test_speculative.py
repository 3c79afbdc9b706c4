"""One large workbook read in two processes (reading/speculative.py): calamine parses in a
child while this process runs the safety scan. Reports are compared with a one-process read
over the whole corpus of bad inputs in tests/test_bad_inputs.py; here, when it is used, what
happens when the child fails, and what keeps the child harmless."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fellowcheck.reading import ReadOptions, read_schedules, safety, speculative
from fellowcheck.reading.safety import ReadLimits
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


def _read(path, limits=ReadLimits()):
    return read_schedules([path], load_requirements(), ReadOptions(limits=limits), jobs=2)


def _read_alone(path, monkeypatch):
    monkeypatch.setattr(speculative, "SIZE", 1 << 60)
    read = _read(path)
    monkeypatch.setattr(speculative, "SIZE", 0)
    return read


def _in_child_first(monkeypatch, in_child) -> list:
    """`safety.place_faults` (called once the scan is in) runs `in_child()` first in the
    child; in this process it runs as it is, and each such call (a read here) is recorded in
    the list returned."""
    parent, placed_here = os.getpid(), []
    place_faults = safety.place_faults

    def patched(*args):
        if os.getpid() == parent:
            placed_here.append(True)
        else:
            in_child()
        return place_faults(*args)
    monkeypatch.setattr(safety, "place_faults", patched)
    return placed_here


def _same(read, alone) -> bool:
    return (read.entries.equals(alone.entries) and read.problems == alone.problems
            and read.notes == alone.notes)


def test_the_entries_come_back_from_the_child(workbook, monkeypatch):
    alone = _read_alone(workbook, monkeypatch)
    read = _read(workbook)
    assert len(read.entries) == 1 and _same(read, alone)


@pytest.mark.parametrize("end", ["killed", "out of memory"])
def test_a_child_that_ends_without_answering_leaves_the_reading_here(workbook, monkeypatch,
                                                                     end):
    """Past its memory budget (on a file the scan passed) or ended by the system, the child
    gives no answer: this process reads the file itself, as one process would."""
    alone = _read_alone(workbook, monkeypatch)

    def end_child():
        if end == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        raise MemoryError
    placed_here = _in_child_first(monkeypatch, end_child)
    read = _read(workbook)
    assert placed_here and _same(read, alone)
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("where", ["before the scan", "after the scan"])
def test_a_bug_in_the_child_is_raised_here(workbook, monkeypatch, where):
    """A bug is not a bad file: it reaches the command's internal-error handler, whether the
    child had taken the scan or not."""
    import python_calamine

    monkeypatch.setattr(speculative, "SIZE", 0)

    def bug(*args):
        raise ZeroDivisionError("a bug")
    if where == "before the scan":
        monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", bug)
    else:
        monkeypatch.setattr(safety, "place_faults", bug)
    with pytest.raises(RuntimeError, match="ZeroDivisionError: a bug"):
        _read(workbook)
    assert not multiprocessing.active_children()


def test_the_childs_memory_is_capped(workbook, monkeypatch):
    """A hostile sheet makes calamine allocate its whole used area while it parses, before the
    scan can refuse it: the child cannot take more than the largest sheet within the limits
    may need (here a few cells and a small margin), and this process reads the file instead."""
    monkeypatch.setattr(speculative, "BYTES_BESIDE", 64 * 1024 * 1024)
    alone = _read_alone(workbook, monkeypatch)
    placed_here = _in_child_first(
        monkeypatch, lambda: bytearray(1024 * 1024 * 1024))  # a used area of 30 million cells
    read = _read(workbook, ReadLimits(max_cells=1000))
    assert placed_here and _same(read, alone)


def test_the_child_ends_with_this_process(workbook, tmp_path):
    """Killed (say by kill -TERM, or -KILL), this process takes its child with it."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import multiprocessing, sys, time\n"
        "from pathlib import Path\n"
        "from fellowcheck.reading import ReadOptions, read_schedules, speculative\n"
        "from fellowcheck.requirements import load_requirements\n"
        "speculative.SIZE = 0\n"
        "def stuck(path, limits):\n"
        "    print(*(c.pid for c in multiprocessing.active_children()), flush=True)\n"
        "    time.sleep(60)\n"
        "speculative.preflight_workbook = stuck\n"
        "read_schedules([Path(sys.argv[1])], load_requirements(), ReadOptions(), jobs=2)\n")
    parent = subprocess.Popen([sys.executable, str(probe), str(workbook)],
                              stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    time.sleep(1)  # the child is waiting for the scan
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    """Running (not gone, and not a zombie waiting for whoever adopted it)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return not any(line.startswith("State:") and "Z" in line for line in status)
    except FileNotFoundError:
        return False


SAMPLES = sorted(path for path in (Path(__file__).resolve().parents[2] / "samples").iterdir()
                 if path.suffix in (".xlsx", ".ods"))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_the_samples_read_alike_in_two_processes(sample, monkeypatch):
    """Rosters, block grids and several sheets, read in the child, as one process reads them."""
    alone = _read_alone(sample, monkeypatch)
    read = _read(sample)
    assert len(read.entries) > 0 and _same(read, alone)
    assert read.roster.equals(alone.roster)

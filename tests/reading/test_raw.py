"""The first phase of reading (reading.raw) needs no pandas: worker processes that run it
start before the main process imports pandas, and stay small."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fellowcheck.reading import raw as raw_module
from fellowcheck.reading.options import ReadOptions
from fellowcheck.reading.raw import read_raw, read_raw_files


def test_reading_cells_imports_no_pandas(make_csv, make_xlsx):
    paths = [make_csv([["Fellow", "Rotation", "Weeks"], ["Dr A", "MIPS", 2]], "a.csv"),
             make_xlsx({"Schedule": [["Fellow", "Rotation", "Weeks"], ["Dr B", "MIPS", 2]]},
                       "b.xlsx")]
    probe = ("import sys\n"
             "from pathlib import Path\n"
             "from fellowcheck.reading import ReadOptions\n"
             "from fellowcheck.reading.raw import read_raw_files\n"
             "raw = list(read_raw_files([Path(p) for p in sys.argv[1:]], ReadOptions()))\n"
             "assert [len(r.sheets) for r in raw] == [1, 1], raw\n"
             "heavy = [m for m in ('pandas', 'numpy') if m in sys.modules]\n"
             "assert not heavy, heavy\n")
    result = subprocess.run([sys.executable, "-c", probe, *map(str, paths)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_raw_files_tell_unreadable_files_and_reports_apart(tmp_path, make_csv):
    missing = read_raw(tmp_path / "missing.csv", ReadOptions())
    assert missing.unreadable and [p.kind for p in missing.problems] == ["file-not-found"]
    report = make_csv([["fellow", "fellow_status", "rotation_id", "unscheduled"]], "r.csv")
    assert read_raw(report, ReadOptions()).report
    schedule = make_csv([["Title"], ["Fellow", "Rotation", "Weeks"], ["Dr A", "MIPS", 2]])
    [header] = read_raw(schedule, ReadOptions()).headers
    assert header is not None and header.index == 1


@pytest.mark.parametrize("per_task, ahead", [(32, 4), (1, 1), (3, 2)])
def test_processes_give_the_files_back_in_order(make_csv, monkeypatch, per_task, ahead):
    """However many files a task holds and however few tasks run ahead (then each one taken
    submits the next), every file comes back once, in order."""
    monkeypatch.setattr(raw_module, "FILES_PER_TASK", per_task)
    monkeypatch.setattr(raw_module, "TASKS_AHEAD", ahead)
    paths = [make_csv([["Fellow", "Rotation", "Weeks"], [f"Dr {n}", "MIPS", 2]], f"{n:02}.csv")
             for n in range(10)]
    raw = list(read_raw_files(paths, ReadOptions(), jobs=2))
    assert [r.path for r in raw] == paths
    assert [r.sheets[0].rows[1][0] for r in raw] == [f"Dr {n}" for n in range(10)]


def test_a_large_workbook_is_parsed_while_pandas_is_imported(make_xlsx):
    """Serially, the first file is read before `read_raw_files` returns, and while calamine
    parses a large workbook (the GIL released) pandas is imported on a thread, since the main
    process needs it next. A worker process (--jobs) never imports pandas."""
    path = make_xlsx({"Schedule": [["Fellow", "Rotation", "Weeks"], ["Dr B", "MIPS", 2]]})
    probe = ("import sys, threading, multiprocessing\n"
             "from concurrent.futures import ProcessPoolExecutor\n"
             "from pathlib import Path\n"
             "from fellowcheck.reading import ReadOptions, workbook\n"
             "from fellowcheck.reading.raw import read_raw, read_raw_files\n"
             "workbook.WARM_UP_SIZE = 0  # every workbook counts as large\n"
             "path = Path(sys.argv[1])\n"
             "def in_worker():\n"
             "    read_raw(path, ReadOptions())\n"
             "    return 'pandas' in sys.modules\n"
             "with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('fork')) as pool:\n"
             "    assert pool.submit(in_worker).result() is False\n"
             "files = read_raw_files([path], ReadOptions())\n"
             "importing = [t for t in threading.enumerate() if t.name == 'import pandas']\n"
             "assert 'pandas' in sys.modules or importing, 'no import started'\n"
             "for thread in importing:\n"
             "    thread.join()\n"
             "assert 'pandas' in sys.modules\n"
             "assert [len(raw.sheets) for raw in files] == [1]\n")
    result = subprocess.run([sys.executable, "-c", probe, str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_ending_while_pandas_is_imported_prints_nothing():
    """A check may end (a refused file, Ctrl-C) before the import started beside calamine's
    parse has finished: the interpreter's shutdown fails that import, silently."""
    probe = ("from fellowcheck.reading.workbook import import_pandas_meanwhile\n"
             "import_pandas_meanwhile()\n"
             "raise SystemExit(2)\n")
    for _ in range(3):
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                check=False)
        assert (result.returncode, result.stderr) == (2, "")


def _interrupt_myself() -> str:
    import os
    import signal

    os.kill(os.getpid(), signal.SIGINT)
    return "still reading"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_worker_leaves_ctrl_c_to_the_main_process():
    """Ctrl-C reaches every process of the group; a worker that died of it printed a
    traceback and could leave the pool (and the run) waiting forever."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context, initializer=raw_module._start_worker,
                             initargs=(context.Event(),)) as pool:
        assert pool.submit(_interrupt_myself).result(timeout=30) == "still reading"


def _slow_chunk(paths, options, sheet_names):
    """A task of files that take 2 s each to read (8 s a task of 4), checking between files
    whether the worker is stopped, as `_read_chunk` does."""
    import time

    files = []
    for path in paths:
        if raw_module._stop_event.is_set():
            break
        if path.name != "0.csv":
            time.sleep(2)
        files.append(read_raw(path, options, sheet_names))
    return files


def test_the_workers_end_when_the_reading_is_abandoned(make_csv, monkeypatch):
    """Ctrl-C in the main process (or any error there) ends the workers after the file each
    is reading, not when their tasks end (here 8 s away)."""
    import time

    paths = [make_csv([["Fellow", "Rotation", "Weeks"], ["A", "MIPS", 1]], name=f"{n}.csv")
             for n in range(64)]
    monkeypatch.setattr(raw_module, "_read_chunk", _slow_chunk)  # the forked workers' too
    files = read_raw_files(paths, ReadOptions(), jobs=2)
    next(files)
    started = time.monotonic()
    processes = list(files._workers.pool._processes.values())
    assert processes and all(p.is_alive() for p in processes)
    with pytest.raises(KeyboardInterrupt):
        files._files.throw(KeyboardInterrupt)  # Ctrl-C while the caller waits for a file
    for process in processes:
        process.join(timeout=30)
    assert not any(p.is_alive() for p in processes)
    assert time.monotonic() - started < 6


def test_the_workers_end_when_reading_is_abandoned_before_it_began(make_csv, monkeypatch):
    """Ctrl-C while pandas is imported, before the first file is taken: close() ends the
    workers at once all the same."""
    import time

    paths = [make_csv([["Fellow", "Rotation", "Weeks"], ["A", "MIPS", 1]], name=f"{n}.csv")
             for n in range(64)]
    monkeypatch.setattr(raw_module, "_read_chunk", _slow_chunk)
    files = read_raw_files(paths, ReadOptions(), jobs=2)
    started = time.monotonic()
    while not files._workers.pool._processes and time.monotonic() - started < 10:
        time.sleep(0.05)
    processes = list(files._workers.pool._processes.values())
    files.close()
    for process in processes:
        process.join(timeout=30)
    assert processes and not any(p.is_alive() for p in processes)
    assert time.monotonic() - started < 6


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_ctrl_c_while_the_workers_are_forked_is_raised_after_not_lost():
    import os
    import signal

    reached = False
    with pytest.raises(KeyboardInterrupt):
        with raw_module._interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            reached = True  # held: not raised inside, where a fork's handlers would lose it
    assert reached

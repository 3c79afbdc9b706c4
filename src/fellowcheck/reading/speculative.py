"""Reading one large workbook in two processes at once.

calamine's parse is half of a large check, and the pre-flight safety scan (`safety`) must
pass before calamine may be trusted with a file: a sheet whose used area is huge makes
calamine allocate rows x columns cells, and a process that cannot have them aborts. So
calamine parses in a forked child while this process runs the scan. A hostile file can then
end only the child, which reads no cell until this process sends it the scan; if the scan
fails, the child is ended and the scan's problem is reported, as a one-process read reports
it. The child reads the file to its entries (`batch.read_files`) and sends those back: a few
columns of a few distinct values, far cheaper to send than the cells.
"""

from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from fellowcheck.model import RequirementTable
from fellowcheck.problems import FellowcheckError
from fellowcheck.reading.options import ReadOptions
from fellowcheck.reading.raw import RawFile, read_raw
from fellowcheck.reading.safety import preflight_workbook
from fellowcheck.reading.sheets import WORKBOOK_SUFFIXES

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from fellowcheck.reading import ScheduleFile

#: A workbook at least this large is read in two processes, when a second one may be used
#: (--jobs 2 or more). Below it, the scan is too short for the overlap to pay for the fork.
SIZE = 4 * 1024 * 1024


def worth_it(paths: list[Path], jobs: int) -> bool:
    """Whether `paths` is one large workbook that two processes (`jobs`) may read."""
    if jobs < 2 or len(paths) != 1 or paths[0].suffix.lower() not in WORKBOOK_SUFFIXES:
        return False
    try:
        if not paths[0].is_file() or paths[0].stat().st_size < SIZE:
            return False
    except OSError:
        return False  # the one-process read reports it
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def read_speculatively(path: Path, table: RequirementTable, options: ReadOptions,
                       sheet_names: list[str] | None = None,
                       progress: Callable[[int], None] | None = None) -> ScheduleFile:
    """What `reading.read_schedule` gives for `path`, with calamine's parse in a child
    process beside the pre-flight scan in this one."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    child = context.Process(target=_read_in_child, name=f"fellowcheck: read {path.name}",
                            args=(there, path, table, options, sheet_names), daemon=True)
    child.start()
    there.close()
    answered = False
    try:
        try:
            scan = preflight_workbook(path, options.limits)
        except FellowcheckError as error:
            return _unreadable(path, error.problems, table, options, sheet_names, progress)
        import pandas  # noqa: F401 - needed next: imported while the child reads

        try:
            here.send(scan)
            outcome, value = here.recv()
            answered = True
        except (EOFError, OSError):  # the child ended without an answer: calamine aborted
            child.join()
            return _unreadable(path, [_stopped(path, child.exitcode)], table, options,
                               sheet_names, progress)
    finally:
        here.close()
        if not answered:  # refused, dead or interrupted: the child is of no more use
            child.kill()
            child.join()
    # An answering child is ending: it is reaped later (by multiprocessing), so the memory it
    # gives back is freed beside this process's work rather than before it.
    if outcome == "bug":
        child.join()
        raise RuntimeError(f"reading {path} in a second process failed:\n{value}")
    if progress is not None:
        progress(1)
    return value


def _read_in_child(connection: Connection, path: Path, table: RequirementTable,
                   options: ReadOptions, sheet_names: list[str] | None) -> None:
    """The child: parse, wait for the scan, read the entries, send them (or a bug's
    traceback). It prints nothing: a hostile file's last words from calamine ("memory
    allocation of 549755813888 bytes failed") are not the user's business, the scan's
    problem is. Ctrl-C is the parent's to handle: it ends this process."""
    from fellowcheck.reading.workbook import import_pandas_meanwhile

    silent = os.open(os.devnull, os.O_WRONLY)
    os.dup2(silent, 1)
    os.dup2(silent, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import_pandas_meanwhile()  # batch needs it; calamine's parse leaves the GIL free
    scanned = []

    def scan():
        if not scanned:
            scanned.append(connection.recv())
        return scanned[0]

    try:
        raw = read_raw(path, options, sheet_names, scan)
        scan()  # taken even when reading stopped before it was needed (a missing sheet)
        from fellowcheck.reading.batch import read_files

        answer = ("done", read_files([raw], table, options, sheet_names))
    except BaseException:  # noqa: BLE001 - a bug: the parent reports it
        answer = ("bug", traceback.format_exc())
    try:
        connection.send(answer)
    except OSError:
        os._exit(1)  # the parent has gone


def _unreadable(path: Path, problems, table: RequirementTable, options: ReadOptions,
                sheet_names: list[str] | None,
                progress: Callable[[int], None] | None) -> ScheduleFile:
    """What a file that could not be read gives (as `raw.read_raw` reports it)."""
    from fellowcheck.reading.batch import read_files

    raw = RawFile(path, problems=tuple(problems), unreadable=True)
    return read_files([raw], table, options, sheet_names, progress)


def _stopped(path: Path, exit_code: int | None):
    from fellowcheck.reading.workbook import reader_stopped

    try:
        how = f"its process ended with {signal.Signals(-exit_code).name}"
    except (TypeError, ValueError):  # no exit code, or not a signal
        how = f"its process ended with status {exit_code}"
    return reader_stopped(path, how)

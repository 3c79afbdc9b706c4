"""Reading one large workbook in two processes at once.

calamine's parse is half of a large check, and the pre-flight safety scan (`safety`) must
pass before calamine may be trusted with a file: calamine allocates rows x columns cells for
a sheet's used area while it parses, and a process that cannot have them aborts. So calamine
parses in a forked child while this process runs the scan, and a hostile file can hurt only
the child:

- the child's memory is capped at what the largest sheet within the limits may need
  (`memory_budget`): past it, calamine's allocation fails and the child ends;
- the child reads no cell until this process sends it the scan; if the scan fails, the child
  is ended at once and the scan's problem reported, as a one-process read reports it;
- the child prints nothing, writes no core file, ignores Ctrl-C and ends with this process.

The child reads the file to its entries (`batch.read_files`) and sends those back: a few
columns of a few distinct values, far cheaper to send than the cells. A child that ends
without an answer (out of its budget on a file the scan passed) leaves the reading to this
process, as one process would have done it.
"""

from __future__ import annotations

import contextlib
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
from fellowcheck.reading.safety import ReadLimits, preflight_workbook
from fellowcheck.reading.sheets import WORKBOOK_SUFFIXES

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from fellowcheck.reading import ScheduleFile

#: A workbook at least this large is read in two processes, when a second one may be used
#: (--jobs 2 or more). Below it, the scan is too short for the overlap to pay for the fork.
SIZE = 4 * 1024 * 1024
#: Memory the child may use per cell of the largest sheet the limits allow (calamine's cell,
#: the Python value, its share of the entries), over what it had when it was forked.
BYTES_PER_CELL = 200
BYTES_BESIDE = 512 * 1024 * 1024


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


def memory_budget(limits: ReadLimits) -> int:
    """The most data memory the child may use beyond what it starts with."""
    return limits.max_cells * BYTES_PER_CELL + BYTES_BESIDE


def read_speculatively(path: Path, table: RequirementTable, options: ReadOptions,
                       sheet_names: list[str] | None = None,
                       progress: Callable[[int], None] | None = None) -> ScheduleFile:
    """What `reading.read_schedule` gives for `path`, with calamine's parse in a child
    process beside the pre-flight scan in this one."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    child = context.Process(target=_read_in_child, name=f"fellowcheck: read {path.name}",
                            args=(there, here, path, table, options, sheet_names), daemon=True)
    child.start()
    there.close()
    answered = False
    try:
        try:
            scan = preflight_workbook(path, options.limits)
        except FellowcheckError as error:
            _end(child)  # at once: a hostile file's child may be filling its memory
            return _read_files([RawFile(path, problems=tuple(error.problems), unreadable=True)],
                               table, options, sheet_names, progress)
        import pandas  # noqa: F401 - needed next: imported while the child reads

        try:
            here.send(scan)
            outcome, value = here.recv()
            answered = True
        except (EOFError, OSError):
            # No answer: the child ran out of its memory budget (or calamine stopped) on a
            # file the scan passed. Read it here, as one process would have.
            _end(child)
            return _read_files([read_raw(path, options, sheet_names, lambda: scan)], table,
                               options, sheet_names, progress)
    finally:
        here.close()
        if not answered:  # refused, ended or interrupted: the child is of no more use
            _end(child)
    if outcome == "bug":
        child.join()
        raise RuntimeError(f"reading {path} in a second process failed:\n{value}")
    # An answering child is ending: it is reaped later (by multiprocessing), so the memory it
    # gives back is freed beside this process's work rather than before it.
    if progress is not None:
        progress(1)
    return value


def _read_in_child(connection: Connection, parents_end: Connection, path: Path,
                   table: RequirementTable, options: ReadOptions,
                   sheet_names: list[str] | None) -> None:
    """The child: parse, wait for the scan, read the entries, send them (or a bug's
    traceback)."""
    from fellowcheck.reading.workbook import import_pandas_meanwhile

    parents_end.close()  # else this process holds it open and never sees the parent end
    _confine(options.limits)
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
    except MemoryError:
        os._exit(1)  # past its budget: the parent reads the file itself
    except BaseException:  # noqa: BLE001 - a bug: the parent reports it
        answer = ("bug", traceback.format_exc())
        with contextlib.suppress(BaseException):
            scan()  # the parent sends it before it listens
    try:
        connection.send(answer)
    except OSError:
        os._exit(1)  # the parent has gone


def _confine(limits: ReadLimits) -> None:
    """What keeps the child harmless: its memory capped (`memory_budget`), no output (a
    hostile file's last words from calamine, "memory allocation of 549755813888 bytes
    failed", are not the user's business: the scan's problem is), no core file, Ctrl-C left
    to the parent, and an end when the parent ends."""
    import resource

    silent = os.open(os.devnull, os.O_WRONLY)
    os.dup2(silent, 1)
    os.dup2(silent, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    in_use = _data_in_use()
    if in_use is not None:
        cap = in_use + memory_budget(limits)
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft == resource.RLIM_INFINITY or cap < soft:
            resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    with contextlib.suppress(OSError, AttributeError):  # Linux only
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent ended before the line above
            os._exit(1)


def _data_in_use() -> int | None:
    """This process's data memory (VmData, in bytes), or None where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _end(child) -> None:
    if child.is_alive():
        child.kill()
    child.join()


def _read_files(raw_files: list[RawFile], table: RequirementTable, options: ReadOptions,
                sheet_names: list[str] | None,
                progress: Callable[[int], None] | None) -> ScheduleFile:
    from fellowcheck.reading.batch import read_files

    return read_files(raw_files, table, options, sheet_names, progress)

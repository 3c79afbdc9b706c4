"""The first phase of reading a file: its cells read and screened, and each sheet's header of
the entries layout found. No pandas here: worker processes (--jobs) run this phase, start
before the main process imports pandas, and hand back plain data (`RawFile`).
"""

from __future__ import annotations

import contextlib
import signal
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

from fellowcheck.problems import FellowcheckError, Problem
from fellowcheck.reading.columns import Header, find_header
from fellowcheck.reading.options import ReadOptions
from fellowcheck.reading.safety import WorkbookScan
from fellowcheck.reading.screen import screen_sheet
from fellowcheck.reading.sheets import RawSheet, read_sheets

#: Below this many files per process, starting processes costs more than it saves.
FILES_PER_JOB = 4
#: Files a worker reads per task, and tasks a worker may run ahead of the caller.
FILES_PER_TASK = 32
TASKS_AHEAD = 4


@dataclass(frozen=True, slots=True)
class RawFile:
    """One file as read: its sheets, screened (`screen`), each with its header if it is in
    the entries layout, and the problems found so far. `unreadable`: the file could not be
    read (`problems` say why); `report`: it is one of fellowcheck's own reports (skipped)."""

    path: Path
    sheets: tuple[RawSheet, ...] = ()
    headers: tuple[Header | None, ...] = ()
    problems: tuple[Problem, ...] = ()
    unreadable: bool = False
    report: bool = False


def read_raw(path: Path, options: ReadOptions, sheet_names: list[str] | None = None,
             scan: Callable[[], WorkbookScan] | None = None) -> RawFile:
    """Read and screen the cells of `path`. Never raises for bad input. `scan`: a workbook's
    safety check, when another process makes it (see `workbook.read_workbook`)."""
    try:
        sheets = read_sheets(path, sheet_names, options.limits, scan)
    except FellowcheckError as error:
        return RawFile(path, problems=tuple(error.problems), unreadable=True)
    if is_fellowcheck_report(sheets):
        return RawFile(path, report=True)
    problems: list[Problem] = []
    screened = []
    for sheet in sheets:
        sheet, found = screen_sheet(sheet, options.limits)
        screened.append(sheet)
        problems.extend(found)
    return RawFile(path, tuple(screened), tuple(find_header(sheet.rows) for sheet in screened),
                   tuple(problems))


def read_raw_files(paths: list[Path], options: ReadOptions, sheet_names: list[str] | None = None,
                   jobs: int = 1) -> Iterator[RawFile]:
    """Each file's `RawFile`, in the order given; read by `jobs` processes when that pays.
    The processes are started before this returns, so whatever the caller does next (such
    as importing pandas) overlaps the reading."""
    jobs = min(jobs, len(paths) // FILES_PER_JOB)
    if jobs <= 1:
        # The first file is read before this returns, for the same reason: while calamine
        # parses a large workbook, pandas is imported beside it (workbook.py).
        files = (read_raw(path, options, sheet_names) for path in paths)
        first = next(files, None)
        return files if first is None else chain([first], files)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forked, the workers start at once and share what this process has imported.
    context = multiprocessing.get_context("fork" if "fork" in
                                          multiprocessing.get_all_start_methods() else None)
    stop = context.Event()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=_start_worker, initargs=(stop,))
    size = min(max(1, len(paths) // (jobs * 8)), FILES_PER_TASK)
    chunks = iter([paths[i:i + size] for i in range(0, len(paths), size)])
    workers = _Workers(pool, stop)
    # The first tasks are submitted now, so the workers are already reading when this returns.
    try:
        with _interrupts_held():  # the workers are forked here
            pending = deque(pool.submit(_read_chunk, chunk, options, sheet_names)
                            for chunk in islice(chunks, jobs * TASKS_AHEAD))
    except BaseException:
        workers.end()
        raise
    return _PoolReading(workers, _in_order(workers, pending, chunks, options, sheet_names))


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C waits until the block is done: one that comes while a process is forked is
    raised in the fork's handlers (logging's), which print it and go on, and is lost."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a held Ctrl-C is raised here


@dataclass(frozen=True)
class _Workers:
    """The pool, and the event that stops its workers between two files."""

    pool: Any
    stop: Any  # multiprocessing.Event

    def end(self) -> None:
        """Stop now: queued tasks are dropped and a running one ends after its current file
        (a worker killed while it sends a result can leave the pool waiting forever)."""
        self.stop.set()
        self.pool.shutdown(cancel_futures=True)


class _PoolReading:
    """The files the pool reads, in order. `close()` ends the workers whether or not the
    reading has begun: Ctrl-C may come while the caller imports pandas, before it takes the
    first file (the workers leave SIGINT to this process, and would read on)."""

    def __init__(self, workers: _Workers, files: Iterator[RawFile]):
        self._workers, self._files = workers, files

    def __iter__(self) -> Iterator[RawFile]:
        return self

    def __next__(self) -> RawFile:
        return next(self._files)

    def close(self) -> None:
        self._workers.end()
        self._files.close()


#: In a worker process: the event the main process sets to stop it (`_Workers.end`).
_stop_event = None


def _start_worker(stop) -> None:
    """In a worker: Ctrl-C (sent to the whole process group) is the main process's to act
    on: it stops the workers (`_Workers.end`). A worker that died of it printed a traceback
    and could leave the pool waiting for it forever."""
    global _stop_event
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _stop_event = stop


def _read_chunk(paths: list[Path], options: ReadOptions,
                sheet_names: list[str] | None) -> list[RawFile]:
    files = []
    for path in paths:
        if _stop_event is not None and _stop_event.is_set():
            break  # the caller has gone: what is read no longer matters
        files.append(read_raw(path, options, sheet_names))
    return files


def _in_order(workers: _Workers, pending: deque, chunks: Iterator[list[Path]],
              options: ReadOptions, sheet_names: list[str] | None) -> Iterator[RawFile]:
    """The files of each task in order, a new task submitted as each is taken: at most
    `TASKS_AHEAD` tasks a process are read ahead of the caller, so the raw cells waiting in
    this process stay bounded however many files there are."""
    try:
        while pending:
            done = pending.popleft().result()
            for chunk in islice(chunks, 1):
                pending.append(workers.pool.submit(_read_chunk, chunk, options, sheet_names))
            yield from done
    except BaseException:  # Ctrl-C, or the caller gone: no work left to wait for
        workers.end()
        raise
    workers.pool.shutdown()


def is_fellowcheck_report(sheets: list[RawSheet]) -> bool:
    """Whether the file is one of fellowcheck's own csv or xlsx reports (kept beside the
    schedules it checked, it must not be read back as a schedule)."""
    def header(sheet: RawSheet) -> list[str]:
        return [str(cell).strip().lower() for cell in (sheet.rows[0] if sheet.rows else [])]

    if len(sheets) == 1 and sheets[0].sheet is None:
        return {"fellow_status", "rotation_id", "unscheduled"} <= set(header(sheets[0]))
    names = [sheet.sheet for sheet in sheets]
    if not names or names[0] != "Summary" or names[-1] != "Problems":
        return False
    return header(sheets[0])[:4] == ["fellow", "track", "status", "gaps"]

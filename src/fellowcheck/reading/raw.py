"""The first phase of reading a file: its cells read and screened, and each sheet's header of
the entries layout found. No pandas here: worker processes (--jobs) run this phase, start
before the main process imports pandas, and hand back plain data (`RawFile`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

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
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=_leave_interrupts_to_the_caller)
    size = min(max(1, len(paths) // (jobs * 8)), FILES_PER_TASK)
    chunks = iter([paths[i:i + size] for i in range(0, len(paths), size)])
    # The first tasks are submitted now, so the workers are already reading when this returns.
    pending = deque(pool.submit(_read_chunk, chunk, options, sheet_names)
                    for chunk in islice(chunks, jobs * TASKS_AHEAD))
    return _PoolReading(pool, _in_order(pool, pending, chunks, options, sheet_names))


class _PoolReading:
    """The files the pool reads, in order. `close()` ends the workers whether or not the
    reading has begun: Ctrl-C may come while the caller imports pandas, before it takes the
    first file (the workers leave SIGINT to this process, and would read on)."""

    def __init__(self, pool, files: Iterator[RawFile]):
        self._pool, self._files = pool, files

    def __iter__(self) -> Iterator[RawFile]:
        return self

    def __next__(self) -> RawFile:
        return next(self._files)

    def close(self) -> None:
        _end_workers(self._pool)
        self._files.close()
        self._pool.shutdown(cancel_futures=True)


def _end_workers(pool) -> None:
    for process in list(pool._processes.values()):  # (no public way before Python 3.14)
        process.terminate()


def _leave_interrupts_to_the_caller() -> None:
    """In a worker: Ctrl-C (sent to the whole process group) is the main process's to act
    on; it ends the workers (`_in_order`). A worker that died of it printed a traceback and
    could leave the pool waiting for it forever."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _read_chunk(paths: list[Path], options: ReadOptions,
                sheet_names: list[str] | None) -> list[RawFile]:
    return [read_raw(path, options, sheet_names) for path in paths]


def _in_order(pool, pending: deque, chunks: Iterator[list[Path]], options: ReadOptions,
              sheet_names: list[str] | None) -> Iterator[RawFile]:
    """The files of each task in order, a new task submitted as each is taken: at most
    `TASKS_AHEAD` tasks a process are read ahead of the caller, so the raw cells waiting in
    this process stay bounded however many files there are."""
    try:
        while pending:
            done = pending.popleft().result()
            for chunk in islice(chunks, 1):
                pending.append(pool.submit(_read_chunk, chunk, options, sheet_names))
            yield from done
    except BaseException:  # Ctrl-C, or the caller gone: no work left to wait for
        _end_workers(pool)
        raise
    finally:
        pool.shutdown(cancel_futures=True)


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

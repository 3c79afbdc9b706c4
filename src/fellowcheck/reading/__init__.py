"""Reading schedule files into one table of normalised entries.

`read_schedules` (many files) and `read_schedule` (one) are the entry points the rest of
fellowcheck uses: they open each file, tell each sheet's layout (entries, block grid, roster,
or neither), and return the entries of all schedule sheets, the roster, the problems found and
notes on what was decided. Reading is two phases: `raw` reads and screens the cells (no
pandas; in worker processes for --jobs N), `batch` makes entries of them.

Importing this package does not import pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fellowcheck.model import RequirementTable
from fellowcheck.problems import Problem
from fellowcheck.reading.options import ReadOptions
from fellowcheck.reading.raw import is_fellowcheck_report, read_raw_files
from fellowcheck.reading.sheets import SUFFIXES

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ReadOptions", "SUFFIXES", "ScheduleFile", "is_fellowcheck_report", "read_schedule",
           "read_schedules"]


@dataclass
class ScheduleFile:
    """What files gave: entries (roster tracks included), roster, problems, notes."""

    entries: pd.DataFrame
    roster: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: files not read because they are fellowcheck's own reports
    skipped: list[Path] = field(default_factory=list)


def read_schedule(path: Path, table: RequirementTable, options: ReadOptions,
                  sheet_names: list[str] | None = None) -> ScheduleFile:
    """All entries of one schedule file, and the problems found in it. Never raises for bad
    input: a file that cannot be read gives no entries and an error problem."""
    return read_schedules([path], table, options, sheet_names)


def read_schedules(paths: list[Path], table: RequirementTable, options: ReadOptions,
                   sheet_names: list[str] | None = None, jobs: int = 1,
                   progress: Callable[[int], None] | None = None) -> ScheduleFile:
    """The entries of all `paths`, in their order, each file read as if alone; in `jobs`
    processes when there are enough files, or, for one large workbook, with calamine's parse
    beside the safety scan (`speculative`). `progress(n)` is called as the n-th file is read."""
    from fellowcheck.reading import speculative

    if speculative.worth_it(paths, jobs):
        return speculative.read_speculatively(paths[0], table, options, sheet_names, progress)
    raw_files = read_raw_files(paths, options, sheet_names, jobs)
    try:
        from fellowcheck.reading.batch import read_files  # pandas: imported while workers read

        return read_files(raw_files, table, options, sheet_names, progress)
    except BaseException:  # Ctrl-C: end the workers now, not when their queued work is done
        close = getattr(raw_files, "close", None)
        if close is not None:
            close()
        raise

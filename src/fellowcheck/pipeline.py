"""read -> tally -> check: the whole check of one or more schedule files, as a Report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from fellowcheck.check import check_fellow
from fellowcheck.model import Report, RequirementTable
from fellowcheck.problems import Problem


@dataclass(frozen=True, slots=True)
class CheckOptions:
    as_of: dt.date
    track: str | None = None
    fellow: str | None = None
    day_first: bool = False
    sheets: list[str] = field(default_factory=list)


def run_check(paths: list[Path], table: RequirementTable, options: CheckOptions) -> Report:
    """Read every file, merge each fellow's entries across them, and check every fellow."""
    import pandas as pd

    from fellowcheck.reading import ReadOptions, read_schedule
    from fellowcheck.tally import tally

    read_options = ReadOptions(day_first=options.day_first, track=options.track,
                               fellow=options.fellow)
    frames, problems = [], []
    for path in paths:
        entries, found = read_schedule(path, table, read_options, options.sheets or None)
        frames.append(entries)
        problems.extend(found)
    entries = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    schedules, found = tally(entries, table, options.as_of, options.track)
    problems.extend(found)

    by_fellow: dict[str, list[Problem]] = defaultdict(list)
    unattached: list[Problem] = []
    names = {schedule.fellow for schedule in schedules}
    for item in problems:
        (by_fellow[item.fellow] if item.fellow in names else unattached).append(item)
    fellows = tuple(
        check_fellow(schedule, table, sorted(by_fellow[schedule.fellow], key=Problem.sort_key))
        for schedule in schedules)
    return Report(fellows=fellows, problems=tuple(sorted(unattached, key=Problem.sort_key)),
                  as_of=options.as_of, requirements_source=table.source,
                  files=tuple(str(p) for p in paths))

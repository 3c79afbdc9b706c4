"""read -> integrity -> tally -> check: the whole check of schedule files, as a Report."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fellowcheck.check import check_fellow
from fellowcheck.fellows import (
    of_picked_sheets, off_the_roster, one_spelling_per_fellow, only_fellows,
)
from fellowcheck.limits import DEFAULT_LIMITS, ReadLimits
from fellowcheck.model import Report, RequirementTable
from fellowcheck.problems import Location, Problem, problem
from fellowcheck.text import match_key


@dataclass(frozen=True, slots=True)
class CheckOptions:
    as_of: dt.date
    track: str | None = None
    #: fellows to report (all when empty); a single name also names the fellow of a sheet
    #: that has no Fellow column and a generic name
    fellows: tuple[str, ...] = ()
    day_first: bool = False
    sheets: tuple[str, ...] = ()
    block_weeks: int | None = None  # weeks per Block N column; None: not given
    #: files never read (the report being written, when it lies in an input folder)
    exclude: tuple[Path, ...] = ()
    #: processes reading files in parallel (1: read in this process)
    jobs: int = 1
    year_start: tuple[int, int] = (7, 1)  # (month, day) the academic year starts
    limits: ReadLimits = DEFAULT_LIMITS  # how much of a file is read (reading.safety)


#: Called after each file is read with (files read, files in all); for a progress bar.
Progress = Callable[[int, int], None]


def run_check(paths: list[Path], table: RequirementTable, options: CheckOptions,
              progress: Progress | None = None) -> Report:
    """Read every file, merge each fellow's entries across them, and check every fellow.
    Folders are expanded to the schedule files below them."""
    from fellowcheck.inputs import expand_paths
    from fellowcheck.reading import ReadOptions, read_schedules

    listed, problems = expand_paths(paths)
    files = _excluding(listed, options.exclude)
    read_options = ReadOptions(
        day_first=options.day_first, track=options.track, as_of=options.as_of,
        # One name given to --fellow names the fellow of a file without a Fellow column only
        # when it is the one file checked: in a folder, other files are other fellows'.
        fellow=options.fellows[0] if len(options.fellows) == 1 and len(files) == 1 else None,
        block_weeks=options.block_weeks, year_start=options.year_start, limits=options.limits)

    def read_one(done: int) -> None:
        if progress is not None:
            progress(done, len(files))

    read = read_schedules(files, table, read_options, list(options.sheets) or None,
                          options.jobs, read_one)
    # pandas is imported from here on (reading imported it once its workers had started).
    from fellowcheck.integrity import check_integrity
    from fellowcheck.tally import tally

    entries, roster, notes = read.entries, read.roster, read.notes
    skipped = set(read.skipped)
    problems.extend(read.problems)
    if listed and len(skipped) == len(files):  # else a run that checks nothing would pass
        problems.append(problem(
            "file-not-found", f"no schedule files: {_files_text(listed)} fellowcheck's own "
            f"report{'s' if len(listed) > 1 else ''}, skipped", Location(str(listed[0]))))
    spelling, found = one_spelling_per_fellow(entries, roster)
    problems.extend(found)
    if spelling:
        entries["fellow"] = entries["fellow"].replace(spelling)
        roster["fellow"] = roster["fellow"].replace(spelling)
        problems = [dataclasses.replace(p, fellow=spelling[p.fellow]) if p.fellow in spelling
                    else p for p in problems]
    if options.sheets:
        entries = of_picked_sheets(entries, options.sheets)
    if options.fellows:
        entries, found = only_fellows(entries, options.fellows)
        problems.extend(found)
    integrity = check_integrity(entries, roster, table, options.as_of, options.year_start)
    problems.extend(integrity.problems)
    schedules, found = tally(entries, table, options.as_of, options.track,
                             uncounted=integrity.repeats, counted_from=integrity.counted_from)
    problems.extend(off_the_roster(found, roster))
    for schedule in schedules:
        if len(schedule.sources) > 1:
            notes.append(f"{schedule.fellow}: entries merged from {', '.join(schedule.sources)}")

    by_fellow: dict[str, list[Problem]] = defaultdict(list)
    unattached: list[Problem] = []
    names = {schedule.fellow for schedule in schedules}
    for item in problems:
        (by_fellow[item.fellow] if item.fellow in names else unattached).append(item)
    if options.fellows:  # nor are those of fellows not asked for
        unattached = [p for p in unattached if p.fellow is None]
    elif options.sheets:  # nor those of the roster's other fellows: the picked sheets' are
        picked = {match_key(name) for name in options.sheets}
        unattached = [p for p in unattached if p.fellow is None or p.location.sheet is None
                      or match_key(p.location.sheet) in picked]
    fellows = tuple(
        check_fellow(schedule, table, sorted(by_fellow[schedule.fellow], key=Problem.sort_key))
        for schedule in schedules)
    return Report(fellows=fellows, problems=tuple(sorted(unattached, key=Problem.sort_key)),
                  as_of=options.as_of, requirements_source=table.source,
                  files=tuple(str(p) for p in files if p not in skipped), notes=tuple(notes))


def _files_text(files: list[Path]) -> str:
    return f"{files[0].name} is" if len(files) == 1 else f"the {len(files)} files are"


def _excluding(files: list[Path], exclude: tuple[Path, ...]) -> list[Path]:
    """`files` but those that are an excluded file, however the path is written. Only a file
    of the same name, or a link, can be one: only those are resolved (a thousand resolves
    cost 40 ms)."""
    if not exclude:
        return files
    excluded = {path.resolve() for path in exclude}
    names = {path.name for path in excluded}
    return [path for path in files
            if not ((path.name in names or path.is_symlink()) and path.resolve() in excluded)]

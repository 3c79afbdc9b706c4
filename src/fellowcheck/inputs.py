"""Which files to check: the paths given, with folders expanded to the schedules below them."""

from __future__ import annotations

import os
from pathlib import Path

from fellowcheck.problems import Location, Problem, problem
from fellowcheck.reading.sheets import SUFFIXES


def is_candidate(path: Path) -> bool:
    """A schedule file worth reading: a known suffix, not hidden, not an Office lock file."""
    name = path.name
    return (path.suffix.lower() in SUFFIXES and not name.startswith((".", "~$"))
            and path.is_file())


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Files stay as given (a bad one is reported when read); a folder becomes every schedule
    file below it, in a stable order, skipping hidden folders. Duplicates are dropped."""
    found: dict[Path, None] = {}
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir() and path.suffix.lower() not in SUFFIXES:
            before = len(found)
            for child in sorted(_named_like_schedules(path)):
                if is_candidate(child):
                    found.setdefault(child, None)
            if len(found) == before:
                problems.append(problem(
                    "file-not-found", f"no schedule files (.xlsx, .xlsm, .ods, .csv, .tsv) in "
                    f"the folder {path}", Location(str(path))))
        else:
            found.setdefault(path, None)
    return list(found), problems


def _named_like_schedules(folder: Path) -> list[Path]:
    """The files below `folder` whose names look like schedules, hidden folders left out
    (walked with os.walk: a Path per file of a large folder tree costs more than the walk)."""
    names = []
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        names.extend(Path(root, name) for name in files
                     if name.lower().endswith(SUFFIXES) and not name.startswith((".", "~$")))
    return names

"""Which files to check: the paths given, with folders expanded to the schedules below them."""

from __future__ import annotations

import os
import re
from pathlib import Path

from fellowcheck.problems import Location, Problem, problem
from fellowcheck.reading.sheets import SUFFIXES


#: Spreadsheets fellowcheck does not read: named in a warning when a folder holds one, so
#: that a fellow kept in one is not silently missing from an audit.
OTHER_SPREADSHEETS = (".xls", ".xlsb", ".numbers")


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
            for child in sorted(_named_like_schedules(path), key=_originals_first):
                if child.suffix.lower() in OTHER_SPREADSHEETS:
                    problems.append(_skipped(child, f"fellowcheck does not read "
                                                    f"{child.suffix.lower()} files; save it as "
                                                    ".xlsx if it is a schedule"))
                elif is_candidate(child):
                    found.setdefault(child, None)
                elif not child.exists():
                    problems.append(_skipped(child, "it is a link to a file that does not "
                                                    "exist"))
                else:
                    problems.append(_skipped(child, "it is not a regular file"))
            if len(found) == before:
                problems.append(problem(
                    "file-not-found", f"no schedule files (.xlsx, .xlsm, .ods, .csv, .tsv) in "
                    f"the folder {path}", Location(str(path))))
        else:
            found.setdefault(path, None)
    return list(found), problems


#: A file name that says the file is a copy: "Copy of X", "X - Copy", "X copy 2", "X (1)".
_COPY_NAME = re.compile(r"^copy (\d+ )?of |[ _-]+copy( \d+)?$| ?\(\d+\)$", re.IGNORECASE)


def _originals_first(path: Path) -> tuple:
    """Sort key: by folder and name, a copy just after its original (which "Copy of X" and
    "X (1)" would sort before), so the copy's rows are the ones that repeat (FC143)."""
    stem = path.name[:-len(path.suffix)] if path.suffix else path.name
    original = _COPY_NAME.sub("", stem)
    return (*path.parent.parts, original + path.suffix, str(int(original != stem)), path.name)


def _skipped(path: Path, why: str) -> Problem:
    return problem("file-skipped", f"{path.name} in the folder {path.parent} was not read: "
                   f"{why}", Location(str(path)))


def _named_like_schedules(folder: Path) -> list[Path]:
    """The files below `folder` whose names look like spreadsheets (schedules, or the kinds
    fellowcheck does not read), hidden folders left out (walked with os.walk: a Path per file
    of a large folder tree costs more than the walk)."""
    names = []
    suffixes = SUFFIXES + OTHER_SPREADSHEETS
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        names.extend(Path(root, name) for name in files
                     if name.lower().endswith(suffixes) and not name.startswith((".", "~$")))
    return names

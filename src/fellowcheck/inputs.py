"""Which files to check: the paths given, with folders expanded to the schedules below them."""

from __future__ import annotations

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
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if any(part.startswith(".") for part in relative[:-1]):
                    continue
                if is_candidate(child):
                    found.setdefault(child, None)
            if len(found) == before:
                problems.append(problem(
                    "file-not-found", f"no schedule files (.xlsx, .xlsm, .ods, .csv, .tsv) in "
                    f"the folder {path}", Location(str(path))))
        else:
            found.setdefault(path, None)
    return list(found), problems

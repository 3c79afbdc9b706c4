"""The requirement table: loading and validating data/requirements.csv (or a program's own)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from fellowcheck.model import UNIT_WORDS, Kind, Requirement, RequirementTable, Rule, Unit
from fellowcheck.problems import FellowcheckError, Location, Problem, problem
from fellowcheck.text import match_key

FIXED_COLUMNS = ("id", "rotation", "unit", "concurrent", "aliases", "notes")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NUMBER = r"(\d+(?:\.\d+)?)"
_RULES = [
    (re.compile(rf"^required\s+{_NUMBER}$"), Kind.REQUIRED),
    (re.compile(rf"^required\s+{_NUMBER}\s*-\s*{_NUMBER}$"), Kind.REQUIRED),
    (re.compile(r"^elective$"), Kind.ELECTIVE),
    (re.compile(rf"^elective,?\s+max\s+{_NUMBER}$"), Kind.ELECTIVE),
    (re.compile(r"^(?:not applicable|n/a|na)$"), Kind.NOT_APPLICABLE),
]
_UNITS = {unit.value: unit for unit in Unit}  # the names the error message offers
_YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False, "": False}


def default_data_file(name: str) -> Path:
    """A file of the packaged data folder; the repository's data/ in a source checkout."""
    packaged = resources.files("fellowcheck").joinpath("data", name)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / name


def load_requirements(path: Path | None = None) -> RequirementTable:
    """Load and validate a requirement table; raise FellowcheckError listing every fault."""
    path = path or default_data_file("requirements.csv")
    lines = _read_lines(path, "requirements-unreadable")
    requirements, tracks, problems = _parse_requirements(lines, str(path))
    specialties_path = path.with_name("specialties.csv")
    if not specialties_path.is_file():
        specialties_path = default_data_file("specialties.csv")
    specialties, names, specialty_problems = _parse_specialties(
        _read_lines(specialties_path, "requirements-unreadable"), str(specialties_path), tracks,
        strict=specialties_path.parent == path.parent,
    )
    problems += specialty_problems
    if problems:
        raise FellowcheckError(problems)
    return RequirementTable(tuple(requirements), tuple(tracks), specialties, str(path), names)


def _read_lines(path: Path, kind: str) -> list[tuple[int, str]]:
    """The file's lines with their 1-based numbers, minus blank lines and # notes."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FellowcheckError(problem(kind, f"{path} does not exist", Location(str(path))))
    except UnicodeDecodeError:
        raise FellowcheckError(problem(
            kind, f"{path} is not a CSV text file (UTF-8); save the requirement table as CSV",
            Location(str(path))))
    except OSError as exc:
        raise FellowcheckError(problem(kind, f"cannot read {path}: {exc.strerror or exc}",
                                       Location(str(path))))
    return [(number, line) for number, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")]


def _csv_rows(lines: list[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """Each line's cells; the delimiter (comma or semicolon, as a European Excel saves) is
    the one the header line uses."""
    delimiter = ";" if lines and lines[0][1].count(";") > lines[0][1].count(",") else ","
    for number, line in lines:
        yield number, next(csv.reader(io.StringIO(line), delimiter=delimiter))


def _parse_requirements(lines: list[tuple[int, str]], file: str):
    problems: list[Problem] = []
    rows = list(_csv_rows(lines))
    if not rows:
        loc = Location(file)
        raise FellowcheckError(problem("requirements-unreadable", "the table has no header", loc))
    header_line, header = rows[0]
    header = [cell.strip() for cell in header]
    missing = [name for name in FIXED_COLUMNS if name not in header]
    if missing:
        raise FellowcheckError(problem(
            "requirements-bad-value",
            f"missing column(s) {', '.join(missing)}; the header needs {', '.join(FIXED_COLUMNS)} "
            "and one column per track", Location(file, row=header_line)))
    tracks = [name for name in header if name not in FIXED_COLUMNS]
    for name in tracks:
        if not _SLUG.match(name):
            problems.append(problem(
                "requirements-bad-value",
                f"unknown track {name!r}: a track column is named in lowercase letters, digits and "
                "hyphens, such as non-anesthesia", Location(file, row=header_line, column=name)))
    if not tracks:
        problems.append(problem("requirements-bad-value", "the table has no track columns",
                                Location(file, row=header_line)))

    requirements: list[Requirement] = []
    seen: dict[str, tuple[str, int]] = {}  # match key -> (what, line)
    for line, cells in rows[1:]:
        if len(cells) != len(header):
            problems.append(problem(
                "requirements-bad-value",
                f"{len(cells)} cells where the header has {len(header)}", Location(file, row=line)))
            continue
        record = dict(zip(header, (cell.strip() for cell in cells)))

        def at(column: str) -> Location:
            return Location(file, row=line, column=column)  # noqa: B023 (line is used at once)

        row_problems: list[Problem] = []
        if not _SLUG.match(record["id"]):
            row_problems.append(problem("requirements-bad-value",
                                        f"id {record['id']!r} is not a lowercase slug", at("id")))
        if not record["rotation"]:
            row_problems.append(problem("requirements-bad-value", "rotation name is blank",
                                        at("rotation")))
        unit = UNIT_WORDS.get(match_key(record["unit"]))
        if unit is None:
            row_problems.append(problem(
                "requirements-bad-value",
                f"unknown unit {record['unit']!r}; use one of {', '.join(_UNITS)}", at("unit")))
        concurrent = _YES_NO.get(record["concurrent"].lower())
        if concurrent is None:
            row_problems.append(problem("requirements-bad-value",
                                        f"concurrent must be yes or no, not {record['concurrent']!r}",
                                        at("concurrent")))
        rules: dict[str, Rule] = {}
        for track in tracks:
            rule, fault = parse_rule(record[track])
            if fault:
                row_problems.append(problem(fault[0], fault[1], at(track)))
            else:
                rules[track] = rule
        aliases = tuple(a.strip() for a in record["aliases"].split(";") if a.strip())
        for what, name in [("id", record["id"]), ("rotation", record["rotation"]),
                           *(("alias", alias) for alias in aliases)]:
            key = match_key(name)
            if key in seen and seen[key][1] != line:
                earlier_what, earlier_line = seen[key]
                row_problems.append(problem(
                    "requirements-duplicate",
                    f"{what} {name!r} is already used as the {earlier_what} on line {earlier_line}",
                    at("aliases" if what == "alias" else what)))
            elif key:
                seen.setdefault(key, (what, line))
        problems += row_problems
        if not row_problems:
            requirements.append(Requirement(
                id=record["id"], rotation=record["rotation"], unit=unit, rules=rules,
                aliases=aliases, concurrent=bool(concurrent), notes=record["notes"],
                location=Location(file, row=line)))
    if not requirements and not problems:
        problems.append(problem("requirements-bad-value", "the table has no rotations",
                                Location(file)))
    return requirements, tracks, problems


def parse_rule(text: str) -> tuple[Rule, None] | tuple[None, tuple[str, str]]:
    """Parse a track cell such as "required 7-8" into a Rule, or return (kind, message)."""
    cleaned = " ".join(text.lower().split())
    for pattern, kind in _RULES:
        match = pattern.match(cleaned)
        if not match:
            continue
        numbers = [float(n) for n in match.groups()]
        if kind is Kind.REQUIRED:
            low = numbers[0]
            high = numbers[1] if len(numbers) > 1 else None
            if low <= 0:
                return None, ("requirements-bad-value",
                              f"{text!r}: a required minimum must be above 0 (use elective)")
        else:
            low, high = 0.0, (numbers[0] if numbers else None)
        if high is not None and low > high:
            return None, ("requirements-min-over-max",
                          f"{text!r}: the minimum {low:g} is above the maximum {high:g}")
        return Rule(kind, low, high), None
    return None, ("requirements-bad-value",
                  f"{text!r} is not a rule; write required N, required N-M, elective, "
                  "elective max M or not applicable")


def _parse_specialties(lines, file: str, tracks: list[str], strict: bool):
    """Specialty words -> track, and -> the words as written. Entries for tracks the table
    lacks are errors only in a program's own specialties.csv; the packaged list may name
    tracks another table lacks."""
    specialties = {match_key(track): track for track in tracks}
    names = {match_key(track): track for track in tracks}
    problems: list[Problem] = []
    rows = list(_csv_rows(lines))
    for line, cells in rows[1:]:
        if len(cells) != 2:
            problems.append(problem("requirements-bad-value", "expected specialty,track",
                                    Location(file, row=line)))
            continue
        specialty, track = (cell.strip() for cell in cells)
        if track not in tracks:
            if strict:
                problems.append(problem(
                    "requirements-bad-value",
                    f"unknown track {track!r}; the requirement table has {', '.join(tracks)}",
                    Location(file, row=line, column="track")))
            continue
        specialties[match_key(specialty)] = track
        names.setdefault(match_key(specialty), specialty)
    return specialties, names, problems

"""Program settings: what a program sets once, in fellowcheck.toml or pyproject.toml.

    # fellowcheck.toml                       # pyproject.toml
    requirements = "our-requirements.csv"    [tool.fellowcheck]
    track = "anesthesia"                     strict = true
    academic_year_start = "07-01"
    strict = true
    require_complete = false

Found from the current folder upwards (the first folder with either file wins);
`--config FILE` names one. Command-line options win over it; an unknown key is an error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from pathlib import Path

from fellowcheck.problems import FellowcheckError, Location, problem

CONFIG_NAME = "fellowcheck.toml"
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class Settings:
    requirements: Path | None = None
    track: str | None = None
    academic_year_start: tuple[int, int] | None = None  # (month, day)
    strict: bool | None = None
    require_complete: bool | None = None
    day_first: bool | None = None
    block_weeks: int | None = None
    source: str | None = None


KEYS = tuple(f.name for f in fields(Settings) if f.name != "source")


def find_config(start: Path) -> Path | None:
    """fellowcheck.toml, or a pyproject.toml with [tool.fellowcheck], from `start` upwards."""
    for folder in [start, *start.parents]:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def _has_tool_section(path: Path) -> bool:
    import tomllib  # here: most runs find no settings file, and parse no TOML

    try:
        text = path.read_text(encoding="utf-8")
        return "fellowcheck" in text and "fellowcheck" in tomllib.loads(text).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def load_settings(path: Path, only: frozenset[str] | None = None) -> Settings:
    """Read and validate a settings file; FellowcheckError naming the file and key if wrong.
    `only`: the keys a command uses (the others, even wrong, are not its concern)."""
    import tomllib

    where = Location(str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FellowcheckError(problem("config-error", f"{path} does not exist", where))
    except (OSError, UnicodeDecodeError) as exc:
        raise FellowcheckError(problem("config-error", f"cannot read {path}: {exc}", where))
    except tomllib.TOMLDecodeError as exc:
        raise FellowcheckError(problem("config-error", f"{path} is not valid TOML: {exc}", where))
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("fellowcheck", {})
    problems = []
    values: dict = {}
    for key, value in data.items():
        if only is not None and key not in only:
            continue
        at = Location(str(path))  # (the message names the key)
        if key not in KEYS:
            problems.append(problem(
                "config-error", f"unknown setting {key!r}; the settings are {', '.join(KEYS)} "
                "(spelled with underscores)", at))
            continue
        parsed, fault = _parse(key, value, path.parent)
        if fault:
            problems.append(problem("config-error", f"{key} = {value!r}: {fault}", at))
        else:
            values[key] = parsed
    if problems:
        raise FellowcheckError(problems)
    return Settings(**values, source=str(path))


def parse_month_day(text: str) -> tuple[int, int] | None:
    """(month, day) from "07-01", or None."""
    match = _MONTH_DAY.match(text.strip())
    if not match:
        return None
    month, day = int(match[1]), int(match[2])
    try:
        dt.date(2000, month, day)  # a leap year, so 02-29 is accepted
    except ValueError:
        return None
    return month, day


def _parse(key: str, value, folder: Path) -> tuple[object, str | None]:
    """(the setting's value, None), or (None, what is wrong)."""
    if key in ("strict", "require_complete", "day_first"):
        return (value, None) if isinstance(value, bool) else (None, "expected true or false")
    if key == "block_weeks":
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 52
        return (value, None) if ok else (None, "expected a whole number of weeks from 1 to 52")
    if key == "requirements":
        if isinstance(value, str) and value:
            return folder / value, None  # relative to the settings file
        return None, "expected the path of a requirements CSV file"
    if key == "academic_year_start":
        parsed = parse_month_day(value) if isinstance(value, str) else None
        return (parsed, None) if parsed else (None, 'expected a month and day such as "07-01"')
    if key == "track":
        return (value, None) if isinstance(value, str) and value else (None, "expected a track")
    return None, "not a setting"

"""The requirement table in use, exported by `fellowcheck requirements --format`.

- table: the terminal view (requirements_table.py).
- csv: the table's own format, the columns of data/requirements.csv (id, rotation, unit,
  concurrent, aliases, notes, then one column per track), so that `--requirements` reads the
  export back as the same table.
- json: the rotations, each with its rule per track (schema_version 1).
- markdown: a table for a README, a wiki page or a pull request.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from fellowcheck.model import Kind, Requirement, RequirementTable, Rule
from fellowcheck.report import RequirementsFormat

SCHEMA_VERSION = 1


def render_requirements_as(table: RequirementTable, fmt: RequirementsFormat,
                           track: str | None = None, options=None) -> str:
    """The table (or one track of it) in `fmt`; `options` (RenderOptions) only for table."""
    tracks = [track] if track else list(table.tracks)
    if fmt is RequirementsFormat.TABLE:
        from fellowcheck.report import RenderOptions
        from fellowcheck.report.requirements_table import render_requirements

        return render_requirements(table, track, options or RenderOptions())
    if fmt is RequirementsFormat.CSV:
        return requirements_csv(table, tracks)
    if fmt is RequirementsFormat.JSON:
        return json.dumps(requirements_to_dict(table, tracks), indent=2, ensure_ascii=False) + "\n"
    return requirements_markdown(table, tracks)


# --- csv: the loader's own format ----------------------------------------------------------

def requirements_csv(table: RequirementTable, tracks: list[str]) -> str:
    from fellowcheck.requirements import FIXED_COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*FIXED_COLUMNS, *tracks])
    for requirement in table.requirements:
        writer.writerow([
            requirement.id, requirement.rotation, requirement.unit.value,
            "yes" if requirement.concurrent else "no", ";".join(requirement.aliases),
            requirement.notes, *(rule_cell(requirement.rules[track]) for track in tracks)])
    return buffer.getvalue()


def rule_cell(rule: Rule) -> str:
    """A rule as a track cell of the table, read back by requirements.parse_rule as the same
    rule: "required 13", "required 7-8", "elective", "elective max 1", "not applicable"."""
    if rule.kind is Kind.NOT_APPLICABLE:
        return "not applicable"
    if rule.kind is Kind.ELECTIVE:
        return "elective" if rule.max is None else f"elective max {plain(rule.max)}"
    if rule.max is None:
        return f"required {plain(rule.min)}"
    return f"required {plain(rule.min)}-{plain(rule.max)}"


def plain(value: float) -> str:
    """A number as the table writes it: 13, 7.5, 0.00001 (never 1e-05, which it cannot read)."""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")


# --- json ----------------------------------------------------------------------------------

def requirements_to_dict(table: RequirementTable, tracks: list[str]) -> dict:
    from fellowcheck import __version__

    return {
        "schema_version": SCHEMA_VERSION,
        "fellowcheck_version": __version__,
        "requirements_file": table.source,
        "tracks": tracks,
        "rotations": [rotation_to_dict(requirement, tracks) for requirement in table.requirements],
    }


def rotation_to_dict(requirement: Requirement, tracks: list[str]) -> dict:
    return {
        "id": requirement.id,
        "rotation": requirement.rotation,
        "unit": requirement.unit.value,
        "concurrent": requirement.concurrent,
        "aliases": list(requirement.aliases),
        "notes": requirement.notes,
        "rules": {track: rule_to_dict(requirement.rules[track]) for track in tracks},
    }


def rule_to_dict(rule: Rule) -> dict:
    """As in the check report: requirement (required, elective, not_applicable), min, max."""
    return {"requirement": rule.kind.value, "min": rule.min, "max": rule.max}


# --- markdown ------------------------------------------------------------------------------

def requirements_markdown(table: RequirementTable, tracks: list[str]) -> str:
    from fellowcheck.report.markdown import code, escape
    from fellowcheck.report.requirements_table import rule_text

    header = ["Rotation", "id", "Unit", "Also called", *(escape(track) for track in tracks)]
    lines = ["## Requirement table", "",
             f"From {code(table.source)}: {len(table.requirements)} rotations, "
             f"{len(tracks)} {'track' if len(tracks) == 1 else 'tracks'}.", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for requirement in table.requirements:
        name = escape(requirement.rotation)
        if requirement.concurrent:
            name += " (concurrent)"
        rules = []
        for track in tracks:
            text = escape(rule_text(requirement.rules[track], requirement.unit))
            rules.append(f"**{text}**" if requirement.rules[track].kind is Kind.REQUIRED
                         else text)
        cells = [name, code(requirement.id), escape(requirement.unit.value),
                 escape(", ".join(requirement.aliases)), *rules]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Required rotations are in bold; amounts are in each rotation's unit "
              "(1 week = 5 days = 10 half-days). A concurrent rotation runs alongside block "
              "rotations."]
    return "\n".join(lines) + "\n"

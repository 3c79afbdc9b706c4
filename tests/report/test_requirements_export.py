"""`fellowcheck requirements --format`: the table in use as table, csv, json and markdown."""

from __future__ import annotations

import dataclasses
import json

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from fellowcheck.cli import app
from fellowcheck.model import Kind, Rule
from fellowcheck.problems import Location
from fellowcheck.report.requirements_export import (
    RequirementsFormat, plain, render_requirements_as, rule_cell,
)
from fellowcheck.requirements import default_data_file, load_requirements, parse_rule

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def comparable(table):
    """The table without where each row was read from."""
    return ([dataclasses.replace(r, location=Location()) for r in table.requirements],
            table.tracks, table.specialties)


def test_csv_round_trip(table, tmp_path):
    path = tmp_path / "requirements.csv"
    path.write_text(render_requirements_as(table, RequirementsFormat.CSV))
    assert comparable(load_requirements(path)) == comparable(table)


def test_csv_is_the_packaged_file_without_its_notes(table):
    source = default_data_file("requirements.csv").read_text(encoding="utf-8")
    data_lines = [line for line in source.splitlines() if line and not line.startswith("#")]
    assert render_requirements_as(table, RequirementsFormat.CSV).splitlines() == data_lines


def test_csv_round_trip_of_another_table(tmp_path):
    source = tmp_path / "theirs.csv"
    source.write_text(
        "# a program's own table\n"
        "id,rotation,unit,concurrent,aliases,notes,core,research-track\n"
        'wards,"Wards, general",week,yes,"Ward;Floor, main",Notes with "quotes",required 4.5,'
        "required 2-2\n"
        "lab,Laboratory,half-day,no,,,elective max 0.25,not applicable\n"
        "grand-rounds,Grand rounds,conference,Y,,,elective,required 10-12\n")
    table = load_requirements(source)
    exported = tmp_path / "exported" / "requirements.csv"
    exported.parent.mkdir()
    exported.write_text(render_requirements_as(table, RequirementsFormat.CSV))
    assert comparable(load_requirements(exported))[:2] == comparable(table)[:2]


def test_csv_of_one_track(table, tmp_path):
    path = tmp_path / "requirements.csv"
    path.write_text(render_requirements_as(table, RequirementsFormat.CSV, "pmr"))
    pmr = load_requirements(path)
    assert pmr.tracks == ("pmr",)
    assert [r.rules for r in pmr.requirements] == [
        {"pmr": r.rules["pmr"]} for r in table.requirements]


@given(st.sampled_from([Kind.REQUIRED, Kind.ELECTIVE, Kind.NOT_APPLICABLE]),
       st.floats(min_value=1e-6, max_value=1e6), st.floats(min_value=0, max_value=1e6),
       st.booleans())
def test_every_rule_reads_back(kind, low, extra, bounded):
    if kind is Kind.NOT_APPLICABLE:
        rule = Rule(kind)
    elif kind is Kind.ELECTIVE:
        rule = Rule(kind, 0.0, low if bounded else None)
    else:
        rule = Rule(kind, low, low + extra if bounded else None)
    assert parse_rule(rule_cell(rule)) == (rule, None)


def test_plain_numbers():
    assert [plain(x) for x in (13.0, 7.5, 0.25, 1e-05, 1234567.0)] == [
        "13", "7.5", "0.25", "0.00001", "1234567"]


def test_json(table):
    data = json.loads(render_requirements_as(table, RequirementsFormat.JSON))
    assert data["schema_version"] == 1 and data["tracks"] == list(table.tracks)
    assert data["requirements_file"] == table.source
    rotations = {r["id"]: r for r in data["rotations"]}
    assert list(rotations) == [r.id for r in table.requirements]
    mips = rotations["mips"]
    assert mips["rotation"] == "Methodist Campus Inpatient Pain Service (MIPS)"
    assert mips["unit"] == "week" and mips["concurrent"] is False and "MIPS" in mips["aliases"]
    assert mips["rules"]["pmr"] == {"requirement": "required", "min": 13, "max": None}
    assert rotations["gonda"]["rules"]["anesthesia"] == {"requirement": "required", "min": 7,
                                                         "max": 8}
    assert rotations["sips"]["rules"]["anesthesia"]["requirement"] == "not_applicable"
    assert rotations["emg"]["rules"]["pmr"] == {"requirement": "elective", "min": 0, "max": 1}
    assert rotations["continuity-clinic"]["concurrent"] is True
    one = json.loads(render_requirements_as(table, RequirementsFormat.JSON, "pmr"))
    assert one["tracks"] == ["pmr"] and set(one["rotations"][0]["rules"]) == {"pmr"}


def test_markdown(table):
    text = render_requirements_as(table, RequirementsFormat.MARKDOWN)
    lines = text.splitlines()
    header = "| Rotation | id | Unit | Also called | anesthesia | non-anesthesia | pmr |"
    assert header in lines
    assert lines[lines.index(header) + 1] == "|---|---|---|---|---|---|---|"
    rows = [line for line in lines if line.startswith("| ") and line != header]
    assert len(rows) == len(table.requirements)
    assert all(row.count(" | ") == 6 for row in rows)
    gonda = next(row for row in rows if "`gonda`" in row)
    assert "**required 7-8 wk**" in gonda
    sips = next(row for row in rows if "`sips`" in row)
    assert "| not applicable |" in sips


def test_markdown_escapes_names(tmp_path):
    path = tmp_path / "requirements.csv"
    path.write_text("id,rotation,unit,concurrent,aliases,notes,core\n"
                    "odd,Pipes | and <b>tags</b> *stars*,week,no,A|B,,required 1\n")
    text = render_requirements_as(load_requirements(path), RequirementsFormat.MARKDOWN)
    row = next(line for line in text.splitlines() if "`odd`" in line)
    assert "\\|" in row and "<b>" not in row and "\\*stars\\*" in row
    assert row.count(" | ") == 4


def test_command_formats(table):
    result = run("requirements", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == render_requirements_as(table, RequirementsFormat.CSV)
    result = run("requirements", "-f", "json", "--track", "non-anesthesia")
    assert result.exit_code == 0 and json.loads(result.stdout)["tracks"] == ["non-anesthesia"]
    result = run("requirements", "--format", "markdown")
    assert result.exit_code == 0 and result.stdout.startswith("## Requirement table")
    result = run("requirements", "--format", "table", "--track", "pmr")
    assert result.exit_code == 0 and "elective, max 3 wk" in result.stdout
    assert run("requirements", "--format", "xml").exit_code == 2
    assert run("requirements", "--format", "csv", "--track", "dentistry").exit_code == 2


def test_command_round_trip(tmp_path):
    """Export, edit nothing, check against the export: the same report as the packaged table."""
    exported = tmp_path / "requirements.csv"
    exported.write_text(run("requirements", "--format", "csv").stdout)
    assert run("requirements", "--requirements", exported, "-f", "csv").stdout == \
        run("requirements", "-f", "csv").stdout


def test_command_uses_the_settings_files_table(tmp_path, monkeypatch):
    (tmp_path / "ours.csv").write_text("id,rotation,unit,concurrent,aliases,notes,core\n"
                                       "wards,Wards,week,no,,,required 4\n")
    (tmp_path / "fellowcheck.toml").write_text('requirements = "ours.csv"\n')
    monkeypatch.chdir(tmp_path)
    result = run("requirements", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "wards,Wards,week,no,,,required 4"

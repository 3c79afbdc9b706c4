"""The JSON report against its published schema, on every sample and on a broken file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from fellowcheck.cli import app

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "src" / "fellowcheck" / "report" / "report.schema.json").read_text())
SAMPLES = sorted(p for p in (REPO / "samples").iterdir() if p.suffix in (".csv", ".xlsx", ".ods"))


def test_schema_is_itself_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_samples_match_the_schema(sample):
    result = CliRunner().invoke(app, ["check", str(sample), "--format", "json",
                                      "--as-of", "2026-11-25"])
    jsonschema.validate(json.loads(result.stdout), SCHEMA)


def test_a_report_with_errors_matches_the_schema(tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text("Fellow,Track,Rotation,Weeks\nA,dentistry,MIPS,two\nB,pmr,Gonda 51,1\n")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    result = CliRunner().invoke(app, ["check", str(broken), str(fake), "--format", "json"])
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert result.exit_code == 2 and report["summary"]["errors"] >= 3


def test_schema_rejects_a_renamed_field():
    result = CliRunner().invoke(app, ["check", str(REPO / "samples" / "midyear-pmr.csv"),
                                      "--format", "json"])
    report = json.loads(result.stdout)
    report["fellows"][0]["requirements"][0]["done"] = report["fellows"][0]["requirements"][0] \
        .pop("completed")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, SCHEMA)


@pytest.mark.parametrize("sample", SAMPLES[:2], ids=lambda p: p.name)
def test_the_text_is_standard_indented_utf8_json(sample):
    """The layout json.dumps(indent=2, ensure_ascii=False) writes: two-space indents, one key
    per line, names in UTF-8 rather than \\u escapes."""
    result = CliRunner().invoke(app, ["check", str(sample), "--format", "json",
                                      "--as-of", "2026-11-25"])
    report = json.loads(result.stdout)
    assert result.stdout == json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def test_non_ascii_names_are_written_as_they_are(tmp_path):
    schedule = tmp_path / "accents.csv"
    schedule.write_text("Fellow,Track,Rotation,Weeks,Status\n"
                        "Dr. Zoë Nuñez,anesthesia,MIPS,2,completed\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(schedule), "--format", "json"])
    assert '"fellow": "Dr. Zoë Nuñez"' in result.stdout


def test_fellows_written_one_at_a_time_give_the_whole_document(report):
    """render() writes each fellow apart (memory); the text is orjson's of the whole."""
    import dataclasses

    import orjson

    from fellowcheck.report import RenderOptions
    from fellowcheck.report.json import render, report_to_dict

    whole = orjson.dumps(report_to_dict(report),
                         option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    assert render(report, RenderOptions()) == whole
    assert json.loads(whole)["fellows"][0]["fellow"] == report.fellows[0].fellow
    none = dataclasses.replace(report, fellows=())
    assert json.loads(render(none, RenderOptions()))["fellows"] == []

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fellowcheck.cli import app
from fellowcheck.config import Settings, find_config, load_settings
from fellowcheck.problems import FellowcheckError

runner = CliRunner()


def test_found_upwards_and_pyproject_section(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_config(nested) is None
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(nested) is None  # no [tool.fellowcheck]
    (tmp_path / "pyproject.toml").write_text("[tool.fellowcheck]\nstrict = true\n")
    assert find_config(nested) == tmp_path / "pyproject.toml"
    assert load_settings(tmp_path / "pyproject.toml").strict is True
    (tmp_path / "a" / "fellowcheck.toml").write_text('track = "pmr"\n')
    assert find_config(nested) == tmp_path / "a" / "fellowcheck.toml"


def test_values_are_parsed(tmp_path):
    path = tmp_path / "fellowcheck.toml"
    path.write_text('requirements = "reqs.csv"\ntrack = "pmr"\nacademic_year_start = "06-24"\n'
                    "strict = true\nrequire_complete = false\nblock_weeks = 4\n")
    settings = load_settings(path)
    assert settings == Settings(requirements=tmp_path / "reqs.csv", track="pmr",
                                academic_year_start=(6, 24), strict=True,
                                require_complete=False, block_weeks=4, source=str(path))


@pytest.mark.parametrize("text, message", [
    ("stric = true\n", "unknown setting 'stric'"),
    ("strict = 'yes'\n", "expected true or false"),
    ('academic_year_start = "13-01"\n', "month and day"),
    ("require-complete = true\n", "spelled with underscores"),
    ("strict = \n", "not valid TOML"),
])
def test_bad_settings_are_errors(tmp_path, text, message):
    path = tmp_path / "fellowcheck.toml"
    path.write_text(text)
    with pytest.raises(FellowcheckError) as caught:
        load_settings(path)
    assert message in str(caught.value)


def test_cli_uses_settings_and_options_win(tmp_path, make_csv, monkeypatch):
    schedule = make_csv([["Fellow", "Rotation", "Weeks"], ["A", "MIPS", 1], ["A", "Gonda", 9]])
    (tmp_path / "fellowcheck.toml").write_text('track = "pmr"\nstrict = true\n')
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(schedule), "--format", "json"])
    assert json.loads(result.stdout)["fellows"][0]["track"] == "pmr"
    result = runner.invoke(app, ["check", str(schedule), "--format", "json", "--track",
                                 "anesthesia"])
    assert json.loads(result.stdout)["fellows"][0]["track"] == "anesthesia"


def test_strict_setting_and_no_strict_option(tmp_path, monkeypatch):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "samples" / "compliant-anesthesia.csv"
    text = sample.read_text() + "Dr. Maya Patel,Anesthesiology,Pain clinic,,,1,weeks,completed\n"
    schedule = tmp_path / "s.csv"
    schedule.write_text(text)
    monkeypatch.chdir(tmp_path)
    args = ["check", str(schedule), "--as-of", "2026-11-25"]
    assert runner.invoke(app, args).exit_code == 0
    (tmp_path / "fellowcheck.toml").write_text("strict = true\n")
    assert runner.invoke(app, args).exit_code == 1
    assert runner.invoke(app, [*args, "--no-strict"]).exit_code == 0


def test_config_option_and_bad_config_exit_2(tmp_path, make_csv):
    schedule = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["A", "pmr", "MIPS", 1]])
    bad = tmp_path / "other.toml"
    bad.write_text("colour = true\n")
    result = runner.invoke(app, ["check", str(schedule), "--config", str(bad)])
    assert result.exit_code == 2 and "unknown setting 'colour'" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_track_in_the_settings_is_the_settings_files_error(tmp_path, make_csv):
    schedule = make_csv([["Fellow", "Rotation", "Weeks"], ["A", "MIPS", 1]])
    settings = tmp_path / "fellowcheck.toml"
    settings.write_text('track = "podiatry"\n')
    result = runner.invoke(app, ["check", str(schedule), "--config", str(settings)])
    assert result.exit_code == 2
    assert f"{settings}: FC150 track = 'podiatry' is not a track" in result.output
    assert "--track" not in result.output
    settings.write_text('track = "Neurology"\n')  # a base specialty names a track
    result = runner.invoke(app, ["check", str(schedule), "--config", str(settings),
                                 "--format", "json"])
    assert json.loads(result.stdout)["fellows"][0]["track"] == "non-anesthesia"


def test_academic_year_start_moves_the_year(make_csv):
    schedule = make_csv([["Fellow", "Track", "Rotation", "Start", "End"],
                         ["A", "pmr", "MIPS", "2026-06-22", "2026-06-26"],
                         ["A", "pmr", "MIPS", "2026-07-06", "2026-07-10"]])
    args = ["check", str(schedule), "--format", "json", "--as-of", "2026-12-01"]
    report = json.loads(runner.invoke(app, args).stdout)
    assert any(p["code"] == "FC141" for p in report["fellows"][0]["problems"])
    report = json.loads(runner.invoke(app, [*args, "--academic-year-start", "06-15"]).stdout)
    assert not any(p["code"] == "FC141" for p in report["fellows"][0]["problems"])


def test_verbose_says_which_settings_file_is_used(tmp_path):
    settings = tmp_path / "fellowcheck.toml"
    settings.write_text("strict = true\n")
    sample = Path(__file__).resolve().parents[1] / "samples" / "gaps-neurology.csv"
    result = runner.invoke(app, ["check", str(sample), "--config", str(settings), "-v",
                                      "--as-of", "2026-11-25"])
    assert f"note: settings from {settings}" in result.stderr


def test_a_wrong_check_setting_does_not_stop_the_other_commands(tmp_path):
    """block_weeks is check's: `requirements` and `template` read only `requirements`."""
    settings = tmp_path / "fellowcheck.toml"
    settings.write_text('block_weeks = "four"\n')
    listed = runner.invoke(app, ["requirements", "--config", str(settings), "--format", "csv"])
    assert listed.exit_code == 0 and listed.stdout.startswith("id,")
    made = runner.invoke(app, ["template", str(tmp_path / "t.xlsx"), "--config", str(settings)])
    assert made.exit_code == 0 and (tmp_path / "t.xlsx").exists()
    sample = Path(__file__).resolve().parents[1] / "samples" / "gaps-neurology.csv"
    checked = runner.invoke(app, ["check", str(sample), "--config", str(settings)])
    assert checked.exit_code == 2 and "FC150" in checked.stderr

"""End-to-end: the real command on the samples and on files the tests make."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fellowcheck import __version__
from fellowcheck.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

AS_OF = ["--as-of", "2026-11-25"]
runner = CliRunner()


def run(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def run_json(*args):
    result = run("check", *args, *AS_OF, "--format", "json")
    return result, json.loads(result.stdout)


@pytest.mark.parametrize("sample, code, status", [
    ("compliant-anesthesia.xlsx", 0, "compliant"),
    ("compliant-anesthesia.csv", 0, "compliant"),
    ("gaps-neurology.xlsx", 1, "gap"),
    ("gaps-neurology.csv", 1, "gap"),
    ("midyear-pmr.xlsx", 0, "on_track"),
    ("midyear-pmr.csv", 0, "on_track"),
])
def test_samples(sample, code, status):
    result, report = run_json(SAMPLES / sample)
    assert result.exit_code == code
    [fellow] = report["fellows"]
    assert fellow["status"] == status
    assert report["problems"] == [] and fellow["problems"] == []


def test_xlsx_and_csv_samples_agree():
    for name in ("compliant-anesthesia", "gaps-neurology", "midyear-pmr"):
        _, from_xlsx = run_json(SAMPLES / f"{name}.xlsx")
        _, from_csv = run_json(SAMPLES / f"{name}.csv")
        assert from_xlsx["fellows"][0]["requirements"] == from_csv["fellows"][0]["requirements"]


def test_gap_details_in_json():
    _, report = run_json(SAMPLES / "gaps-neurology.csv")
    fellow = report["fellows"][0]
    assert fellow["track"] == "non-anesthesia"
    rows = {r["rotation_id"]: r for r in fellow["requirements"]}
    assert rows["sips"]["status"] == "gap" and rows["sips"]["remaining"] == 2
    assert rows["mips"]["completed"] == 11 and rows["mips"]["unscheduled"] == 2
    assert rows["continuity-clinic"]["unit"] == "half-day"
    assert rows["continuity-clinic"]["completed"] == 40
    assert rows["emg"]["requirement"] == "elective" and rows["emg"]["status"] == "met"


def test_json_contract_is_pinned():
    _, report = run_json(SAMPLES / "all-fellows.csv")
    assert report["schema_version"] == 1
    assert {"schema_version", "fellows", "problems", "summary"} <= set(report)
    fellow = report["fellows"][0]
    assert {"fellow", "track", "status", "requirements", "problems"} <= set(fellow)
    assert {"rotation_id", "rotation", "requirement", "unit", "min", "max", "completed",
            "scheduled", "remaining", "unscheduled", "status"} <= set(fellow["requirements"][0])
    assert [f["fellow"] for f in report["fellows"]] == [
        "Dr. Maya Patel", "Dr. Samuel Okafor", "Dr. Lena Fischer"]
    assert report["summary"]["by_status"] == {"compliant": 1, "on_track": 1, "gap": 1}


def test_problem_fields_in_json(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["A", "pmr", "MIPS", "two"]])
    result, report = run_json(path)
    assert result.exit_code == 2
    [item] = report["fellows"][0]["problems"]
    assert {k: item[k] for k in ("severity", "code", "file", "sheet", "row", "column")} == {
        "severity": "error", "code": "FC110", "file": str(path), "sheet": None, "row": 2,
        "column": "Weeks (D)"}
    assert '"two"' in item["message"]


def test_table_report_is_plain_when_piped():
    result = run("check", SAMPLES / "gaps-neurology.xlsx", *AS_OF)
    assert result.exit_code == 1
    assert "\x1b[" not in result.stdout
    assert "Dr. Samuel Okafor" in result.stdout and "GAP" in result.stdout
    assert "as of 2026-11-25" in result.stdout
    assert "1 fellow: 0 compliant, 0 on track, 1 with gaps" in result.stdout


def test_strict_fails_on_warnings(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["A", "pmr", "Gonda", 9]])
    rows = [["Fellow", "Track", "Rotation", "Amount", "Unit"]]
    assert run("check", path, *AS_OF).exit_code == 1  # gaps everywhere
    complete = SAMPLES / "compliant-anesthesia.csv"
    assert run("check", complete, *AS_OF, "--strict").exit_code == 0
    del rows


def test_strict_and_require_complete():
    midyear = SAMPLES / "midyear-pmr.csv"
    assert run("check", midyear, *AS_OF).exit_code == 0
    assert run("check", midyear, *AS_OF, "--require-complete").exit_code == 1
    assert run("check", SAMPLES / "compliant-anesthesia.csv", *AS_OF,
               "--require-complete").exit_code == 0


def test_strict_warning_exit(tmp_path):
    source = (SAMPLES / "compliant-anesthesia.csv").read_text()
    path = tmp_path / "extra.csv"
    path.write_text(source + "Dr. Maya Patel,Anesthesiology,Pain clinic,,,1,weeks,completed\n")
    assert run("check", path, *AS_OF).exit_code == 0
    result = run("check", path, *AS_OF, "--strict")
    assert result.exit_code == 1
    assert "unknown rotation 'Pain clinic'" in " ".join(result.stdout.split())


def test_bad_input_exits_2_without_traceback(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("this is not a workbook")
    result = run("check", fake, SAMPLES / "gaps-neurology.csv", *AS_OF)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "fake.xlsx" in result.stdout and "not a spreadsheet" in result.stdout
    assert "Dr. Samuel Okafor" in result.stdout  # the rest is still reported


def test_missing_file_and_no_rotation_column(make_csv, tmp_path):
    result = run("check", tmp_path / "nope.csv", *AS_OF)
    assert result.exit_code == 2 and "does not exist" in result.stdout
    path = make_csv([["Fellow", "Weeks"], ["A", 1]])
    result = run("check", path, *AS_OF)
    assert result.exit_code == 2 and "Rotation column" in result.stdout


def test_unknown_track_option_is_a_usage_error():
    result = run("check", SAMPLES / "midyear-pmr.csv", "--track", "dentistry")
    assert result.exit_code == 2 and "dentistry" in result.output


def test_track_option_and_missing_track(make_csv):
    path = make_csv([["Rotation", "Weeks"], ["MIPS", 13]], name="Dr Kim.csv")
    result = run("check", path, *AS_OF)
    assert result.exit_code == 2 and "--track" in result.stdout
    result, report = run_json(path, "--track", "pmr")
    assert result.exit_code == 1
    assert report["fellows"][0]["fellow"] == "Dr Kim" and report["fellows"][0]["track"] == "pmr"


def test_a_mistyped_track_loses_neither_the_fellow_nor_the_time(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks"],
                     ["Dr Typo", "Neuro", "MIPS", 13],  # every row mistyped
                     ["Dr One", "Neurolgy", "MIPS", 13], ["Dr One", "Neurology", "Gonda", 8]])
    result, report = run_json(path)
    assert result.exit_code == 2
    fellows = {f["fellow"]: f for f in report["fellows"]}
    assert fellows["Dr Typo"]["track"] is None
    assert {p["code"] for p in fellows["Dr Typo"]["problems"]} == {"FC116", "FC118"}
    assert "did you mean 'neurology'" in fellows["Dr Typo"]["problems"][0]["message"] + \
        fellows["Dr Typo"]["problems"][1]["message"]
    one = fellows["Dr One"]
    assert one["track"] == "non-anesthesia"
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks"],
                     ["Dr Med", "Internal medicne", "MIPS", 13]], "med.csv")
    _, report = run_json(path)
    hints = " ".join(p["message"] for p in report["fellows"][0]["problems"])
    assert "did you mean 'internal medicine'" in hints  # as specialties.csv writes it
    assert next(r for r in one["requirements"] if r["rotation_id"] == "mips")["completed"] == 13


def test_a_sheet_not_in_the_workbook_is_named_with_the_sheets_there_are():
    result, report = run_json(SAMPLES / "compliant-anesthesia.xlsx", "--sheet", "Nope")
    assert result.exit_code == 2
    [found] = report["problems"]
    assert (found["code"], found["message"]) == (
        "FC133", "no sheet named 'Nope'; the sheets are 'Schedule'")
    assert "--sheet" in found["hint"] and "header" not in found["hint"]
    # One name that names no sheet does not stop the others, which match ignoring case.
    result, report = run_json(SAMPLES / "compliant-anesthesia.xlsx", "--sheet", "Nope",
                              "--sheet", "schedule")
    assert result.exit_code == 2
    assert [f["fellow"] for f in report["fellows"]] == ["Dr. Maya Patel"]
    assert [p["code"] for p in report["problems"]] == ["FC133"]


def test_a_reader_that_stops_reading_is_not_an_internal_error():
    # `fellowcheck check ... | head -c 0`: the pipe is closed before the report is written.
    process = subprocess.Popen(
        [sys.executable, "-m", "fellowcheck", "check", str(SAMPLES / "gaps-neurology.csv"),
         *AS_OF], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1  # what the check found: gaps
    assert "internal error" not in stderr and "Traceback" not in stderr


def test_custom_requirements_file(tmp_path, make_csv):
    table = tmp_path / "requirements.csv"
    table.write_text("id,rotation,unit,concurrent,aliases,notes,anesthesia,non-anesthesia,pmr\n"
                     "mips,MIPS,week,no,,,required 2,required 2,required 2\n")
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["A", "pmr", "MIPS", 2]])
    result = run("check", path, *AS_OF, "--requirements", table)
    assert result.exit_code == 0
    table.write_text("id,rotation,unit,concurrent,aliases,notes,pmr\nmips,MIPS,fortnight,no,,,"
                     "required 2\n")
    result = run("check", path, *AS_OF, "--requirements", table)
    assert result.exit_code == 2 and "fortnight" in result.output and "row 2" in result.output


def test_output_file_and_refusal_to_overwrite_input(tmp_path):
    sample = tmp_path / "s.csv"
    sample.write_bytes((SAMPLES / "midyear-pmr.csv").read_bytes())
    out = tmp_path / "report.json"
    result = run("check", sample, *AS_OF, "--output", out)
    assert result.exit_code == 0 and json.loads(out.read_text())["schema_version"] == 1
    before = sample.read_bytes()
    result = run("check", sample, *AS_OF, "--output", sample, "--format", "json")
    assert result.exit_code == 2 and sample.read_bytes() == before


def test_version_and_help():
    assert run("--version").stdout.strip() == f"fellowcheck {__version__}"
    for args in (["--help"], ["check", "--help"], ["requirements", "-h"]):
        result = run(*args)
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_requirements_command():
    result = run("requirements", "--track", "pmr")
    assert result.exit_code == 0
    assert "spine-center" in result.stdout and "elective, max 3 wk" in result.stdout


def test_help_does_not_import_pandas():
    # Nor the checking code: starting the command stays within 1.5x of importing typer and
    # rich (benchmarks/bench.py), and problems.py alone took 8 ms.
    code = ("import sys; from fellowcheck.cli import app; "
            "loaded = {'pandas', 'openpyxl', 'fellowcheck.problems', 'fellowcheck.check'} "
            "& set(sys.modules); assert not loaded, loaded")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_colors_on_a_terminal_and_no_color(tmp_path):
    """Run the installed command under a pseudo-terminal, as a director would."""
    import pty

    def terminal_output(extra_env):
        env = {**os.environ, **extra_env}
        env.pop("NO_COLOR", None) if "NO_COLOR" not in extra_env else None
        command = [sys.executable, "-m", "fellowcheck", "check",
                   str(SAMPLES / "gaps-neurology.csv"), *AS_OF]
        chunks = []

        def read(fd):
            data = os.read(fd, 65536)
            chunks.append(data)
            return data
        env_backup = os.environ.copy()
        os.environ.clear()
        os.environ.update(env)
        try:
            pty.spawn(command, read)
        finally:
            os.environ.clear()
            os.environ.update(env_backup)
        return b"".join(chunks).decode()

    colored = terminal_output({})
    assert "\x1b[31m" in colored or "\x1b[1;31m" in colored  # red for the gaps
    assert "\x1b[" not in terminal_output({"NO_COLOR": "1"})


def test_installed_table_found_from_any_directory(tmp_path):
    result = subprocess.run([sys.executable, "-m", "fellowcheck", "requirements"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0 and "mips" in result.stdout


def test_over_maximum_with_minimum_unmet_is_not_complete(tmp_path):
    source = (SAMPLES / "compliant-anesthesia.csv").read_text()
    source = "\n".join(line for line in source.splitlines() if ",Spine Center," not in line)
    path = tmp_path / "over.csv"
    path.write_text(source + "\nDr. Maya Patel,Anesthesiology,Spine,,,4,weeks,scheduled\n")
    result, report = run_json(path)
    fellow = report["fellows"][0]
    spine = {r["rotation_id"]: r for r in fellow["requirements"]}["spine-center"]
    assert spine["status"] == "over" and spine["completed"] == 0
    assert fellow["status"] == "on_track"
    assert run("check", path, *AS_OF, "--require-complete").exit_code == 1


def test_names_differing_in_case_and_punctuation_are_one_fellow(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["Dr. Ben Kim", "pmr", "MIPS", 1],
                     ["DR BEN KIM", None, "Gonda", 2]])
    _, report = run_json(path)
    [fellow] = report["fellows"]
    assert fellow["fellow"] == "Dr. Ben Kim" and fellow["track"] == "pmr"
    assert [p["code"] for p in fellow["problems"]] == ["FC131"]


def test_overlap_names_the_row_it_overlaps(make_csv):
    path = make_csv([["Fellow", "Track", "Rotation", "Start", "End"],
                     ["A", "pmr", "MIPS", "2026-11-02", "2026-11-27"],
                     ["A", "pmr", "Vacation", "2026-11-09", "2026-11-10"],
                     ["A", "pmr", "Ultrasound", "2026-11-16", "2026-11-20"]])
    _, report = run_json(path)
    overlaps = [p for p in report["fellows"][0]["problems"] if p["code"] == "FC140"]
    assert [(p["row"], "(row 2)" in p["message"]) for p in overlaps] == [(3, True), (4, True)]


@pytest.mark.parametrize("target, words", [
    ("missing/report.json", "does not exist"), (".", "is a folder")])
def test_unwritable_report_is_a_clean_error(tmp_path, target, words):
    result = run("check", SAMPLES / "midyear-pmr.csv", *AS_OF, "-o", tmp_path / target,
                 "-f", "json")
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output


def test_report_to_a_device_and_with_normal_permissions(tmp_path):
    result = subprocess.run([sys.executable, "-m", "fellowcheck", "check",
                             str(SAMPLES / "midyear-pmr.csv"), *AS_OF, "-o", "/dev/stdout",
                             "-f", "json"], capture_output=True, text=True)
    assert result.returncode == 0 and json.loads(result.stdout)["schema_version"] == 1
    out = tmp_path / "report.json"
    old_umask = os.umask(0o022)
    try:
        assert run("check", SAMPLES / "midyear-pmr.csv", *AS_OF, "-o", out).exit_code == 0
    finally:
        os.umask(old_umask)
    assert out.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("args, words", [
    (["-f", "json", "-o", "report.xlsx"], "does not match"),
    (["-o", "report.html"], "cannot tell the format")])
def test_format_and_suffix_must_agree(tmp_path, args, words):
    args = [a if not a.startswith("report.") else str(tmp_path / a) for a in args]
    result = run("check", SAMPLES / "midyear-pmr.csv", *AS_OF, *args)
    assert result.exit_code == 2 and words in result.output
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("given", ["PM&R", "PMR", "physiatry", "pmr"])
def test_track_option_takes_specialties(make_csv, given):
    path = make_csv([["Rotation", "Weeks"], ["MIPS", 13]])
    result, report = run_json(path, "--track", given)
    assert report["fellows"][0]["track"] == "pmr"


def test_reports_kept_beside_the_schedules_are_not_read_back(tmp_path):
    folder = tmp_path / "program"
    folder.mkdir()
    (folder / "all.csv").write_bytes((SAMPLES / "all-fellows.csv").read_bytes())
    first = run("check", folder, *AS_OF, "-o", folder / "report.csv")
    assert first.exit_code == 1
    assert run("check", folder, *AS_OF, "-o", folder / "audit.xlsx").exit_code == 1
    result, report = run_json(folder)
    assert [f["fellow"] for f in report["fellows"]] == [
        "Dr. Maya Patel", "Dr. Samuel Okafor", "Dr. Lena Fischer"]
    assert result.exit_code == 1 and report["summary"]["errors"] == 0
    assert report["files"] == [str(folder / "all.csv")]  # the skipped reports are not inputs


def test_names_are_text_not_markup(make_csv, tmp_path):
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["Ana [/] Ruiz", "pmr", "MIPS", 1],
                     ["Ben [red]Kim", "pmr", "MIPS", 1]])
    result = run("check", path, *AS_OF)
    assert result.exit_code == 1
    assert "Ana [/] Ruiz" in result.stdout and "Ben [red]Kim" in result.stdout
    table = tmp_path / "requirements.csv"
    table.write_text("id,rotation,unit,concurrent,aliases,notes,pmr\n"
                     "mips,MIPS [/] (Methodist),week,no,,,required 1\n")
    result = run("requirements", "--requirements", table)
    assert result.exit_code == 0 and "MIPS [/] (Methodist)" in result.stdout


def test_a_spelling_variant_keeps_its_errors_under_fellow_filter(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text((SAMPLES / "compliant-anesthesia.csv").read_text()
                    + "DR. MAYA PATEL,Anesthesiology,MIPS,2025-07-07,2025-07-11,two,,completed\n")
    result, report = run_json(path, "--fellow", "Dr. Maya Patel")
    assert result.exit_code == 2
    assert "FC110" in [p["code"] for p in report["fellows"][0]["problems"]]


def test_reports_never_overwrite_the_requirement_table_or_a_schedule(tmp_path):
    table = tmp_path / "ours.csv"
    table.write_bytes((Path(__file__).resolve().parents[1] / "data" / "requirements.csv")
                      .read_bytes())
    before = table.read_bytes()
    result = run("check", SAMPLES / "midyear-pmr.csv", "--requirements", table, "-o", table)
    assert result.exit_code == 2 and table.read_bytes() == before
    folder = tmp_path / "program"
    folder.mkdir()
    schedule = folder / "all.csv"
    schedule.write_bytes((SAMPLES / "all-fellows.csv").read_bytes())
    result = run("check", folder, *AS_OF, "-o", schedule, "-f", "csv")
    assert result.exit_code == 2 and schedule.read_bytes() == (SAMPLES / "all-fellows.csv") \
        .read_bytes()
    for _ in range(2):  # a report kept in the folder is replaced by a new one
        assert run("check", folder, *AS_OF, "-o", folder / "report.csv").exit_code == 1


def test_template_into_a_missing_folder_is_a_clean_error(tmp_path):
    result = run("template", tmp_path / "missing" / "t.xlsx")
    assert result.exit_code == 2 and "does not exist" in result.output
    assert "Traceback" not in result.output


def test_parallel_reading_gives_the_same_report(tmp_path):
    folder = tmp_path / "audit"
    folder.mkdir()
    for number in range(12):  # enough files for two processes to be used
        sample = ("midyear-pmr", "gaps-neurology", "compliant-anesthesia")[number % 3]
        text = (SAMPLES / f"{sample}.csv").read_text().replace("Dr. ", f"Dr. {number} ")
        (folder / f"fellow-{number:02}.csv").write_text(text)
    serial = run("check", folder, *AS_OF, "-f", "json", "--jobs", "1")
    parallel = run("check", folder, *AS_OF, "-f", "json", "--jobs", "2")
    assert serial.exit_code == parallel.exit_code == 1
    assert json.loads(serial.stdout)["fellows"] == json.loads(parallel.stdout)["fellows"]
    assert len(json.loads(serial.stdout)["fellows"]) == 12


def test_default_jobs_are_the_cores_this_process_may_use(monkeypatch):
    """A container or taskset that allows one core gets one reading process, not one per
    core of the machine."""
    import os

    from fellowcheck.cli import _cores

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert _cores() == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_large_file_says_it_is_being_checked_on_a_terminal(tmp_path, monkeypatch):
    from fellowcheck.cli import SLOW_INPUT_BYTES, _progress_bar

    large, small = tmp_path / "large.xlsx", tmp_path / "small.csv"
    with large.open("wb") as handle:
        handle.truncate(SLOW_INPUT_BYTES + 1)  # sparse: nothing written
    small.write_text("Fellow,Rotation,Weeks\n")
    for paths, shown in (([large], True), ([small], False)):
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        with _progress_bar(paths):
            pass
        text = terminal.getvalue()
        assert ("checking large.xlsx (2.0 MB)..." in text) is shown
        assert text.endswith("\r\x1b[K") is shown  # the line is erased when the report is ready


@pytest.mark.parametrize("given, says", [
    ("2026-02-29", "2026-02-29 is not a real date"),
    ("11/25/2026", "'11/25/2026' is not a date written YYYY-MM-DD, such as 2026-11-25"),
])
def test_a_bad_as_of_date_says_what_is_wrong(given, says):
    result = run("check", str(SAMPLES / "gaps-neurology.xlsx"), "--as-of", given)
    assert result.exit_code == 2
    assert says in " ".join(result.output.split())


def test_as_of_splits_at_the_date_given():
    early, late = (json.loads(run("check", SAMPLES / "midyear-pmr.xlsx", "--as-of", day,
                                  "--format", "json").stdout)
                   for day in ("2026-08-01", "2027-06-30"))
    assert early["as_of"] == "2026-08-01" and late["as_of"] == "2027-06-30"
    completed = [sum(r["completed"] for f in report["fellows"] for r in f["requirements"])
                 for report in (early, late)]
    assert completed[0] < completed[1]


@pytest.mark.parametrize("output_format", ["json", "junit", "github", "markdown"])
def test_a_settings_error_is_reported_in_the_format_asked_for(tmp_path, output_format):
    """CI reads the annotations or the JUnit file: they must say why nothing was checked."""
    missing = tmp_path / "no-such-table.csv"
    result = run("check", SAMPLES / "gaps-neurology.csv", "--requirements", missing,
                 "-f", output_format, *AS_OF)
    assert result.exit_code == 2
    assert "FC201" in result.stdout and "no-such-table.csv does not exist" in result.stdout
    assert "FC201" in result.stderr


def test_a_settings_error_is_written_to_the_output_file(tmp_path):
    (tmp_path / "fellowcheck.toml").write_text('strict = "yes"\n')
    out = tmp_path / "report.xml"
    result = run("check", SAMPLES / "gaps-neurology.csv", "--config",
                 tmp_path / "fellowcheck.toml", "-o", out, *AS_OF)
    assert result.exit_code == 2
    assert "FC150" in out.read_text() and 'errors="1"' in out.read_text()


def test_a_csv_report_file_opens_in_excel_as_utf8(tmp_path):
    """A BOM in the file (Excel reads UTF-8 only after one), none on stdout (for pipes)."""
    out = tmp_path / "report.csv"
    assert run("check", SAMPLES / "gaps-neurology.csv", "-o", out, *AS_OF).exit_code == 1
    assert out.read_bytes().startswith(b"\xef\xbb\xbffellow,")
    piped = run("check", SAMPLES / "gaps-neurology.csv", "-f", "csv", *AS_OF)
    assert piped.stdout.startswith("fellow,")

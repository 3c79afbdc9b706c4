"""The whole check of many files (pipeline.run_check): what is read and what is left out."""

from __future__ import annotations

import datetime as dt

from fellowcheck.pipeline import CheckOptions, _excluding, run_check

AS_OF = dt.date(2026, 11, 25)


def test_an_excluded_file_is_left_out_however_its_path_is_written(tmp_path, monkeypatch):
    folder = tmp_path / "audit"
    folder.mkdir()
    report = folder / "report.csv"
    report.write_text("x")
    other = folder / "fellow.csv"
    other.write_text("x")
    (tmp_path / "link").symlink_to(folder)
    (folder / "alias.csv").symlink_to(report)
    monkeypatch.chdir(tmp_path)
    files = [other, report, tmp_path / "link" / "report.csv", folder / "alias.csv"]
    assert _excluding(files, (report,)) == [other]
    assert _excluding(files, (tmp_path / "link" / "report.csv",)) == [other]
    assert _excluding(files, (report.relative_to(tmp_path),)) == [other]
    assert _excluding(files, ()) == files


def test_the_report_being_written_in_an_input_folder_is_not_read(tmp_path, make_csv, table):
    make_csv([["Fellow", "Rotation", "Weeks"], ["Dr A", "MIPS", 2]], "a.csv")
    written = make_csv([["Fellow", "Rotation", "Weeks"], ["Dr B", "MIPS", 2]], "b.csv")
    report = run_check([tmp_path], table, CheckOptions(as_of=AS_OF, exclude=(written,)))
    assert [fellow.fellow for fellow in report.fellows] == ["Dr A"]


def test_a_run_given_only_reports_checks_nothing_and_says_so(tmp_path, make_csv, table):
    """fellowcheck's own reports are skipped; when they are all there is, the run is an
    error (exit 2), not a pass that checked nothing."""
    from fellowcheck.report import Format, RenderOptions, renderer

    schedule = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["A", "pmr", "MIPS", 4]])
    report = run_check([schedule], table, CheckOptions(as_of=AS_OF))
    written = tmp_path / "out" / "report.csv"
    written.parent.mkdir()
    written.write_text(renderer(Format.CSV)(report, RenderOptions()))
    checked = run_check([written.parent], table, CheckOptions(as_of=AS_OF))
    [found] = checked.problems
    assert (found.kind, found.severity.value) == ("file-not-found", "error")
    assert found.message == "no schedule files: report.csv is fellowcheck's own report, skipped"


def test_a_folder_holding_only_the_report_being_written_checks_nothing(tmp_path, make_csv,
                                                                        table):
    schedule = make_csv([["Fellow", "Track", "Rotation", "Weeks"], ["A", "pmr", "MIPS", 4]])
    folder = tmp_path / "moved"
    folder.mkdir()
    report = folder / "report.csv"
    from fellowcheck.report import Format, RenderOptions, renderer
    report.write_text(renderer(Format.CSV)(
        run_check([schedule], table, CheckOptions(as_of=AS_OF)), RenderOptions()))
    checked = run_check([folder], table, CheckOptions(as_of=AS_OF, exclude=(report,)))
    assert [p.kind for p in checked.problems] == ["file-not-found"]

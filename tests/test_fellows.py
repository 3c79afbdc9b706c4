"""fellows.py: who each row's fellow is, through the whole check (run_check)."""

from __future__ import annotations

import datetime as dt

from fellowcheck.pipeline import CheckOptions, run_check

AS_OF = dt.date(2026, 11, 25)


def test_fellows_named_in_other_scripts_stay_apart(make_csv, table):
    """Names in Cyrillic or Chinese are not one fellow (their keys once were all empty)."""
    path = make_csv([["Fellow", "Track", "Rotation", "Weeks", "Status"],
                     ["\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432", "pmr", "MIPS", 2, "completed"],
                     ["\u041e\u043b\u0435\u0433 \u0421\u043c\u0438\u0440\u043d\u043e\u0432", "pmr", "MIPS", 3, "completed"],
                     ["\u738b\u4f1f", "pmr", "MIPS", 1, "completed"]])
    report = run_check([path], table, CheckOptions(as_of=AS_OF))
    assert [f.fellow for f in report.fellows] == [
        "\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432",
        "\u041e\u043b\u0435\u0433 \u0421\u043c\u0438\u0440\u043d\u043e\u0432", "\u738b\u4f1f"]
    assert not any(p.kind == "name-variants" for f in report.fellows for p in f.problems)


def test_sheet_reports_only_the_fellows_of_the_sheets_picked(make_xlsx, table):
    """The roster is read beside a picked sheet for its tracks; its other fellows, who have
    no rows on the sheets picked, are not reported as all gaps."""
    path = make_xlsx({
        "Fellows": [["Fellow", "Track"], ["Dr. Ana Lima", "anesthesia"], ["Dr. Ben Kim", "pmr"],
                    ["Dr. Cy Ode", "pmr"]],
        "Ana Lima": [["Rotation", "Weeks"], ["MIPS", 13]],
        "Ben Kim": [["Rotation", "Weeks"], ["MIPS", 4]],
    })
    as_of = dt.date(2026, 11, 25)
    report = run_check([path], table, CheckOptions(as_of=as_of, sheets=("ana lima",)))
    [fellow] = report.fellows
    assert (fellow.fellow, fellow.track) == ("Dr. Ana Lima", "anesthesia")
    report = run_check([path], table, CheckOptions(as_of=as_of, sheets=("Ana Lima", "Fellows")))
    assert [f.fellow for f in report.fellows] == ["Dr. Ana Lima", "Dr. Ben Kim", "Dr. Cy Ode"]


def test_a_fellow_is_named_as_the_roster_names_them(make_xlsx, table):
    """A sheet named without the roster's "Dr." is the usual layout: the roster's spelling,
    and no warning. Other variants are still warned of."""
    path = make_xlsx({
        "Fellows": [["Fellow", "Track"], ["Dr. Ana Lima", "anesthesia"], ["Dr. Ben Kim", "pmr"]],
        "Ana Lima": [["Rotation", "Weeks"], ["MIPS", 13]],
        "Kim": [["Fellow", "Rotation", "Weeks"], ["BEN KIM", "MIPS", 4]],
    })
    report = run_check([path], table, CheckOptions(as_of=dt.date(2026, 11, 25)))
    assert [f.fellow for f in report.fellows] == ["Dr. Ana Lima", "Dr. Ben Kim"]
    variants = [(f.fellow, p.message) for f in report.fellows for p in f.problems
                if p.kind == "name-variants"]
    assert variants == [("Dr. Ben Kim", "'Dr. Ben Kim' is also written 'BEN KIM'")]


def test_a_fellow_missing_from_the_roster_is_told_the_closest_roster_name(make_xlsx, table):
    path = make_xlsx({
        "Fellows": [["Fellow", "Track"], ["Dr. Tomás Álvarez", "anesthesia"],
                    ["Dr. Ben Kim", "pmr"]],
        "Alvarez": [["Rotation", "Weeks"], ["MIPS", 13]],
    })
    report = run_check([path], table, CheckOptions(as_of=dt.date(2026, 11, 25)))
    [missing] = [p for f in report.fellows for p in f.problems if p.kind == "missing-track"]
    assert missing.fellow == "Alvarez"
    assert missing.message == (
        "no track for Alvarez, who is not on the roster of schedule.xlsx (is it 'Dr. Tomás "
        "Álvarez'?); name the sheet or the Fellow cells as the roster does, or add the fellow "
        "to the roster")


def test_fellow_names_an_unnamed_file_only_when_it_is_the_one_file(make_csv, table):
    """In a folder, a file without a Fellow column is its own fellow's (named by the file),
    even when --fellow asks for another fellow: their time is never credited to them."""
    named = make_csv([["Fellow", "Track", "Rotation", "Weeks"],
                      ["Dr. Sam Okafor", "pmr", "MIPS", 4]], name="okafor.csv")
    unnamed = make_csv([["Rotation", "Weeks"], ["MIPS", 9]], name="Lee_Wong.csv")
    options = CheckOptions(as_of=AS_OF, fellows=("Dr. Sam Okafor",))
    [fellow] = run_check([named.parent], table, options).fellows
    mips = next(r for r in fellow.requirements if r.requirement.id == "mips")
    assert (fellow.fellow, mips.completed) == ("Dr. Sam Okafor", 4.0)
    [fellow] = run_check([unnamed], table, CheckOptions(as_of=AS_OF, fellows=("Lee",),
                                                        track="pmr")).fellows
    assert fellow.fellow == "Lee"  # the one file: --fellow names it
    [fellow] = run_check([unnamed], table, CheckOptions(as_of=AS_OF, track="pmr")).fellows
    assert fellow.fellow == "Lee Wong"  # else its file does, underscores read as spaces


def test_a_fellow_on_the_roster_without_a_track_is_told_to_fill_it_in(make_xlsx, table):
    path = make_xlsx({
        "Fellows": [["Fellow", "Track", "Fellowship start"], ["Dr. Ana Ruiz", None, "2026-07-01"]],
        "Schedule": [["Fellow", "Rotation", "Weeks"], ["Dr. Ana Ruiz", "MIPS", 13]],
    })
    report = run_check([path], table, CheckOptions(as_of=dt.date(2026, 11, 25)))
    [missing] = [p for f in report.fellows for p in f.problems if p.kind == "missing-track"]
    assert missing.message == ("no track for Dr. Ana Ruiz: their Track cell on the roster of "
                               "schedule.xlsx is blank; fill it in")


def test_sheet_keeps_the_errors_of_a_fellow_whose_rows_are_all_invalid(make_xlsx, table):
    path = make_xlsx({
        "Schedule": [["Fellow", "Rotation", "Start", "End"],
                     ["Dr. Ana Ruiz", "MIPS", "31/07/2025", "15/08/2025"]],
        "Other": [["Fellow", "Rotation", "Weeks"], ["Dr. Cy Lo", "MIPS", 2]],
    })
    report = run_check([path], table, CheckOptions(as_of=AS_OF, sheets=("Schedule",)))
    assert [p.kind for f in report.fellows for p in f.problems] + \
        [p.kind for p in report.problems] == ["bad-date", "bad-date"]
    assert [f.fellow for f in report.fellows] == []

"""Reading many files at once stacks the sheets of one header and normalises them together:
each file must still get exactly what it gets when read alone (entries, problems and their
places, caps per sheet, fellows named after files), in the order of the files."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from fellowcheck.reading import ReadOptions, batch, read_schedule, read_schedules

HEADER = ["Fellow", "Track", "Rotation", "Amount", "Unit", "Start", "End", "Status"]
JULY_6 = dt.date(2026, 7, 6)


def good_rows(name: str, count: int = 3) -> list[list]:
    return [[name, "anesthesia", "MIPS", 2, "weeks", JULY_6 + dt.timedelta(weeks=2 * i),
             JULY_6 + dt.timedelta(weeks=2 * i, days=11), "completed"] for i in range(count)]


def alone_and_together(paths, table, **options):
    """(each file read alone, all read at once): entries and problems of both."""
    read_options = ReadOptions(**options)
    alone = [read_schedule(path, table, read_options) for path in paths]
    frames = [one.entries for one in alone if len(one.entries)]
    entries = pd.concat(frames, ignore_index=True) if frames else alone[0].entries
    problems = [p for one in alone for p in one.problems]
    notes = [n for one in alone for n in one.notes]
    together = read_schedules(paths, table, read_options)
    return (entries, problems, notes), (together.entries, together.problems, together.notes)


def same_entries(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal values, row by row (a blank may be None in one and NaN in the other)."""
    def plain(frame):
        frame = frame.astype(object)
        return frame.where(frame.notna(), None)

    pd.testing.assert_frame_equal(plain(left), plain(right), check_dtype=False)


def assert_same(paths, table, **options):
    (entries, problems, notes), (entries_b, problems_b, notes_b) = alone_and_together(
        paths, table, **options)
    same_entries(entries, entries_b)
    assert problems == problems_b
    assert notes == notes_b
    return entries_b, problems_b


def test_files_of_one_template_keep_their_own_bad_rows(make_xlsx, table):
    first = make_xlsx({"Schedule": [HEADER, *good_rows("Dr A"),
                                    ["Dr A", "anesthesia", "MIPS", "two", "weeks", None, None,
                                     None]]}, "a.xlsx")
    second = make_xlsx({"Schedule": [["Fellowship schedule"], [], HEADER,
                                     ["Dr B", "anesthesia", "Gonda", 1, "fortnights", None,
                                      None, None], *good_rows("Dr B")]}, "b.xlsx")
    entries, problems = assert_same([first, second], table)
    found = [(p.location.file.rsplit("/", 1)[-1], p.location.row, p.kind, p.fellow)
             for p in problems]
    assert found == [("a.xlsx", 5, "bad-number", "Dr A"), ("b.xlsx", 4, "unknown-unit", "Dr B")]
    # A bad row still gives its fellow's track (rotation None, no time).
    assert list(entries["fellow"]) == ["Dr A"] * 4 + ["Dr B"] * 4
    assert list(entries["row"]) == [2, 3, 4, 5, 4, 5, 6, 7]
    assert entries["rotation_id"].isna().tolist() == [False] * 3 + [True, True] + [False] * 3


def test_a_sheet_without_fellow_column_is_named_by_its_own_file(make_csv, table):
    rows = [["Rotation", "Weeks"], ["MIPS", 2]]
    paths = [make_csv(rows, f"Dr {name}.csv") for name in ("Adams", "Baker", "Clark")]
    entries, _ = assert_same(paths, table)
    assert list(entries["fellow"]) == ["Dr Adams", "Dr Baker", "Dr Clark"]


def test_fellow_option_names_only_a_lone_unnamed_sheet(make_xlsx, table):
    rows = [["Rotation", "Weeks"], ["MIPS", 2]]
    alone = make_xlsx({"Sheet1": rows}, "one.xlsx")
    several = make_xlsx({"Sheet1": rows, "Sheet2": rows}, "two.xlsx")
    entries, _ = assert_same([alone, several], table, fellow="Dr Z")
    assert list(entries["fellow"]) == ["Dr Z", "two", "two"]


def test_a_file_with_another_header_keeps_its_place(make_xlsx, table):
    other = ["Rotation", "Fellow", "Weeks", "Notes"]
    paths = [make_xlsx({"Schedule": [HEADER, *good_rows("Dr A", 2)]}, "a.xlsx"),
             make_xlsx({"Schedule": [other, ["MIPS", "Dr B", "x"], ["Gonda", "Dr B", 1]]},
                       "b.xlsx"),
             make_xlsx({"Schedule": [HEADER, *good_rows("Dr C", 2)]}, "c.xlsx")]
    entries, problems = assert_same(paths, table)
    assert list(entries["fellow"]) == ["Dr A", "Dr A", "Dr B", "Dr C", "Dr C"]
    assert [(p.kind, p.location.column) for p in problems] == [("bad-number", "Weeks (C)")]


def test_sheets_of_one_workbook_stay_in_sheet_order(make_xlsx, table):
    other = ["Rotation", "Fellow", "Weeks"]
    path = make_xlsx({"One": [HEADER, *good_rows("Dr A", 1)],
                      "Two": [other, ["Gonda", "Dr B", 1]],
                      "Three": [HEADER, *good_rows("Dr C", 1)]}, "book.xlsx")
    entries, _ = assert_same([path], table)
    assert list(entries["sheet"]) == ["One", "Two", "Three"]


def test_problems_are_capped_per_sheet_not_per_stack(make_csv, table):
    bad = [["Dr A", "MIPS", "x"]] * 60
    paths = [make_csv([["Fellow", "Rotation", "Weeks"], *bad], f"{n}.csv") for n in "ab"]
    _, problems = assert_same(paths, table)
    for path in paths:
        mine = [p for p in problems if p.location.file == str(path)]
        assert len(mine) == 51
        assert [p.message for p in mine].count("10 more rows like the ones above") == 1


def test_warnings_per_sheet_name_variants_and_unknown_rotations(make_csv, table):
    paths = [make_csv([["Fellow", "Rotation", "Weeks"], ["Dr Ann Lee", "Tai chi", 1],
                       ["Dr  Ann Lee", "Tai chi", 1], ["Dr Ann Lee", "MIPS", 1]], "a.csv"),
             make_csv([["Fellow", "Rotation", "Weeks"], ["Dr Bo", "Tai chi", 1]], "b.csv")]
    _, problems = assert_same(paths, table)
    found = [(p.location.file.rsplit("/", 1)[-1], p.kind, p.location.row) for p in problems]
    assert ("a.csv", "name-variants", None) in found
    unknown = [p for p in problems if p.kind == "unknown-rotation"]
    assert [(p.location.row, "(and 1 more row)" in p.message) for p in unknown] == [
        (2, True), (2, False)]


def test_each_unknown_rotation_counts_its_own_rows_in_each_sheet(make_csv, table):
    # In b.csv the names come in another order than in a.csv: each warning must still count
    # the rows of its own name in its own sheet.
    header = ["Fellow", "Rotation", "Weeks"]
    paths = [make_csv([header, ["Dr A", "Aqua", 1]], "a.csv"),
             make_csv([header, ["Dr B", "Zumba", 1], *[["Dr B", "Aqua", 1]] * 3], "b.csv")]
    _, problems = assert_same(paths, table)
    unknown = [(p.location.file.rsplit("/", 1)[-1], p.location.row, p.message.split(";")[0])
               for p in problems if p.kind == "unknown-rotation"]
    assert unknown == [("a.csv", 2, "unknown rotation 'Aqua'"),
                       ("b.csv", 2, "unknown rotation 'Zumba'"),
                       ("b.csv", 3, "unknown rotation 'Aqua' (and 2 more rows)")]


def test_a_file_whose_rows_are_all_bad_says_so(make_csv, table):
    paths = [make_csv([["Fellow", "Rotation", "Weeks"], ["Dr A", "Tai chi", 1]], "a.csv"),
             make_csv([["Fellow", "Rotation", "Weeks"], ["Dr B", "MIPS", 1]], "b.csv")]
    _, problems = assert_same(paths, table)
    assert [p.kind for p in problems] == ["unknown-rotation", "no-entries"]
    assert problems[1].location.file == str(paths[0])


def test_true_is_not_the_number_one_in_another_file(make_xlsx, table):
    paths = [make_xlsx({"Schedule": [["Fellow", "Rotation", "Weeks"], ["Dr A", "MIPS", 1]]},
                       "a.xlsx"),
             make_xlsx({"Schedule": [["Fellow", "Rotation", "Weeks"], ["Dr B", "MIPS", True]]},
                       "b.xlsx")]
    entries, problems = assert_same(paths, table)
    assert list(entries["fellow"]) == ["Dr A"]
    assert [(p.kind, p.fellow) for p in problems] == [("bad-number", "Dr B")]
    assert problems[0].message.startswith("TRUE is not a number")  # as the sheet shows it


def test_small_batches_give_the_same_result(make_xlsx, monkeypatch, table):
    paths = [make_xlsx({"Schedule": [HEADER, *good_rows(f"Dr {n}", 2),
                                     [f"Dr {n}", "pmr", "Gonda", -1, "weeks", None, None,
                                      None]]}, f"{n}.xlsx") for n in range(5)]
    expected = read_schedules(paths, table, ReadOptions())
    monkeypatch.setattr(batch, "ROWS_PER_BATCH", 4)
    got = read_schedules(paths, table, ReadOptions())
    same_entries(expected.entries, got.entries)
    assert expected.problems == got.problems and len(got.problems) == 5


@pytest.mark.parametrize("jobs", [1, 2])
def test_files_read_in_processes_come_back_in_order(make_csv, table, jobs):
    paths = [make_csv([["Fellow", "Rotation", "Weeks"], [f"Dr {n}", "MIPS", 2],
                       [f"Dr {n}", "MIPS", "bad"]], f"{n:02}.csv") for n in range(12)]
    read = read_schedules(paths, table, ReadOptions(), jobs=jobs)
    assert list(read.entries["fellow"]) == [f"Dr {n}" for n in range(12)]
    assert [p.location.file for p in read.problems] == [str(path) for path in paths]


def test_notes_name_a_file_as_its_problems_do(tmp_path, table):
    """The path as given (a folder's file as lo/x.xlsx), in -v notes and problems alike."""
    from fellowcheck.reading import ReadOptions, read_schedule

    from ..conftest import write_xlsx

    (tmp_path / "lo").mkdir()
    path = write_xlsx(tmp_path / "lo" / "x.xlsx", {"Schedule": [["Fellow", "Rotation", "Weeks"],
                                                                ["A", "MIPS", "two"]]})
    read = read_schedule(path, table, ReadOptions())
    assert read.notes == [f"{path} [Schedule]: entries, header on row 1"]
    assert [p.location.file for p in read.problems] == [str(path)]


def test_a_sheet_that_names_rotations_but_is_not_read_is_warned_of(tmp_path, table):
    """A grid laid out in a way not read (a row per block, a column per fellow) would be
    skipped with a note only, its fellows' time silently missing."""
    from ..conftest import write_xlsx

    grid = [["", "Dr A", "Dr B", "Dr C"], ["First", "MIPS", "Gonda", "SIPS"],
            ["Second", "Spine", "MIPS", "Gonda"]]
    # Sheets that list rotations without being schedules: not warned of.
    column = [["Rotations"], ["MIPS"], ["Gonda"], ["Spine"], ["Palliative care"]]
    abbreviations = [["Abbreviation", "Rotation", "Where"], ["MIPS", "Methodist IPS", "A"],
                     ["SIPS", "Saint Marys IPS", "B"], ["PRC", "Pain rehab", "C"]]
    tally = [["Fellow", "MIPS", "Gonda", "Spine Center"], ["Dr A", 13, 8, 1]]
    path = write_xlsx(tmp_path / "x.xlsx", {
        "Roster": [["Fellow", "Track"], ["Dr A", "pmr"]], "Grid": grid, "Column": column,
        "Abbreviations list": abbreviations, "Key": abbreviations, "Tally": tally})
    read = read_schedule(path, table, ReadOptions())
    [found] = [p for p in read.problems if p.kind == "sheet-not-read"]
    assert found.location.sheet == "Grid" and "(MIPS, Gonda, SIPS, ...)" in found.message

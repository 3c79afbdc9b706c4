from __future__ import annotations

import dataclasses
import re

from fellowcheck.problems import Location, problem
from fellowcheck.report import Format, RenderOptions, renderer
from fellowcheck.report.github import escape_data, escape_property, gap_location
from fellowcheck.policy import Policy

from .sample_report import GAP_FELLOW, MIPS

# ::kind key=value,key=value::message, with commas and colons escaped inside values
PROPERTY = r"[a-z]+=[^,:\r\n]*"
COMMAND = re.compile(rf"^::(?P<kind>error|warning) (?P<props>{PROPERTY}(?:,{PROPERTY})*)"
                     r"::(?P<message>[^\r\n]*)$")


def unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def commands(report, options: RenderOptions = RenderOptions()
             ) -> list[tuple[str, dict[str, str], str]]:
    text = renderer(Format.GITHUB)(report, options)
    assert isinstance(text, str) and text.endswith("\n")
    found = []
    for line in text.splitlines():
        match = COMMAND.match(line)
        assert match, line
        props = dict(item.split("=", 1) for item in match["props"].split(","))
        found.append((match["kind"], {k: unescape(v) for k, v in props.items()},
                      unescape(match["message"])))
    return found


def test_registered():
    assert Format("github") is Format.GITHUB


def test_errors_then_gaps_then_warnings(report):
    found = commands(report)
    assert [(kind, props.get("title", "")[:5]) for kind, props, _ in found] == [
        ("error", "FC105"), ("error", "FC110"), ("error", "Gap: "),
        ("warning", "FC130"), ("warning", "FC301")]


def test_problem_annotation(report):
    kind, props, message = commands(report)[1]
    assert props == {"file": "schedules/lima.csv", "line": "7", "title": "FC110 Not a number"}
    assert message == ("schedules/lima.csv row 7, column 'Weeks': 'two' in column Weeks is not a "
                       "number. Type a number such as 2 or 0.5.")


def test_workbook_rows_are_not_lines(report):
    kind, props, message = commands(report)[3]
    assert props == {"file": "schedules/all.xlsx",
                     "title": "FC130 Unknown rotation; its time is not counted"}
    assert message.startswith("schedules/all.xlsx [Block] row 4, column 'Rotation': "
                              "unknown rotation 'Cardio, part 2'.")


def test_gap_without_schedule_row_points_at_the_schedule_file(report):
    kind, props, message = commands(report)[2]
    assert kind == "error"
    assert props == {"file": "schedules/lima.csv",
                     "title": "Gap: Methodist Campus Inpatient Pain Service (MIPS)"}
    assert message == (f"{GAP_FELLOW} (anesthesia): Methodist Campus Inpatient Pain Service "
                       "(MIPS) needs 13 wk; 6 wk completed, 5 wk scheduled, "
                       "2 wk not yet scheduled")


def test_gap_location_order(report):
    fellow = report.fellows[0]
    result = fellow.requirements[0]
    row = Location("schedules/lima.csv", row=3)
    assert gap_location(dataclasses.replace(fellow, locations={"mips": row}), result) == row
    assert gap_location(fellow, result) == Location(fellow.sources[0])
    no_sources = dataclasses.replace(fellow, sources=())
    assert gap_location(no_sources, result) == MIPS.location


def test_escaping_in_raw_lines(report):
    text = renderer(Format.GITHUB)(report, RenderOptions())
    lines = text.splitlines()
    assert lines[0].startswith("::error file=schedules/all.xlsx,title=FC105 A needed column is "
                               "missing::")
    assert lines[0].endswith("no Rotation column in sheet Block, 100%25: done. "
                             "Add the column the message names.")
    assert ",title=Gap%3A Methodist Campus" in lines[2]


def test_newlines_cannot_start_a_new_command(report):
    sneaky = problem("bad-date", "50%\r\n::error::injected", Location("a,b:c.csv", row=2),
                     fellow=GAP_FELLOW)
    text = renderer(Format.GITHUB)(dataclasses.replace(report, fellows=(), problems=(sneaky,)),
                                   RenderOptions())
    assert text == ("::error file=a%2Cb%3Ac.csv,line=2,title=FC113 Not a date::"
                    "a,b:c.csv row 2: 50%25%0D%0A::error::injected. Type the date as 2026-07-06 "
                    "or 7/6/2026, or use a date cell.\n")


def test_escape_functions():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"


def test_absolute_paths_inside_the_workspace_become_relative(report, monkeypatch, tmp_path):
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    moved = problem("file-unreadable", "cannot open it", Location(str(tmp_path / "s" / "x.csv")))
    elsewhere = problem("file-unreadable", "cannot open it", Location("/elsewhere/y.csv"))
    found = commands(dataclasses.replace(report, fellows=(), problems=(moved, elsewhere)))
    assert [props["file"] for _, props, _ in found] == ["s/x.csv", "/elsewhere/y.csv"]


def test_nothing_to_say(empty_report):
    assert renderer(Format.GITHUB)(empty_report, RenderOptions()) == ""


def test_require_complete_and_strict_annotate_what_fails_the_run(report):
    plain = commands(report)
    found = commands(report, RenderOptions(policy=Policy(strict=True, require_complete=True)))
    titles = [props["title"] for _, props, _ in found]
    assert [t for t in titles if t.startswith("Not yet complete")] == [
        "Not yet complete: Methodist Campus Inpatient Pain Service (MIPS)",
        "Not yet complete: Continuity clinic"]
    warnings = [(kind, props["title"]) for kind, props, _ in plain if kind == "warning"]
    assert len(warnings) == 2
    assert [kind for kind, props, _ in found if props["title"].endswith("(--strict)")] == [
        "error", "error"]
    assert not [kind for kind, _, _ in found if kind == "warning"]


def test_a_path_through_a_parent_folder_is_normalised():
    from fellowcheck.report.github import annotation_path

    assert annotation_path("ci/../ci/Smith.csv") == "ci/Smith.csv"
    assert annotation_path("./ci/Smith.csv") == "ci/Smith.csv"

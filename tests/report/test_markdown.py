from __future__ import annotations

import dataclasses
import re

from markdown_it import MarkdownIt

from fellowcheck.report import SUFFIX_FORMATS, Format, RenderOptions, renderer
from fellowcheck.report.markdown import MAX_PROBLEMS
from fellowcheck.policy import Policy

from .sample_report import (
    COMPLIANT_FELLOW, GAP_FELLOW, INJECTION, MISSING_COLUMN, UNKNOWN_ROTATION,
)


def render(report, verbose: bool = False, policy: Policy = Policy()) -> str:
    text = renderer(Format.MARKDOWN)(report, RenderOptions(verbose=verbose, policy=policy))
    assert isinstance(text, str)
    return text


def tables(text: str) -> list[list[list[str]]]:
    """Every GitHub-flavoured table in `text`, as rows of cell texts (header row first)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    found, row = [], None
    for token in tokens:
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            row = []
            found[-1].append(row)
        elif token.type == "inline" and row is not None and found:
            row.append(token.content)
        elif token.type == "tr_close":
            row = None
    return found


def html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def test_registered():
    assert Format("markdown") is Format.MARKDOWN
    assert SUFFIX_FORMATS[".md"] is Format.MARKDOWN


def test_heading_and_summary_line(report):
    lines = render(report).splitlines()
    assert lines[0] == "## fellowcheck: ❌ 2 errors, 1 gap"
    assert lines[2] == ("**3 fellows**: 1 compliant, 1 on track, 1 with gaps · "
                        "2 errors, 2 warnings")
    assert lines[4].startswith("As of 2026-11-25 · requirements: `requirements.csv`")


def test_a_table_per_fellow(report):
    found = tables(render(report))
    assert [len(table) - 1 for table in found] == [3, 5, 5]
    assert all(len(row) == 6 for table in found for row in table)
    header, mips, gonda, clinic = found[0]
    assert header == ["Rotation", "Requirement", "Completed", "Scheduled", "Remaining",
                      "Status"]
    assert mips[1:] == ["13 wk", "6", "5", "7", "❌ **GAP**"]
    assert gonda[1:] == ["7-8 wk", "8", "1", "-", "⚠️ over max"]
    assert clinic[-1] == "✅ met"


def test_fellows_with_gaps_are_open_and_the_rest_folded(report):
    text = render(report)
    assert re.search(r"^### Dr\. Ana Lima · anesthesia · ❌ GAP \(1 gap\)$", text, re.M)
    summaries = re.findall(r"^<summary>(.*)</summary>$", text, re.M)
    assert len(summaries) == 2 and text.count("<details>") == 2
    assert summaries[1] == f"<b>{COMPLIANT_FELLOW}</b> · non-anesthesia · ✅ compliant"
    assert "Not part of the anesthesia track: Saint Marys Campus Inpatient Pain Service (SIPS)" \
        in html(text)


def test_verbose_opens_everyone_and_lists_every_elective(report):
    text = render(report, verbose=True)
    assert "<details>" not in text
    assert [len(table) - 1 for table in tables(text)] == [4, 5, 5]


def test_problems_are_listed(report):
    text = render(report)
    lima = text.index(f"### {GAP_FELLOW}")
    own = text.index("`FC110`")
    files = text.index("### Problems not tied to a fellow")
    assert lima < own < text.index("`FC301`") < files
    tail = text[files:].splitlines()[2:]
    assert tail[0].startswith("- ❌ **error** `FC105` `schedules/all.xlsx [Block]`: ")
    assert tail[0].endswith("no Rotation column in sheet Block, 100%\\: done. "
                            "_Add the column the message names._")
    assert tail[1].endswith("_Use a rotation name or alias from the requirement table._")
    assert tail[1].startswith("- ⚠️ **warning** `FC130` "
                              "`schedules/all.xlsx [Block] row 4, column 'Rotation'`: ")


def test_text_from_files_cannot_inject_markup(report):
    fellow = report.fellows[0]
    first = fellow.requirements[0]
    evil_rotation = dataclasses.replace(first, requirement=dataclasses.replace(
        first.requirement, rotation="A | B <img src=x> *bold* [link](http://x) $x$\nrow"))
    evil = dataclasses.replace(fellow, fellow="<script>alert(1)</script> @octocat | x",
                               requirements=(evil_rotation,))
    text = render(dataclasses.replace(report, fellows=(evil,)))
    rendered = html(text)
    assert "<script>" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "&lt;script&gt;" in rendered
    assert "@\u200boctocat" in text and "@octocat" not in text
    (table,) = tables(text)
    assert all(len(row) == 6 for row in table)
    assert "\nrow" not in text


def test_folded_fellow_name_is_html_escaped(report):
    injected = dataclasses.replace(report.fellows[1], fellow="<i>x</i> & y")
    text = render(dataclasses.replace(report, fellows=(injected,)))
    assert "<summary><b>&lt;i&gt;x&lt;/i&gt; &amp; y</b> · pmr · 🕒 on track</summary>" in text


def test_heading_when_all_is_well(report):
    fellows = tuple(dataclasses.replace(f, problems=()) for f in report.fellows[1:])
    text = render(dataclasses.replace(report, fellows=fellows, problems=()))
    assert text.splitlines()[0] == "## fellowcheck: ✅ every fellow compliant or on track"
    quoted = INJECTION.replace('"', "&quot;")
    assert f"<summary><b>{quoted}</b> · pmr" in text


def test_heading_says_which_rule_fails_a_run_without_gaps(report):
    fellows = tuple(dataclasses.replace(f, problems=()) for f in report.fellows[1:])
    on_track = dataclasses.replace(report, fellows=fellows, problems=())
    text = render(on_track, policy=Policy(require_complete=True))
    assert text.splitlines()[0] == ("## fellowcheck: ❌ fails --require-complete: 1 fellow not "
                                    "yet complete")
    with_warnings = dataclasses.replace(on_track, problems=report.problems[1:])
    assert render(with_warnings, policy=Policy(strict=True)).splitlines()[0] == (
        "## fellowcheck: ❌ fails --strict: 1 warning")


def test_empty_report(empty_report):
    text = render(empty_report)
    assert text.splitlines()[0] == "## fellowcheck: no fellows found"
    assert "**0 fellows**: 0 compliant, 0 on track, 0 with gaps" in text
    assert tables(text) == []


def test_long_problem_lists_are_cut_errors_first(report):
    many = (UNKNOWN_ROTATION,) * (MAX_PROBLEMS + 4) + (MISSING_COLUMN,) * 3
    changed = dataclasses.replace(report, problems=many)
    lines = render(changed).split("### Problems not tied to a fellow")[1].strip().splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert all("`FC105`" in line for line in lines[:3])
    assert lines[-1] == "- … and 7 more warnings: see the JSON or xlsx report"
    verbose = render(changed, verbose=True).split("### Problems not tied to a fellow")[1]
    assert len(verbose.strip().splitlines()) == MAX_PROBLEMS + 7


def test_an_elective_taken_is_marked_as_one_in_the_table(report):
    rows = [row[0] for table in tables(render(report)) for row in table[1:]]
    electives = [name for name in rows if "(elective)" in name]
    assert electives and all(name.startswith("Electromyography") for name in electives)
    assert not any("(elective)" in name for name in rows if name.startswith("Methodist"))

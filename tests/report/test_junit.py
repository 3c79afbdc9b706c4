from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from fellowcheck.model import Status
from fellowcheck.report import SUFFIX_FORMATS, Format, RenderOptions, renderer
from fellowcheck.report.junit import FILES_SUITE
from fellowcheck.policy import Policy

from .sample_report import COMPLIANT_FELLOW, GAP_FELLOW, INJECTION, UNKNOWN_ROTATION


def parse(report, options: RenderOptions = RenderOptions()) -> ET.Element:
    text = renderer(Format.JUNIT)(report, options)
    assert isinstance(text, str)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def counts(element: ET.Element) -> dict[str, int]:
    return {name: int(element.get(name)) for name in ("tests", "failures", "errors", "skipped")}


def suites(root: ET.Element) -> dict[str, ET.Element]:
    return {suite.get("name"): suite for suite in root.findall("testsuite")}


def test_registered():
    assert Format("junit") is Format.JUNIT
    assert SUFFIX_FORMATS[".xml"] is Format.JUNIT


def test_totals(report):
    root = parse(report)
    assert root.tag == "testsuites"
    assert counts(root) == {"tests": 17, "failures": 1, "errors": 2, "skipped": 1}
    assert list(suites(root)) == [GAP_FELLOW, INJECTION, COMPLIANT_FELLOW, FILES_SUITE]


def test_every_suite_counts_its_own_testcases(report):
    for suite in parse(report).findall("testsuite"):
        cases = suite.findall("testcase")
        assert counts(suite) == {
            "tests": len(cases),
            "failures": sum(c.find("failure") is not None for c in cases),
            "errors": sum(c.find("error") is not None for c in cases),
            "skipped": sum(c.find("skipped") is not None for c in cases),
        }


def test_a_fellow_suite(report):
    suite = suites(parse(report))[GAP_FELLOW]
    assert counts(suite) == {"tests": 6, "failures": 1, "errors": 1, "skipped": 1}
    properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert properties == {"as_of": "2026-11-25", "requirements": "data/requirements.csv",
                          "track": "anesthesia", "status": "gap"}
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert {case.get("classname") for case in cases.values()} == {"Dr Ana Lima"}

    failure = cases["Methodist Campus Inpatient Pain Service (MIPS)"].find("failure")
    assert failure.get("type") == "gap"
    assert failure.get("message") == (
        "Methodist Campus Inpatient Pain Service (MIPS) needs 13 wk: 6 wk completed, "
        "5 wk scheduled, 2 wk not yet scheduled")
    assert "data/requirements.csv row 33" in failure.text

    assert cases["Saint Marys Campus Inpatient Pain Service (SIPS)"].find("skipped") is not None
    assert list(cases["Gonda 15 procedures"]) == []  # over the maximum is a warning, not a failure

    error = cases["FC110 Not a number"].find("error")
    assert error.get("type") == "FC110"
    assert error.get("message") == "'two' in column Weeks is not a number"
    assert "schedules/lima.csv row 7, column 'Weeks'" in error.text

    assert suite.find("system-out").text.startswith("warning FC301 schedules/lima.csv row 9: ")
    assert list(suite)[-1].tag == "system-out"  # after every testcase, as the schema orders it


def test_passing_fellows(report):
    found = suites(parse(report))
    for name in (INJECTION, COMPLIANT_FELLOW):
        assert counts(found[name]) == {"tests": 5, "failures": 0, "errors": 0, "skipped": 0}
        assert found[name].find("system-out") is None


def test_problems_not_tied_to_a_fellow_have_their_own_suite(report):
    suite = suites(parse(report))[FILES_SUITE]
    assert counts(suite) == {"tests": 1, "failures": 0, "errors": 1, "skipped": 0}
    (case,) = suite.findall("testcase")
    assert case.get("name") == "FC105 A needed column is missing"
    assert case.find("error").get("message") == "no Rotation column in sheet Block, 100%: done"
    assert "FC130" in suite.find("system-out").text


def test_file_warnings_alone_still_make_a_passing_suite(report):
    root = parse(dataclasses.replace(report, fellows=(), problems=(UNKNOWN_ROTATION,)))
    (suite,) = root.findall("testsuite")
    assert counts(suite) == {"tests": 1, "failures": 0, "errors": 0, "skipped": 0}
    assert "unknown rotation 'Cardio, part 2'" in suite.find("system-out").text


def test_empty_report_has_one_passing_testcase(empty_report):
    root = parse(empty_report)
    assert counts(root) == {"tests": 1, "failures": 0, "errors": 0, "skipped": 0}
    (case,) = root.iter("testcase")
    assert list(case) == []


def test_fellow_without_track_fails(report):
    lost = dataclasses.replace(report.fellows[2], track=None, status=Status.GAP,
                               requirements=())
    root = parse(dataclasses.replace(report, fellows=(lost,), problems=()))
    assert counts(root) == {"tests": 1, "failures": 1, "errors": 0, "skipped": 0}


def test_names_survive_xml(report):
    odd = dataclasses.replace(report.fellows[2], fellow='<A & "B"> \x01\x0b end')
    root = parse(dataclasses.replace(report, fellows=(odd,), problems=()))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == '<A & "B"> \ufffd\ufffd end'
    # \x0b is white space, which the classname collapses
    assert {c.get("classname") for c in suite.iter("testcase")} == {'<A & "B"> \ufffd end'}


def test_require_complete_fails_what_is_not_yet_complete_and_strict_each_warning(report):
    plain = parse(report)
    root = parse(report, RenderOptions(policy=Policy(strict=True, require_complete=True)))
    failed = {name: [(case.get("name"), case.find("failure").get("type"))
                     for case in suite.findall("testcase") if case.find("failure") is not None]
              for name, suite in suites(root).items()}
    assert failed[INJECTION] == [("Methodist Campus Inpatient Pain Service (MIPS)",
                                  "not-complete"), ("Continuity clinic", "not-complete")]
    assert ("FC301 More time than the rotation allows", "FC301") in failed[GAP_FELLOW]
    assert [kind for _, kind in failed[FILES_SUITE]] == ["FC130"]
    assert failed[COMPLIANT_FELLOW] == []
    assert counts(root)["failures"] == counts(plain)["failures"] + 4

"""JUnit XML, as GitLab, Jenkins and GitHub test-report actions read it.

    <testsuites>                       totals
      <testsuite name="Dr. A Lima">    one per fellow
        <testcase name="Gonda 15 procedures"/>           one per requirement
        <testcase name="MIPS"><failure type="gap"/></testcase>       a gap
        <testcase name="SIPS"><failure type="not-complete"/></testcase>  --require-complete
        <testcase name="Pain psychiatry"><skipped/></testcase>       not in the fellow's track
        <testcase name="FC110 ..."><error type="FC110"/></testcase>  one per error problem
        <testcase name="FC143 ..."><failure type="FC143"/></testcase> a warning, --strict
        <system-out>warnings, one a line</system-out>
      </testsuite>
      <testsuite name="fellowcheck files">...</testsuite>   problems not tied to a fellow
    </testsuites>

The classname of a fellow's testcases is the fellow's name with dots turned into spaces,
because Jenkins splits a classname at dots into package and class. A report with nothing in it
still has one passing testcase, since some readers reject a file with no tests.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from fellowcheck.model import FellowResult, Report, RequirementResult, Status
from fellowcheck.problems import Problem, Severity, sentence
from fellowcheck.report import RenderOptions
from fellowcheck.report.words import amount, requirement_text
from fellowcheck.policy import Policy
from fellowcheck.verdict import incomplete

FILES_SUITE = "fellowcheck files"

# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render(report: Report, options: RenderOptions) -> str:
    root = build(report, options.policy)
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n")


def build(report: Report, policy: Policy = Policy()) -> ET.Element:
    root = ET.Element("testsuites", name="fellowcheck")
    suites = [fellow_suite(fellow, report, policy) for fellow in report.fellows]
    if report.problems:
        suites.append(files_suite(report, policy))
    if not suites:
        suite = new_suite(FILES_SUITE, report)
        add_case(suite, "fellowcheck", "no fellows to check")
        suites.append(suite)
    for suite in suites:
        finish(suite)
        root.append(suite)
    for name in ("tests", "failures", "errors", "skipped"):
        root.set(name, str(sum(int(suite.get(name)) for suite in suites)))
    root.set("time", "0")
    return root


def fellow_suite(fellow: FellowResult, report: Report, policy: Policy = Policy()
                 ) -> ET.Element:
    suite = new_suite(fellow.fellow, report)
    properties = suite.find("properties")
    for name, value in (("track", fellow.track or ""), ("status", fellow.status.value)):
        ET.SubElement(properties, "property", name=name, value=clean(value))
    classname = " ".join(fellow.fellow.replace(".", " ").split()) or "fellow"
    incomplete_ids = ({result.requirement.id for result in incomplete(fellow)}
                      if policy.require_complete else set())
    for result in fellow.requirements:
        requirement_case(suite, classname, result, result.requirement.id in incomplete_ids)
    if not fellow.requirements and fellow.status is Status.GAP:
        case = add_case(suite, classname, "track")
        ET.SubElement(case, "failure", type="no-track", message=clean(
            f"no track for {fellow.fellow}; no requirement could be checked"))
    add_problems(suite, classname, fellow.problems, policy.strict)
    return suite


def files_suite(report: Report, policy: Policy = Policy()) -> ET.Element:
    suite = new_suite(FILES_SUITE, report)
    add_problems(suite, "fellowcheck", report.problems, policy.strict)
    if not suite.findall("testcase"):
        add_case(suite, "fellowcheck", "files read without errors")
    return suite


def requirement_case(suite: ET.Element, classname: str, result: RequirementResult,
                     fails_incomplete: bool = False) -> None:
    """A requirement's testcase: a failure for a gap, and under --require-complete
    (`fails_incomplete`) for a minimum scheduled but not yet completed."""
    requirement = result.requirement
    case = add_case(suite, classname, requirement.rotation)
    unit = requirement.unit
    if result.status is Status.GAP or fails_incomplete:
        message = (f"{requirement.rotation} needs {requirement_text(result)}: "
                   f"{amount(result.completed, unit)} completed, "
                   f"{amount(result.scheduled, unit)} scheduled, "
                   f"{amount(result.unscheduled, unit)} not yet scheduled")
        if result.status is not Status.GAP:
            message += " (--require-complete: not yet complete)"
        failure = ET.SubElement(case, "failure", type="gap" if result.status is Status.GAP
                                else "not-complete", message=clean(message))
        failure.text = clean(f"{message}\nrotation id: {requirement.id}\n"
                             f"requirement table: {requirement.location}")
    elif result.status is Status.NOT_APPLICABLE:
        ET.SubElement(case, "skipped", message="not part of the fellow's track")


def add_problems(suite: ET.Element, classname: str, problems, strict: bool = False) -> None:
    """An error testcase per error; warnings in <system-out>, and under --strict (`strict`),
    which fails the run on them, a failed testcase each too."""
    warnings = []
    for item in problems:
        if item.severity is Severity.ERROR:
            case = add_case(suite, classname, f"{item.id} {item.info.title}")
            error = ET.SubElement(case, "error", type=item.id, message=clean(item.message))
            error.text = clean(problem_text(item))
        else:
            warnings.append(problem_text(item))
            if strict:
                case = add_case(suite, classname, f"{item.id} {item.info.title}")
                failure = ET.SubElement(case, "failure", type=item.id,
                                        message=clean(f"{item.message} (--strict)"))
                failure.text = clean(problem_text(item))
    if warnings:
        ET.SubElement(suite, "system-out").text = clean("\n".join(warnings))


def problem_text(item: Problem) -> str:
    where = f"{item.location}: " if str(item.location) else ""
    hint = f" {item.hint}" if item.hint else ""
    return f"{item.severity.value} {item.id} {where}{sentence(item.message)}{hint}"


def new_suite(name: str, report: Report) -> ET.Element:
    suite = ET.Element("testsuite", name=clean(name))
    properties = ET.SubElement(suite, "properties")
    for key, value in (("as_of", report.as_of.isoformat()),
                       ("requirements", report.requirements_source)):
        ET.SubElement(properties, "property", name=key, value=clean(value))
    return suite


def add_case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    # Testcases go before <system-out>, which add_problems appends last.
    case = ET.Element("testcase", classname=clean(classname), name=clean(name), time="0")
    out = suite.find("system-out")
    if out is None:
        suite.append(case)
    else:
        suite.insert(list(suite).index(out), case)
    return case


def finish(suite: ET.Element) -> None:
    """Set the suite's counts from its testcases."""
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    for name, child in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        suite.set(name, str(sum(case.find(child) is not None for case in cases)))
    suite.set("time", "0")


def clean(text: str) -> str:
    """Text without the characters XML cannot carry (ElementTree escapes the rest)."""
    return _NOT_XML.sub("\ufffd", text)

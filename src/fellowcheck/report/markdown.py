"""The Markdown report, for a pull-request comment or a GitHub job summary ($GITHUB_STEP_SUMMARY).

A heading with the verdict, a summary line, then a table per fellow. Fellows with a gap or an
error are shown open; the others are folded into <details> so that a long roster stays short
(--verbose opens every fellow and lists electives not taken in the table too). Problems are
listed under their fellow, and problems not tied to a fellow at the end. Every piece of text
that came from a file is escaped, so a name cannot inject markup, links or HTML.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from fellowcheck.model import FellowResult, Kind, Report, RequirementResult, Status, Unit
from fellowcheck.problems import Problem, Severity, has_errors, sentence
from fellowcheck.report import RenderOptions
from fellowcheck.report.words import (
    STATUS_LABELS, amount, blank_if_zero, leave_taken_text, plural, problem_counts,
    requirement_text, status_breakdown,
)
from fellowcheck.policy import Policy
from fellowcheck.verdict import policy_failures, summarize

STATUS_ICONS = {
    Status.MET: "✅",
    Status.ON_TRACK: "🕒",
    Status.GAP: "❌",
    Status.OVER: "⚠️",
    Status.NOT_APPLICABLE: "➖",
    Status.COMPLIANT: "✅",
}
SEVERITY_ICONS = {Severity.ERROR: "❌", Severity.WARNING: "⚠️"}
#: problems listed per fellow, and for the files, before the rest are only counted
MAX_PROBLEMS = 20

# Characters with a meaning inside a line of GitHub-flavoured Markdown (emphasis, links, code,
# table cells, strikethrough, heading closers, emoji codes, $math$); & < > are HTML-escaped.
# Escaped text never starts a line, so list and heading markers (- + 1.) need no escape.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#:$])")
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")


def render(report: Report, options: RenderOptions) -> str:
    parts = [heading(report, options.policy), "", summary_line(report), "",
             context_line(report)]
    for fellow in report.fellows:
        parts += ["", *fellow_section(fellow, verbose=options.verbose)]
    if report.problems:
        parts += ["", "### Problems not tied to a fellow", "",
                  *problem_lines(report.problems, options.verbose)]
    return "\n".join(parts) + "\n"


def escape(text: object) -> str:
    """Text from a file as literal Markdown: one line, markup and HTML characters escaped."""
    text = _LINE_BREAKS.sub(" ", str(text))
    return unmention(_MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)))


def code(text: object) -> str:
    """A file name or location as inline code, or escaped text if it holds a backtick."""
    text = _LINE_BREAKS.sub(" ", str(text))
    return f"`{text}`" if "`" not in text and "|" not in text else escape(text)


def unmention(text: str) -> str:
    """GitHub turns @name into a mention (and a notification) whatever the escaping; a
    zero-width space after the @ stops that and reads the same."""
    return text.replace("@", "@\u200b")


def heading(report: Report, policy: Policy = Policy()) -> str:
    summary = summarize(report)
    failures = policy_failures(report, policy)
    if summary.errors:
        verdict = f"❌ {plural(summary.errors, 'error')}"
        if summary.gaps:
            verdict += f", {plural(summary.gaps, 'gap')}"
    elif summary.gaps:
        verdict = f"❌ {plural(summary.gaps, 'gap')}"
    elif failures:
        verdict = f"❌ fails {'; '.join(failures)}"
    elif not report.fellows:
        verdict = "no fellows found"
    else:
        verdict = "✅ every fellow compliant or on track"
    return f"## fellowcheck: {verdict}"


def summary_line(report: Report) -> str:
    summary = summarize(report)
    return (f"**{plural(summary.fellows, 'fellow')}**: {status_breakdown(summary.by_status)} · "
            f"{problem_counts(summary.errors, summary.warnings)}")


def context_line(report: Report) -> str:
    files = ", ".join(code(name) for name in report.files)
    table = Path(report.requirements_source).name  # the file's name: its path means nothing here
    text = f"As of {report.as_of.isoformat()}"
    text += f" · requirements: {code(table)}" if table else ""  # none: it could not be read
    return f"{text} · files: {files}" if files else text


def fellow_section(fellow: FellowResult, verbose: bool = False) -> list[str]:
    gaps = len(fellow.gaps)
    detail = f" ({plural(gaps, 'gap')})" if gaps else ""
    track = fellow.track or "no track"
    status = f"{STATUS_ICONS[fellow.status]} {STATUS_LABELS[fellow.status]}{detail}"
    body = [*fellow_table(fellow, verbose), *fellow_notes(fellow, verbose)]
    if fellow.problems:
        body += ["", *problem_lines(fellow.problems, verbose)]
    if verbose or fellow.status is Status.GAP or has_errors(list(fellow.problems)):
        return [f"### {escape(fellow.fellow)} · {escape(track)} · {status}", "", *body]
    # <summary> is HTML, where Markdown is not rendered: escape for HTML only.
    title = (f"<b>{unmention(html.escape(_LINE_BREAKS.sub(' ', fellow.fellow)))}</b> · "
             f"{unmention(html.escape(track))} · {status}")
    return ["<details>", f"<summary>{title}</summary>", "", *body, "", "</details>"]


def shown(fellow: FellowResult, verbose: bool) -> list[RequirementResult]:
    """Required rotations, electives the fellow has time on or that are not met (every elective
    when verbose), and rotations outside the track that the fellow has time on anyway."""
    return [r for r in fellow.requirements
            if r.kind is Kind.REQUIRED
            or (r.kind is Kind.ELECTIVE and (verbose or r.completed or r.scheduled
                                             or r.status is not Status.MET))
            or (r.kind is Kind.NOT_APPLICABLE and (r.completed or r.scheduled))]


#: What a row of the table is when not a required rotation.
KIND_NOTES = {Kind.ELECTIVE: " _(elective)_", Kind.NOT_APPLICABLE: " _(not in the track)_"}


def fellow_table(fellow: FellowResult, verbose: bool) -> list[str]:
    results = shown(fellow, verbose)
    if not results:
        return ["_No requirement could be checked for this fellow._"]
    lines = ["| Rotation | Requirement | Completed | Scheduled | Remaining | Status |",
             "| --- | --- | ---: | ---: | ---: | --- |"]
    for result in results:
        label = STATUS_LABELS[result.status]
        status = f"**{label}**" if result.status is Status.GAP else label
        lines.append(f"| {escape(result.requirement.rotation)}{KIND_NOTES.get(result.kind, '')} | "
                     f"{requirement_text(result)} | "
                     f"{blank_if_zero(result.completed)} | {blank_if_zero(result.scheduled)} | "
                     f"{blank_if_zero(result.remaining)} | "
                     f"{STATUS_ICONS[result.status]} {status} |")
    return lines


def fellow_notes(fellow: FellowResult, verbose: bool) -> list[str]:
    listed = set(map(id, shown(fellow, verbose)))
    notes = []
    unused = [r.requirement.rotation for r in fellow.requirements
              if r.kind is Kind.ELECTIVE and id(r) not in listed]
    if unused:
        notes.append(f"Electives not taken: {', '.join(map(escape, unused))}")
    outside = [r.requirement.rotation for r in fellow.requirements
               if r.kind is Kind.NOT_APPLICABLE and id(r) not in listed]
    if outside:
        notes.append(f"Not part of the {escape(fellow.track)} track: "
                     f"{', '.join(map(escape, outside))}")
    if fellow.leave_weeks:
        notes.append(f"Leave: {amount(fellow.leave_weeks, Unit.WEEK)}{leave_taken_text(fellow)}")
    return ["", *(f"_{note}_  " for note in notes)] if notes else []


def problem_lines(problems: tuple[Problem, ...] | list[Problem],
                  verbose: bool = False) -> list[str]:
    """Errors first, then warnings; past MAX_PROBLEMS a count of the rest (unless verbose),
    since a pull-request comment holds at most 65,536 characters."""
    ordered = sorted(problems, key=lambda item: item.severity is not Severity.ERROR)
    shown_here = ordered if verbose else ordered[:MAX_PROBLEMS]
    lines = []
    for item in shown_here:
        where = f"{code(item.location)}: " if str(item.location) else ""
        hint = f" _{escape(item.hint)}_" if item.hint else ""
        lines.append(f"- {SEVERITY_ICONS[item.severity]} **{item.severity.value}** "
                     f"`{item.id}` {where}{escape(sentence(item.message))}{hint}")
    rest = ordered[len(shown_here):]
    if rest:
        errors = sum(item.severity is Severity.ERROR for item in rest)
        counts = [f"{n} more {word}{'' if n == 1 else 's'}"
                  for n, word in ((errors, "error"), (len(rest) - errors, "warning")) if n]
        lines.append(f"- … and {' and '.join(counts)}: see the JSON or xlsx report")
    return lines

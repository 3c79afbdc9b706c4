"""What the tabular formats (csv, xlsx) share: the flat row per fellow x requirement, and the
guard that keeps a typed name from running as a spreadsheet formula."""

from __future__ import annotations

from collections.abc import Iterator

from fellowcheck.model import Report
from fellowcheck.report.json import requirement_to_dict

#: The columns of the flat table, in order; also the csv header.
COLUMNS = ("fellow", "track", "fellow_status", "rotation_id", "rotation", "requirement", "unit",
           "min", "max", "completed", "scheduled", "remaining", "unscheduled", "status")
NUMBER_COLUMNS = frozenset({"min", "max", "completed", "scheduled", "remaining", "unscheduled"})

# OWASP "CSV Injection": a cell that starts with one of these may be read as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A string that a spreadsheet could read as a formula, prefixed with a single quote as
    OWASP recommends; anything else (numbers, None, safe text) unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def requirement_rows(report: Report) -> Iterator[dict]:
    """One dict per fellow x requirement, keyed by COLUMNS, values as in the JSON report.

    A fellow with no requirement rows (no track could be settled) still gets one row, with the
    requirement columns empty, so that no fellow drops out of the table.
    """
    for fellow in report.fellows:
        head = {"fellow": fellow.fellow, "track": fellow.track,
                "fellow_status": fellow.status.value}
        if not fellow.requirements:
            yield {**dict.fromkeys(COLUMNS), **head}
        for result in fellow.requirements:
            yield {**head, **requirement_to_dict(result)}

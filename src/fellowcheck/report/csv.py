"""The CSV report: one row per fellow x requirement, for pandas and spreadsheets.

Columns are `cells.COLUMNS`; values are those of the JSON report (status words such as
"on_track", amounts in the rotation's own unit, an empty cell for no maximum). Text that a
spreadsheet could run as a formula is prefixed with a single quote. Lines end in "\\n" and there
is no byte-order mark, so pandas and the csv module read the header as written; Excel users who
double-click files should prefer --format xlsx.
"""

from __future__ import annotations

import csv
import io

from fellowcheck.model import Report
from fellowcheck.report import RenderOptions
from fellowcheck.report.cells import COLUMNS, NUMBER_COLUMNS, neutralise, requirement_rows


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in requirement_rows(report):
        writer.writerow([_cell(row[column], column in NUMBER_COLUMNS) for column in COLUMNS])
    return buffer.getvalue()


def _cell(value, is_number: bool) -> str:
    if value is None:
        return ""
    if is_number:
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return neutralise(str(value))

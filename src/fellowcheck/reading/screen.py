"""Screening a sheet's cells before any meaning is given to them.

Three kinds of cell would otherwise be read wrong, silently:

- an error value (#REF!, #DIV/0!, #N/A, ... or LibreOffice's Err:502): calamine reads it as
  blank, and a CSV export holds it as text;
- a formula whose result was never saved (a file written by a program that does not
  calculate): calamine reads it as blank;
- a cell of more than `ReadLimits.max_cell_chars` characters in a column fellowcheck reads.

Each becomes a located error (FC125 cell-error, FC126 cell-too-long). In the entries layout
the whole row is then left out, since its other cells cannot be trusted to mean what they say
(a blank status would be read as "split at the as-of date"); in other layouts the cell is
blanked. Cells of columns fellowcheck does not read (notes) are only blanked.
"""

from __future__ import annotations

import dataclasses
from itertools import chain

from fellowcheck.problems import Problem, problem
from fellowcheck.reading.columns import Field, column_letter, find_header
from fellowcheck.reading.safety import ERROR_VALUES, FORMULA_WITHOUT_VALUE, CellFault, ReadLimits
from fellowcheck.reading.sheets import RawSheet
from fellowcheck.text import clean_name, is_total_label

#: At most this many problems of one kind are listed per sheet; the rest are counted.
PROBLEMS_PER_KIND = 50


def screen_sheet(sheet: RawSheet, limits: ReadLimits) -> tuple[RawSheet, list[Problem]]:
    """The sheet with its faulty cells blanked (and, in the entries layout, their rows), and
    a located problem for each."""
    longest = limits.max_cell_chars
    distinct = set(chain.from_iterable(sheet.rows))
    if not any(_is_bad(value, longest) for value in distinct):
        return sheet, []
    rows = [list(row) for row in sheet.rows]
    header = find_header(rows)
    found: list[Problem] = []
    if header is not None:
        read = {column: field for field, column in header.fields.items()}
        fellow_column = header.fields.get(Field.FELLOW)
        for i, row in enumerate(rows):
            bad_row = False
            # A totals row ("Total | =SUM(...)") is skipped when read: its formulas are not
            # the table's faults.
            totals = i > header.index and any(map(is_total_label, row))
            for j, value in enumerate(row):
                if not _is_bad(value, longest):
                    continue
                if i > header.index and j in read and not totals:
                    name = header.names[j] if j < len(header.names) else ""
                    column = f"{name} ({_letter(sheet, j)})" if name else _letter(sheet, j)
                    fellow = _fellow(row, fellow_column, longest)
                    found.append(_problem(sheet, i, column, value, longest, read[j].value,
                                          fellow, row_left_out=True))
                    bad_row = True
                row[j] = ""
            if bad_row:
                rows[i] = [""] * len(row)
    else:
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if _is_bad(value, longest):
                    found.append(_problem(sheet, i, _letter(sheet, j), value, longest, None,
                                          None, row_left_out=False))
                    row[j] = ""
    return dataclasses.replace(sheet, rows=rows), _capped(found, sheet)


def _is_bad(value, longest: int) -> bool:
    if isinstance(value, CellFault):
        return True
    if isinstance(value, str) and value:
        return len(value) > longest or (value[0] in "#E" and bool(ERROR_VALUES.match(value)))
    return False


def _letter(sheet: RawSheet, j: int) -> str:
    return column_letter(sheet.first_column + j)


def _fellow(row: list, column: int | None, longest: int) -> str | None:
    if column is None or column >= len(row):
        return None
    value = row[column]
    if isinstance(value, str) and not _is_bad(value, longest) and value.strip():
        return clean_name(value) or None
    return None


def _problem(sheet: RawSheet, i: int, column: str, value, longest: int, field: str | None,
             fellow: str | None, row_left_out: bool) -> Problem:
    where = sheet.location(sheet.first_row + i, column)
    outcome = ("the row is not counted" if row_left_out
               else "the cell is read as blank")
    if isinstance(value, str) and len(value) > longest:
        what = f"a {field.replace('_', ' ')}" if field else "a cell"
        return problem("cell-too-long", f"the cell holds {len(value):,} characters, more than "
                       f"the {longest:,} {what} may have; {outcome}", where,
                       fellow=fellow)
    text = str(value)
    if text == FORMULA_WITHOUT_VALUE:
        return problem("cell-error", "the cell holds a formula whose result was never saved "
                       f"(the file was written by a program that does not calculate); {outcome}",
                       where, fellow=fellow)
    return problem("cell-error", f"the cell holds the error value {text} (a formula failed); "
                   f"{outcome}", where, fellow=fellow)


def _capped(found: list[Problem], sheet: RawSheet) -> list[Problem]:
    kept, counts = [], {}
    for item in found:
        counts[item.kind] = counts.get(item.kind, 0) + 1
        if counts[item.kind] <= PROBLEMS_PER_KIND:
            kept.append(item)
    for kind, count in counts.items():
        if count > PROBLEMS_PER_KIND:
            kept.append(problem(kind, f"{count - PROBLEMS_PER_KIND:,} more cells like the ones "
                                "above", sheet.location()))
    return kept

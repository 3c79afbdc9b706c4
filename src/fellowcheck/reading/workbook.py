"""Reading .xlsx, .xlsm and .ods workbooks with python-calamine (a Rust reader, many times
faster than openpyxl, and it never evaluates formulas: it returns their cached values)."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable
from pathlib import Path

from fellowcheck.problems import FellowcheckError, Location, problem
from fellowcheck.reading import safety
from fellowcheck.reading.safety import DEFAULT_LIMITS, ReadLimits, WorkbookScan
from fellowcheck.reading.sheets import ROSTER_SHEET_NAMES, RawSheet
from fellowcheck.text import match_key


def read_workbook(path: Path, sheet_names: list[str] | None = None,
                  limits: ReadLimits = DEFAULT_LIMITS,
                  scan: Callable[[], WorkbookScan] | None = None) -> list[RawSheet]:
    """The visible worksheets of `path` (or the named ones). The file is checked first
    (`safety.preflight_workbook`): calamine only sees workbooks it can read in bounded memory.

    `scan`: when another process makes that check at the same time (`speculative.py`), the
    check's result. It is asked for once calamine has parsed the first sheet, before any cell
    is converted, and may end this process instead of returning (the file failed the check).
    The parse allocates the sheet's used area: whoever passes `scan` bounds this process's
    memory."""
    import python_calamine

    where = Location(str(path))
    data = None
    if scan is None:
        checked = safety.preflight_workbook(path, limits)
        scan, data = (lambda: checked), checked.data
    try:
        book = (python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) if data
                else python_calamine.CalamineWorkbook.from_path(str(path)))
        visible = [meta.name for meta in book.sheets_metadata
                   if meta.visible == python_calamine.SheetVisibleEnum.Visible
                   and meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
        missing: list = []  # a problem for the names given to --sheet that no sheet has
        if sheet_names:
            chosen, unknown = _sheets_named(sheet_names, book.sheet_names)
            if unknown:
                missing.append(problem(
                    "sheet-not-found", f"no sheet named {', '.join(map(repr, unknown))}; the "
                    f"sheets are {', '.join(map(repr, book.sheet_names))}", where))
                if not chosen:
                    raise FellowcheckError(missing)
            chosen += [name for name in visible
                       if name not in chosen and match_key(name) in ROSTER_SHEET_NAMES]
        else:
            chosen = visible
        if not chosen:
            raise FellowcheckError(problem(
                "no-table", f"{path.name} has no visible worksheet; unhide the schedule sheet",
                where))
        sheets = []
        if path.stat().st_size >= WARM_UP_SIZE and _in_main_process():
            import_pandas_meanwhile()
        for name in chosen:
            sheet = book.get_sheet_by_name(name)  # parsed here, without holding the GIL
            checked = scan()
            rows = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
            sheet_scan = checked.sheets.get(name)
            # calamine gives the merged cells of .xlsx only; the scan found those of .ods.
            merged = sheet.merged_cell_ranges or (sheet_scan.merged if sheet_scan else [])
            _fill_merged_cells(rows, merged, start, budget=limits.max_cells)
            rows, first_row, first_column = safety.place_faults(
                rows, start[0] + 1, start[1] + 1, sheet_scan)
            sheets.append(RawSheet(str(path), name, rows, first_row, first_column,
                                   (*missing, *safety.fault_problems(sheet_scan, path, name))))
            missing = []  # said once, with the first sheet read
        return sheets
    except FellowcheckError:
        raise
    except PermissionError:
        raise FellowcheckError(problem("file-unreadable",
                                       f"no permission to read {path.name}", where))
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise FellowcheckError(problem(
            "file-unreadable", f"{path.name} is not a readable workbook ({_first_line(exc)})",
            where))
    except BaseException as exc:
        # The Rust reader's panics arrive as pyo3's PanicException, a BaseException.
        if type(exc).__name__ != "PanicException":
            raise
        raise FellowcheckError(problem(
            "file-unreadable", f"{path.name} is damaged: the workbook reader stopped on it "
            f"({_first_line(exc)})",
            where)) from None


def _sheets_named(names: list[str], sheets: list[str]) -> tuple[list[str], list[str]]:
    """The workbook's sheets that `names` (from --sheet) name, exactly or else ignoring case
    and spacing, in the order given; and the names that name none."""
    by_key: dict[str, str] = {}
    for sheet in sheets:
        by_key.setdefault(match_key(sheet), sheet)
    chosen: dict[str, None] = {}
    unknown = []
    for name in names:
        found = name if name in sheets else by_key.get(match_key(name))
        if found is None:
            unknown.append(name)
        else:
            chosen.setdefault(found, None)
    return list(chosen), unknown


#: A workbook at least this large keeps calamine parsing long enough to hide pandas' import.
WARM_UP_SIZE = 1024 * 1024


def _in_main_process() -> bool:
    """Not a worker process (--jobs), which never imports pandas."""
    import multiprocessing

    return multiprocessing.parent_process() is None


def import_pandas_meanwhile() -> None:
    """Start importing pandas on a thread, to run while calamine parses: the parse releases
    the GIL, and pandas is needed next (about 0.25 s saved on a large workbook)."""
    import threading

    if "pandas" not in sys.modules:
        threading.Thread(target=_import_pandas, name="import pandas").start()


def _import_pandas() -> None:
    # Should the process end first (a refused file, Ctrl-C), the import fails as the
    # interpreter shuts down: nothing to report. An import that really fails is reported by
    # the one that needs pandas.
    with contextlib.suppress(Exception):
        import pandas  # noqa: F401


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _fill_merged_cells(rows: list[list], ranges, start: tuple[int, int],
                       budget: int | None = None) -> None:
    """Give every cell of a merged range the value of its top-left cell, as people read it
    (a rotation merged over four week columns counts for each of them). At most `budget`
    cells are filled in all: a file can declare millions of overlapping merged ranges."""
    top, left = start
    for (first_row, first_column), (last_row, last_column) in ranges:
        r0, c0 = first_row - top, first_column - left
        if not (0 <= r0 < len(rows) and 0 <= c0 < len(rows[r0])):
            continue
        if budget is not None:
            budget -= (min(last_row - top + 1, len(rows)) - r0) * (last_column - first_column + 1)
            if budget < 0:
                break
        value = rows[r0][c0]
        for r in range(r0, min(last_row - top + 1, len(rows))):
            row = rows[r]
            for c in range(c0, min(last_column - left + 1, len(row))):
                if (r, c) != (r0, c0) and row[c] == "":
                    row[c] = value

"""Wall time of each stage of a check of one workbook, without a profiler (best of 2).

    python benchmarks/stages.py /tmp/fcbench/500000r-2000f-1000a-40o/large.xlsx

(the inputs of `bench.py --inputs /tmp/fcbench`). See profile-large.txt.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

AS_OF = dt.date(2026, 11, 25)


def best(stage, runs: int = 2):
    fastest, result = None, None
    for _ in range(runs):
        started = time.perf_counter()
        result = stage()
        elapsed = time.perf_counter() - started
        fastest = elapsed if fastest is None else min(fastest, elapsed)
    return fastest, result


def main(path: Path) -> None:
    import gc

    from fellowcheck.cli import GC_THRESHOLD

    gc.set_threshold(*GC_THRESHOLD)  # as the command sets it
    started = time.perf_counter()
    import pandas  # noqa: F401 - timed

    times = {"import pandas": time.perf_counter() - started}
    import python_calamine

    from fellowcheck.check import check_fellow
    from fellowcheck.integrity import check_integrity
    from fellowcheck.pipeline import CheckOptions, run_check
    from fellowcheck.reading import ReadOptions, read_schedule, safety
    from fellowcheck.reading.entries import read_entries
    from fellowcheck.reading.roster import empty_roster
    from fellowcheck.reading.screen import screen_sheet
    from fellowcheck.reading.sheets import read_sheets
    from fellowcheck.report import Format, RenderOptions, renderer
    from fellowcheck.requirements import load_requirements
    from fellowcheck.tally import tally

    table = load_requirements()
    options = ReadOptions(as_of=AS_OF)

    def calamine():
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        return sheet.to_python(skip_empty_area=True)

    times["pre-flight scan (safety)"], _ = best(
        lambda: safety.preflight_workbook(path, safety.DEFAULT_LIMITS))
    times["calamine parse + to_python"], _ = best(calamine)
    times["read_schedule (all reading)"], read = best(
        lambda: read_schedule(path, table, options))
    sheets = read_sheets(path)
    times["screening"], _ = best(lambda: screen_sheet(sheets[0], options.limits))
    times["read_entries (normalising)"], _ = best(lambda: read_entries(sheets[0], table, options))
    entries = read.entries
    times["integrity checks"], _ = best(
        lambda: check_integrity(entries, empty_roster(), table, AS_OF))
    times["tally"], (schedules, _) = best(lambda: tally(entries, table, AS_OF))
    times[f"check ({len(schedules):,} fellows)"], _ = best(
        lambda: [check_fellow(schedule, table) for schedule in schedules])
    report = run_check([path], table, CheckOptions(as_of=AS_OF, jobs=1))
    times["JSON report"], _ = best(lambda: renderer(Format.JSON)(report, RenderOptions()))
    for stage, seconds in times.items():
        print(f"{stage:32s} {seconds:6.2f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

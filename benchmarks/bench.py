"""fellowcheck performance benchmark: every target against its baseline, in the same run.

    python benchmarks/bench.py            # full sizes (500,000 rows, 1,000 files, ...)
    python benchmarks/bench.py --quick    # smaller sizes, for a quick look
    python benchmarks/bench.py --help     # the other options

It makes its inputs in a temporary folder (or --inputs DIR, kept and reused between runs),
times each target and its baseline as whole processes, alternating them, best of --repeat
runs, and prints a table: target, measured, baseline, ratio, limit, pass/fail and peak memory.
Timings on a shared machine are noisy: only ratios measured in one run mean anything. The exit
status is 1 if a target is missed (a target whose feature does not exist yet is "n/a" and is a
miss only with --require-all).

Only the standard library is imported here; inputs are written with xlsxwriter in a child
process, and in-process measurements (the xlsx report) run in a child (`--inner`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-25"
INPUTS_VERSION = 4  # bump when the inputs change, so kept ones are made again
HEADER = ["Fellow", "Track", "Rotation", "Start", "End", "Amount", "Unit", "Status"]


@dataclass(frozen=True)
class Sizes:
    one_rows: int = 40
    large_rows: int = 500_000
    large_fellows: int = 2_000
    audit_files: int = 1_000

    @property
    def tag(self) -> str:
        return f"{self.large_rows}r-{self.large_fellows}f-{self.audit_files}a-{self.one_rows}o"


FULL = Sizes()
QUICK = Sizes(large_rows=50_000, large_fellows=200, audit_files=100)


# ---------------------------------------------------------------- inputs

def _template_rows() -> list[list]:
    """The three sample fellows' rows (samples/make_samples.py), as rows of one fellow each."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples",
                                                  REPO / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [module.patel(), module.okafor(), module.fischer()]


def fellow_rows(number: int, count: int, templates: list[list[list]]) -> list[list]:
    """`count` rows of one fellow's year as a schedule of blocks (a sample fellow's rows,
    samples/make_samples.py), shifted by 0-3 weeks so that dates differ between fellows; rows
    past the sample's are fortnightly clinic half-days, rows short of it are left out."""
    import datetime as dt

    template = templates[number % len(templates)]
    shift = dt.timedelta(weeks=number % 4)
    name = f"Dr. Fellow {number:05d}"
    rows = []
    for row in template[:count]:
        row = list(row)
        row[0] = name
        row[3] = row[3] + shift if row[3] else None
        row[4] = row[4] + shift if row[4] else None
        rows.append(row)
    first = min(row[3] for row in template if row[3])
    for extra in range(count - len(rows)):
        day = first + shift + dt.timedelta(weeks=2 * extra + 1, days=2)
        rows.append([name, template[0][1], "Continuity clinic", day, day, 2, "half days",
                     template[0][7]])
    return rows


def daily_rows(number: int, count: int, templates: list[list[list]]) -> list[list]:
    """`count` rows of one fellow's year as a daily export: a row per weekday of the block
    rotation that day (a sample fellow's blocks, in order, from the first Monday of July), and
    a continuity clinic half-day every Wednesday. Fellows are spread over the academic years
    2024-25 to 2026-27 (the last one in progress at the benchmark's --as-of, without statuses),
    so there are some 750 distinct dates. Every 7th block day also gives its amount (1 day)."""
    import datetime as dt

    template = templates[number % len(templates)]
    blocks = [(row[2], max(1, ((row[4] - row[3]).days + 3) // 7)) for row in template
              if row[3] and row[4] and row[5] is None and row[4] > row[3]]
    track = template[0][1]
    year = 2024 + (number // len(templates)) % 3
    status = None if year == 2026 else "completed"
    day = dt.date(year, 7, 1)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    name = f"Dr. Fellow {number:05d}"
    rows: list[list] = []
    block = 0
    while len(rows) < count:
        rotation, weeks = blocks[block % len(blocks)]
        for _ in range(weeks * 5):
            if len(rows) >= count:
                break
            amount, unit = (1, "day") if len(rows) % 7 == 3 else (None, None)
            rows.append([name, track, rotation, day, day, amount, unit, status])
            if day.weekday() == 2 and len(rows) < count:
                rows.append([name, track, "Continuity clinic", day, day, 1, "half day", status])
            day += dt.timedelta(days=3 if day.weekday() == 4 else 1)
        block += 1
    return rows


def write_xlsx(path: Path, rows_of: list[list[list]], title: str | None = "Schedule") -> None:
    """An .xlsx file with one sheet: an optional title row, the header, then the rows."""
    import datetime as dt

    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Schedule")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    number = 0
    if title:
        sheet.write_string(0, 0, title)
        number = 2
    sheet.write_row(number, 0, HEADER)
    for rows in rows_of:
        for row in rows:
            number += 1
            for column, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(number, column, dt.datetime(value.year, value.month,
                                                                     value.day), date_format)
                elif isinstance(value, (int, float)):
                    sheet.write_number(number, column, value)
                else:
                    sheet.write_string(number, column, str(value))
    book.close()


def write_csv(path: Path, rows_of: list[list[list]]) -> None:
    import csv
    import datetime as dt

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for rows in rows_of:
            writer.writerows(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v
                              for v in row] for row in rows)


def make_inputs(directory: Path, sizes: Sizes) -> None:
    """Write the inputs into `directory` (run in a child process: it imports xlsxwriter)."""
    templates = _template_rows()
    directory.mkdir(parents=True, exist_ok=True)
    write_xlsx(directory / "one.xlsx", [fellow_rows(1, sizes.one_rows, templates)],
               "Pain Medicine Fellowship: Dr. Fellow 00001")
    per_fellow, extra = divmod(sizes.large_rows, sizes.large_fellows)
    large = [daily_rows(n, per_fellow + (1 if n < extra else 0), templates)
             for n in range(sizes.large_fellows)]
    write_xlsx(directory / "large.xlsx", large, None)
    write_csv(directory / "large.csv", large)
    del large
    audit = directory / "audit"
    audit.mkdir(exist_ok=True)
    for n in range(sizes.audit_files):
        write_xlsx(audit / f"fellow-{n:04d}.xlsx", [fellow_rows(n, sizes.one_rows, templates)],
                   f"Pain Medicine Fellowship: Dr. Fellow {n:05d}")
    (directory / "sizes.json").write_text(json.dumps(_stamp(sizes)))


def _stamp(sizes: Sizes) -> dict:
    return {**sizes.__dict__, "version": INPUTS_VERSION}


def ensure_inputs(directory: Path, sizes: Sizes) -> None:
    stamp = directory / "sizes.json"
    if stamp.exists() and json.loads(stamp.read_text()) == _stamp(sizes):
        return
    if directory.exists():
        shutil.rmtree(directory)
    print(f"making inputs in {directory} ({sizes.large_rows:,} rows, "
          f"{sizes.audit_files:,} audit files) ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--inner", "make-inputs", "--inputs",
                    str(directory), "--sizes", json.dumps(sizes.__dict__)], check=True)
    print(f"  done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- running processes

def compile_bytecode() -> None:
    """Compile fellowcheck's modules as `pip install` does, so that an editable install, or
    a shell with PYTHONDONTWRITEBYTECODE set, is not timed compiling its sources each run."""
    subprocess.run([sys.executable, "-c",
                    "import compileall, pathlib, fellowcheck\n"
                    "compileall.compile_dir(pathlib.Path(fellowcheck.__file__).parent, quiet=1)"],
                   check=True)


@dataclass
class Run:
    seconds: float
    peak_mb: float
    code: int
    stderr: str = ""


def run_process(command: list[str], env: dict | None = None, cwd: Path | None = None) -> Run:
    """Wall time and peak RSS (of the process and the children it waited for) of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=env, cwd=cwd)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    return Run(elapsed, usage.ru_maxrss / 1024, process.returncode,
               stderr.decode(errors="replace")[-2000:])


def best_of(commands: dict[str, list[str]], repeat: int, ok_codes=(0,),
            env: dict | None = None) -> dict[str, Run]:
    """Run the commands in turn, `repeat` rounds; the fastest run of each (peak: the largest)."""
    best: dict[str, Run] = {}
    for _ in range(repeat):
        for name, command in commands.items():
            result = run_process(command, env=env)
            if result.code not in ok_codes:
                raise RuntimeError(f"{name}: {' '.join(command)} exited {result.code}:\n"
                                   f"{result.stderr}")
            previous = best.get(name)
            if previous is None:
                best[name] = result
            else:
                best[name] = Run(min(previous.seconds, result.seconds),
                                 max(previous.peak_mb, result.peak_mb), result.code)
    return best


# ---------------------------------------------------------------- targets

@dataclass
class Row:
    target: str
    measured: str
    baseline: str
    ratio: float | None
    limit: str
    status: str  # pass, FAIL, n/a
    peak_mb: float | None = None
    note: str = ""


@dataclass
class Bench:
    inputs: Path
    repeat: int
    jobs: int
    fellowcheck: list[str]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, target, measured, baseline, limit, *, higher_is_better=False, unit="s",
            peak=None, note="", info=False) -> Row:
        """A row of the table; `info`: measured for information, not a target."""
        ratio = measured / baseline if baseline else None
        ok = ratio is not None and (ratio >= limit if higher_is_better else ratio <= limit)
        row = Row(target, f"{measured:.3f} {unit}", f"{baseline:.3f} {unit}", ratio,
                  f"{'>=' if higher_is_better else '<='} {limit:g}x", "pass" if ok else "FAIL",
                  peak, note)
        if info:
            row.limit, row.status = "-", "info"
        self.rows.append(row)
        print(f"  {target}: {row.measured} vs {row.baseline} = {ratio:.2f}x ({row.status})",
              file=sys.stderr, flush=True)
        return row

    def missing(self, target, note) -> None:
        self.rows.append(Row(target, "-", "-", None, "-", "n/a", None, note))
        print(f"  {target}: n/a ({note})", file=sys.stderr, flush=True)

    def check_command(self, *args: str) -> list[str]:
        return [*self.fellowcheck, "check", *args, "--as-of", AS_OF]

    # -- start-up

    def start(self) -> None:
        baseline = [sys.executable, "-c", "import typer, rich"]
        runs = best_of({"help": [*self.fellowcheck, "--help"],
                        "version": [*self.fellowcheck, "--version"],
                        "baseline": baseline}, self.repeat * 3)
        for name in ("help", "version"):
            self.add(f"start: --{name}", runs[name].seconds, runs["baseline"].seconds, 1.5,
                     peak=runs[name].peak_mb, note='vs python -c "import typer, rich"')
        probe = ("import sys\n"
                 "from fellowcheck.cli import app\n"
                 "for args in (['--help'], ['--version'], ['check', '--help']):\n"
                 "    try:\n"
                 "        app(args, standalone_mode=False)\n"
                 "    except BaseException:\n"
                 "        pass\n"
                 "heavy = sorted(m for m in ('pandas', 'openpyxl', 'python_calamine', 'numpy')\n"
                 "               if m in sys.modules)\n"
                 "sys.stderr.write(','.join(heavy))\n")
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
        heavy = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
        bad = [m for m in heavy.split(",") if m in ("pandas", "openpyxl")]
        self.rows.append(Row("start: no pandas/openpyxl", heavy or "none imported", "-", None,
                             "none", "FAIL" if bad or result.returncode else "pass",
                             note="--help, --version, check --help"))

    # -- one fellow

    def one_fellow(self) -> None:
        path = self.inputs / "one.xlsx"
        baseline = [sys.executable, "-c",
                    ("import sys, pandas, python_calamine\n"
                     "book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
                     "rows = book.get_sheet_by_index(0).to_python(skip_empty_area=True)\n"),
                    str(path)]
        runs = best_of({"check": self.check_command(str(path)), "baseline": baseline},
                       self.repeat * 3, ok_codes=(0, 1))
        self.add("one fellow (40 rows .xlsx)", runs["check"].seconds, runs["baseline"].seconds,
                 1.3, peak=runs["check"].peak_mb,
                 note="check, table to a pipe vs import pandas + calamine read")

    # -- large workbook

    def large(self) -> None:
        path = self.inputs / "large.xlsx"
        out = self.inputs / "large-report.json"
        baseline = [sys.executable, "-c",
                    ("import sys, python_calamine\n"
                     "book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
                     "rows = book.get_sheet_by_index(0).to_python(skip_empty_area=True)\n"),
                    str(path)]
        runs = best_of({"check": self.check_command(str(path), "--format", "json", "-o",
                                                    str(out)),
                        "baseline": baseline}, self.repeat, ok_codes=(0, 1))
        rows = _count_rows(self.inputs)
        self.add(f"large .xlsx ({rows:,} rows): time", runs["check"].seconds,
                 runs["baseline"].seconds, 1.5, peak=runs["check"].peak_mb,
                 note="check --format json -o vs calamine to_python")
        self.add(f"large .xlsx ({rows:,} rows): peak memory", runs["check"].peak_mb,
                 runs["baseline"].peak_mb, 3.0, unit="MB", peak=runs["check"].peak_mb,
                 note="peak RSS vs the calamine reader's (the loaded table)")

    def large_table(self) -> None:
        """For information: the default (table) format of the large workbook, to a pipe."""
        path = self.inputs / "large.xlsx"
        runs = best_of({"table": self.check_command(str(path)),
                        "json": self.check_command(str(path), "--format", "json")},
                       1, ok_codes=(0, 1))
        self.add(f"large .xlsx ({_count_rows(self.inputs):,} rows): table format",
                 runs["table"].seconds, runs["json"].seconds, 1.0, peak=runs["table"].peak_mb,
                 note="check (table to a pipe) vs check --format json; for information",
                 info=True)

    def large_csv(self) -> None:
        path = self.inputs / "large.csv"
        out = self.inputs / "large-csv-report.json"
        baseline = [sys.executable, "-c",
                    ("import sys, pandas\n"
                     "frame = pandas.read_csv(sys.argv[1], dtype=str, keep_default_na=False,"
                     " engine='c')\n"), str(path)]
        runs = best_of({"check": self.check_command(str(path), "--format", "json", "-o",
                                                    str(out)),
                        "baseline": baseline}, self.repeat, ok_codes=(0, 1))
        rows = _count_rows(self.inputs)
        self.add(f"large .csv ({rows:,} rows): time", runs["check"].seconds,
                 runs["baseline"].seconds, 1.5, peak=runs["check"].peak_mb,
                 note="check --format json -o vs pandas.read_csv(engine='c', dtype=str);"
                      " for information, not a target", info=True)

    # -- audit of many one-fellow workbooks

    def audit(self) -> None:
        folder = self.inputs / "audit"
        files = sorted(str(p) for p in folder.glob("*.xlsx"))
        out = self.inputs / "audit-report.json"
        help_text = subprocess.run([*self.fellowcheck, "check", "--help"], capture_output=True,
                                   text=True, check=False).stdout
        folders = _accepts_folder(self.fellowcheck, folder)
        inputs = [str(folder)] if folders else files
        how = "the folder" if folders else f"{len(files)} file arguments"
        if not folders:
            self.notes.append("audit: `fellowcheck check FOLDER` is not supported yet; the files "
                              "were passed one by one")
        baseline = [sys.executable, "-c",
                    ("import sys, pathlib, python_calamine\n"
                     "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.xlsx')):\n"
                     "    book = python_calamine.CalamineWorkbook.from_path(str(path))\n"
                     "    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=True)\n"),
                    str(folder)]
        runs = best_of({"check": self.check_command(*inputs, "--format", "json", "-o", str(out)),
                        "baseline": baseline}, self.repeat, ok_codes=(0, 1))
        self.add(f"audit {len(files):,} workbooks: time", runs["check"].seconds,
                 runs["baseline"].seconds, 1.5, peak=runs["check"].peak_mb,
                 note=f"check {how} vs calamine reads them all in one process")
        if "--jobs" not in help_text:
            self.missing(f"audit --jobs {self.jobs}: speed-up",
                         "fellowcheck check has no --jobs option yet")
            return
        runs = best_of({"one": self.check_command(*inputs, "--jobs", "1", "--format", "json",
                                                  "-o", str(out)),
                        "many": self.check_command(*inputs, "--jobs", str(self.jobs),
                                                   "--format", "json", "-o", str(out))},
                       self.repeat, ok_codes=(0, 1))
        # Speed-up = time with 1 job / time with N jobs; the target is close to N (>= 0.8 N).
        row = self.add(f"audit --jobs {self.jobs}: speed-up", runs["one"].seconds,
                       runs["many"].seconds, 0.8 * self.jobs, higher_is_better=True,
                       peak=runs["many"].peak_mb,
                       note=f"--jobs 1 / --jobs {self.jobs} (limit 0.8 x {self.jobs} jobs)")
        row.measured, row.baseline = (f"{runs['many'].seconds:.3f} s",
                                      f"{runs['one'].seconds:.3f} s")
        self.audit_memory(files, out)

    def audit_memory(self, files: list[str], out: Path) -> None:
        """Memory stays flat as the count grows: peak RSS over all the files against a
        quarter of them (hard links in a folder of their own)."""
        quarter = self.inputs / "audit-quarter"
        if not quarter.exists():
            quarter.mkdir()
            for name in files[:max(1, len(files) // 4)]:
                os.link(name, quarter / Path(name).name)
        count = len(list(quarter.glob("*.xlsx")))
        runs = best_of({"all": self.check_command(str(self.inputs / "audit"), "--format",
                                                  "json", "-o", str(out)),
                        "quarter": self.check_command(str(quarter), "--format", "json", "-o",
                                                      str(out))}, 1, ok_codes=(0, 1))
        self.add(f"audit memory: {len(files):,} vs {count:,} workbooks", runs["all"].peak_mb,
                 runs["quarter"].peak_mb, 1.25, unit="MB", peak=runs["all"].peak_mb,
                 note=f"peak RSS of the audit of {len(files):,} files vs {count:,} (4 times "
                      "the files, flat memory: within 1.25x)")

    # -- the xlsx audit report

    def xlsx_report(self) -> None:
        try:
            import importlib.util
            present = importlib.util.find_spec("fellowcheck.report.xlsx") is not None
        except ImportError:
            present = False
        if not present:
            self.missing("xlsx report of 2,000 fellows", "fellowcheck.report.xlsx does not exist "
                         "yet")
            return
        result = subprocess.run([sys.executable, __file__, "--inner", "xlsx-report", "--inputs",
                                 str(self.inputs), "--repeat", str(self.repeat)],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            self.rows.append(Row("xlsx report", "error", "-", None, "<= 3x", "FAIL",
                                 note=result.stderr.strip().splitlines()[-1][:120]))
            print(result.stderr, file=sys.stderr)
            return
        data = json.loads(result.stdout)
        fastest = min(data["writers"], key=data["writers"].get)
        self.add(f"xlsx report of {data['fellows']:,} fellows", data["render"],
                 data["writers"][fastest], 3.0,
                 note=f"render vs the same {data['cells']:,} cells with {fastest} "
                      f"({', '.join(f'{k} {v:.2f} s' for k, v in data['writers'].items())})")

    # -- output

    def table(self) -> str:
        headings = ["target", "measured", "baseline", "ratio", "limit", "result", "peak MB"]
        lines = [[r.target, r.measured, r.baseline, f"{r.ratio:.2f}x" if r.ratio else "-",
                  r.limit, r.status, f"{r.peak_mb:.0f}" if r.peak_mb else "-"] for r in self.rows]
        widths = [max(len(str(x)) for x in column) for column in zip(headings, *lines)]
        out = ["| " + " | ".join(h.ljust(w) for h, w in zip(headings, widths)) + " |",
               "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out += ["| " + " | ".join(str(x).ljust(w) for x, w in zip(line, widths)) + " |"
                for line in lines]
        return "\n".join(out)


def _count_rows(inputs: Path) -> int:
    return json.loads((inputs / "sizes.json").read_text())["large_rows"]


def _accepts_folder(fellowcheck: list[str], folder: Path) -> bool:
    """Whether `fellowcheck check FOLDER` reads the folder (rather than refusing it)."""
    probe = folder.parent / "folder-probe"
    probe.mkdir(exist_ok=True)
    shutil.copy(next(folder.glob("*.xlsx")), probe / "one.xlsx")
    result = subprocess.run([*fellowcheck, "check", str(probe), "--as-of", AS_OF, "--format",
                             "json"], capture_output=True, text=True, check=False)
    try:
        return bool(json.loads(result.stdout).get("fellows"))
    except ValueError:
        return False


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"nproc {os.cpu_count()}, {model}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}")


# ---------------------------------------------------------------- in-process measurements

def inner_xlsx_report(inputs: Path, repeat: int) -> dict:
    """Time the xlsx renderer on the large workbook's 2,000 fellows, then the same cells
    written by openpyxl (write_only) and xlsxwriter (constant_memory)."""
    import datetime as dt
    import io

    import python_calamine

    from fellowcheck.pipeline import CheckOptions, run_check
    from fellowcheck.report import Format, RenderOptions, renderer
    from fellowcheck.requirements import load_requirements

    table = load_requirements()
    report = run_check([inputs / "large.xlsx"], table,
                       CheckOptions(as_of=dt.date.fromisoformat(AS_OF)))
    render = renderer(Format.XLSX)
    timings, data = [], b""
    for _ in range(repeat):
        started = time.perf_counter()
        data = render(report, RenderOptions())
        timings.append(time.perf_counter() - started)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    cells = sum(len(row) for rows in sheets.values() for row in rows)

    def with_openpyxl():
        import openpyxl

        out = openpyxl.Workbook(write_only=True)
        for name, rows in sheets.items():
            sheet = out.create_sheet(name)
            for row in rows:
                sheet.append(row)
        out.save(io.BytesIO())

    def with_xlsxwriter():
        import xlsxwriter

        out = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True, "in_memory": True})
        for name, rows in sheets.items():
            sheet = out.add_worksheet(name)
            for number, row in enumerate(rows):
                sheet.write_row(number, 0, row)
        out.close()

    writers = {}
    for name, write in (("openpyxl write_only", with_openpyxl), ("xlsxwriter", with_xlsxwriter)):
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            write()
            best = min(best, time.perf_counter() - started)
        writers[name] = best
    return {"fellows": len(report.fellows), "cells": cells, "render": min(timings),
            "writers": writers}


# ---------------------------------------------------------------- main

TARGETS = ("start", "one", "large", "csv", "audit", "xlsx", "table")
#: Run unless --only names them: slow, and for information only.
OPTIONAL = ("table",)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help=f"smaller inputs ({QUICK.large_rows:,} rows, {QUICK.large_fellows} "
                             f"fellows, {QUICK.audit_files} audit files)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best of)")
    parser.add_argument("--inputs", type=Path, help="keep the inputs in DIR and reuse them")
    parser.add_argument("--only", help=f"comma-separated targets: {', '.join(TARGETS)} "
                                       "(table only when named)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                        help="N for the --jobs target (default: the number of cores)")
    parser.add_argument("--require-all", action="store_true",
                        help="a target whose feature is missing (n/a) fails the run")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to FILE")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.inner == "make-inputs":
        make_inputs(args.inputs, Sizes(**json.loads(args.sizes)))
        return 0
    if args.inner == "xlsx-report":
        print(json.dumps(inner_xlsx_report(args.inputs, args.repeat)))
        return 0

    sizes = QUICK if args.quick else FULL
    temporary = None
    if args.inputs:
        inputs = args.inputs.resolve() / sizes.tag
    else:
        temporary = tempfile.TemporaryDirectory(prefix="fellowcheck-bench-")
        inputs = Path(temporary.name)
    executable = Path(sys.executable).with_name("fellowcheck")
    fellowcheck = [str(executable)] if executable.exists() else (
        [shutil.which("fellowcheck")] if shutil.which("fellowcheck") else
        [sys.executable, "-m", "fellowcheck"])
    only = set(args.only.split(",")) if args.only else set(TARGETS) - set(OPTIONAL)
    unknown = only - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")

    try:
        if only & {"one", "large", "csv", "audit", "xlsx", "table"}:
            ensure_inputs(inputs, sizes)
        compile_bytecode()
        bench = Bench(inputs, args.repeat, args.jobs, fellowcheck)
        print(f"fellowcheck benchmark ({'quick' if args.quick else 'full'}), {machine()}",
              file=sys.stderr, flush=True)
        for name, step in (("start", bench.start), ("one", bench.one_fellow),
                           ("large", bench.large), ("csv", bench.large_csv),
                           ("audit", bench.audit), ("xlsx", bench.xlsx_report),
                           ("table", bench.large_table)):
            if name in only:
                step()
    finally:
        if temporary is not None:
            temporary.cleanup()

    print(f"\nfellowcheck benchmark ({'quick' if args.quick else 'full'}, best of {args.repeat}); "
          f"{machine()}\n")
    print(bench.table())
    for row in bench.rows:
        if row.note:
            print(f"- {row.target}: {row.note}")
    for note in bench.notes:
        print(f"- {note}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "quick": args.quick,
                                         "rows": [r.__dict__ for r in bench.rows],
                                         "notes": bench.notes}, indent=2))
    failed = [r for r in bench.rows if r.status == "FAIL" or
              (args.require_all and r.status == "n/a")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

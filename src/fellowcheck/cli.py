"""The command line: parses options, calls the core, writes the report, picks the exit code.

No rule of the fellowship lives here. Heavy libraries (pandas, openpyxl, calamine) are
imported inside the commands, so `fellowcheck --help` starts instantly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import os
import shutil
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from fellowcheck import __version__
from fellowcheck.errors import ExitCode, FellowcheckError
from fellowcheck.report import (
    SUFFIX_FORMATS, Format, RenderOptions, RequirementsFormat, renderer,
)

if TYPE_CHECKING:
    from fellowcheck.pipeline import CheckOptions
    from fellowcheck.problems import Problem

app = typer.Typer(
    help="Check pain medicine fellowship schedules against the program's rotation requirements.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich's help renderer costs more than the command
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fellowcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """fellowcheck: is every fellow on course to meet the requirements of their track?"""


def LimitOption(name: str, what: str, default: float, kind: type = float):  # noqa: N802
    """A reading limit (README, "Bad and hostile files"); unset keeps fellowcheck's default."""
    return Annotated[Optional[kind], typer.Option(
        name, min=1, metavar="N", show_default=False, rich_help_panel="Reading limits",
        help=f"{what} (default {default:,}).")]


RequirementsOption = Annotated[Optional[Path], typer.Option(
    "--requirements", metavar="FILE",
    help="Requirement table to check against (default: the packaged data/requirements.csv).")]


ConfigOption = Annotated[Optional[Path], typer.Option(
    "--config", metavar="FILE", help="Settings file [default: fellowcheck.toml or "
    "[tool.fellowcheck] in pyproject.toml, from this folder upwards].")]


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help="Schedule files (.xlsx, .xlsm, .ods, .csv, .tsv) or folders.",
        show_default=False)],
    track: Annotated[Optional[str], typer.Option(
        help="Track for fellows whose rows give none: anesthesia, non-anesthesia or pmr, or "
        "a base specialty (Neurology, PM&R, ...).")] = None,
    fellow: Annotated[Optional[list[str]], typer.Option(
        metavar="NAME", help="Report only this fellow (repeatable); one name also names the "
        "fellow of a sheet without a Fellow column, when one file is checked.")] = None,
    as_of: Annotated[Optional[dt.date], typer.Option(
        "--as-of", parser=lambda text: _as_of(text), metavar="YYYY-MM-DD",
        help="Split dated rows into completed and scheduled at this date [default: today].")
    ] = None,
    day_first: Annotated[Optional[bool], typer.Option(
        "--day-first/--month-first", show_default=False,
        help="Read dates such as 6/7/2026 as day/month [default: month/day].")] = None,
    sheet: Annotated[Optional[list[str]], typer.Option(
        metavar="NAME", help="Read only this sheet (repeatable).")] = None,
    block_weeks: Annotated[Optional[int], typer.Option(
        "--block-weeks", min=1, max=52, metavar="N",
        help="Weeks per block-grid column labelled Block N (Week N columns are a week); "
        "a grid of Block N columns without it is error FC129.")] = None,
    academic_year_start: Annotated[Optional[str], typer.Option(
        "--academic-year-start", metavar="MM-DD",
        help="First day of the academic year [default: 07-01].")] = None,
    requirements: RequirementsOption = None,
    config: ConfigOption = None,
    output_format: Annotated[Optional[Format], typer.Option(
        "--format", "-f", help="Report format [default: table, or from --output's suffix].",
        case_sensitive=False)] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="FILE", help="Write the report to FILE instead of stdout.")
    ] = None,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Show only the audit grid and the summary line.")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, metavar="N",
        help="Read files in N parallel processes [default: the number of cores].")] = None,
    strict: Annotated[Optional[bool], typer.Option(
        "--strict/--no-strict", show_default=False, help="Exit 1 on warnings too.")] = None,
    require_complete: Annotated[Optional[bool], typer.Option(
        "--require-complete/--allow-scheduled", show_default=False,
        help="Exit 1 unless every requirement is already met (for end-of-year audits).")
    ] = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Say which sheets were read, as what, and which were skipped.")
    ] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colors.")] = False,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show Python tracebacks (also FELLOWCHECK_DEBUG=1).")] = False,
    max_file_mb: LimitOption("--max-file-mb", "Largest schedule file read, in MB", 50) = None,
    max_unpacked_mb: LimitOption("--max-unpacked-mb", "Largest unpacked workbook, in MB",
                                 500) = None,
    max_rows: LimitOption("--max-rows", "Most rows of a sheet", 1_000_000, int) = None,
    max_columns: LimitOption("--max-columns", "Most columns of a sheet", 1_000, int) = None,
    max_cells: LimitOption("--max-cells", "Most cells (rows x columns) of a sheet",
                           10_000_000, int) = None,
    max_line_kb: LimitOption("--max-line-kb", "Longest line of a CSV file, in KB", 1024) = None,
) -> None:
    """Check schedules and report each fellow's gaps.

    Exit status: 0 all requirements met or on track; 1 a gap (or, with --strict, a warning;
    with --require-complete, anything not yet met); 2 a file or row could not be read;
    3 a bug in fellowcheck.
    """
    debug = debug or os.environ.get("FELLOWCHECK_DEBUG", "") not in ("", "0")
    try:
        from fellowcheck.limits import ReadLimits
        from fellowcheck.pipeline import CheckOptions

        try:
            settings = _settings(config)
            table = _requirement_table(requirements or settings.requirements)
            track = (_track(track, table) if track is not None
                     else _settings_track(settings, table))
        except FellowcheckError as error:
            _report_unchecked(error.problems, as_of or dt.date.today(), output_format, output,
                              [*paths, *filter(None, (requirements, config))], no_color)
            raise
        if verbose and settings.source:
            typer.echo(f"note: settings from {settings.source}", err=True)
        options = CheckOptions(
            as_of=as_of or dt.date.today(), track=track,
            fellows=tuple(fellow or ()), day_first=_pick(day_first, settings.day_first, False),
            sheets=tuple(sheet or ()), block_weeks=_pick(block_weeks, settings.block_weeks),
            jobs=jobs or _cores(),
            year_start=_year_start(academic_year_start) or settings.academic_year_start
            or (7, 1),
            limits=ReadLimits.from_options(
                max_file_mb=max_file_mb, max_unpacked_mb=max_unpacked_mb, max_rows=max_rows,
                max_columns=max_columns, max_cells=max_cells, max_line_kb=max_line_kb))
        protected = [Path(table.source), Path(table.source).with_name("specialties.csv"),
                     *([Path(settings.source)] if settings.source else [])]
        code = _check(paths, table, options, output_format, output, summary, verbose, no_color,
                      protected=protected, strict=_pick(strict, settings.strict, False),
                      require_complete=_pick(require_complete, settings.require_complete, False))
    except FellowcheckError as error:
        _print_problems(error.problems)
        code = ExitCode.ERROR
    except (KeyboardInterrupt, SystemExit, typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except BaseException:  # noqa: BLE001 - the one place a bug becomes a message (a Rust
        if debug:  # reader's panic is a BaseException, so it is caught here too)
            traceback.print_exc()
        typer.echo(f"fellowcheck {__version__}: internal error (this is a bug; please report it "
                   "with the command you ran). Run with --debug for details.", err=True)
        code = ExitCode.INTERNAL
    raise typer.Exit(int(code))


def _check(paths: list[Path], table, options: CheckOptions, output_format: Format | None,
           output: Path | None, summary_only: bool, verbose: bool, no_color: bool, *,
           protected: list[Path], strict: bool, require_complete: bool) -> ExitCode:
    from fellowcheck.pipeline import run_check
    from fellowcheck.report.words import plural
    from fellowcheck.policy import Policy
    from fellowcheck.verdict import exit_code, policy_failures, summarize

    fmt = _output_format(output_format, output)
    if output is not None:
        _refuse_overwriting_inputs(output, paths, protected)
    elif fmt is Format.XLSX and sys.stdout.isatty():
        raise typer.BadParameter("an xlsx report is a file: give --output FILE.xlsx",
                                 param_hint="--format")
    if output is not None:
        options = dataclasses.replace(options, exclude=(output,))
    with _progress_bar(paths) as progress:
        report = run_check(paths, table, options, progress)
    if verbose:
        for note in report.notes:
            typer.echo(f"note: {note}", err=True)
    policy = Policy(strict=strict, require_complete=require_complete)
    render_options = dataclasses.replace(_render_options(output is None, no_color),
                                         summary_only=summary_only, verbose=verbose,
                                         policy=policy)
    _emit(renderer(fmt)(report, render_options), fmt, output)
    if fmt is Format.CSV:  # a CSV report has no place for problems: they go to stderr
        for item in report.all_problems:
            typer.echo(f"{item.severity.value}: {item}", err=True)
    if fmt is not Format.TABLE or output is not None:
        summary = summarize(report)
        fails = "".join(f"; fails {reason}" for reason in policy_failures(report, policy))
        typer.echo(f"fellowcheck: {plural(summary.fellows, 'fellow')}, "
                   f"{summary.by_status['gap']} with gaps, {plural(summary.errors, 'error')}, "
                   f"{plural(summary.warnings, 'warning')}{fails}", err=True)
    return exit_code(report, policy)


def _report_unchecked(problems: list[Problem], as_of: dt.date, output_format: Format | None,
                      output: Path | None, protected: list[Path], no_color: bool) -> None:
    """A settings or requirement-table error, in the report format asked for, too (it also
    goes to stderr): CI reads its annotations or JUnit file, which would otherwise be
    missing. The report has no fellows; the run's exit status is 2."""
    from fellowcheck.model import Report

    with contextlib.suppress(FellowcheckError, typer.BadParameter):
        fmt = _output_format(output_format, output)
        if output is None and (fmt is Format.TABLE or fmt is Format.XLSX and sys.stdout.isatty()):
            return
        if output is not None:
            _refuse_overwriting_inputs(output, protected, [])
        report = Report(fellows=(), problems=tuple(problems), as_of=as_of,
                        requirements_source="")
        _emit(renderer(fmt)(report, _render_options(output is None, no_color)), fmt, output)


def _emit(rendered: str | bytes, fmt: Format, output: Path | None) -> None:
    """A rendered report to stdout, or to `output` whole."""
    if output is None:
        _write_stdout(rendered)
    else:
        # A CSV file is mailed and opened in Excel, which reads UTF-8 only after a BOM.
        write_atomically(output, "\ufeff" + rendered if fmt is Format.CSV else rendered)


def _track(given: str | None, table) -> str | None:
    """A track id from --track: the id itself or a base specialty (PM&R, Neurology, ...)."""
    if given is None:
        return None
    track = _track_id(given, table)
    if track is None:
        raise typer.BadParameter(_not_a_track(given, table), param_hint="--track")
    return track


def _track_id(name: str, table) -> str | None:
    from fellowcheck.text import match_key

    return table.specialties.get(match_key(name))


def _not_a_track(name: str, table) -> str:
    return f"{name!r} is not a track or a known base specialty; use one of " \
        f"{', '.join(table.tracks)}"


def _settings_track(settings, table) -> str | None:
    """The track the settings file gives, checked against the requirement table in use (an
    unknown one is the settings file's error, not --track's)."""
    if settings.track is None:
        return None
    track = _track_id(settings.track, table)
    if track is None:
        from fellowcheck.problems import Location, problem

        raise FellowcheckError(problem(
            "config-error", f"track = {_not_a_track(settings.track, table)}",
            Location(settings.source)))
    return track


def _output_format(given: Format | None, output: Path | None) -> Format:
    """--format, else the format --output's suffix names; a mismatch is a usage error."""
    if output is None:
        return given or Format.TABLE
    implied = SUFFIX_FORMATS.get(output.suffix.lower())
    if given is None:
        if implied is None:
            known = ", ".join(sorted(SUFFIX_FORMATS))
            raise typer.BadParameter(
                f"cannot tell the format from {output.name!r}; name the file with one of "
                f"{known}, or give --format", param_hint="--output")
        return implied
    if implied is not None and implied is not given:
        raise typer.BadParameter(
            f"--format {given.value} does not match the suffix of {output.name!r} "
            f"({implied.value}); change one of them", param_hint="--output")
    return given


def _pick(given, setting, default=None):
    """The command line wins over the settings file, which wins over the default."""
    if given is not None:
        return given
    return setting if setting is not None else default


#: The settings `requirements` and `template` use: a wrong `block_weeks` is check's concern.
TABLE_ONLY = frozenset({"requirements"})


def _settings(config: Path | None, only: frozenset[str] | None = None):
    """The settings file's settings (`only` those keys, for a command that uses no others)."""
    from fellowcheck.config import Settings, find_config, load_settings

    path = config or find_config(Path.cwd())
    return load_settings(path, only) if path is not None else Settings()


def _as_of(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        pass
    parts = text.strip().split("-")
    if len(parts) == 3 and all(part.isdigit() for part in parts) and len(parts[0]) == 4:
        raise typer.BadParameter(f"{text} is not a real date")
    raise typer.BadParameter(f"{text!r} is not a date written YYYY-MM-DD, such as 2026-11-25")


def _year_start(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    from fellowcheck.config import parse_month_day

    parsed = parse_month_day(text)
    if parsed is None:
        raise typer.BadParameter(f"{text!r} is not a month and day such as 07-01",
                                 param_hint="--academic-year-start")
    return parsed


def _requirement_table(path: Path | None):
    from fellowcheck.requirements import load_requirements

    return load_requirements(path)


@app.command("requirements")
def requirements_command(
    track: Annotated[Optional[str], typer.Option(help="Show only this track.")] = None,
    requirements: RequirementsOption = None,
    output_format: Annotated[RequirementsFormat, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="table (for reading), csv (the table's own format: --requirements reads it back), "
        "json or markdown.")] = RequirementsFormat.TABLE,
    config: ConfigOption = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colors.")] = False,
) -> None:
    """Print the requirement table in use."""
    from fellowcheck.report.requirements_export import render_requirements_as
    from fellowcheck.requirements import load_requirements

    try:
        table = load_requirements(requirements or _settings(config, TABLE_ONLY).requirements)
    except FellowcheckError as error:
        _print_problems(error.problems)
        raise typer.Exit(int(ExitCode.ERROR))
    track = _track(track, table)
    _write_stdout(render_requirements_as(table, output_format, track,
                                         _render_options(True, no_color)))


@app.command("template")
def template_command(
    output: Annotated[Path, typer.Argument(
        metavar="OUT.xlsx", help="The workbook to write.", show_default=False)],
    fellow: Annotated[Optional[list[str]], typer.Option(
        metavar="NAME:TRACK", help="Put this fellow on the roster (repeatable); the track is "
        "a track of the table or a base specialty (NAME alone leaves it to fill in).")] = None,
    requirements: RequirementsOption = None,
    config: ConfigOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT.xlsx if it exists.")
                     ] = False,
) -> None:
    """Write a schedule workbook to fill in: roster, schedule with dropdowns, instructions."""
    from fellowcheck.requirements import load_requirements
    from fellowcheck.template import build_template, parse_fellows

    if output.suffix.lower() != ".xlsx":
        raise typer.BadParameter(f"{output} must end in .xlsx", param_hint="OUT.xlsx")
    if output.is_dir() or (output.exists() and not force):
        what = "is a folder" if output.is_dir() else "exists; pass --force to overwrite it"
        raise typer.BadParameter(f"{output} {what}", param_hint="OUT.xlsx")
    try:
        table = load_requirements(requirements or _settings(config, TABLE_ONLY).requirements)
    except FellowcheckError as error:
        _print_problems(error.problems)
        raise typer.Exit(int(ExitCode.ERROR))
    try:
        fellows = parse_fellows(list(fellow or ()), table)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--fellow")
    try:
        write_atomically(output, build_template(table, fellows))
    except FellowcheckError as error:
        _print_problems(error.problems)
        raise typer.Exit(int(ExitCode.ERROR))
    count = f"{len(fellows)} fellow{'' if len(fellows) == 1 else 's'} on the roster"
    typer.echo(f"fellowcheck: wrote {output} ({count}); fill it in, then run: "
               f"fellowcheck check {output}", err=True)


def _cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the
    machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _render_options(to_stdout: bool, no_color: bool) -> RenderOptions:
    """Colors only on a terminal, unless --no-color or NO_COLOR; the terminal's width."""
    to_terminal = to_stdout and sys.stdout.isatty()
    color = to_terminal and not no_color and "NO_COLOR" not in os.environ
    width = shutil.get_terminal_size((120, 24)).columns if to_terminal else 120
    return RenderOptions(color=color, width=width)


def _print_problems(problems: list[Problem]) -> None:
    for item in problems:
        typer.echo(f"error: {item}", err=True)


def _write_stdout(rendered: str | bytes) -> None:
    try:
        if isinstance(rendered, bytes):
            sys.stdout.buffer.write(rendered)
        else:
            sys.stdout.write(rendered)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped reading (`| head`): the rest of the report is not wanted, and the
        # exit status still says what the check found. Python's own flush at exit must not
        # fail again on the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


#: Inputs at least this large say on a terminal that they are being checked (a 10 MB
#: workbook takes seconds), until the report is ready.
SLOW_INPUT_BYTES = 2 * 1024 * 1024


@contextlib.contextmanager
def _progress_bar(paths: list[Path]):
    """A progress callback that draws a bar on stderr, only on a terminal and for many files;
    for large files, a line saying what is being checked until the report is ready."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(),
                   console=Console(stderr=True), transient=True)
    task = None
    waiting = _slow_input_line(paths)
    if waiting:
        sys.stderr.write(waiting)
        sys.stderr.flush()

    def clear_line() -> None:
        nonlocal waiting
        if waiting:
            sys.stderr.write("\r\x1b[K")  # back to the line's start, and erase it
            sys.stderr.flush()
            waiting = ""

    def advance(done: int, total: int) -> None:
        nonlocal task
        if total < 2:
            return
        if task is None:
            clear_line()
            bar.start()
            task = bar.add_task("reading", total=total)
        bar.update(task, completed=done)

    try:
        yield advance
    finally:
        bar.stop()
        clear_line()


def _slow_input_line(paths: list[Path]) -> str:
    """"checking large.xlsx (9.7 MB)..." for files given that are large together; "" else
    (folders are not walked here: their many files get the bar)."""
    sizes = []
    for path in paths:
        with contextlib.suppress(OSError):
            if path.is_file():
                sizes.append(path.stat().st_size)
    total = sum(sizes)
    if total < SLOW_INPUT_BYTES:
        return ""
    what = paths[0].name if len(paths) == 1 else f"{len(paths)} files"
    return f"checking {what} ({total / 1024 / 1024:.1f} MB)..."


def _refuse_overwriting_inputs(output: Path, inputs: list[Path], protected: list[Path]) -> None:
    """Never write a report over a schedule, the requirement table or the settings file. A
    report kept in an input folder may be replaced by a new one (it is not read as input)."""
    target = output.resolve()
    for path in [*protected, *(p for p in inputs if not p.is_dir())]:
        if path.exists() and path.resolve() == target:
            raise typer.BadParameter(f"{output} is one of fellowcheck's inputs; choose another "
                                     "name", param_hint="--output")
    in_a_folder = any(p.is_dir() and target.is_relative_to(p.resolve()) for p in inputs)
    if in_a_folder and target.is_file() and not _is_report(target):
        raise typer.BadParameter(f"{output} is a schedule in an input folder; choose another "
                                 "name", param_hint="--output")


def _is_report(path: Path) -> bool:
    """Whether `path` is one of fellowcheck's own reports (which a new report may replace)."""
    from fellowcheck.inputs import is_candidate
    from fellowcheck.reading import is_fellowcheck_report
    from fellowcheck.reading.sheets import read_sheets

    if not is_candidate(path):
        return True  # not something fellowcheck would read: a .json or .md report, say
    try:
        return is_fellowcheck_report(read_sheets(path))
    except FellowcheckError:
        return False


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place, so a crash or
    Ctrl-C never leaves half a report and an old report is replaced only by a whole one.
    A device such as /dev/stdout is written directly. Faults are FellowcheckErrors."""
    import stat
    import tempfile

    from fellowcheck.problems import Location, problem

    data = content.encode("utf-8") if isinstance(content, str) else content
    where = Location(str(path))
    if path.is_dir():
        raise FellowcheckError(problem("report-unwritable", f"{path} is a folder; give a file "
                                       "name for the report", where))
    directory = path.resolve().parent
    if not directory.is_dir():
        raise FellowcheckError(problem("report-unwritable", f"the folder {directory} does not "
                                       "exist; create it first", where))
    try:
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            with path.open("wb") as device:
                device.write(data)
            return
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=directory)
    except OSError as exc:
        raise FellowcheckError(problem("report-unwritable", f"cannot write {path}: "
                                       f"{exc.strerror or exc}", where)) from exc
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        # mkstemp makes the file private; a report is read by colleagues, so give it the
        # mode a newly created file would have (or the mode of the report it replaces).
        umask = os.umask(0)
        os.umask(umask)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise FellowcheckError(problem("report-unwritable", f"cannot write {path}: "
                                       f"{exc.strerror or exc}", where)) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


#: The collector's first threshold while fellowcheck runs (Python's default is 700), as mypy
#: sets it. A check makes millions of objects that live until it ends (pandas' modules, a
#: list per spreadsheet row) and almost no reference cycles, so the default's frequent passes
#: over them cost time and free nothing: 15% of a one-fellow check, 10% of a 500,000-row one.
GC_THRESHOLD = (200_000, 30, 30)


def main() -> None:
    """The `fellowcheck` command. `check` reports its own bugs; this catches the others'."""
    gc.set_threshold(*GC_THRESHOLD)
    try:
        app()
    except Exception:  # noqa: BLE001 - the last place a bug becomes a message, not a traceback
        if os.environ.get("FELLOWCHECK_DEBUG", "") not in ("", "0"):
            traceback.print_exc()
        typer.echo(f"fellowcheck {__version__}: internal error (this is a bug; please report it "
                   "with the command you ran). Set FELLOWCHECK_DEBUG=1 for details.", err=True)
        sys.exit(int(ExitCode.INTERNAL))
    finally:
        # Nothing is left to free: spare the interpreter's last pass over every object
        # (about 50 ms after pandas is imported).
        gc.freeze()

"""Fuzzing: mutated sample workbooks and CSV files must give a report or a clean error (exit 0,
1 or 2, no traceback) every time, within a time limit per file.

The normal run tries FUZZ_CASES mutations (fixed seed, so a failure repeats); a longer run:

    FELLOWCHECK_FUZZ=5000 python -m pytest tests/test_fuzz.py      # FELLOWCHECK_FUZZ_SEED=n too

Cases run in a forked worker process that reports each case before and after it: a case
that hangs past CASE_TIMEOUT, or that kills the process (a Rust abort, say), is named with
its input saved beside the test's temporary files, so it can be replayed with
`fellowcheck check FILE`.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import random
import zipfile
from pathlib import Path

import pytest

from .hostile import (
    GOOD_ROW, HEADER, ods_rows, rows_xml, sheet_xml, write_ods, write_xlsx_parts,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FUZZ_CASES = int(os.environ.get("FELLOWCHECK_FUZZ", "200"))
SEED = int(os.environ.get("FELLOWCHECK_FUZZ_SEED", "20261125"))
#: Seconds one case may take (the samples take milliseconds; a hang takes forever).
CASE_TIMEOUT = 20.0
#: The worker's address space: a case that tries to allocate more fails inside it.
MEMORY_LIMIT = 3 * 1024 ** 3


def seeds(folder: Path) -> list[tuple[str, bytes]]:
    found = [(p.name, p.read_bytes()) for p in sorted(SAMPLES.iterdir())
             if p.suffix in (".xlsx", ".csv")]
    ods = write_ods(folder / "seed.ods", ods_rows([HEADER, GOOD_ROW, GOOD_ROW]))
    faults = write_xlsx_parts(folder / "seed-faults.xlsx", [sheet_xml(
        rows_xml([HEADER, GOOD_ROW]) + '<row r="3"><c r="A3" t="inlineStr"><is><t>Dr. Ana Lima'
        '</t></is></c><c r="C3" t="e"><v>#REF!</v></c><c r="D3"><f>1/0</f></c></row>')])
    return found + [("seed.ods", ods.read_bytes()), ("seed-faults.xlsx", faults.read_bytes())]


# --- mutations ---

def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        kind = rng.randrange(6)
        at = rng.randrange(len(data)) if data else 0
        if kind == 0 and data:  # flip bits
            data[at] ^= 1 << rng.randrange(8)
        elif kind == 1 and data:  # a random byte
            data[at] = rng.randrange(256)
        elif kind == 2:  # insert interesting bytes
            data[at:at] = rng.choice([b"\x00", b"\xff\xfe", b'"', b",", b"\n", b"\r", b"\t",
                                      b";", b"\xe2\x80\xae", b"\x1b[2J", b"#REF!", b"=1/0",
                                      b"1e308", b"-0", b"NaN", b"9" * 40, b"<", b"&lol;"])
        elif kind == 3 and data:  # delete a run
            del data[at:at + rng.randint(1, 64)]
        elif kind == 4 and data:  # duplicate a run
            run = data[at:at + rng.randint(1, 256)]
            data[at:at] = run * rng.randint(1, 20)
        elif kind == 5:  # truncate
            del data[rng.randrange(len(data) + 1):]
    return bytes(data)


def mutate_zip_parts(data: bytes, rng: random.Random) -> bytes:
    """Unpack the workbook, mutate one XML part, pack it again: the damage reaches the XML
    parsers instead of stopping at the zip's CRC."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [(info, archive.read(info)) for info in archive.infolist()]
    except zipfile.BadZipFile:
        return mutate_bytes(data, rng)
    xml = [i for i, (info, _) in enumerate(parts) if info.filename.endswith((".xml", ".rels"))]
    if not xml:
        return mutate_bytes(data, rng)
    chosen = rng.choice(xml)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (info, body) in enumerate(parts):
            if i == chosen:
                body = _mutate_xml(body, rng)
            archive.writestr(info.filename, body)
    return out.getvalue()


def _mutate_xml(body: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:  # a reference somewhere far
        return body.replace(b'r="B', rng.choice([b'r="XFD', b'r="b', b'r="$B', b'r="', b'r="B9']),
                            rng.randint(1, 3))
    if choice == 1:  # a type attribute changed
        return body.replace(b't="s"', rng.choice([b't="e"', b't="n"', b't="b"', b't="d"',
                                                  b't="str"', b't="x"']), rng.randint(1, 5))
    if choice == 2:  # a value made strange
        return body.replace(b"<v>", rng.choice([b"<v>-", b"<v>1e308", b"<v>NaN", b"<v>#REF!",
                                                b"<v>99999999999", b"<f>1/0</f><v>"]),
                            rng.randint(1, 5))
    return mutate_bytes(body, rng)


def cases(folder: Path, count: int, seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    pool = seeds(folder)
    made = []
    for number in range(count):
        name, data = rng.choice(pool)
        zipped = name.endswith((".xlsx", ".ods"))
        mutated = (mutate_zip_parts(data, rng) if zipped and rng.random() < 0.5
                   else mutate_bytes(data, rng))
        made.append((f"{number:05d}-{name}", mutated))
    return made


# --- running them ---

def _worker(connection, folder: str, batch: list[tuple[str, bytes]]) -> None:
    import resource

    from typer.testing import CliRunner

    from fellowcheck.cli import app

    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ValueError, OSError):
        pass
    runner = CliRunner()
    for index, (name, data) in enumerate(batch):
        path = Path(folder) / name
        path.write_bytes(data)
        connection.send(("start", index))
        result = runner.invoke(app, ["check", str(path), "--as-of", "2026-11-25", "--format",
                                     "json", "--jobs", "1"])
        clean = result.exception is None or isinstance(result.exception, SystemExit)
        connection.send(("done", index, result.exit_code, "Traceback" in result.output, clean,
                         repr(result.exception)[:300], result.output[-600:]))
        path.unlink()
    connection.send(("finished",))


def run_cases(folder: Path, batch: list[tuple[str, bytes]]) -> list[str]:
    """Failures, one line each (the failing input is kept in `folder`)."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_worker, args=(child, str(folder), batch), daemon=True)
    process.start()
    child.close()
    failures: list[str] = []
    current = None
    try:
        while True:
            if not parent.poll(CASE_TIMEOUT):
                failures.append(f"{_keep(folder, batch, current)}: no answer in {CASE_TIMEOUT}s "
                                "(a hang)")
                break
            try:
                message = parent.recv()
            except EOFError:
                failures.append(f"{_keep(folder, batch, current)}: the process died "
                                f"(exit {process.exitcode})")
                break
            if message[0] == "finished":
                break
            if message[0] == "start":
                current = message[1]
                continue
            _, index, code, traceback, clean, exception, output = message
            if code not in (0, 1, 2) or traceback or not clean:
                failures.append(f"{_keep(folder, batch, index)}: exit {code}, {exception}, "
                                f"output ...{output}")
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
    return failures


def _keep(folder: Path, batch, index) -> str:
    if index is None:
        return "(before the first case)"
    name, data = batch[index]
    kept = folder / f"failing-{name}"
    kept.write_bytes(data)
    return str(kept)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                    reason="the fuzz worker is forked")
def test_mutated_samples_give_a_report_or_a_clean_error(tmp_path):
    batch = cases(tmp_path, FUZZ_CASES, SEED)
    failures = []
    # after a hang or a crash the worker is gone: start again after the failing case
    remaining = batch
    while remaining:
        found = run_cases(tmp_path, remaining)
        failures += found
        if not found or not any("hang" in f or "died" in f for f in found):
            break
        last = found[-1].split(":", 1)[0]
        done = next((i for i, (name, _) in enumerate(remaining) if last.endswith(name)), None)
        if done is None:
            break
        remaining = remaining[done + 1:]
    assert not failures, "\n".join(failures)


def test_mutations_are_reproducible(tmp_path):
    assert cases(tmp_path, 5, 7) == cases(tmp_path, 5, 7)
    assert cases(tmp_path, 5, 7) != cases(tmp_path, 5, 8)

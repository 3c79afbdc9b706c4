"""What fails a run besides errors and gaps: `--strict` and `--require-complete`.

A module of its own, with no imports, so that the output formats can take a policy without
loading the checking code when the command only starts (`--help`, `--version`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Policy:
    """What fails a run besides errors and gaps: any warning (`strict`), or anything not
    yet met (`require_complete`, for an end-of-year check)."""

    strict: bool = False
    require_complete: bool = False

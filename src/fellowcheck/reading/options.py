"""What reading a schedule file is told by the command line (no pandas: worker processes
that only read cells import it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fellowcheck.limits import DEFAULT_LIMITS, ReadLimits


@dataclass(frozen=True, slots=True)
class ReadOptions:
    day_first: bool = False
    track: str | None = None  # the track for fellows whose rows give none
    fellow: str | None = None  # the fellow's name when the sheet has no fellow column
    as_of: dt.date | None = None  # dates block-grid columns labelled Week 1.. without a roster
    #: weeks per block-grid column labelled Block N; None: not given (a week, with FC129)
    block_weeks: int | None = None
    year_start: tuple[int, int] = (7, 1)  # (month, day) the academic year starts
    limits: ReadLimits = DEFAULT_LIMITS  # how much of a file is read (reading.safety)

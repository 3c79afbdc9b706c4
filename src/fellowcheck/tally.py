"""From normalised entries to each fellow's totals: splitting time at the as-of date,
settling each fellow's track, and summing per rotation.

Vectorised with numpy and pandas: the columns are factorised once (fellow, rotation, track,
file), every per-row step is an array operation, and Python loops run once per fellow or per
(fellow, rotation) pair, never once per row. Sums use pandas' grouped sum (compensated, in row
order), so totals do not depend on how the rows are grouped.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from fellowcheck.model import FellowSchedule, RequirementTable, Unit
from fellowcheck.problems import Location, Problem, problem
from fellowcheck.reading.values import factorize, map_distinct


def tally(entries: pd.DataFrame, table: RequirementTable, as_of: dt.date,
          default_track: str | None = None, uncounted: np.ndarray | None = None,
          counted_from: np.ndarray | None = None) -> tuple[list[FellowSchedule], list[Problem]]:
    """Each fellow's completed and scheduled time per rotation, in order of first appearance.

    Rows without a fellow (reported when read) belong to no one and are left out; rows marked
    `uncounted` (repeats, see integrity) give their fellow a track and a file, but no time;
    a row with a `counted_from` date (not NaT) counts only its weekdays from that date on
    (the rest is an earlier row's: see `integrity.Integrity`)."""
    problems: list[Problem] = []
    if len(entries) == 0:
        return [], problems
    fellow_codes, fellow_names = factorize(entries["fellow"].to_numpy(dtype=object))
    names = list(fellow_names)
    columns = _Columns(entries)
    tracks = _settle_tracks(entries, fellow_codes, names, columns, table, default_track,
                            problems)

    start, weekdays, quantity = time_from(
        counted_from, entries["start"].to_numpy("datetime64[D]"),
        entries["end"].to_numpy("datetime64[D]"), entries["weekdays"].to_numpy(dtype=float),
        entries["quantity"].to_numpy(dtype=float))
    status = entries["status"].to_numpy(dtype=object)
    counted = (status != "cancelled") & (quantity > 0) & (fellow_codes >= 0)
    if uncounted is not None:
        counted &= ~uncounted
    rows = np.flatnonzero(counted)
    share = _completed_share(
        status[rows], start[rows], entries["end"].to_numpy("datetime64[D]")[rows],
        weekdays[rows], as_of, quantity[rows] * days_per_unit(entries, table)[rows])
    completed_time = quantity[rows] * share
    scheduled_time = quantity[rows] * (1 - share)

    # Per (fellow, rotation) pair, in order of first appearance.
    rotation = entries["rotation_id"].to_numpy(dtype=object)[rows]
    rotation_codes, rotation_ids = pd.factorize(rotation)
    has_rotation = rotation_codes >= 0
    pair_of_row = (fellow_codes[rows][has_rotation].astype(np.int64) * max(len(rotation_ids), 1)
                   + rotation_codes[has_rotation])
    pair_codes, pairs = pd.factorize(pair_of_row)
    sums = pd.DataFrame({"completed": completed_time[has_rotation],
                         "scheduled": scheduled_time[has_rotation]}).groupby(
        pair_codes, sort=False).sum()
    pair_rows = rows[has_rotation]
    first = _first_of_each(pair_codes)
    first_file, first_sheet, first_row = (
        columns.first_present(values, pair_rows, pair_codes, len(pairs), first)
        for values in (columns.file, columns.sheet, columns.row))

    completed: dict[int, dict[str, float]] = {}
    scheduled: dict[int, dict[str, float]] = {}
    locations: dict[int, dict[str, Location]] = {}
    width = max(len(rotation_ids), 1)
    for pair, done, planned, file, sheet, row in zip(
            pairs.tolist(), sums["completed"].tolist(), sums["scheduled"].tolist(),
            first_file, first_sheet, first_row):
        fellow, rotation_id = divmod(pair, width)
        rotation_id = rotation_ids[rotation_id]
        completed.setdefault(fellow, {})[rotation_id] = done
        scheduled.setdefault(fellow, {})[rotation_id] = planned
        locations.setdefault(fellow, {})[rotation_id] = Location(
            file, sheet=sheet if isinstance(sheet, str) else None, row=int(row))

    leave = entries["leave"].to_numpy(dtype=bool)[rows]
    vacation = entries["vacation"].to_numpy(dtype=bool)[rows] & leave
    leave_weeks = _sum_by_fellow(quantity[rows][leave], fellow_codes[rows][leave])
    leave_taken = _sum_by_fellow(completed_time[leave], fellow_codes[rows][leave])
    vacation_weeks = _sum_by_fellow(quantity[rows][vacation], fellow_codes[rows][vacation])
    sources = _sources(fellow_codes, columns.file)

    fellows = []
    for code, fellow in enumerate(names):
        fellows.append(FellowSchedule(
            fellow=fellow, track=tracks.get(code),
            completed=completed.get(code, {}), scheduled=scheduled.get(code, {}),
            leave_weeks=leave_weeks.get(code, 0.0),
            vacation_weeks=vacation_weeks.get(code, 0.0),
            leave_taken_weeks=leave_taken.get(code, 0.0),
            sources=sources.get(code, ()), locations=locations.get(code, {})))
    return fellows, problems


class _Columns:
    """The location columns as object arrays, and the first present value per group."""

    def __init__(self, entries: pd.DataFrame):
        self.file = entries["file"].to_numpy(dtype=object)
        self.sheet = entries["sheet"].to_numpy(dtype=object)
        self.row = entries["row"].to_numpy(dtype=object)

    @staticmethod
    def first_present(values: np.ndarray, rows: np.ndarray, groups: np.ndarray,
                      count: int, first: np.ndarray) -> list:
        """Per group (0..count-1), the first value in row order that is not missing, else
        NaN: what pandas' GroupBy.first() gives. `first`: each group's first position."""
        if count == 0:
            return []
        candidates = values[rows[first]]
        if not pd.isna(candidates).any():  # the usual case: each group's first row has one
            return candidates.tolist()
        result = np.full(count, np.nan, dtype=object)
        picked = values[rows]
        present = ~pd.isna(picked)
        groups_present = groups[present]
        found, first_found = np.unique(groups_present, return_index=True)
        result[found] = picked[present][first_found]
        return result.tolist()


def _first_of_each(codes: np.ndarray) -> np.ndarray:
    """The first position of each code in `codes`, numbered in order of first appearance (as
    pd.factorize numbers them): where the running maximum grows."""
    if len(codes) == 0:
        return np.zeros(0, dtype=np.intp)
    highest = np.maximum.accumulate(codes)
    return np.flatnonzero(np.r_[True, highest[1:] > highest[:-1]])


def _sum_by_fellow(values: np.ndarray, fellows: np.ndarray) -> dict[int, float]:
    if len(values) == 0:
        return {}
    sums = pd.Series(values).groupby(fellows, sort=False).sum()
    return dict(zip(sums.index.tolist(), sums.tolist()))


def _sources(fellow_codes: np.ndarray, files: np.ndarray) -> dict[int, tuple[str, ...]]:
    """Each fellow's files, in order of first appearance."""
    file_codes, file_names = factorize(files, use_na_sentinel=False)
    valid = np.flatnonzero(fellow_codes >= 0)
    pairs = fellow_codes[valid].astype(np.int64) * max(len(file_names), 1) + file_codes[valid]
    _, first = np.unique(pairs, return_index=True)
    order = np.sort(first)
    sources: dict[int, list[str]] = {}
    for fellow, file in zip(fellow_codes[valid][order].tolist(), file_codes[valid][order].tolist()):
        sources.setdefault(fellow, []).append(str(file_names[file]))
    return {fellow: tuple(files) for fellow, files in sources.items()}


def time_from(counted_from: np.ndarray | None, start: np.ndarray, end: np.ndarray,
              weekdays: np.ndarray, quantity: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's start, weekdays and quantity when only its weekdays from `counted_from`
    (a date per row, NaT for the whole row) count: a row whose time is its dates keeps the
    share of its quantity that its remaining weekdays are (none, from after its end)."""
    if counted_from is None or np.isnat(counted_from).all():
        return start, weekdays, quantity
    later = ~np.isnat(counted_from)
    start, weekdays, quantity = start.copy(), weekdays.copy(), quantity.copy()
    begin, stop = counted_from[later], end[later] + np.timedelta64(1, "D")
    remaining = np.busday_count(begin, np.maximum(begin, stop)).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        quantity[later] *= np.where(weekdays[later] > 0, remaining / weekdays[later], 0.0)
    start[later], weekdays[later] = begin, remaining
    return start, weekdays, quantity


def days_per_unit(entries: pd.DataFrame, table: RequirementTable) -> np.ndarray:
    """Weekdays in one unit of each row's quantity (5 for a week); NaN for conferences."""
    per_rotation = {r.id: r.unit.days or np.nan for r in table.requirements}
    days = map_distinct(entries["rotation_id"],
                        lambda rotation: per_rotation.get(rotation, np.nan)).astype(float)
    return np.where(entries["leave"].to_numpy(dtype=bool), Unit.WEEK.days, days)  # leave: weeks


def _completed_share(status: np.ndarray, start: np.ndarray, end: np.ndarray,
                     weekdays: np.ndarray, as_of: dt.date,
                     length_days: np.ndarray | None = None) -> np.ndarray:
    """The share of each row's time that is completed by the end of `as_of`.

    A status decides; without one, a dated row is split by weekdays up to and including
    `as_of`; a row with an amount and one date is split by weekdays counted from its start
    (or back from its end), taking the amount as that many weekdays; an undated row is
    completed.
    """
    cutoff = np.datetime64(as_of, "D")
    share = np.ones(len(status))
    dated = ~np.isnan(weekdays)
    if dated.any():
        done_until = np.minimum(end[dated], cutoff) + np.timedelta64(1, "D")
        done = np.busday_count(start[dated], np.maximum(done_until, start[dated]))
        with np.errstate(invalid="ignore", divide="ignore"):
            split = np.where(weekdays[dated] > 0, done / weekdays[dated],
                             (start[dated] <= cutoff).astype(float))
        share[dated] = split
    if length_days is None:
        length_days = np.full(len(status), np.nan)
    timed = length_days > 0  # False for NaN (conferences)
    start_only = ~dated & ~np.isnat(start)
    done = np.busday_count(start[start_only], np.maximum(cutoff + np.timedelta64(1, "D"),
                                                         start[start_only]))
    with np.errstate(invalid="ignore", divide="ignore"):
        share[start_only] = np.where(timed[start_only],
                                     np.clip(done / length_days[start_only], 0, 1),
                                     (start[start_only] <= cutoff).astype(float))
    end_only = ~dated & np.isnat(start) & ~np.isnat(end)
    left = np.busday_count(np.minimum(cutoff + np.timedelta64(1, "D"),
                                      end[end_only] + np.timedelta64(1, "D")),
                           end[end_only] + np.timedelta64(1, "D"))
    with np.errstate(invalid="ignore", divide="ignore"):
        share[end_only] = np.where(timed[end_only],
                                   np.clip(1 - left / length_days[end_only], 0, 1),
                                   (end[end_only] <= cutoff).astype(float))
    share[status == "completed"] = 1.0
    share[status == "scheduled"] = 0.0
    return share


def _settle_tracks(entries: pd.DataFrame, fellow_codes: np.ndarray, names: list,
                   columns: _Columns, table: RequirementTable, default_track: str | None,
                   problems: list[Problem]) -> dict[int, str]:
    """One track per fellow (by fellow code): the track their rows give, else `default_track`.

    A fellow given two or more tracks gets the first, and a conflicting-tracks error located
    at the first row of the second track."""
    track = entries["track"].to_numpy(dtype=object)
    given = np.flatnonzero(~pd.isna(track) & (fellow_codes >= 0))
    track_codes, _ = pd.factorize(track[given])
    width = int(track_codes.max()) + 1 if len(given) else 1
    pairs = fellow_codes[given].astype(np.int64) * width + track_codes
    _, first = np.unique(pairs, return_index=True)
    distinct = given[np.sort(first)]  # first row of each (fellow, track), in row order
    fellow_of = fellow_codes[distinct]
    tracks: dict[int, str] = {}
    conflicting = []
    counts = np.bincount(fellow_of, minlength=len(names))
    for code, row in zip(fellow_of.tolist(), distinct.tolist()):
        if code not in tracks:
            tracks[code] = track[row]
            if counts[code] > 1:
                conflicting.append(code)
    for code in conflicting:
        rows = distinct[fellow_of == code]
        second = rows[1]
        fellow = names[code]
        problems.append(problem(
            "conflicting-tracks",
            f"{fellow} is given the tracks {', '.join(repr(track[r]) for r in rows)}; "
            f"{tracks[code]!r} (the first) is used",
            Location(columns.file[second], sheet=_text(columns.sheet[second]),
                     row=int(columns.row[second])), fellow=fellow))
    missing = [code for code in range(len(names)) if code not in tracks]
    if missing and default_track:
        for code in missing:
            tracks[code] = default_track
    elif missing:
        codes, first_rows = np.unique(fellow_codes, return_index=True)
        first_row_of = dict(zip(codes.tolist(), first_rows.tolist()))
        for code in missing:
            first = first_row_of[code]
            problems.append(problem(
                "missing-track",
                f"no track for {names[code]} (the tracks are {', '.join(table.tracks)}, or "
                "give the base specialty)",
                Location(columns.file[first], sheet=_text(columns.sheet[first])),
                fellow=names[code]))
    return tracks


def _text(value) -> str | None:
    return value if isinstance(value, str) else None

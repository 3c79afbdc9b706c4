"""From normalised entries to each fellow's totals: splitting time at the as-of date,
settling each fellow's track, and summing per rotation. Vectorised with pandas."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from fellowcheck.model import FellowSchedule, RequirementTable
from fellowcheck.problems import Location, Problem, problem


def tally(entries: pd.DataFrame, table: RequirementTable, as_of: dt.date,
          default_track: str | None = None) -> tuple[list[FellowSchedule], list[Problem]]:
    """Each fellow's completed and scheduled time per rotation, in order of first appearance."""
    problems: list[Problem] = []
    if len(entries) == 0:
        return [], problems
    tracks = _settle_tracks(entries, table, default_track, problems)
    counted = entries[entries["status"].ne("cancelled") & entries["quantity"].gt(0)]
    completed_share = _completed_share(counted, as_of)
    counted = counted.assign(completed=counted["quantity"] * completed_share,
                             scheduled=counted["quantity"] * (1 - completed_share))

    rotations = counted[counted["rotation_id"].notna()]
    totals = rotations.groupby(["fellow", "rotation_id"], sort=False)[
        ["completed", "scheduled"]].sum()
    first_rows = rotations.groupby(["fellow", "rotation_id"], sort=False)[
        ["file", "sheet", "row"]].first()
    on_leave = counted[counted["leave"].astype(bool)]
    leave = on_leave.groupby("fellow", sort=False)["quantity"].sum()
    vacation = on_leave[on_leave["vacation"].astype(bool)].groupby(
        "fellow", sort=False)["quantity"].sum()
    sources = entries.groupby("fellow", sort=False)["file"].unique()

    completed: dict[str, dict[str, float]] = {}
    scheduled: dict[str, dict[str, float]] = {}
    for (fellow, rotation_id), done, planned in zip(totals.index, totals["completed"],
                                                    totals["scheduled"]):
        completed.setdefault(fellow, {})[rotation_id] = float(done)
        scheduled.setdefault(fellow, {})[rotation_id] = float(planned)
    locations: dict[str, dict[str, Location]] = {}
    for (fellow, rotation_id), file, sheet, row in zip(
            first_rows.index, first_rows["file"], first_rows["sheet"], first_rows["row"]):
        locations.setdefault(fellow, {})[rotation_id] = Location(
            file, sheet=sheet if isinstance(sheet, str) else None, row=int(row))

    fellows = []
    for fellow in pd.unique(entries["fellow"]):
        fellows.append(FellowSchedule(
            fellow=fellow, track=tracks.get(fellow),
            completed=completed.get(fellow, {}), scheduled=scheduled.get(fellow, {}),
            leave_weeks=float(leave.get(fellow, 0.0)),
            vacation_weeks=float(vacation.get(fellow, 0.0)),
            sources=tuple(str(s) for s in sources.get(fellow, ())),
            locations=locations.get(fellow, {})))
    return fellows, problems


def _completed_share(entries: pd.DataFrame, as_of: dt.date) -> np.ndarray:
    """The share of each row's time that is completed by the end of `as_of`.

    A status decides; without one, a dated row is split by weekdays up to and including
    `as_of`, a row with only a start date is completed once it has started, and an undated
    row is completed.
    """
    status = entries["status"].to_numpy(dtype=object)
    start = entries["start"].to_numpy("datetime64[D]")
    end = entries["end"].to_numpy("datetime64[D]")
    weekdays = entries["weekdays"].to_numpy(dtype=float)
    cutoff = np.datetime64(as_of, "D")

    share = np.ones(len(entries))
    dated = ~np.isnan(weekdays)
    if dated.any():
        done_until = np.minimum(end[dated], cutoff) + np.timedelta64(1, "D")
        done = np.busday_count(start[dated], np.maximum(done_until, start[dated]))
        with np.errstate(invalid="ignore", divide="ignore"):
            split = np.where(weekdays[dated] > 0, done / weekdays[dated],
                             (start[dated] <= cutoff).astype(float))
        share[dated] = split
    start_only = ~dated & ~np.isnat(start)
    share[start_only] = (start[start_only] <= cutoff).astype(float)
    share[status == "completed"] = 1.0
    share[status == "scheduled"] = 0.0
    return share


def _settle_tracks(entries: pd.DataFrame, table: RequirementTable, default_track: str | None,
                   problems: list[Problem]) -> dict[str, str]:
    """One track per fellow: the track their rows give, else `default_track`."""
    given = entries.loc[entries["track"].notna(), ["fellow", "track", "file", "sheet", "row"]]
    distinct = given.drop_duplicates(["fellow", "track"])
    tracks: dict[str, str] = {}
    for fellow, group in distinct.groupby("fellow", sort=False):
        tracks[fellow] = group["track"].iloc[0]
        if len(group) > 1:
            second = group.iloc[1]
            problems.append(problem(
                "conflicting-tracks",
                f"{fellow} is given the tracks {', '.join(map(repr, group['track']))}; "
                f"{tracks[fellow]!r} (the first) is used",
                Location(second["file"], sheet=_text(second["sheet"]), row=int(second["row"])),
                fellow=fellow))
    for fellow in pd.unique(entries["fellow"]):
        if fellow in tracks:
            continue
        if default_track:
            tracks[fellow] = default_track
        else:
            first = entries[entries["fellow"] == fellow].iloc[0]
            problems.append(problem(
                "missing-track",
                f"no track for {fellow}: add a Track column (anesthesia, non-anesthesia, pmr or "
                f"the base specialty) or pass --track {'|'.join(table.tracks)}",
                Location(first["file"], sheet=_text(first["sheet"])), fellow=fellow))
    return tracks


def _text(value) -> str | None:
    return value if isinstance(value, str) else None

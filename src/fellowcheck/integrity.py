"""Schedule integrity: the mistakes that make a fellow fall short without anyone noticing.

Each rule takes the normalised entries (see reading.entries.ENTRY_COLUMNS) that count, with
the columns `check_integrity` adds (label, unit_days), and yields warnings; all are vectorised
with pandas. They are warnings, so `--strict` fails CI on them. A dated entry given twice is
also counted once (`Integrity.repeats`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fellowcheck.model import RequirementTable, Unit
from fellowcheck.problems import Location, Problem, problem
from fellowcheck.reading.grid import academic_year_starts, next_academic_year_starts
from fellowcheck.reading.values import factorize
from fellowcheck.tally import days_per_unit, time_from
from fellowcheck.text import amount_text

#: The weeks of a year of undated rows (a dated academic year holds its weekdays / 5).
WEEKS_IN_YEAR = 52
#: At most this many warnings of one rule per fellow; a badly shifted year says enough.
PER_FELLOW = 10


@dataclass(frozen=True, slots=True)
class Integrity:
    """The integrity warnings of a table of entries, and the rows whose time is not to be
    counted (`repeats`, a mask): dated block rotations and leave that repeat an earlier row.
    The same dates of a block are the same time, counted once, so a row pasted twice cannot
    hide a shortfall. Undated rows that repeat may be two stints of equal length, and a
    rotation alongside the blocks may have two sessions on a day: they count, with a
    warning. The rows stay in the table: their track and file still count."""

    problems: list[Problem]
    repeats: np.ndarray
    #: per row, the first day of its time that counts (NaT: all of it): a block rotation (or
    #: leave) whose dates overlap an earlier row's of the same rotation counts only the
    #: weekdays after that row's, as a fellow is in one MIPS block at a time
    counted_from: np.ndarray | None = None


def check_integrity(entries: pd.DataFrame, roster: pd.DataFrame, table: RequirementTable,
                    as_of: dt.date, year_start: tuple[int, int] = (7, 1)) -> Integrity:
    repeats = np.zeros(len(entries), dtype=bool)
    if len(entries) == 0:
        return Integrity([], repeats)
    # The rules group by fellow many times: as a categorical, the names are hashed once.
    entries = entries.assign(fellow=_categorical(entries["fellow"]))
    is_counted = ((entries["rotation_id"].notna() | entries["leave"].astype(bool))
                  & entries["status"].ne("cancelled")).to_numpy()
    counted = entries[is_counted]
    names = {r.id: r.rotation for r in table.requirements}
    # label: the rotation's name for messages; unit_days: weekdays in one unit of the row's
    # quantity (NaN for conferences), which several rules need.
    counted = counted.assign(label=counted["rotation_id"].map(names).fillna("leave"),
                             unit_days=days_per_unit(counted, table))
    concurrent = {r.id for r in table.requirements if r.concurrent}
    is_block = ~counted["rotation_id"].isin(concurrent).to_numpy()
    keys = _entry_keys(counted)
    repeated = pd.Series(keys).duplicated(keep="first").to_numpy()
    dated = (counted["start"].notna() | counted["end"].notna()).to_numpy()
    once = repeated & (dated & is_block | _copied_files(counted, keys, repeated))
    repeats[np.flatnonzero(is_counted)[once]] = True
    # A row that repeats an earlier one is a duplicate (FC143), and no other rule warns of it
    # again: the earlier row's warnings say it all.
    # (Most schedules repeat nothing: then no copy of the table is made for the first rows.)
    first = counted[~repeated] if repeated.any() else counted
    first_block = is_block[~repeated]
    blocks = first[first_block]  # a frame of its own: a column is added in place
    shared_from = _counted_from(blocks)
    blocks["shared"] = ~np.isnat(shared_from)
    counted_from = np.full(len(entries), np.datetime64("NaT"), dtype="datetime64[D]")
    counted_from[np.flatnonzero(is_counted)[np.flatnonzero(~repeated)[first_block]]] = \
        shared_from
    # The blocks as counted: repeats counted twice (undated) are in, those counted once out.
    counted_blocks = blocks if not repeated.any() else counted[is_block & ~once]
    found: list[Problem] = []
    for rule in (overlaps(blocks), outside_year(first, roster, year_start),
                 too_many_weeks(_counted_time(counted_blocks,
                                              counted_from[is_counted][is_block & ~once]),
                                year_start),
                 duplicates(counted, keys, repeated, once), status_against_dates(first, as_of),
                 one_date_alongside_blocks(first[~first_block], table, as_of),
                 amount_beyond_dates(first, table), roster_dates_disagree(roster)):
        found.extend(rule)
    return Integrity(found, repeats, counted_from)


#: A file of this many rows or more that repeats an earlier file row for row is a copy
#: ("Copy of ..."): all its time is counted once, dated or not.
COPY_ROWS = 3


def _copied_files(counted: pd.DataFrame, keys: np.ndarray, repeated: np.ndarray
                  ) -> np.ndarray:
    """Per row: whether its file is a copy of an earlier file, row for row: the same entries
    (`keys`), as many times each, COPY_ROWS or more of them."""
    if repeated.sum() < COPY_ROWS:
        return np.zeros(len(counted), dtype=bool)
    files, _ = factorize(counted["file"].to_numpy(dtype=object))
    order = np.lexsort((keys, files))  # by file (in order of appearance), then entry
    by_file, sorted_keys = files[order], keys[order]
    bounds = np.flatnonzero(np.r_[True, by_file[1:] != by_file[:-1], True])
    copy = np.zeros(files.max() + 1, dtype=bool)
    seen: set[bytes] = set()
    for first, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):  # a step per file
        entries = sorted_keys[first:end].tobytes()
        copy[by_file[first]] = end - first >= COPY_ROWS and entries in seen
        seen.add(entries)
    return copy[files]


def _counted_from(blocks: pd.DataFrame) -> np.ndarray:
    """Per row of `blocks`, the day after the last day that earlier rows of the same fellow
    and rotation (or kind of leave) reach, when the row starts before it and its time is its
    dates (no amount of its own); else NaT. Earlier: by start, then end."""
    result = np.full(len(blocks), np.datetime64("NaT"), dtype="datetime64[D]")
    start = blocks["start"].to_numpy("datetime64[D]")
    end = blocks["end"].to_numpy("datetime64[D]")
    weekdays = blocks["weekdays"].to_numpy(dtype=float)
    days = blocks["quantity"].to_numpy(dtype=float) * blocks["unit_days"].to_numpy(dtype=float)
    from_dates = (weekdays > 0) & (np.abs(days - weekdays) < 1e-6)  # NaN (undated): False
    if from_dates.sum() < 2:
        return result
    rows = np.flatnonzero(from_dates)
    # One integer per (fellow, rotation, vacation or not), rows sorted by it, then by dates:
    # all three packed in one integer, so that one sort does (days fit in 18 bits: dates are
    # read from 1900 to 2100).
    fellows = blocks["fellow"].cat.codes.to_numpy()[rows].astype(np.int64) + 1
    rotations, _ = factorize(blocks["label"].to_numpy(dtype=object)[rows])
    group = (fellows * (rotations.max() + 1) + rotations) * 2 \
        + blocks["vacation"].to_numpy(dtype=bool)[rows]
    day_zero = np.datetime64("1900-01-01", "D")
    first_day = (start[rows] - day_zero).astype(np.int64)
    last_day = (end[rows] - day_zero).astype(np.int64)
    order = np.argsort((group << 36) | (first_day << 18) | last_day, kind="stable")
    group, first_day, last_day, rows = group[order], first_day[order], last_day[order], rows[order]
    # The furthest end so far within each group, as one running maximum: each group's ends are
    # lifted above every earlier group's (days since 1900 stay below 10**6 until year 4600).
    lift = (group - group[0]) * 10**6
    reach = np.maximum.accumulate(last_day + lift) - lift
    same_group = np.r_[False, group[1:] == group[:-1]]
    before = np.r_[0, reach[:-1]]
    shared = same_group & (before >= first_day)
    result[rows[shared]] = day_zero + (before[shared] + 1).astype("timedelta64[D]")
    return result


def _counted_time(blocks: pd.DataFrame, counted_from: np.ndarray) -> pd.DataFrame:
    """`blocks` with each row's quantity as tally counts it (see `_counted_from`)."""
    if np.isnat(counted_from).all():
        return blocks
    _, _, quantity = time_from(counted_from, blocks["start"].to_numpy("datetime64[D]"),
                               blocks["end"].to_numpy("datetime64[D]"),
                               blocks["weekdays"].to_numpy(dtype=float),
                               blocks["quantity"].to_numpy(dtype=float))
    return blocks.assign(quantity=quantity)


def _categorical(names: pd.Series) -> pd.Categorical:
    """`pd.Categorical(names)` (categories sorted, missing names -1), made from
    `values.factorize`, which groups the shared name objects by identity."""
    codes, distinct = factorize(names.to_numpy(dtype=object))
    order = np.array(sorted(range(len(distinct)), key=distinct.__getitem__), dtype=np.intp)
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    present = codes >= 0
    sorted_codes = np.full(len(codes), -1, dtype=np.intp)
    sorted_codes[present] = rank[codes[present]]
    return pd.Categorical.from_codes(sorted_codes,
                                     categories=pd.Index(distinct[order], dtype=names.dtype))


def _where(row) -> Location:
    sheet = row["sheet"] if isinstance(row["sheet"], str) else None
    return Location(row["file"], sheet=sheet, row=int(row["row"]))


def _name(row) -> str:
    return row["label"]


def _records(frame: pd.DataFrame, columns: tuple[str, ...]):
    """A function giving one row of `frame` as a dict, by position: cheap for the few rows
    that warn, where DataFrame.loc or iterrows would cost a Series each. The columns keep
    their own dtypes: turning a date column into objects makes a Timestamp per row."""
    arrays = {name: frame[name].to_numpy() for name in columns}

    def record(position: int) -> dict:
        return {name: values[position] for name, values in arrays.items()}

    return record


def _per_row(by_fellow: pd.Series, fellows: pd.Series) -> np.ndarray:
    """A value per fellow (indexed by name) spread to the rows of a categorical column."""
    # A row without a fellow (code -1) gets a missing value, not the last fellow's.
    return pd.api.extensions.take(by_fellow.reindex(fellows.cat.categories).to_numpy(),
                                  fellows.cat.codes.to_numpy(), allow_fill=True)


def _limited_mask(entries: pd.DataFrame, mask: np.ndarray) -> np.ndarray:
    """`mask` with at most PER_FELLOW rows kept per fellow."""
    kept = np.zeros(len(mask), dtype=bool)
    chosen = np.flatnonzero(mask)
    if len(chosen):
        fellows = entries["fellow"].to_numpy(dtype=object)[chosen]
        rank = pd.Series(fellows).groupby(fellows, sort=False).cumcount().to_numpy()
        kept[chosen[rank < PER_FELLOW]] = True
    return kept


def _more(kind: str, frame: pd.DataFrame, flagged, what: str = "rows like these"
          ) -> Iterator[Problem]:
    """For each fellow past the PER_FELLOW warnings of a rule (`flagged`: a mask of `frame`'s
    rows, in the order listed), one warning that counts the rows not listed, so that none go
    unsaid; it stands at the first of them."""
    positions = np.flatnonzero(np.asarray(flagged, dtype=bool))
    if len(positions) <= PER_FELLOW:
        return
    fellows = pd.Series(frame["fellow"].to_numpy(dtype=object)[positions])
    rank = fellows.groupby(fellows.to_numpy(), sort=False).cumcount().to_numpy()
    counts = fellows.value_counts(sort=False)
    record = _records(frame, ("fellow", "file", "sheet", "row"))
    for position in positions[rank == PER_FELLOW]:
        row = record(position)
        more = counts[row["fellow"]] - PER_FELLOW
        yield problem(kind, f"{row['fellow']}: {more} more {what}, not listed (only "
                      f"{PER_FELLOW} are); this row is the first of them", _where(row),
                      fellow=row["fellow"])


def _limited(frame: pd.DataFrame) -> pd.DataFrame:
    if len(frame) <= PER_FELLOW:  # the usual case, nothing to warn of: no grouping
        return frame
    return frame[frame.groupby("fellow", sort=False).cumcount() < PER_FELLOW]


def overlaps(blocks: pd.DataFrame) -> Iterator[Problem]:
    """Two block rotations (or leave) of one fellow that share a weekday (time is counted in
    weekdays: a block ending on a Saturday and one starting that day do not overlap)."""
    dated = blocks.loc[blocks["start"].notna() & blocks["end"].notna() & (blocks["weekdays"] > 0),
                       ["fellow", "label", "file", "sheet", "row", "start", "end", "shared"]]
    if len(dated) < 2:
        return
    ordered = dated.sort_values(["fellow", "start", "end"], kind="stable").reset_index(drop=True)
    by_fellow = ordered.groupby("fellow", sort=False)
    reach = by_fellow["end"].cummax()
    # The position of the row that reaches furthest so far: where the running maximum is set.
    sets_reach = ordered["end"] == reach
    furthest = pd.Series(np.where(sets_reach, np.arange(len(ordered)), np.nan)) \
        .groupby(ordered["fellow"], sort=False).ffill()
    furthest_before = furthest.groupby(ordered["fellow"], sort=False).shift(1)
    latest_before = reach.groupby(ordered["fellow"], sort=False).shift(1)
    clash = (ordered["start"] <= latest_before).to_numpy().copy()  # read-only under CoW
    # Of the rows whose dates overlap, those that share a weekday (the first weekday from the
    # start, the last up to the furthest end before): only these few rows are rolled.
    maybe = np.flatnonzero(clash)
    clash[maybe] = (
        np.busday_offset(ordered["start"].to_numpy("datetime64[D]")[maybe], 0, "forward")
        <= np.busday_offset(latest_before.to_numpy("datetime64[D]")[maybe], 0, "backward"))
    record = _records(ordered, ("fellow", "label", "file", "sheet", "row", "start", "end",
                                "shared"))
    furthest_before = furthest_before.to_numpy()
    for position in np.flatnonzero(_limited_mask(ordered, clash)):
        row = record(position)
        # The clash is with the earlier row of this fellow that reaches furthest.
        before = record(int(furthest_before[position]))
        other = before["label"]
        place = f"row {int(before['row'])}"
        if before["file"] != row["file"] or before["sheet"] != row["sheet"]:
            place += f" of {_place(before)}"
        once = ""
        if row["shared"]:
            once = ("; the weekdays they share are counted once" if other == _name(row) else
                    f"; the weekdays it shares with an earlier {_name(row)} row are counted once")
        yield problem(
            "schedule-overlap",
            f"{row['fellow']}: {_name(row)} from {_day(row['start'])} to {_day(row['end'])} "
            f"overlaps {other} ({place}){once}", _where(row), fellow=row["fellow"])
    yield from _more("schedule-overlap", ordered, clash, "overlaps")


def roster_dates_disagree(roster: pd.DataFrame) -> Iterator[Problem]:
    """A fellow whose fellowship dates two rosters give differently (a file per academic
    year, say): the first is used, and which one that is depends on the files' order."""
    dated = roster.dropna(subset=["start"]) if len(roster) else roster
    if len(dated) < 2:
        return
    first_seen: dict[str, tuple] = {}
    for fellow, start, end, file, sheet, row in zip(
            dated["fellow"], dated["start"], dated["end"], dated["file"], dated["sheet"],
            dated["row"]):
        dates = (_day(start), _day(end) if pd.notna(end) else None)
        if fellow not in first_seen:
            first_seen[fellow] = (dates, file)
            continue
        used, used_file = first_seen[fellow]
        if dates != used:
            yield problem(
                "conflicting-dates",
                f"{fellow}'s fellowship is {_span(dates)} here but {_span(used)} on the roster "
                f"of {Path(str(used_file)).name}; the first is used",
                Location(str(file), sheet=sheet if isinstance(sheet, str) else None,
                         row=int(row)), fellow=fellow)


def _span(dates: tuple) -> str:
    start, end = dates
    return f"{start} to {end}" if end else f"from {start}"


def outside_year(entries: pd.DataFrame, roster: pd.DataFrame,
                 year_start: tuple[int, int] = (7, 1)) -> Iterator[Problem]:
    """Time before the fellowship starts or after it ends: the roster's dates, else the
    academic year (July 1 to June 30 unless set) that holds most of the fellow's dated
    weekdays (the earliest such year on a tie): a first rotation begun a few days before
    July 1 is one row outside the year, not all the others."""
    dated = entries[entries["start"].notna()]
    if len(dated) == 0:
        return
    first = _main_academic_years(dated, year_start)
    begins = first.to_numpy("datetime64[D]")
    last_days = next_academic_year_starts(begins, year_start) - np.timedelta64(1, "D")
    year_start = pd.Series(begins, index=first.index)
    year_end = pd.Series(last_days, index=first.index)
    source = pd.Series("the academic year", index=first.index)
    if len(roster):
        given = roster.dropna(subset=["start"]).drop_duplicates("fellow").set_index("fellow")
        for fellow in given.index.intersection(first.index):
            year_start[fellow] = pd.Timestamp(given.at[fellow, "start"])
            source[fellow] = "the fellowship on the roster"
            end = given.at[fellow, "end"]
            year_end[fellow] = (pd.Timestamp(end) if pd.notna(end)
                                else year_start[fellow] + pd.DateOffset(years=1, days=-1))
    starts = _per_row(year_start, dated["fellow"])
    ends = _per_row(year_end, dated["fellow"])
    last_day = dated["end"].fillna(dated["start"])
    # Time is counted in weekdays: a week column that runs to Sunday past a year (or a
    # fellowship) ending on Friday is inside it. A row of weekend days alone keeps its dates.
    # Only the few rows whose dates reach outside are rolled to their weekdays.
    first, last = dated["start"].to_numpy("datetime64[D]"), last_day.to_numpy("datetime64[D]")
    starts, ends = starts.astype("datetime64[D]"), ends.astype("datetime64[D]")
    outside = (first < starts) | (last > ends)
    maybe = np.flatnonzero(outside)
    first_weekday = np.busday_offset(first[maybe], 0, roll="forward")
    last_weekday = np.busday_offset(last[maybe], 0, roll="backward")
    has_weekday = first_weekday <= last_weekday
    outside[maybe] = (np.where(has_weekday, first_weekday, first[maybe]) < starts[maybe]) | (
        np.where(has_weekday, last_weekday, last[maybe]) > ends[maybe])
    for _, row in _limited(dated[outside]).iterrows():
        fellow = row["fellow"]
        yield problem(
            "outside-fellowship-year",
            f"{fellow}: {_name(row)} from {_day(row['start'])} to {_day(last_day[_])} falls "
            f"outside {source[fellow]} ({_day(year_start[fellow])} to {_day(year_end[fellow])})",
            _where(row), fellow=fellow)
    yield from _more("outside-fellowship-year", dated, outside, "rows outside the year")


def _main_academic_years(dated: pd.DataFrame, year_start: tuple[int, int]) -> pd.Series:
    """Per fellow (the index), the first day of the academic year that holds most of their
    dated rows' weekdays (a row across two years counts its weekdays in each; a row without
    an end, its first day)."""
    days, distinct = pd.factorize(dated["start"].to_numpy("datetime64[D]"))
    distinct = np.asarray(distinct, dtype="datetime64[D]")
    begins = academic_year_starts(distinct, year_start)
    nexts = next_academic_year_starts(begins, year_start)
    years, year_of = np.unique(np.concatenate([begins, nexts]), return_inverse=True)
    this_year, next_year = year_of[:len(distinct)][days], year_of[len(distinct):][days]
    start = distinct[days]
    end = dated["end"].to_numpy("datetime64[D]")
    stop = np.where(np.isnat(end), start, end) + np.timedelta64(1, "D")
    boundary = nexts[days]
    later = np.busday_count(np.minimum(boundary, stop), stop).astype(float)  # the next year's
    earlier = np.maximum(np.busday_count(start, np.minimum(boundary, stop)), 1e-9)
    fellows = dated["fellow"].cat
    codes = fellows.codes.to_numpy().astype(np.int64)  # int8 below 128 fellows: no overflow
    named = codes >= 0  # a row without a fellow (an error when read) belongs to no one
    # A fellow x year table of weekdays; argmax takes the earliest of equal years.
    keys = np.concatenate([(codes * len(years) + this_year)[named],
                           (codes * len(years) + next_year)[named]])
    totals = np.bincount(keys, weights=np.concatenate([earlier[named], later[named]]),
                         minlength=len(fellows.categories) * len(years))
    totals = totals.reshape(len(fellows.categories), len(years))
    present = totals.sum(axis=1) > 0
    return pd.Series(years[totals.argmax(axis=1)][present].astype("datetime64[ns]"),
                     index=fellows.categories[present])


def too_many_weeks(blocks: pd.DataFrame, year_start: tuple[int, int] = (7, 1)
                   ) -> Iterator[Problem]:
    """More block weeks (leave included) in one academic year than a year holds. Dated rows
    count in the academic year they start in; undated rows in the fellow's first year."""
    if len(blocks) == 0:
        return
    weeks_per = np.nan_to_num(blocks["unit_days"].to_numpy()) / Unit.WEEK.days  # conferences: 0
    weeks = blocks["quantity"].to_numpy(dtype=float) * weeks_per
    starts = blocks["start"].to_numpy("datetime64[D]")
    dated = ~np.isnat(starts)
    days, distinct_days = pd.factorize(starts[dated])  # a year of rows has few distinct days
    begins = academic_year_starts(np.asarray(distinct_days, dtype="datetime64[D]"), year_start)
    year = np.full(len(blocks), np.nan)
    year[dated] = (begins.astype("datetime64[Y]").astype(np.int64) + 1970)[days]
    fellows, names = pd.factorize(blocks["fellow"])
    # An undated row counts in its fellow's first year; a fellow with no dated row in none (0).
    first_year = pd.Series(year).groupby(fellows, sort=False).transform("min").to_numpy()
    year = np.nan_to_num(np.where(dated, year, first_year), nan=0.0).astype(np.int64)
    totals = pd.Series(weeks).groupby([fellows, year], sort=False).sum()
    weekdays_in = _weekdays_in_years(np.unique(begins), year_start)
    limits = np.array([weekdays_in[y] / 5 if y else WEEKS_IN_YEAR
                       for y in totals.index.get_level_values(1)], dtype=float)
    too_many = totals[totals.to_numpy() > limits + 1e-6]
    if too_many.empty:
        return
    first_rows = blocks.drop_duplicates("fellow").set_index("fellow")
    for (code, academic_year), total in too_many.items():
        fellow = names[code]
        first = first_rows.loc[fellow]
        if academic_year:
            weekdays = weekdays_in[academic_year]
            holds = (f" in {academic_year}-{academic_year + 1}, which holds {weekdays / 5:g} "
                     f"({weekdays} weekdays)")
        else:
            holds = f"; a year holds {WEEKS_IN_YEAR}"
        yield problem(
            "too-many-weeks", f"{fellow} has {total:g} weeks of block rotations and leave{holds}",
            Location(first["file"], sheet=first["sheet"]
                     if isinstance(first["sheet"], str) else None),
            fellow=fellow)


def _weekdays_in_years(begins: np.ndarray, year_start: tuple[int, int]) -> dict[int, int]:
    """The weekdays of each academic year beginning on one of `begins` (datetime64[D]), by
    the calendar year it begins in: 260 to 262 from July 1 to June 30."""
    ends = next_academic_year_starts(begins, year_start)
    counts = np.busday_count(begins, ends)
    years = begins.astype("datetime64[Y]").astype(np.int64) + 1970
    return dict(zip(years.tolist(), counts.tolist()))


_ENTRY_KEY = ["fellow", "rotation_id", "leave", "vacation", "quantity", "start", "end",
              "status"]
#: A combined key past this is made small again (renumbered) before another column joins it.
_KEY_LIMIT = 2 ** 31


def _entry_keys(entries: pd.DataFrame) -> np.ndarray:
    """What makes two entries the same (fellow, rotation, time, dates, status) as one integer
    per row: each column's codes (a missing value is a code of its own) combined, so that
    equal entries have equal keys and only integers are hashed."""
    keys = np.zeros(len(entries), dtype=np.int64)
    span = 1
    for name in _ENTRY_KEY:
        codes, uniques = pd.factorize(entries[name], use_na_sentinel=False)
        if span > _KEY_LIMIT:
            keys, distinct = pd.factorize(keys)
            span = len(distinct)
        keys = keys * max(len(uniques), 1) + codes
        span *= max(len(uniques), 1)
    return keys


def duplicates(entries: pd.DataFrame, keys: np.ndarray, repeated: np.ndarray,
               once: np.ndarray) -> Iterator[Problem]:
    """The same entry on two rows: `repeated` marks each row equal to an earlier one (by
    `keys`, from `_entry_keys`), `once` those whose time is not counted again."""
    if not repeated.any():
        return
    # The first row of each group of equal entries, so its file and sheet are known.
    group, _ = pd.factorize(keys)
    groups, first_index = np.unique(group, return_index=True)
    first_position = np.zeros(group.max() + 1, dtype=np.int64)
    first_position[groups] = first_index  # the earliest row of each group
    record = _records(entries, ("fellow", "label", "file", "sheet", "row", "start", "end"))
    # Repeats counted twice are listed apart from those counted once: they change totals.
    twice = repeated & ~once
    listed = _limited_mask(entries, twice) | _limited_mask(entries, once)
    for position in np.flatnonzero(listed):
        row, first = record(position), record(first_position[group[position]])
        place = f"row {int(first['row'])}"
        if first["file"] != row["file"] or first["sheet"] != row["sheet"]:
            place += f" of {_place(first)}"
        if once[position] and not (pd.notna(row["start"]) or pd.notna(row["end"])):
            counted = "is counted once (its file repeats an earlier file row for row: a copy)"
        elif once[position]:
            counted = "is counted once (the same dates)"
        elif pd.notna(row["start"]) or pd.notna(row["end"]):
            counted = "is counted too (a rotation alongside the blocks may meet twice a day)"
        else:
            counted = "is counted too (no dates tell them apart)"
        yield problem(
            "duplicate-entry", f"{row['fellow']}: this {row['label']} entry repeats {place} "
            f"and {counted}",
            _where(row), fellow=row["fellow"])
    yield from _more("duplicate-entry", entries, twice, "repeated rows counted too")
    yield from _more("duplicate-entry", entries, once, "repeated rows counted once")


def status_against_dates(entries: pd.DataFrame, as_of: dt.date) -> Iterator[Problem]:
    cutoff = pd.Timestamp(as_of)
    ends = entries["end"]
    future = entries["status"].eq("completed") & ends.notna() & (ends > cutoff)
    past = entries["status"].eq("scheduled") & ends.notna() & (ends < cutoff)
    if not (future.any() or past.any()):
        return
    for _, row in _limited(entries[future]).iterrows():
        yield problem(
            "completed-in-future", f"{row['fellow']}: {_name(row)} is marked completed but ends "
            f"{_day(row['end'])}, after the as-of date {as_of.isoformat()}", _where(row),
            fellow=row["fellow"])
    yield from _more("completed-in-future", entries, future.to_numpy())
    for _, row in _limited(entries[past]).iterrows():
        yield problem(
            "scheduled-in-past", f"{row['fellow']}: {_name(row)} is marked scheduled but ended "
            f"{_day(row['end'])}, before the as-of date {as_of.isoformat()}", _where(row),
            fellow=row["fellow"])
    yield from _more("scheduled-in-past", entries, past.to_numpy())


def one_date_alongside_blocks(alongside: pd.DataFrame, table: RequirementTable,
                              as_of: dt.date) -> Iterator[Problem]:
    """A rotation that runs alongside the blocks (continuity clinic, say) given an amount of
    more than a day and one date but no status, that date's side of the as-of date leaving
    the split unknown: its time is split as that many weekdays in a row from the date,
    which such a rotation seldom is."""
    cutoff = pd.Timestamp(as_of)
    started = alongside["start"].notna() & alongside["end"].isna() \
        & (alongside["start"] <= cutoff)
    unfinished = alongside["end"].notna() & alongside["start"].isna() \
        & (alongside["end"] > cutoff)
    rows = alongside[(started | unfinished) & alongside["status"].isna()]
    if len(rows) == 0:
        return
    units = {r.id: r.unit for r in table.requirements}
    # More than a day (a conference, which has no length, counts as one).
    days = rows["quantity"].to_numpy(dtype=float) * np.nan_to_num(rows["unit_days"].to_numpy(),
                                                                  nan=1.0)
    for _, row in _limited(rows[days > 1]).iterrows():
        unit = units[row["rotation_id"]]
        amount = amount_text(row["quantity"], unit.value)
        if pd.notna(row["start"]):
            when, taken = f"from {_day(row['start'])}", "from it"
        else:
            when, taken = f"until {_day(row['end'])}", "up to it"
        if unit.days:
            span = (f"its {amount} are taken as {row['quantity'] * unit.days:g} weekdays in a "
                    f"row {taken}")
        else:
            span = (f"all its {amount} count as completed" if pd.notna(row["start"])
                    else f"none of its {amount} counts as completed yet")
        yield problem(
            "one-date-alongside-blocks",
            f"{row['fellow']}: {_name(row)} {when} has one date and no status, so {span}; "
            "a rotation alongside the blocks seldom runs that way", _where(row),
            fellow=row["fellow"])
    yield from _more("one-date-alongside-blocks", rows, days > 1)


def amount_beyond_dates(entries: pd.DataFrame, table: RequirementTable) -> Iterator[Problem]:
    """A row whose amount is more time than its dates hold (2 weeks from Monday to Friday):
    one of them is wrong, and the amount is what counts."""
    weekdays = entries["weekdays"].to_numpy(dtype=float)
    candidates = np.flatnonzero(weekdays > 0)
    if not len(candidates):
        return
    days = (entries["quantity"].to_numpy(dtype=float)
            * entries["unit_days"].to_numpy())[candidates]  # NaN for conferences: never beyond
    beyond = np.zeros(len(entries), dtype=bool)
    beyond[candidates[days > weekdays[candidates] + 1e-6]] = True
    record = _records(entries, ("fellow", "label", "file", "sheet", "row", "start", "end",
                                "weekdays", "quantity", "rotation_id", "leave"))
    for position in np.flatnonzero(_limited_mask(entries, beyond)):
        row = record(position)
        unit = "week" if row["leave"] else table.by_id(row["rotation_id"]).unit.value
        yield problem(
            "amount-beyond-dates",
            f"{row['fellow']}: {_name(row)} gives {amount_text(row['quantity'], unit)}, more than "
            f"the {amount_text(row['weekdays'], 'weekday')} from {_day(row['start'])} to "
            f"{_day(row['end'])} {'holds' if row['weekdays'] == 1 else 'hold'}; the amount is "
            "counted", _where(row), fellow=row["fellow"])
    yield from _more("amount-beyond-dates", entries, beyond)


def _place(row) -> str:
    """A row's file and sheet, for naming a row elsewhere than the problem's location."""
    sheet = f" [{row['sheet']}]" if isinstance(row["sheet"], str) else ""
    return f"{Path(row['file']).name}{sheet}"


def _day(value) -> str:
    if value is None or pd.isna(value):
        return "?"
    return pd.Timestamp(value).date().isoformat()

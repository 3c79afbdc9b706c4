"""Who each row's fellow is: one spelling per fellow (the roster's), the fellows --fellow and
--sheet pick, and what the roster says of a fellow without a track."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import defaultdict
from pathlib import Path

from fellowcheck.problems import Location, Problem, problem
from fellowcheck.text import closest, fellow_key, match_key, without_title


def one_spelling_per_fellow(entries, roster) -> tuple[dict[str, str], list[Problem]]:
    """Names that differ only in case, spacing, punctuation or a leading "Dr" ("Dr. Ben
    Kim", "DR BEN KIM") are one fellow, under the roster's spelling, else the one seen first.
    A fellow written more ways than with and without "Dr" (a sheet named "Ben Kim" beside
    the roster's "Dr. Ben Kim" is the usual layout) gets a warning."""
    spellings: dict[str, list[str]] = {}
    for name in entries["fellow"].dropna().unique():
        spellings.setdefault(fellow_key(name), []).append(name)
    on_roster = set(roster["fellow"].dropna()) if len(roster) else set()
    renames: dict[str, str] = {}
    problems = []
    first_rows = None
    for names in spellings.values():
        if len(names) < 2:
            continue
        chosen = next((name for name in names if name in on_roster), names[0])
        renames.update({name: chosen for name in names if name != chosen})
        variants = [name for name in names
                    if without_title(name).strip() != without_title(chosen).strip()]
        if not variants:
            continue
        if first_rows is None:  # once: the first row of every spelling
            first_rows = entries.drop_duplicates("fellow").set_index("fellow")
        rows = first_rows.loc[variants[0]]
        problems.append(problem(
            "name-variants", f"{chosen!r} is also written {', '.join(map(repr, variants))}",
            Location(rows["file"], sheet=rows["sheet"] if isinstance(rows["sheet"], str)
                     else None, row=int(rows["row"])), fellow=chosen))
    return renames, problems


def off_the_roster(problems: list[Problem], roster) -> list[Problem]:
    """A fellow without a track whose file has a roster is missing from it (a sheet named
    "Alvarez" for the roster's "Dr. Tomás Álvarez"): their error says so, with the roster's
    closest names, rather than asking for the roster the file has."""
    if not len(roster):
        return problems
    by_file: dict[str, list[str]] = defaultdict(list)
    for file, name in zip(roster["file"], roster["fellow"]):
        if isinstance(name, str):
            by_file[str(file)].append(name)
    changed = []
    for item in problems:
        names = by_file.get(item.location.file or "")
        if item.kind == "missing-track" and names and item.fellow:
            file = Path(item.location.file).name
            if fellow_key(item.fellow) in {fellow_key(name) for name in names}:
                message = (f"no track for {item.fellow}: their Track cell on the roster of "
                           f"{file} is blank; fill it in")
            else:
                message = (f"no track for {item.fellow}, who is not on the roster of {file}"
                           f"{_closest(item.fellow, names)}; name the sheet or the Fellow cells "
                           "as the roster does, or add the fellow to the roster")
            item = dataclasses.replace(item, message=message)
        changed.append(item)
    return changed


def _closest(name: str, names: list[str]) -> str:
    """" (is it 'Dr. Tomás Álvarez'?)": the names most like `name` (accents, case and titles
    ignored; a surname alone finds its full name), else ""."""
    def folded(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", fellow_key(text))
                       if not unicodedata.combining(c))

    keys = {folded(other): other for other in names}
    key = folded(name)
    found = [keys[k] for k in keys if key and (key in k or k in key)] or closest(key, keys, 2)
    return f" (is it {' or '.join(map(repr, found[:2]))}?)" if found else ""


def of_picked_sheets(entries, sheets: tuple[str, ...]):
    """The entries of the fellows on the sheets --sheet picks. A roster is read beside them
    for its tracks (reading/workbook.py): its other fellows are not reported."""
    import numpy as np
    import pandas as pd

    picked = {match_key(name) for name in sheets}
    codes, names = pd.factorize(entries["sheet"])
    # A CSV's rows have no sheet (code -1, the last item): --sheet does not apply to them.
    on_picked = np.array([match_key(name) in picked for name in names] + [True])[codes]
    fellows = entries["fellow"][on_picked].unique()
    return entries[entries["fellow"].isin(fellows)].reset_index(drop=True)


def only_fellows(entries, wanted: tuple[str, ...]):
    """The entries of the fellows asked for (matched ignoring case, punctuation and "Dr")."""
    keys = {fellow_key(name): name for name in wanted}
    entry_keys = entries["fellow"].map(fellow_key)
    problems = []
    present = set(entry_keys)
    for key, name in keys.items():
        if key not in present:
            known = ", ".join(dict.fromkeys(entries["fellow"])) or "none"
            problems.append(problem("unknown-fellow",
                                    f"no fellow named {name!r} in the schedules (fellows: {known})",
                                    Location(None)))
    return entries[entry_keys.isin(keys)].reset_index(drop=True), problems

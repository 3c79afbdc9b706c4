"""Text normalisation used wherever names typed by people are matched."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# Control and format characters (C0/C1 controls, zero-width and bidi marks) never belong in a name.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")


def match_key(text: str) -> str:
    """Key for matching names: case, spaces, underscores, punctuation and Unicode form
    ignored, & read as and; letters of every script (accents included) kept."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    if text.isascii():
        return _NOT_ALNUM.sub("", text)
    # Letters, marks and digits of every script are kept: "José" keeps its é, a Hindi or Thai
    # name its vowel signs (marks, which a regular expression's \w leaves out), and a name in
    # Cyrillic or Chinese its letters (an ASCII-only key made them all empty: one fellow).
    return "".join(c for c in text if unicodedata.category(c)[0] in "LMN")


def fellow_key(name: str) -> str:
    """Key for matching fellows' names: match_key without titles, so that "Dr. Ana Ruiz",
    "DR ANA RUIZ", "Ana Ruiz, MD" and "Ana Ruiz" are one fellow (and Drew is not "ew")."""
    return match_key(without_title(name)) or match_key(name)


_TITLE = re.compile(r"^\s*(dr|doctor)\b\.?\s*", re.IGNORECASE)
#: A degree after a comma: "Marcus Brooks, MD"; DO only after a full name ("Ann Lee, DO"),
#: not after a surname, where it is a first name ("Nguyen, Do").
_DEGREE = re.compile(r",\s*(m\.?\s?d|d\.\s?o|ph\.?\s?d|mbbs|mbchb|mbbch)\.?\s*$", re.IGNORECASE)
_DO = re.compile(r"^(\S+\s+\S.*?),\s*do\s*$", re.IGNORECASE)


def without_title(name: str) -> str:
    """A name without its titles: a leading "Dr." or "Doctor", a trailing ", MD"."""
    name = _DEGREE.sub("", _TITLE.sub("", name, count=1), count=1)
    return _DO.sub(r"\1", name)


def amount_text(count: float, unit: str) -> str:
    """ "1 week", "2.5 half-days": a count and its unit, in the plural unless one."""
    return f"{count:g} {unit}{'' if count == 1 else 's'}"


def clean_name(text: str) -> str:
    """A person's or rotation's name as typed, minus invisible characters and extra spaces
    (a line break inside a cell, "Dr\nAna Ruiz", is a space)."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", _SPACES.sub(" ", text)))
    return _SPACES.sub(" ", text).strip()


def closest(key: str, known: dict[str, str], count: int = 3) -> list[str]:
    """The names (values of `known`, a dict of keys to names) whose keys are closest to
    `key`, by difflib's ratio (0.6 or more), at most `count`, without repeats."""
    import difflib

    close = difflib.get_close_matches(key, list(known), n=count, cutoff=0.6)
    return list(dict.fromkeys(known[match] for match in close))


#: The key (`match_key`) of a label that totals a table: Total, Totals, Total weeks, Grand
#: total, Subtotal, Sum, Sum of weeks, and Excel's subtotals ("Dr. Sam Lee Total").
_TOTAL = re.compile(r"(grand|sub)?(totals?(?![a-z])|total(weeks|days|halfdays))|sum(of.*)?$")
_TOTAL_AFTER = re.compile(r"\s(sub)?totals?\W*$", re.IGNORECASE)  # a word of its own, last


def is_total_label(value) -> bool:
    """Whether a cell is a label of a table's totals row."""
    return isinstance(value, str) and (_TOTAL.match(match_key(value)) is not None
                                       or _TOTAL_AFTER.search(value) is not None)

"""Name matching (text.py): what makes two spellings one fellow, and what keeps two apart."""

from __future__ import annotations

import pytest

from fellowcheck.text import clean_name, fellow_key, match_key


@pytest.mark.parametrize("first, second", [
    ("Dr. Ana Ruiz", "DR ANA RUIZ"), ("Ana Ruiz", "Dr Ana  Ruiz"), ("Ana-Ruiz", "ana ruiz"),
    ("Jos\u00e9 N\u00fa\u00f1ez", "Jose\u0301 Nu\u0301n\u0303ez"),  # composed vs decomposed
    ("\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432", "\u0438\u0432\u0430\u043d \u043f\u0435\u0442\u0440\u043e\u0432"),
])
def test_spellings_of_one_fellow(first, second):
    assert fellow_key(first) == fellow_key(second)


@pytest.mark.parametrize("first, second", [
    ("Jos\u00e9 N\u00fa\u00f1ez", "Jos\u00e9 N\u0169\u00f1ez"),  # another accent: another name
    ("Zo\u00eb Li", "Zoe Li"),
    ("\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432", "\u041e\u043b\u0435\u0433 \u0421\u043c\u0438\u0440\u043d\u043e\u0432"),  # two Cyrillic names
    ("\u738b\u4f1f", "\u674e\u5a1c"),  # two Chinese names
    ("\u0930\u0940\u0928\u093e", "\u0930\u093e\u0928\u093e"),  # Hindi names differing in a vowel sign
])
def test_different_names_stay_apart(first, second):
    assert fellow_key(first) != fellow_key(second)
    assert fellow_key(first)  # never the empty key


def test_rotation_and_header_words_match_as_before():
    assert match_key("Pain Medicine — Ultrasound") == match_key("pain_medicine ultrasound")
    assert match_key("PM&R") == match_key("pm and r") == "pmandr"


def test_a_line_break_inside_a_name_is_a_space():
    assert clean_name("Dr\nAna\r\nRuiz") == "Dr Ana Ruiz"
    assert clean_name("A\u200bna \u202eRuiz\t") == "Ana Ruiz"  # invisible characters go


def test_fellow_key_drops_a_title_not_the_letters_of_a_name():
    assert {fellow_key(n) for n in ("Dr. Ana Ruiz", "DR ANA RUIZ", "Doctor Ana Ruiz",
                                    "dr.ana ruiz", "Ana Ruiz")} == {"anaruiz"}
    assert fellow_key("Drew Smith") == fellow_key("Dr. Drew Smith") != fellow_key("Ew Smith")


def test_fellow_key_drops_a_degree_after_a_comma():
    assert fellow_key("Marcus Brooks, MD") == fellow_key("Dr. Marcus Brooks") == \
        fellow_key("Marcus Brooks, M.D.")
    assert fellow_key("Nguyen, Do") != fellow_key("Nguyen")  # a first name, not D.O.


def test_a_totals_label_is_a_word_of_its_own():
    from fellowcheck.text import is_total_label

    assert all(map(is_total_label, ["Total", "TOTAL:", "Dr. Sam Lee Total", "Grand total",
                                    "Subtotal", "Sum of weeks", "Total weeks"]))
    assert not any(map(is_total_label, ["Totally new", "Summer school", "Pistotal", None, 3]))


def test_do_after_a_full_name_is_a_degree():
    assert fellow_key("Drew Doctorow, DO") == fellow_key("Dr. Drew Doctorow")

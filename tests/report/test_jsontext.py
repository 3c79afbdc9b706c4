"""The fast JSON text writer gives exactly the text of json.dumps(indent=2, ensure_ascii=False)."""

from __future__ import annotations

import enum
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fellowcheck.report._jsontext import dumps

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text()
           | st.sampled_from([0.1, 1e16, -0.0, 1e-7, 10**30, "é\n\"\\\u2028\x00"]))
KEYS = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner) | st.tuples(inner, inner)
                      | st.dictionaries(KEYS, inner), max_leaves=40)


@given(VALUES)
def test_same_text_as_json_dumps(value):
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_enums_and_indents():
    class Colour(str, enum.Enum):
        RED = "red"

    class Level(enum.IntEnum):
        HIGH = 3

    value = {Colour.RED: [Colour.RED, Level.HIGH, {"nested": []}], "empty": {}}
    for indent in (0, 2, 4):
        assert dumps(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)


def test_what_json_refuses_is_refused_alike():
    circular: list = []
    circular.append(circular)
    for value in ({"when": object()}, {(1, 2): 3}, circular):
        with pytest.raises((TypeError, ValueError)) as mine:
            dumps(value)
        with pytest.raises(type(mine.value)):
            json.dumps(value, indent=2, ensure_ascii=False)

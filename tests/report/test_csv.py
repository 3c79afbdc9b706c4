from __future__ import annotations

import csv
import dataclasses
import io

import pandas as pd
import pytest

from fellowcheck.model import Status
from fellowcheck.report import SUFFIX_FORMATS, Format, RenderOptions, renderer
from fellowcheck.report.cells import COLUMNS, neutralise

from .sample_report import COMPLIANT_FELLOW, GAP_FELLOW, INJECTION

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render(report) -> str:
    text = renderer(Format.CSV)(report, RenderOptions())
    assert isinstance(text, str)
    return text


def frame(report) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(render(report)), keep_default_na=False, na_values=[""])


def test_registered():
    assert Format("csv") is Format.CSV
    assert SUFFIX_FORMATS[".csv"] is Format.CSV


def test_one_row_per_fellow_and_requirement(report):
    df = frame(report)
    assert tuple(df.columns) == COLUMNS
    assert len(df) == 15
    assert df.groupby("fellow", sort=False).size().to_dict() == {
        GAP_FELLOW: 5, "'" + INJECTION: 5, COMPLIANT_FELLOW: 5}
    for column in ("min", "completed", "scheduled", "remaining", "unscheduled"):
        assert pd.api.types.is_float_dtype(df[column]) or pd.api.types.is_integer_dtype(df[column])


def test_values_of_a_gap_row(report):
    df = frame(report)
    row = df[(df.fellow == GAP_FELLOW) & (df.rotation_id == "mips")].iloc[0]
    assert row.track == "anesthesia"
    assert row.fellow_status == "gap"
    assert row.rotation == "Methodist Campus Inpatient Pain Service (MIPS)"
    assert row.requirement == "required"
    assert row.unit == "week"
    assert (row["min"], row.completed, row.scheduled, row.remaining, row.unscheduled) == (
        13, 6, 5, 7, 2)
    assert pd.isna(row["max"])
    assert row.status == "gap"


def test_statuses_and_fractions(report):
    df = frame(report).set_index(["fellow", "rotation_id"])
    assert df.loc[(GAP_FELLOW, "gonda"), "status"] == "over"
    assert df.loc[(GAP_FELLOW, "gonda"), "max"] == 8
    assert df.loc[(GAP_FELLOW, "sips"), "status"] == "not_applicable"
    assert df.loc[(GAP_FELLOW, "sips"), "requirement"] == "not_applicable"
    clinic = df.loc[("'" + INJECTION, "continuity-clinic")]
    assert (clinic.status, clinic.completed, clinic.scheduled) == ("on_track", 30.5, 29.5)
    assert df.loc[("'" + INJECTION, "continuity-clinic"), "fellow_status"] == "on_track"


def test_formula_injection_is_neutralised(report):
    rows = list(csv.reader(io.StringIO(render(report))))
    cells = [cell for row in rows for cell in row]
    assert "'" + INJECTION in cells
    assert INJECTION not in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize("value, expected", [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Dr. A", "Dr. A"), ("a=b", "a=b"), ("", ""),
    (-1.5, -1.5), (None, None),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_rotation_names_are_neutralised_too(report):
    fellow = report.fellows[0]
    first = fellow.requirements[0]
    evil = dataclasses.replace(first, requirement=dataclasses.replace(
        first.requirement, rotation="-2+3,\"MIPS\"\nnext"))
    changed = dataclasses.replace(report, fellows=(dataclasses.replace(
        fellow, requirements=(evil,)),))
    df = frame(changed)
    assert df.loc[0, "rotation"] == "'-2+3,\"MIPS\"\nnext"


def test_fellow_without_requirements_keeps_a_row(report):
    lost = dataclasses.replace(report.fellows[0], fellow="Dr. No Track", track=None,
                               status=Status.GAP, requirements=())
    df = frame(dataclasses.replace(report, fellows=(lost,)))
    assert len(df) == 1
    assert df.loc[0, "fellow"] == "Dr. No Track"
    assert df.loc[0, "fellow_status"] == "gap"
    assert pd.isna(df.loc[0, "track"]) and pd.isna(df.loc[0, "rotation_id"])


def test_empty_report_has_the_header(empty_report):
    assert render(empty_report) == ",".join(COLUMNS) + "\n"

from __future__ import annotations

import pytest

from fellowcheck.model import Kind, Rule, Unit
from fellowcheck.problems import FellowcheckError
from fellowcheck.requirements import load_requirements, parse_rule

HEADER = "id,rotation,unit,concurrent,aliases,notes,anesthesia,non-anesthesia,pmr"


def test_packaged_table_encodes_the_seed(table):
    assert table.tracks == ("anesthesia", "non-anesthesia", "pmr")
    assert len(table.requirements) == 19
    spine = table.by_id("spine-center")
    assert spine.rules["anesthesia"] == Rule(Kind.REQUIRED, 1, 3)
    assert spine.rules["non-anesthesia"] == Rule(Kind.REQUIRED, 1, 3)
    assert spine.rules["pmr"] == Rule(Kind.ELECTIVE, 0, 3)
    assert table.by_id("pain-rehab").rules["pmr"] == Rule(Kind.REQUIRED, 1, 5)
    assert table.by_id("pain-rehab").unit is Unit.DAY
    assert table.by_id("anesthesia-skills").rules["anesthesia"].kind is Kind.NOT_APPLICABLE
    assert table.by_id("sips").rules["pmr"] == Rule(Kind.REQUIRED, 2, None)
    assert table.by_id("continuity-clinic").unit is Unit.HALF_DAY
    assert table.by_id("continuity-clinic").rules["pmr"].min == 60
    assert table.by_id("neuroscience-course").rules["anesthesia"] == Rule(Kind.ELECTIVE, 0, None)
    assert table.by_id("gonda").rules["pmr"] == Rule(Kind.REQUIRED, 7, 8)
    assert {"MIPS"} <= set(table.by_id("mips").aliases)
    assert {"SIPS"} <= set(table.by_id("sips").aliases)
    assert {"EMG"} <= set(table.by_id("emg").aliases)
    concurrent = {r.id for r in table.requirements if r.concurrent}
    assert concurrent == {"continuity-clinic", "neuroscience-course", "simulation-center"}


def test_specialties_map_to_tracks(table):
    assert table.specialties["anesthesiology"] == "anesthesia"
    assert table.specialties["pmandr"] == "pmr"
    assert table.specialties["neurology"] == "non-anesthesia"
    assert table.specialties["physicalmedicineandrehabilitation"] == "pmr"


@pytest.mark.parametrize("text, expected", [
    ("required 1", Rule(Kind.REQUIRED, 1, None)),
    ("Required 7-8", Rule(Kind.REQUIRED, 7, 8)),
    ("elective", Rule(Kind.ELECTIVE, 0, None)),
    ("elective max 1", Rule(Kind.ELECTIVE, 0, 1)),
    ("not applicable", Rule(Kind.NOT_APPLICABLE, 0, None)),
])
def test_parse_rule(text, expected):
    assert parse_rule(text) == (expected, None)


def _load(tmp_path, *rows):
    path = tmp_path / "requirements.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return load_requirements(path)


def _error(tmp_path, *rows):
    with pytest.raises(FellowcheckError) as caught:
        _load(tmp_path, *rows)
    return caught.value.problems


def test_custom_table_loads(tmp_path):
    table = _load(tmp_path, "mips,MIPS,week,no,Methodist,,required 10,required 10,required 10")
    assert table.by_id("mips").rules["pmr"].min == 10


def test_unknown_unit_is_located(tmp_path):
    [fault] = _error(tmp_path, "mips,MIPS,fortnight,no,,,required 1,required 1,required 1")
    assert fault.id == "FC202"
    assert (fault.location.row, fault.location.column) == (2, "unit")
    assert "fortnight" in fault.message


def test_min_over_max_is_located(tmp_path):
    [fault] = _error(tmp_path, "gonda,Gonda,week,no,,,required 8-7,required 1,required 1")
    assert fault.kind == "requirements-min-over-max"
    assert (fault.location.row, fault.location.column) == (2, "anesthesia")


def test_duplicate_alias_is_located(tmp_path):
    faults = _error(tmp_path, "mips,MIPS,week,no,Inpatient,,required 1,required 1,required 1",
                    "sips,SIPS,week,no,inpatient,,required 1,required 1,required 1")
    assert [(f.kind, f.location.row) for f in faults] == [("requirements-duplicate", 3)]
    assert "line 2" in faults[0].message


def test_duplicate_id(tmp_path):
    faults = _error(tmp_path, "mips,MIPS,week,no,,,required 1,required 1,required 1",
                    "mips,Other,week,no,,,required 1,required 1,required 1")
    assert faults[0].kind == "requirements-duplicate"


def test_bad_track_column_and_bad_rule(tmp_path):
    path = tmp_path / "requirements.csv"
    path.write_text("id,rotation,unit,concurrent,aliases,notes,Anesthesia Track\n"
                    "mips,MIPS,week,no,,,mandatory\n")
    with pytest.raises(FellowcheckError) as caught:
        load_requirements(path)
    kinds = [(p.kind, p.location.row, p.location.column) for p in caught.value.problems]
    assert ("requirements-bad-value", 1, "Anesthesia Track") in kinds


def test_missing_file(tmp_path):
    with pytest.raises(FellowcheckError) as caught:
        load_requirements(tmp_path / "nope.csv")
    assert caught.value.problems[0].id == "FC201"


def test_semicolon_table_and_plural_units(tmp_path):
    path = tmp_path / "requirements.csv"
    path.write_text(HEADER.replace(",", ";") + "\nmips;MIPS;weeks;no;;;required 10;required 10;"
                    "required 10\nclinic;Clinic;half days;yes;;;required 6;required 6;"
                    "required 6\n")
    table = load_requirements(path)
    assert table.by_id("mips").unit is Unit.WEEK and table.by_id("clinic").unit is Unit.HALF_DAY


def test_a_workbook_given_as_table_says_to_save_as_csv(tmp_path):
    path = tmp_path / "requirements.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe\x00")
    with pytest.raises(FellowcheckError) as caught:
        load_requirements(path)
    assert "save the requirement table as CSV" in str(caught.value)

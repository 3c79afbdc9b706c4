"""Which files a folder gives, and the files in it that are not read (said, never silent)."""

from __future__ import annotations

import os

from fellowcheck.inputs import expand_paths


def test_a_folder_gives_its_schedules_and_names_the_files_it_does_not_read(tmp_path):
    (tmp_path / "b.csv").write_text("Fellow,Rotation,Weeks\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.xlsx").write_bytes(b"PK")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "notes.txt").write_text("not a spreadsheet: not named")
    (tmp_path / "~$b.xlsx").write_bytes(b"lock file: not named")
    os.symlink(tmp_path / "gone.csv", tmp_path / "dangling.csv")
    os.mkfifo(tmp_path / "pipe.csv")
    files, problems = expand_paths([tmp_path])
    assert [path.relative_to(tmp_path).as_posix() for path in files] == ["b.csv", "sub/a.xlsx"]
    skipped = {os.path.basename(p.location.file): p.message for p in problems}
    assert [p.kind for p in problems] == ["file-skipped"] * 3
    assert "does not read .xls files" in skipped["old.xls"]
    assert "a link to a file that does not exist" in skipped["dangling.csv"]
    assert "not a regular file" in skipped["pipe.csv"]


def test_a_file_given_by_name_is_kept_for_its_reader_to_judge(tmp_path):
    files, problems = expand_paths([tmp_path / "old.xls", tmp_path / "missing.csv"])
    assert files == [tmp_path / "old.xls", tmp_path / "missing.csv"] and problems == []


def test_a_copy_comes_right_after_its_original(tmp_path):
    """"Copy of X" and "X (1)" sort before X; read after it, the copy's rows are the ones
    that repeat (FC143 names the copy, not the original)."""
    names = ["X.xlsx", "Copy of X.xlsx", "X (1).xlsx", "X - Copy.xlsx", "A.xlsx", "Xa.xlsx",
             "copy of Y.csv", "Y.csv"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    files, _ = expand_paths([tmp_path])
    assert [f.name for f in files] == ["A.xlsx", "X.xlsx", "Copy of X.xlsx", "X (1).xlsx",
                                       "X - Copy.xlsx", "Xa.xlsx", "Y.csv", "copy of Y.csv"]
